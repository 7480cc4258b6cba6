// The emotion teacher's classifier: an MLP over a post's sequence of frozen
// emotion embeddings (one per WordPiece id).
//   flatten:  the [max_length, dim] sequence, zero-padded, as one vector (the
//             paper's model; tied to max_length)
//   meanmax:  mean and max over the post's tokens, concatenated ([2 dim]);
//             any length
// then `layers` hidden layers (Linear, ReLU, dropout) and a Linear to the classes.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>

#include <string>

namespace mh::teachers::emotion {

struct MlpOptions {
  std::string pooling = "flatten";  // or meanmax
  int64_t hidden = 256, layers = 1;
  double dropout = 0.2;
};

struct EmotionMlpImpl : torch::nn::Module {
  // `embeddings` [V, dim] is kept as a buffer: saved with the model, never trained.
  EmotionMlpImpl(at::Tensor embeddings, int64_t max_length, int64_t classes, const MlpOptions& o);
  // ids, mask [B, T] (T <= max_length) -> logits [B, classes]
  at::Tensor forward(const at::Tensor& ids, const at::Tensor& mask);

  at::Tensor embeddings;
  int64_t max_length;
  bool flatten;
  torch::nn::Sequential mlp{nullptr};
};
TORCH_MODULE(EmotionMlp);

}  // namespace mh::teachers::emotion
