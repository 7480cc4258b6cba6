// Audio Spectrogram Transformer (Gong et al., 2021), CPU-sizable: the log-mel
// spectrogram [bins, frames] is cut into patch x patch patches every
// (fstride, tstride) (the paper's 3M-Health runs used 10/10: overlapping),
// linearly embedded (a convolution), prefixed with CLS and distillation
// tokens, given learned position embeddings and run through the transformer
// encoder the text model uses (nn/bert: post-LayerNorm blocks; AST's DeiT
// blocks are pre-LayerNorm, a difference that matters for deep models trained
// from ImageNet weights, not for these small ones trained from scratch); the
// mean of the two tokens' outputs goes to the classifier.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include "nn/bert.h"

namespace mh::teachers::audio {

struct AstOptions {
  int64_t hidden = 192, layers = 4, heads = 4, intermediate = 768;
  int64_t patch = 16, fstride = 10, tstride = 10;
  double dropout = 0.1;
};

struct AstImpl : torch::nn::Module {
  AstImpl(int64_t mel_bins, int64_t frames, int64_t classes, const AstOptions& o);
  // mel [B, bins, frames], normalised -> logits [B, classes]
  at::Tensor forward(const at::Tensor& mel);
  int64_t patches() const { return f_patches * t_patches; }

  torch::nn::Conv2d patch_embed{nullptr};
  at::Tensor cls_token, dist_token, pos_embed;
  nn::BertEncoder encoder{nullptr};
  torch::nn::LayerNorm norm{nullptr};
  torch::nn::Linear head{nullptr};
  int64_t f_patches = 0, t_patches = 0;
  double dropout = 0;
};
TORCH_MODULE(Ast);

}  // namespace mh::teachers::audio
