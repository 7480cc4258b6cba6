#include "teachers/emotion/emotion_mlp.h"

#include <torch/torch.h>

#include <stdexcept>

#include "nn/dropout.h"

namespace mh::teachers::emotion {

EmotionMlpImpl::EmotionMlpImpl(at::Tensor table, int64_t max_len, int64_t classes, const MlpOptions& o)
    : max_length(max_len), flatten(o.pooling == "flatten") {
  if (o.pooling != "flatten" && o.pooling != "meanmax")
    throw std::invalid_argument("emotion MLP pooling: expected flatten or meanmax, got '" + o.pooling + "'");
  embeddings = register_buffer("embeddings", table);
  const int64_t dim = table.size(1);
  int64_t in = flatten ? max_len * dim : 2 * dim;
  mlp = torch::nn::Sequential();
  for (int64_t l = 0; l < o.layers; ++l) {
    mlp->push_back(torch::nn::Linear(in, o.hidden));
    mlp->push_back(torch::nn::ReLU());
    mlp->push_back(nn::Dropout(o.dropout));
    in = o.hidden;
  }
  mlp->push_back(torch::nn::Linear(in, classes));
  register_module("mlp", mlp);
}

at::Tensor EmotionMlpImpl::forward(const at::Tensor& ids, const at::Tensor& mask) {
  auto e = embeddings.index_select(0, ids.reshape(-1)).view({ids.size(0), ids.size(1), -1});
  auto m = mask.unsqueeze(2).to(e.dtype());
  e = e * m;  // padding contributes nothing, whatever [PAD]'s row holds
  at::Tensor x;
  if (flatten) {
    if (ids.size(1) > max_length) throw std::invalid_argument("emotion MLP: batch longer than max_length");
    x = torch::constant_pad_nd(e, {0, 0, 0, max_length - ids.size(1)}).reshape({ids.size(0), -1});
  } else {
    auto count = m.sum(1).clamp_min(1);
    auto mean = e.sum(1) / count;
    auto max = e.masked_fill(m == 0, -1e9).amax(1);
    x = torch::cat({mean, max}, 1);
  }
  return mlp->forward(x);
}

}  // namespace mh::teachers::emotion
