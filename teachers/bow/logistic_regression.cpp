#include "teachers/bow/logistic_regression.h"

#include <torch/torch.h>

#include <stdexcept>

namespace mh::teachers::bow {

at::Tensor LogisticRegression::logits(const at::Tensor& x) const { return torch::mm(x, weight) + intercept; }

LogisticRegression fit_logistic_regression(const at::Tensor& x, const std::vector<int32_t>& labels, int64_t classes,
                                           double C) {
  const int64_t n = x.size(0);
  if (n != static_cast<int64_t>(labels.size()) || n == 0)
    throw std::invalid_argument("logistic regression: " + std::to_string(labels.size()) + " labels for " +
                                std::to_string(n) + " rows");
  if (C <= 0 || classes < 2) throw std::invalid_argument("logistic regression: C must be positive, classes >= 2");
  for (auto y : labels)
    if (y < 0 || y >= classes) throw std::invalid_argument("logistic regression: label out of range");
  const double c = classes == 2 ? C / 2 : C;
  auto y = torch::tensor(std::vector<int64_t>(labels.begin(), labels.end()), torch::kLong);
  auto opts = torch::TensorOptions().dtype(torch::kDouble);
  LogisticRegression m;
  m.weight = torch::zeros({x.size(1), classes}, opts).requires_grad_(true);
  m.intercept = torch::zeros({classes}, opts).requires_grad_(true);
  // The objective divided by c n: the same optimum, gradients of order one
  // whatever the size of the training set.
  torch::optim::LBFGS lbfgs({m.weight, m.intercept}, torch::optim::LBFGSOptions(1)
                                                         .max_iter(2000)
                                                         .max_eval(4000)
                                                         .tolerance_grad(1e-10)
                                                         .tolerance_change(1e-14)
                                                         .history_size(20)
                                                         .line_search_fn("strong_wolfe"));
  auto closure = [&] {
    ++m.evaluations;
    lbfgs.zero_grad();
    auto loss = torch::nn::functional::cross_entropy(m.logits(x), y) +
                m.weight.pow(2).sum() / (2 * c * static_cast<double>(n));
    loss.backward();
    return loss;
  };
  lbfgs.step(closure);
  m.weight = m.weight.detach();
  m.intercept = m.intercept.detach();
  return m;
}

}  // namespace mh::teachers::bow
