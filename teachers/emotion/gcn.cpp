#include "teachers/emotion/gcn.h"

#include <torch/torch.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "log/log.h"
#include "nn/dropout.h"

namespace mh::teachers::emotion {

GcnImpl::GcnImpl(int64_t nodes, int64_t labels, const GcnOptions& o) : dropout(o.dropout) {
  // Glorot-uniform, as Kipf & Welling and TextGCN initialise their layers.
  double bound = std::sqrt(6.0 / static_cast<double>(nodes + o.hidden));
  w0 = register_parameter("w0", torch::empty({nodes, o.hidden}).uniform_(-bound, bound));
  w1 = register_module("w1", torch::nn::Linear(torch::nn::LinearOptions(o.hidden, o.out).bias(false)));
  classifier = register_module("classifier", torch::nn::Linear(o.out, labels));
}

std::pair<at::Tensor, at::Tensor> GcnImpl::forward(const at::Tensor& a) {
  auto h1 = torch::relu(torch::mm(a, w0));
  h1 = nn::dropout(h1, dropout, is_training());
  auto e = torch::mm(a, w1->forward(h1));
  return {e, classifier->forward(e)};
}

GcnResult train_gcn(const at::Tensor& adjacency, const at::Tensor& doc_labels, const GcnOptions& o) {
  torch::manual_seed(o.seed);
  const int64_t docs = doc_labels.size(0), nodes = adjacency.size(0);
  Gcn model(nodes, doc_labels.size(1), o);

  // Held-out documents: a seeded shuffle, at least one on each side (none
  // when held_out is 0: then the training loss judges).
  std::vector<int64_t> perm(docs);
  std::iota(perm.begin(), perm.end(), 0);
  std::mt19937_64 rng(o.seed);
  std::shuffle(perm.begin(), perm.end(), rng);
  int64_t n_held = docs < 2 || o.held_out <= 0 ? 0 : std::clamp<int64_t>(static_cast<int64_t>(o.held_out * docs), 1, docs - 1);
  auto held = torch::tensor(std::vector<int64_t>(perm.begin(), perm.begin() + n_held), torch::kLong);
  auto fit = torch::tensor(std::vector<int64_t>(perm.begin() + n_held, perm.end()), torch::kLong);
  auto y_fit = doc_labels.index_select(0, fit), y_held = doc_labels.index_select(0, held);

  torch::optim::Adam opt(model->parameters(), torch::optim::AdamOptions(o.lr).weight_decay(o.weight_decay));
  GcnResult r;
  r.best_held_out_loss = std::numeric_limits<double>::infinity();
  int since_best = 0;
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    model->train();
    opt.zero_grad();
    auto [e, logits] = model->forward(adjacency);
    auto loss = torch::binary_cross_entropy_with_logits(logits.index_select(0, fit), y_fit);
    loss.backward();
    opt.step();
    r.epochs_run = epoch + 1;

    torch::NoGradGuard no_grad;
    model->eval();
    auto [e_eval, logits_eval] = model->forward(adjacency);
    double held_loss = n_held ? torch::binary_cross_entropy_with_logits(logits_eval.index_select(0, held), y_held).item<double>()
                              : loss.item<double>();
    if (held_loss < r.best_held_out_loss) {
      r.best_held_out_loss = held_loss;
      r.best_epoch = epoch + 1;
      r.embeddings = e_eval;
      r.train_loss = loss.item<double>();
      since_best = 0;
    } else if (++since_best >= o.patience) {
      break;
    }
    if ((epoch + 1) % 20 == 0)
      log::info("emotion GCN: epoch ", epoch + 1, " train BCE ", loss.item<double>(), " held-out BCE ", held_loss);
  }
  return r;
}

}  // namespace mh::teachers::emotion
