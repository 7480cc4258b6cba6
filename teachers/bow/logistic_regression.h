// Logistic regression with an L2 penalty, the bag-of-words teacher's model: the
// optimum of scikit-learn's LogisticRegression(C) with its defaults (lbfgs,
// intercept not penalised). Two classes: one weight vector, sigmoid; that is
// the softmax model below at C / 2 (the optimum then has w1 = -w0), so one
// multinomial fit serves both: minimise C' sum_i CE(x_i W + b, y_i) + ||W||^2 / 2
// with C' = C / 2 for two classes and C otherwise, by L-BFGS to convergence.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace mh::teachers::bow {

struct LogisticRegression {
  at::Tensor weight;     // [features, classes], float64
  at::Tensor intercept;  // [classes], float64
  int evaluations = 0;   // of the objective and its gradient, by L-BFGS

  // Logits [rows, classes] (float64) of features x [rows, features], sparse or dense.
  at::Tensor logits(const at::Tensor& x) const;
};

// Fits on the rows of x (sparse or dense, float64) with labels in [0, classes).
LogisticRegression fit_logistic_regression(const at::Tensor& x, const std::vector<int32_t>& labels, int64_t classes,
                                           double C);

}  // namespace mh::teachers::bow
