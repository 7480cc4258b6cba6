#include "nn/dropout.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/autograd.h>

#include <mutex>
#include <stdexcept>
#include <string>

namespace mh::nn {
namespace {

uint64_t splitmix64(uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

template <typename T>
void fill_mask(T* out, int64_t n, uint64_t threshold, T scale, uint64_t seed) {
  // Pairs of elements share one 64-bit draw; ranges start on even indices so
  // every thread count gives the same mask.
  at::parallel_for(0, (n + 1) / 2, 1 << 14, [&](int64_t begin, int64_t end) {
    for (int64_t j = begin; j < end; ++j) {
      const uint64_t r = splitmix64(seed + static_cast<uint64_t>(j));
      const int64_t i = 2 * j;
      out[i] = (r & 0xffffffffULL) >= threshold ? scale : T(0);
      if (i + 1 < n) out[i + 1] = (r >> 32) >= threshold ? scale : T(0);
    }
  });
}

struct DropoutFunction : torch::autograd::Function<DropoutFunction> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x, double p) {
    uint64_t seed;
    {
      auto gen = at::detail::getDefaultCPUGenerator();
      std::lock_guard<std::mutex> lock(gen.mutex());
      seed = gen.get<at::CPUGeneratorImpl>()->random64();
    }
    auto mask = dropout_mask(x, p, seed);
    ctx->save_for_backward({mask});
    return x * mask;
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad) {
    return {grad[0] * ctx->get_saved_variables()[0], torch::Tensor()};
  }
};

}  // namespace

torch::Tensor dropout_mask(const torch::Tensor& like, double p, uint64_t seed) {
  auto mask = torch::empty(like.sizes(), like.options().memory_format(torch::MemoryFormat::Contiguous));
  const auto threshold = static_cast<uint64_t>(p * 4294967296.0);
  const int64_t n = mask.numel();
  if (mask.scalar_type() == torch::kFloat)
    fill_mask(mask.data_ptr<float>(), n, threshold, static_cast<float>(1.0 / (1.0 - p)), seed);
  else if (mask.scalar_type() == torch::kDouble)
    fill_mask(mask.data_ptr<double>(), n, threshold, 1.0 / (1.0 - p), seed);
  else
    throw std::invalid_argument(std::string("dropout: float or double tensors only, got ") +
                                c10::toString(mask.scalar_type()));
  return mask;
}

torch::Tensor dropout(const torch::Tensor& x, double p, bool train) {
  if (!(p >= 0 && p < 1)) throw std::invalid_argument("dropout: p must be in [0, 1), got " + std::to_string(p));
  if (!train || p == 0) return x;
  if (!x.device().is_cpu()) return torch::dropout(x, p, true);  // CUDA draws its masks fast already
  return DropoutFunction::apply(x, p);
}

DropoutImpl::DropoutImpl(double p) : p(p) {
  if (!(p >= 0 && p < 1)) throw std::invalid_argument("Dropout: p must be in [0, 1), got " + std::to_string(p));
}

}  // namespace mh::nn
