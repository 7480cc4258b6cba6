#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "nn/dropout.h"

namespace nn = mh::nn;


TEST(Dropout, KeepsOneMinusPOfTheElementsScaledByOneOverOneMinusP) {
  torch::manual_seed(1);
  const double p = 0.1;
  auto x = torch::rand({1000, 1000}) + 0.5;  // no zeros of its own
  auto y = nn::dropout(x, p, true);
  auto kept = y.ne(0);
  // 1M Bernoulli(0.9) draws: standard deviation of the fraction 0.0003.
  EXPECT_NEAR(kept.to(torch::kDouble).mean().item<double>(), 0.9, 0.0015);
  EXPECT_TRUE(torch::allclose(y.masked_select(kept), x.masked_select(kept) / (1 - p), 1e-6, 0));
}

TEST(Dropout, TheTwoHalvesOfOneDrawAreIndependent) {
  // Elements 2i and 2i+1 share a 64-bit draw: both kept about (1-p)^2 of the time.
  const double p = 0.5;
  auto m = nn::dropout_mask(torch::empty({2'000'000}), p, 42).view({-1, 2}).ne(0);
  double both = (m.select(1, 0) & m.select(1, 1)).to(torch::kDouble).mean().item<double>();
  EXPECT_NEAR(both, 0.25, 0.002);
}

TEST(Dropout, GradientIsTheMaskTimesTheUpstreamGradient) {
  torch::manual_seed(3);
  auto x = torch::randn({64, 33}, torch::requires_grad());
  auto w = torch::randn({64, 33});
  auto y = nn::dropout(x, 0.3, true);
  (y * w).sum().backward();
  auto mask = y.detach() / x.detach();  // 0 or 1/0.7 per element
  EXPECT_TRUE(torch::allclose(x.grad(), mask * w, 1e-5, 1e-6));
  auto kept = mask.ne(0);
  EXPECT_TRUE(torch::allclose(mask.masked_select(kept), torch::full({kept.sum().item<int64_t>()}, 1 / 0.7), 1e-6, 0));
}

TEST(Dropout, SameSeedSameMaskWhateverTheThreadCount) {
  auto x = torch::ones({999, 257}, torch::kDouble);  // odd sizes: a last unpaired element
  torch::manual_seed(7);
  at::set_num_threads(1);
  auto a = nn::dropout(x, 0.2, true);
  torch::manual_seed(7);
  at::set_num_threads(2);
  auto b = nn::dropout(x, 0.2, true);
  at::set_num_threads(1);
  EXPECT_TRUE(torch::equal(a, b));
  EXPECT_FALSE(torch::equal(a, nn::dropout(x, 0.2, true)));  // the generator moved on
  EXPECT_TRUE(torch::equal(nn::dropout_mask(x, 0.2, 5), nn::dropout_mask(x, 0.2, 5)));
}

TEST(Dropout, IdentityInEvalModeAndAtPZero) {
  auto x = torch::randn({8, 8});
  EXPECT_TRUE(nn::dropout(x, 0.5, false).is_same(x));
  EXPECT_TRUE(nn::dropout(x, 0.0, true).is_same(x));
  mh::nn::Dropout module(0.5);
  module->eval();
  EXPECT_TRUE(module->forward(x).is_same(x));
  module->train();
  EXPECT_FALSE(torch::equal(module->forward(x), x));
  EXPECT_THROW(nn::dropout(x, 1.0, true), std::invalid_argument);
  EXPECT_THROW(mh::nn::Dropout(-0.1), std::invalid_argument);
  EXPECT_THROW(nn::dropout(x.to(torch::kInt), 0.5, true), std::invalid_argument);
}
