// Train / validation / test assignment: stratified by label and seeded. An
// official test split is kept as it is; validation is carved from training.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/datasets.h"

namespace mh::io {

// kTransfer: unlabeled posts (label -1) that only the student trains on, matching its
// teachers there (prepare --transfer-corpus); no teacher trains or is scored on them.
enum Split : uint8_t { kTrain = 0, kValidation = 1, kTest = 2, kTransfer = 3 };
const char* split_name(uint8_t split);

struct SplitOptions {
  // Without an official test split: test_fraction and val_fraction of all posts
  // (0.1 and 0.1 give 80/10/10). With one: val_fraction of the official training set.
  double val_fraction = 0.1;
  double test_fraction = 0.1;
  uint64_t seed = 0;
};

// Per label, the posts are shuffled with the seed and the first
// round(n * fraction) go to test, the next ones to validation.
std::vector<uint8_t> assign_splits(const std::vector<Post>& posts, int32_t num_labels, const SplitOptions& options);

struct DuplicateReport {
  int64_t groups_within = 0;  // texts repeated inside one split
  int64_t across = 0;         // posts whose exact text is also in an earlier split (train < val < test)
};

// Exact-duplicate texts. With `remove`, posts counted in `across` are removed
// (their index is erased from `keep`), so no text is both trained and tested on.
DuplicateReport find_duplicates(const std::vector<Post>& posts, const std::vector<uint8_t>& split, bool remove,
                                std::vector<size_t>& keep);

}  // namespace mh::io
