// Which samples each rank trains on, per epoch. The epoch's order is a seeded
// shuffle (the same on every rank); it is cut into global batches of
// world * batch_size, and rank r takes its contiguous part of each. Every sample
// is used exactly once per epoch across ranks and every rank gets the same
// number of batches: in the last, short global batch some ranks may get fewer
// samples, even none, so each Batch says how many samples the global batch
// holds (the trainer weights its loss by local / global size).
//
// Length bucketing (set_lengths): within windows of `window` global batches of
// the shuffled order, samples are sorted by length, cut into global batches,
// and the full global batches are shuffled again; the short remainder stays
// last. Batches then hold posts of similar length, so padding costs little.
#pragma once

#include <cstdint>
#include <vector>

namespace mh::dist {

struct Batch {
  std::vector<int64_t> indices;  // this rank's samples
  int64_t global_size = 0;       // samples in this step across all ranks
};

class DistributedSampler {
 public:
  DistributedSampler(int64_t num_samples, int world, int rank, int64_t batch_size, uint64_t seed,
                     bool shuffle = true);

  // The order of all samples in `epoch` (identical on every rank).
  std::vector<int64_t> epoch_order(int64_t epoch) const;
  // This rank's batches in `epoch`.
  std::vector<Batch> batches(int64_t epoch) const;
  int64_t batches_per_epoch() const;
  void set_lengths(std::vector<int32_t> lengths, int64_t window = 50);

 private:
  int64_t n_;
  int world_, rank_;
  int64_t batch_;
  uint64_t seed_;
  bool shuffle_;
  std::vector<int32_t> lengths_;
  int64_t window_ = 0;
};

}  // namespace mh::dist
