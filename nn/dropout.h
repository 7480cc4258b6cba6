// Dropout whose keep-mask comes from a counter-based generator: element i of a
// call keeps its value when SplitMix64(seed + i/2) (half of its 64 bits) is at
// least p * 2^32, where `seed` is one draw from LibTorch's default CPU
// generator. Same distribution and scaling (1/(1-p)) as torch::dropout; why not
// torch's: ATen on CPU draws every element through mt19937 (bernoulli_ took 8%
// of a training step of the CPU-sized BERT, more than all attention products),
// this takes about 1 ns per element, and the mask does not depend on the
// number of threads. Deterministic for a given torch::manual_seed.
#pragma once

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

namespace mh::nn {

// x unchanged when !train or p == 0; p must be in [0, 1).
torch::Tensor dropout(const torch::Tensor& x, double p, bool train);

// The mask dropout(x, p, true) multiplies by when the generator's draw is
// `seed`: 0 or 1/(1-p) per element, x's shape and dtype (float or double).
torch::Tensor dropout_mask(const torch::Tensor& like, double p, uint64_t seed);

// The module form (train/eval follows the parent module), in place of
// torch::nn::Dropout.
struct DropoutImpl : torch::nn::Cloneable<DropoutImpl> {
  explicit DropoutImpl(double p = 0.5);
  void reset() override {}
  torch::Tensor forward(const torch::Tensor& x) { return mh::nn::dropout(x, p, is_training()); }
  double p;
};
TORCH_MODULE(Dropout);

}  // namespace mh::nn
