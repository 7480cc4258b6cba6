#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <numeric>

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

using mh::teachers::text::cross_fit_fold;

TEST(TeacherCrossFit, FoldsPartitionTheTrainingRowsInNearlyEqualSortedParts) {
  // Training rows need not be contiguous: data.h5 interleaves the splits.
  std::vector<int64_t> rows;
  for (int64_t r = 0; r < 100; ++r)
    if (r % 7 != 3) rows.push_back(r);  // 86 rows
  std::vector<int64_t> all;
  for (int k = 0; k < 3; ++k) {
    auto fold = cross_fit_fold(rows, k, 3, 42);
    EXPECT_TRUE(std::is_sorted(fold.begin(), fold.end()));
    EXPECT_EQ(fold.size(), k < 2 ? 29u : 28u);  // 86 = 29 + 29 + 28
    all.insert(all.end(), fold.begin(), fold.end());
  }
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, rows);
}

TEST(TeacherCrossFit, FoldsDependOnTheSeedAloneAndAreNotBlocksOfTheRows) {
  std::vector<int64_t> rows(60);
  std::iota(rows.begin(), rows.end(), 0);
  EXPECT_EQ(cross_fit_fold(rows, 1, 2, 7), cross_fit_fold(rows, 1, 2, 7));
  EXPECT_NE(cross_fit_fold(rows, 1, 2, 7), cross_fit_fold(rows, 1, 2, 8));
  // A shuffled fold of 30 from 60 rows has members in both halves (a contiguous one would not).
  auto fold = cross_fit_fold(rows, 0, 2, 7);
  EXPECT_LT(fold.front(), 30);
  EXPECT_GE(fold.back(), 30);
}

TEST(TeacherCrossFit, RejectsAFoldOutsideTheRangeAndASingleFold) {
  std::vector<int64_t> rows = {0, 1, 2};
  EXPECT_THROW(cross_fit_fold(rows, 0, 1, 0), std::invalid_argument);
  EXPECT_THROW(cross_fit_fold(rows, 2, 2, 0), std::invalid_argument);
}
