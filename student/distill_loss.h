// The distillation loss of 3M-Health, per sample:
//   alpha * CE(student, y) + beta * T^2 * KL(p || softmax(student / T))
// where p is the mean of the chosen teachers' softmax(logits / T).
// KL reduction: batchmean sums the KL over classes (the true KL divergence per
// sample); mean divides it by the number of classes as well, which is what the
// paper's code did with nn.KLDivLoss(reduction='mean') (an element-wise mean,
// so the KL term is C times weaker than intended). Per-sample losses are
// returned so the caller chooses the normalisation (mean over the batch, or
// sum / global batch size under data parallelism).
#pragma once

#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

namespace mh::student {

enum class KdReduction { batchmean, mean };
KdReduction parse_kd_reduction(const std::string& name);

struct KdOptions {
  double alpha = 1.0, beta = 1.0, temperature = 1.0;
  KdReduction reduction = KdReduction::batchmean;
};

// Mean over teachers of softmax(logits / T); each [B, C].
at::Tensor mean_teacher_probs(const std::vector<at::Tensor>& teacher_logits, double temperature);

// student_logits [B, C], labels [B] int64, teacher_probs [B, C] (undefined: CE only). Returns [B].
at::Tensor distillation_loss(const at::Tensor& student_logits, const at::Tensor& labels,
                             const at::Tensor& teacher_probs, const KdOptions& options);

}  // namespace mh::student
