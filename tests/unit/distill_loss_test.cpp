#include <gtest/gtest.h>
#include <torch/torch.h>

#include "student/distill_job.h"
#include "student/distill_loss.h"

using namespace mh::student;

TEST(DistillLoss, KlIsZeroWhenTheStudentEqualsTheTeachers) {
  torch::manual_seed(1);
  auto s = torch::randn({5, 3});
  for (double T : {1.0, 2.0, 4.0}) {
    KdOptions o;
    o.alpha = 0;
    o.temperature = T;
    auto p = torch::softmax(s / T, -1);
    auto loss = distillation_loss(s, torch::zeros({5}, torch::kLong), p, o);
    EXPECT_LT(loss.abs().max().item<double>(), 1e-5) << "T=" << T;  // float32 rounding only
  }
}

TEST(DistillLoss, GradientOfTheKlTermIsTTimesStudentMinusTeacher) {
  torch::manual_seed(2);
  const int64_t B = 4, C = 3;
  const double T = 2.0;
  auto s = torch::randn({B, C}, torch::requires_grad());
  auto p = mean_teacher_probs({torch::randn({B, C}), torch::randn({B, C})}, T);
  KdOptions o;
  o.alpha = 0;
  o.temperature = T;
  distillation_loss(s, torch::zeros({B}, torch::kLong), p, o).mean().backward();
  // d/ds [T^2 KL(p || softmax(s/T))] = T (softmax(s/T) - p), averaged over the batch.
  auto expected = T * (torch::softmax(s.detach() / T, -1) - p) / B;
  EXPECT_TRUE(torch::allclose(s.grad(), expected, 1e-6, 1e-6));
}

TEST(DistillLoss, ElementwiseMeanIsTheBatchmeanKlOverTheClassCount) {
  torch::manual_seed(3);
  auto s = torch::randn({6, 4});
  auto p = torch::softmax(torch::randn({6, 4}), -1);
  auto y = torch::zeros({6}, torch::kLong);
  KdOptions batchmean, mean;
  batchmean.alpha = mean.alpha = 0;
  mean.reduction = KdReduction::mean;
  auto a = distillation_loss(s, y, p, batchmean).mean(), b = distillation_loss(s, y, p, mean).mean();
  EXPECT_NEAR(b.item<double>(), a.item<double>() / 4, 1e-7);
  // And batchmean is PyTorch's KLDivLoss(reduction='batchmean').
  auto ref = torch::kl_div(torch::log_softmax(s, -1), p, at::Reduction::Sum) / 6;
  EXPECT_NEAR(a.item<double>(), ref.item<double>(), 1e-6);
}

TEST(DistillLoss, WithoutTeachersItIsCrossEntropy) {
  torch::manual_seed(4);
  auto s = torch::randn({5, 2});
  auto y = torch::tensor({0, 1, 1, 0, 1}, torch::kLong);
  auto loss = distillation_loss(s, y, torch::Tensor(), KdOptions{}).mean();
  EXPECT_NEAR(loss.item<double>(), torch::nn::functional::cross_entropy(s, y).item<double>(), 1e-6);
  KdOptions o;
  o.alpha = 0.5;
  o.beta = 2.0;
  auto p = torch::softmax(torch::randn({5, 2}), -1);
  auto combined = distillation_loss(s, y, p, o).mean();
  KdOptions kl_only;
  kl_only.alpha = 0;
  auto expected = 0.5 * torch::nn::functional::cross_entropy(s, y) + 2.0 * distillation_loss(s, y, p, kl_only).mean();
  EXPECT_NEAR(combined.item<double>(), expected.item<double>(), 1e-6);
}

TEST(DistillLoss, MeanOfTeachersAndReductionNames) {
  auto a = torch::tensor({{0.0, 0.0}}), b = torch::tensor({{10.0, -10.0}});
  auto p = mean_teacher_probs({a, b}, 1.0);
  EXPECT_NEAR(p[0][0].item<double>(), (0.5 + 1.0) / 2, 1e-6);
  EXPECT_EQ(parse_kd_reduction("mean"), KdReduction::mean);
  EXPECT_THROW(parse_kd_reduction("sum"), std::invalid_argument);
}

TEST(DistillJob, TransferPostsTakeTheTeachersArgmaxAsLabelAndLabeledPostsKeepTheirs) {
  mh::train::TextData d;
  d.label = {1, 0, -1, 2, -1};
  d.split = {0, 1, 3, 2, 3};
  d.label_names = {"a", "b", "c"};
  auto p = torch::tensor({0.1f, 0.2f, 0.7f,  0.8f, 0.1f, 0.1f,  0.2f, 0.5f, 0.3f,  0.1f, 0.1f, 0.8f,  0.6f, 0.3f, 0.1f})
               .view({5, 3});
  EXPECT_EQ(pseudo_labelled(d, p), (std::vector<int32_t>{1, 0, 1, 2, 0}));
}
