// A two-layer graph convolutional network (Kipf & Welling) on a sparse
// normalised adjacency, featureless as in TextGCN: the input is the identity,
// so the first layer's weight is an embedding table of the nodes.
//   H1 = ReLU(A W0),  E = A dropout(H1) W1,  logits = E Wc + bc
// E (one row per node, `out` wide) is what the emotion teacher keeps: the
// word rows are the emotion-enriched word embeddings. The classifier maps E
// to the document emotion labels (multi-hot, BCE-with-logits).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>

#include <cstdint>
#include <vector>

namespace mh::teachers::emotion {

struct GcnOptions {
  int64_t hidden = 200, out = 768;
  double dropout = 0.5, lr = 0.02, weight_decay = 0;
  int epochs = 200, patience = 10;  // early stopping on the held-out documents' BCE
  double held_out = 0.1;            // share of documents whose labels only judge
  uint64_t seed = 0;
};

struct GcnImpl : torch::nn::Module {
  GcnImpl(int64_t nodes, int64_t labels, const GcnOptions& o);
  // {E [N, out], logits [N, labels]}
  std::pair<at::Tensor, at::Tensor> forward(const at::Tensor& adjacency);

  at::Tensor w0;
  torch::nn::Linear w1{nullptr}, classifier{nullptr};
  double dropout;
};
TORCH_MODULE(Gcn);

struct GcnResult {
  at::Tensor embeddings;  // [N, out], eval mode, at the best held-out epoch
  int epochs_run = 0, best_epoch = 0;
  double best_held_out_loss = 0, train_loss = 0;
};

// Full-batch training on the document nodes 0..labels.size(0)-1 (Adam).
GcnResult train_gcn(const at::Tensor& adjacency, const at::Tensor& doc_labels, const GcnOptions& o);

}  // namespace mh::teachers::emotion
