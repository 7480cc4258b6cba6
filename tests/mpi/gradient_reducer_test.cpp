// After GradientReducer::finish(), every rank's gradients must equal the
// gradients one process computes on the concatenation of all ranks' batches.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "dist/gradient_reducer.h"
#include "tests/mpi/world.h"

using mh::dist::GradientReducer;
using mh::dist::ReducerOptions;
using mh::test::world;

namespace {

struct MlpImpl : torch::nn::Module {
  MlpImpl() {
    a = register_module("a", torch::nn::Linear(12, 32));
    b = register_module("b", torch::nn::Linear(32, 32));
    c = register_module("c", torch::nn::Linear(32, 3));
  }
  torch::Tensor forward(const torch::Tensor& x) { return c(torch::gelu(b(torch::relu(a(x))))); }
  torch::nn::Linear a{nullptr}, b{nullptr}, c{nullptr};
};
TORCH_MODULE(Mlp);

// One transformer encoder layer (attention + feed-forward + LayerNorms) with a
// classifier, dropout off so the result is deterministic.
struct TinyTransformerImpl : torch::nn::Module {
  TinyTransformerImpl() {
    layer = register_module("layer", torch::nn::TransformerEncoderLayer(
                                         torch::nn::TransformerEncoderLayerOptions(16, 2)
                                             .dim_feedforward(32)
                                             .dropout(0.0)));
    head = register_module("head", torch::nn::Linear(16, 3));
  }
  // x: [seq, batch, 16] (LibTorch 1.13 layers are sequence-first)
  torch::Tensor forward(const torch::Tensor& x) { return head(layer(x).mean(0)); }
  torch::nn::TransformerEncoderLayer layer{nullptr};
  torch::nn::Linear head{nullptr};
};
TORCH_MODULE(TinyTransformer);

double max_abs_diff(torch::nn::Module& a, torch::nn::Module& b) {
  auto pa = a.parameters(), pb = b.parameters();
  double worst = 0;
  for (size_t i = 0; i < pa.size(); ++i) {
    EXPECT_TRUE(pa[i].grad().defined());
    EXPECT_TRUE(pb[i].grad().defined());
    worst = std::max(worst, (pa[i].grad() - pb[i].grad()).abs().max().item<double>());
  }
  return worst;
}

// inputs(step) gives the global batch [world * local, ...] along `batch_dim`.
template <typename Model, typename Inputs>
void expect_matches_single_process(ReducerOptions options, Inputs inputs, int64_t batch_dim, int steps = 2) {
  auto& comm = world();
  torch::manual_seed(1234);
  Model model;
  torch::manual_seed(1234);
  Model reference;
  GradientReducer reducer(*model, comm, options);

  for (int step = 0; step < steps; ++step) {
    auto [x, y] = inputs(step);
    const int64_t local = x.size(batch_dim) / comm.size();

    reference->zero_grad();
    torch::nn::functional::cross_entropy(reference->forward(x), y).backward();

    reducer.zero_grad();
    auto xs = x.narrow(batch_dim, comm.rank() * local, local);
    auto ys = y.narrow(0, comm.rank() * local, local);
    torch::nn::functional::cross_entropy(model->forward(xs), ys).backward();
    reducer.finish();

    EXPECT_LE(max_abs_diff(*model, *reference), 1e-5) << "step " << step;
    if (options.overlap && reducer.bucket_count() > 1)
      EXPECT_GT(reducer.buckets_launched_during_backward(), 0) << "no bucket started during backward";

    // Apply the same update to both, so the next step starts from new weights.
    torch::NoGradGuard no_grad;
    auto pm = model->parameters(), pr = reference->parameters();
    for (size_t i = 0; i < pm.size(); ++i) {
      pm[i].sub_(0.1 * pm[i].grad());
      pr[i].sub_(0.1 * pr[i].grad());
    }
  }
}

auto mlp_batch(int step) {
  const int64_t global = 8 * world().size();
  torch::manual_seed(100 + step);
  return std::make_pair(torch::randn({global, 12}), torch::randint(0, 3, {global}));
}

auto transformer_batch(int step) {
  const int64_t global = 4 * world().size();
  torch::manual_seed(200 + step);
  return std::make_pair(torch::randn({5, global, 16}), torch::randint(0, 3, {global}));
}

ReducerOptions opts(int64_t bucket_bytes, bool overlap) {
  ReducerOptions o;
  o.bucket_bytes = bucket_bytes;
  o.overlap = overlap;
  return o;
}

}  // namespace

TEST(GradientReducer, MlpMatchesSingleProcessOneDefaultBucket) {
  expect_matches_single_process<Mlp>(opts(25 << 20, false), mlp_batch, 0);
}
TEST(GradientReducer, MlpMatchesSingleProcessWithOverlap) {
  expect_matches_single_process<Mlp>(opts(2048, true), mlp_batch, 0);
}
TEST(GradientReducer, MlpMatchesSingleProcessWithBucketsSmallerThanAParameter) {
  expect_matches_single_process<Mlp>(opts(16, false), mlp_batch, 0);
  expect_matches_single_process<Mlp>(opts(16, true), mlp_batch, 0);
}
TEST(GradientReducer, TransformerLayerMatchesSingleProcess) {
  expect_matches_single_process<TinyTransformer>(opts(25 << 20, false), transformer_batch, 1);
}
TEST(GradientReducer, TransformerLayerMatchesSingleProcessWithOverlap) {
  expect_matches_single_process<TinyTransformer>(opts(4096, true), transformer_batch, 1);
}
TEST(GradientReducer, TransformerLayerMatchesSingleProcessWithTinyBuckets) {
  expect_matches_single_process<TinyTransformer>(opts(16, true), transformer_batch, 1);
  expect_matches_single_process<TinyTransformer>(opts(16, false), transformer_batch, 1);
}

// Ranks with different numbers of samples (the sampler's last, short batch):
// each rank's loss is its sum over samples divided by the global batch size, and
// the reducer sums, which gives exactly the mean gradient of the whole batch.
TEST(GradientReducer, SumModeWithGlobalNormalisationHandlesUnevenBatches) {
  auto& comm = world();
  const int n = comm.size();
  for (bool overlap : {false, true}) {
    torch::manual_seed(77);
    Mlp model;
    torch::manual_seed(77);
    Mlp reference;
    ReducerOptions o = opts(512, overlap);
    o.op = mh::dist::ReduceOp::sum;
    GradientReducer reducer(*model, comm, o);
    // Rank r holds r + 1 samples (the last rank may hold the most, rank 0 one).
    const int64_t global = n * (n + 1) / 2, first = comm.rank() * (comm.rank() + 1) / 2;
    torch::manual_seed(300);
    auto x = torch::randn({global, 12});
    auto y = torch::randint(0, 3, {global});
    torch::nn::functional::cross_entropy(reference->forward(x), y).backward();
    reducer.zero_grad();
    auto xs = x.narrow(0, first, comm.rank() + 1), ys = y.narrow(0, first, comm.rank() + 1);
    auto loss = torch::nn::functional::cross_entropy(
        model->forward(xs), ys, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
    (loss / global).backward();
    reducer.finish();
    EXPECT_LE(max_abs_diff(*model, *reference), 1e-5) << "overlap " << overlap;
  }
}

TEST(GradientReducer, BucketsFollowTheSizeLimit) {
  Mlp model;
  // Parameters: a 12x32+32, b 32x32+32, c 32x3+3 floats.
  EXPECT_EQ(GradientReducer(*model, world(), opts(25 << 20, false)).bucket_count(), 1);
  EXPECT_EQ(GradientReducer(*model, world(), opts(1, false)).bucket_count(), 6);
}

// A parameter that gets no gradient in a step (an unused branch) must not hang
// the overlap path: finish() reduces it as zeros.
TEST(GradientReducer, UnusedParameterIsReducedAsZerosWithOverlap) {
  auto& comm = world();
  torch::manual_seed(3);
  auto used = torch::nn::Linear(4, 2), unused = torch::nn::Linear(4, 2);
  std::vector<torch::Tensor> params = used->parameters();
  for (auto& p : unused->parameters()) params.push_back(p);
  GradientReducer reducer(params, comm, opts(8, true));
  reducer.zero_grad();
  auto x = torch::full({2, 4}, float(comm.rank() + 1));
  used->forward(x).sum().backward();
  reducer.finish();
  // d/dW sum(xW^T + b) = column sums of x: 2 * (rank + 1), averaged over ranks.
  float expected = 2.0f * (comm.size() + 1) / 2.0f;
  EXPECT_TRUE(torch::allclose(used->weight.grad(), torch::full({2, 4}, expected)));
  EXPECT_TRUE(torch::equal(unused->weight.grad(), torch::zeros({2, 4})));
}

TEST(GradientReducer, GradientsStayViewsAfterOptimizerZeroGrad) {
  auto& comm = world();
  torch::manual_seed(5);
  Mlp model;
  GradientReducer reducer(*model, comm, opts(1024, true));
  torch::optim::SGD sgd(model->parameters(), 0.1);
  for (int step = 0; step < 3; ++step) {
    sgd.zero_grad();
    auto x = torch::full({2, 12}, float(comm.rank()));
    model->forward(x).sum().backward();
    reducer.finish();
    auto g = model->a->bias.grad().clone();
    comm.allreduce(g, mh::dist::ReduceOp::max);
    auto mine = model->a->bias.grad();
    EXPECT_TRUE(torch::equal(g, mine)) << "ranks disagree after finish() at step " << step;
    sgd.step();
  }
}
