#include "student/distill_loss.h"

#include <ATen/ATen.h>

#include <stdexcept>

namespace mh::student {

KdReduction parse_kd_reduction(const std::string& name) {
  if (name == "batchmean") return KdReduction::batchmean;
  if (name == "mean") return KdReduction::mean;
  throw std::invalid_argument("--kd-reduction: expected batchmean or mean, got '" + name + "'");
}

at::Tensor mean_teacher_probs(const std::vector<at::Tensor>& logits, double T) {
  if (logits.empty()) throw std::invalid_argument("mean_teacher_probs: no teachers");
  at::Tensor sum;
  for (const auto& l : logits) {
    auto p = at::softmax(l.to(at::kFloat) / T, -1);
    sum = sum.defined() ? sum + p : p;
  }
  return sum / static_cast<double>(logits.size());
}

at::Tensor distillation_loss(const at::Tensor& s, const at::Tensor& y, const at::Tensor& p, const KdOptions& o) {
  auto ce = at::cross_entropy_loss(s, y, {}, at::Reduction::None);
  if (!p.defined() || o.beta == 0) return o.alpha * ce;
  if (p.sizes() != s.sizes()) throw std::invalid_argument("distillation_loss: teacher and student shapes differ");
  const double T = o.temperature;
  auto log_q = at::log_softmax(s / T, -1);
  // KL(p || q) per sample; xlogy makes 0 * log 0 = 0 for classes a teacher rules out.
  auto kl = (at::xlogy(p, p) - p * log_q).sum(-1);
  if (o.reduction == KdReduction::mean) kl = kl / static_cast<double>(s.size(-1));
  return o.alpha * ce + o.beta * T * T * kl;
}

}  // namespace mh::student
