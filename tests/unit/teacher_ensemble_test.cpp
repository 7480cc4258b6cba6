#include <gtest/gtest.h>
#include <torch/torch.h>

#include "teachers/text/text_teacher.h"

using mh::teachers::text::ensemble_logits;
using mh::teachers::text::member_seed;

TEST(TeacherEnsemble, SoftmaxOfTheEnsembleLogitsIsTheMembersMeanProbability) {
  auto a = torch::tensor({{2.0f, -1.0f, 0.5f}, {0.0f, 0.0f, 0.0f}});
  auto b = torch::tensor({{-3.0f, 1.0f, 0.0f}, {10.0f, -10.0f, 0.0f}});
  auto p = torch::softmax(ensemble_logits({a, b}), 1);
  auto expected = (torch::softmax(a, 1) + torch::softmax(b, 1)) / 2;
  EXPECT_TRUE(torch::allclose(p, expected, 1e-6, 1e-7)) << p << "\n" << expected;
  // Row 0 by hand: member probabilities (0.7856, 0.0391, 0.1753) and (0.0132, 0.7214, 0.2654).
  EXPECT_NEAR(p[0][0].item<float>(), (0.785597f + 0.013213f) / 2, 1e-5);
}

TEST(TeacherEnsemble, OneMemberIsThatMembersOwnDistribution) {
  auto a = torch::tensor({{2.0f, -1.0f}, {0.3f, 0.4f}});
  EXPECT_TRUE(torch::allclose(torch::softmax(ensemble_logits({a}), 1), torch::softmax(a, 1), 1e-6, 1e-7));
}

TEST(TeacherEnsemble, ConfidentDisagreeingMembersDoNotUnderflow) {
  // Each member gives the other's class a probability below float's range; the mean is one half each.
  auto a = torch::tensor({{200.0f, -200.0f}}), b = torch::tensor({{-200.0f, 200.0f}});
  auto l = ensemble_logits({a, b});
  EXPECT_TRUE(torch::isfinite(l).all().item<bool>()) << l;
  EXPECT_NEAR(torch::softmax(l, 1)[0][0].item<float>(), 0.5f, 1e-6);
}

TEST(TeacherEnsemble, MemberZeroKeepsTheRunSeedAndMembersDoNotCollide) {
  EXPECT_EQ(member_seed(7, 0), 7u);
  EXPECT_EQ(member_seed(7, 1), 1007u);
  EXPECT_EQ(member_seed(7, 2), 2007u);
  EXPECT_THROW(ensemble_logits({}), std::invalid_argument);
}
