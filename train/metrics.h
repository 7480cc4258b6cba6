// Classification metrics with scikit-learn's definitions: per-class precision,
// recall and F1 with zero_division=0, accuracy, macro and support-weighted
// averages over the labels present in gold or predictions (sklearn's default
// `labels`), and the confusion matrix [gold][predicted].
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mh::train {

struct ClassMetrics {
  double precision = 0, recall = 0, f1 = 0;
  int64_t support = 0;
};

struct Metrics {
  double accuracy = 0, macro_precision = 0, macro_recall = 0, macro_f1 = 0;
  double weighted_precision = 0, weighted_recall = 0, weighted_f1 = 0;
  std::vector<ClassMetrics> per_class;
  std::vector<std::vector<int64_t>> confusion;  // [gold][predicted]
  int64_t count = 0;

  nlohmann::json to_json(const std::vector<std::string>& label_names) const;
};

Metrics compute_metrics(const std::vector<int32_t>& gold, const std::vector<int32_t>& predicted, int32_t num_classes);

}  // namespace mh::train
