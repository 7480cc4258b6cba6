#include <gtest/gtest.h>

#include "train/metrics.h"

using mh::train::compute_metrics;

// Worked by hand (and equal to scikit-learn's classification_report):
// gold 0 0 1 1 2 2 2, predicted 0 1 1 1 1 0 1; class 2 is never predicted.
TEST(Metrics, HandComputedExampleWithANeverPredictedClass) {
  auto m = compute_metrics({0, 0, 1, 1, 2, 2, 2}, {0, 1, 1, 1, 1, 0, 1}, 3);
  EXPECT_EQ(m.confusion, (std::vector<std::vector<int64_t>>{{1, 1, 0}, {0, 2, 0}, {1, 2, 0}}));
  EXPECT_DOUBLE_EQ(m.per_class[0].precision, 0.5);
  EXPECT_DOUBLE_EQ(m.per_class[0].recall, 0.5);
  EXPECT_DOUBLE_EQ(m.per_class[0].f1, 0.5);
  EXPECT_DOUBLE_EQ(m.per_class[1].precision, 0.4);
  EXPECT_DOUBLE_EQ(m.per_class[1].recall, 1.0);
  EXPECT_NEAR(m.per_class[1].f1, 4.0 / 7.0, 1e-15);
  EXPECT_EQ(m.per_class[2].precision, 0.0);  // zero division counted as 0
  EXPECT_EQ(m.per_class[2].f1, 0.0);
  EXPECT_EQ(m.per_class[2].support, 3);
  EXPECT_NEAR(m.accuracy, 3.0 / 7.0, 1e-15);
  EXPECT_NEAR(m.macro_f1, (0.5 + 4.0 / 7.0) / 3.0, 1e-15);
  EXPECT_NEAR(m.weighted_f1, (0.5 * 2 + 4.0 / 7.0 * 2) / 7.0, 1e-15);
  EXPECT_NEAR(m.macro_precision, 0.3, 1e-15);
  EXPECT_NEAR(m.macro_recall, 0.5, 1e-15);
}

// scikit-learn averages over the labels that occur in gold or predictions.
TEST(Metrics, ClassAbsentFromGoldAndPredictionsIsNotAveraged) {
  auto m = compute_metrics({0, 0, 1}, {0, 1, 1}, 3);
  EXPECT_NEAR(m.macro_f1, 2.0 / 3.0, 1e-15);
  EXPECT_NEAR(m.weighted_f1, (2.0 / 3.0 * 2 + 2.0 / 3.0) / 3.0, 1e-15);
}

TEST(Metrics, PerfectAndEmptyAndInvalid) {
  auto m = compute_metrics({1, 0, 1}, {1, 0, 1}, 2);
  EXPECT_EQ(m.accuracy, 1.0);
  EXPECT_EQ(m.macro_f1, 1.0);
  auto e = compute_metrics({}, {}, 2);
  EXPECT_EQ(e.accuracy, 0.0);
  EXPECT_EQ(e.count, 0);
  EXPECT_THROW(compute_metrics({0}, {0, 1}, 2), std::invalid_argument);
  EXPECT_THROW(compute_metrics({2}, {0}, 2), std::invalid_argument);
}

TEST(Metrics, JsonNamesTheClasses) {
  auto j = compute_metrics({0, 1}, {0, 0}, 2).to_json({"depression", "suicide"});
  EXPECT_DOUBLE_EQ(j["per_class"]["depression"]["precision"].get<double>(), 0.5);
  EXPECT_EQ(j["per_class"]["suicide"]["support"], 1);
  EXPECT_EQ(j["confusion_matrix"][1][0], 1);
}
