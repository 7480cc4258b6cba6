#include "teachers/audio/ast.h"

#include <torch/torch.h>

#include <stdexcept>

#include "nn/dropout.h"

namespace mh::teachers::audio {

AstImpl::AstImpl(int64_t bins, int64_t frames, int64_t classes, const AstOptions& o) : dropout(o.dropout) {
  if (bins < o.patch || frames < o.patch) throw std::invalid_argument("AST: spectrogram smaller than one patch");
  f_patches = (bins - o.patch) / o.fstride + 1;
  t_patches = (frames - o.patch) / o.tstride + 1;
  patch_embed = register_module(
      "patch_embed", torch::nn::Conv2d(torch::nn::Conv2dOptions(1, o.hidden, o.patch).stride({o.fstride, o.tstride})));
  cls_token = register_parameter("cls_token", torch::randn({1, 1, o.hidden}) * 0.02);
  dist_token = register_parameter("dist_token", torch::randn({1, 1, o.hidden}) * 0.02);
  pos_embed = register_parameter("pos_embed", torch::randn({1, patches() + 2, o.hidden}) * 0.02);
  nn::BertConfig c;
  c.hidden_size = o.hidden;
  c.num_hidden_layers = o.layers;
  c.num_attention_heads = o.heads;
  c.intermediate_size = o.intermediate;
  c.hidden_dropout_prob = c.attention_probs_dropout_prob = o.dropout;
  c.layer_norm_eps = 1e-6;
  encoder = register_module("encoder", nn::BertEncoder(c));
  norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({o.hidden}).eps(1e-6)));
  head = register_module("head", torch::nn::Linear(o.hidden, classes));
}

at::Tensor AstImpl::forward(const at::Tensor& mel) {
  const int64_t B = mel.size(0);
  auto x = patch_embed->forward(mel.unsqueeze(1)).flatten(2).transpose(1, 2);  // [B, P, H]
  x = torch::cat({cls_token.expand({B, -1, -1}), dist_token.expand({B, -1, -1}), x}, 1) + pos_embed;
  x = nn::dropout(x, dropout, is_training());
  auto no_mask = torch::zeros({B, 1, 1, x.size(1)}, x.options());  // every patch is real
  x = norm->forward(encoder->forward(x, no_mask));
  return head->forward((x.select(1, 0) + x.select(1, 1)) / 2);
}

}  // namespace mh::teachers::audio
