#include <gtest/gtest.h>

#include "io/splits.h"

using namespace mh::io;

namespace {
std::vector<Post> posts(int per_label_a, int per_label_b) {
  std::vector<Post> p;
  for (int i = 0; i < per_label_a + per_label_b; ++i)
    p.push_back(Post{"p" + std::to_string(i), "text " + std::to_string(i), i < per_label_a ? 0 : 1});
  return p;
}
}  // namespace

TEST(Splits, StratifiedEightyTenTenPerLabel) {
  auto p = posts(100, 50);
  SplitOptions o;
  o.seed = 3;
  auto s = assign_splits(p, 2, o);
  int count[2][3] = {};
  for (size_t i = 0; i < p.size(); ++i) ++count[p[i].label][s[i]];
  EXPECT_EQ(count[0][kTrain], 80);
  EXPECT_EQ(count[0][kValidation], 10);
  EXPECT_EQ(count[0][kTest], 10);
  EXPECT_EQ(count[1][kTrain], 40);
  EXPECT_EQ(count[1][kValidation], 5);
  EXPECT_EQ(count[1][kTest], 5);
}

TEST(Splits, SameSeedSameSplitOtherSeedOtherSplit) {
  auto p = posts(60, 60);
  SplitOptions a, b;
  a.seed = b.seed = 7;
  EXPECT_EQ(assign_splits(p, 2, a), assign_splits(p, 2, b));
  b.seed = 8;
  EXPECT_NE(assign_splits(p, 2, a), assign_splits(p, 2, b));
}

TEST(Splits, OfficialTestIsKeptAndValidationComesFromTraining) {
  auto p = posts(40, 40);
  for (size_t i = 0; i < p.size(); i += 4) p[i].split = OfficialSplit::test;
  for (auto& x : p)
    if (x.split == OfficialSplit::none) x.split = OfficialSplit::train;
  SplitOptions o;
  auto s = assign_splits(p, 2, o);
  int val = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    EXPECT_EQ(s[i] == kTest, p[i].split == OfficialSplit::test) << i;
    val += s[i] == kValidation;
  }
  EXPECT_EQ(val, 6);  // 10% of 30 training posts per label, rounded: 3 + 3
}

TEST(Splits, DuplicatesAcrossSplitsAreReportedAndOptionallyRemoved) {
  std::vector<Post> p = {{"a", "same", 0}, {"b", "same", 0}, {"c", "other", 0}, {"d", "same", 1}, {"e", "x", 1}};
  std::vector<uint8_t> s = {kTrain, kTest, kTrain, kValidation, kTrain};
  std::vector<size_t> keep = {0, 1, 2, 3, 4};
  auto r = find_duplicates(p, s, false, keep);
  EXPECT_EQ(r.across, 2);  // b (test) and d (validation) repeat a training text
  EXPECT_EQ(keep.size(), 5u);
  r = find_duplicates(p, s, true, keep);
  EXPECT_EQ(keep, (std::vector<size_t>{0, 2, 4}));
}
