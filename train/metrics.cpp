#include "train/metrics.h"

#include <stdexcept>

namespace mh::train {

Metrics compute_metrics(const std::vector<int32_t>& gold, const std::vector<int32_t>& pred, int32_t C) {
  if (gold.size() != pred.size())
    throw std::invalid_argument("metrics: " + std::to_string(gold.size()) + " gold labels but " +
                                std::to_string(pred.size()) + " predictions");
  Metrics m;
  m.count = static_cast<int64_t>(gold.size());
  m.confusion.assign(C, std::vector<int64_t>(C, 0));
  for (size_t i = 0; i < gold.size(); ++i) {
    if (gold[i] < 0 || gold[i] >= C || pred[i] < 0 || pred[i] >= C)
      throw std::invalid_argument("metrics: label out of range at position " + std::to_string(i));
    ++m.confusion[gold[i]][pred[i]];
  }
  int64_t correct = 0, present = 0;
  m.per_class.resize(C);
  for (int32_t c = 0; c < C; ++c) {
    int64_t tp = m.confusion[c][c], predicted = 0, support = 0;
    for (int32_t k = 0; k < C; ++k) predicted += m.confusion[k][c], support += m.confusion[c][k];
    correct += tp;
    auto& pc = m.per_class[c];
    pc.support = support;
    pc.precision = predicted ? static_cast<double>(tp) / predicted : 0.0;
    pc.recall = support ? static_cast<double>(tp) / support : 0.0;
    pc.f1 = (2 * tp + predicted - tp + support - tp) ? 2.0 * tp / (2 * tp + (predicted - tp) + (support - tp)) : 0.0;
    if (predicted == 0 && support == 0) continue;  // absent from both: not among sklearn's labels
    ++present;
    m.macro_precision += pc.precision;
    m.macro_recall += pc.recall;
    m.macro_f1 += pc.f1;
    m.weighted_precision += pc.precision * support;
    m.weighted_recall += pc.recall * support;
    m.weighted_f1 += pc.f1 * support;
  }
  if (present) m.macro_precision /= present, m.macro_recall /= present, m.macro_f1 /= present;
  if (m.count) {
    m.accuracy = static_cast<double>(correct) / m.count;
    m.weighted_precision /= m.count, m.weighted_recall /= m.count, m.weighted_f1 /= m.count;
  }
  return m;
}

nlohmann::json Metrics::to_json(const std::vector<std::string>& names) const {
  nlohmann::json classes = nlohmann::json::object();
  for (size_t c = 0; c < per_class.size(); ++c) {
    std::string name = c < names.size() ? names[c] : std::to_string(c);
    classes[name] = {{"precision", per_class[c].precision}, {"recall", per_class[c].recall},
                     {"f1", per_class[c].f1}, {"support", per_class[c].support}};
  }
  return {{"count", count},
          {"accuracy", accuracy},
          {"macro_f1", macro_f1},
          {"weighted_f1", weighted_f1},
          {"macro_precision", macro_precision},
          {"macro_recall", macro_recall},
          {"weighted_precision", weighted_precision},
          {"weighted_recall", weighted_recall},
          {"per_class", classes},
          {"labels", names},
          {"confusion_matrix", confusion}};
}

}  // namespace mh::train
