#include "io/splits.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <stdexcept>
#include <unordered_map>

namespace mh::io {

const char* split_name(uint8_t s) {
  switch (s) {
    case kTrain: return "train";
    case kValidation: return "validation";
    case kTest: return "test";
    case kTransfer: return "transfer";
  }
  return "?";
}

namespace {
// Fisher-Yates over mt19937_64's raw output: the same order with any standard library.
void shuffle(std::vector<size_t>& v, std::mt19937_64& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng() % i]);
}
}  // namespace

std::vector<uint8_t> assign_splits(const std::vector<Post>& posts, int32_t num_labels, const SplitOptions& o) {
  if (o.val_fraction < 0 || o.test_fraction < 0 || o.val_fraction + o.test_fraction >= 1)
    throw std::invalid_argument("split fractions must be >= 0 and leave some posts for training");
  bool official = std::any_of(posts.begin(), posts.end(), [](const Post& p) { return p.split != OfficialSplit::none; });
  std::vector<uint8_t> split(posts.size(), kTrain);
  std::mt19937_64 rng(o.seed * 0x9E3779B97F4A7C15ULL + 0x5EED);
  for (int32_t label = 0; label < num_labels; ++label) {
    std::vector<size_t> pool;
    for (size_t i = 0; i < posts.size(); ++i) {
      if (posts[i].label != label) continue;
      if (official && posts[i].split == OfficialSplit::test) split[i] = kTest;
      else pool.push_back(i);
    }
    shuffle(pool, rng);
    size_t n_test = official ? 0 : static_cast<size_t>(std::llround(pool.size() * o.test_fraction));
    size_t n_val = static_cast<size_t>(std::llround(pool.size() * o.val_fraction));
    for (size_t k = 0; k < pool.size(); ++k) split[pool[k]] = k < n_test ? kTest : k < n_test + n_val ? kValidation : kTrain;
  }
  return split;
}

DuplicateReport find_duplicates(const std::vector<Post>& posts, const std::vector<uint8_t>& split, bool remove,
                                std::vector<size_t>& keep) {
  DuplicateReport r;
  // text -> lowest split it occurs in, and its count per split
  std::unordered_map<std::string_view, std::array<int64_t, 3>> seen;
  for (size_t i = 0; i < posts.size(); ++i) ++seen[posts[i].text][split[i]];
  for (const auto& [text, counts] : seen)
    for (int s = 0; s < 3; ++s) r.groups_within += counts[s] > 1;
  std::vector<size_t> kept;
  for (size_t i : keep) {
    const auto& counts = seen[posts[i].text];
    bool earlier = false;
    for (int s = 0; s < split[i]; ++s) earlier |= counts[s] > 0;
    if (earlier) ++r.across;
    if (!(earlier && remove)) kept.push_back(i);
  }
  keep.swap(kept);
  return r;
}

}  // namespace mh::io
