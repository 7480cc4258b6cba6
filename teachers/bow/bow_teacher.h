// `3mhealth teacher --modality bow RUN_DIR`: the bag-of-words teacher, TF-IDF
// word uni- and bigrams + L2 logistic regression (tfidf.h,
// logistic_regression.h): the baseline the text models are measured against
// (experiments/tfidf_baseline.py computes the same with scikit-learn), as a
// teacher whose soft targets the student can learn from. The vectorizer is
// fitted on the training posts, C chosen from `c_grid` by validation macro-F1
// (the first best), the model refitted on the training posts with it. Writes
//   teachers/bow/model.json     terms, idf, weights, C and the validation score of each C
//   teachers/bow/metrics.json   test and validation metrics (and the folds')
//   soft_targets/bow.h5         logits and probabilities of every post
// With cross_fit = K >= 2 (the default, 3) the training posts' soft targets
// are out of fold: fold model k (vectorizer and weights, the same C) is fitted
// on the training posts outside fold k, the folds those of the text teacher's
// --cross-fit for the same seed. In fold a logistic regression on tens of
// thousands of n-grams separates its own training posts almost perfectly, so
// its probabilities there would teach the student nothing but the labels.
// Seconds of work: every rank computes the same and rank 0 writes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "dist/communicator.h"
#include "teachers/bow/tfidf.h"

namespace mh::teachers::bow {

struct BowTeacherOptions {
  TfidfOptions tfidf;
  std::vector<double> c_grid = {0.1, 0.3, 1, 3, 10, 30};  // tfidf_baseline.py's
  int cross_fit = 3;   // 0: the soft targets of training posts are the model's own
  uint64_t seed = 0;   // of the folds
  double temperature = 1.0;
  bool force = false;
};

int run_bow_teacher(const std::filesystem::path& run_dir, const BowTeacherOptions& options, dist::Communicator& comm);

}  // namespace mh::teachers::bow
