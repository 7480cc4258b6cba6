#include "dist/distributed_sampler.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>

namespace mh::dist {

DistributedSampler::DistributedSampler(int64_t num_samples, int world, int rank, int64_t batch_size, uint64_t seed,
                                       bool shuffle)
    : n_(num_samples), world_(world), rank_(rank), batch_(batch_size), seed_(seed), shuffle_(shuffle) {
  if (n_ < 0 || world_ <= 0 || rank_ < 0 || rank_ >= world_ || batch_ <= 0)
    throw std::invalid_argument("DistributedSampler: need samples >= 0, 0 <= rank < world and batch > 0; got " +
                                std::to_string(n_) + " samples, rank " + std::to_string(rank_) + " of " +
                                std::to_string(world_) + ", batch " + std::to_string(batch_));
}

namespace {
// std::mt19937_64 is specified exactly by the standard; this Fisher-Yates uses
// only its raw output, so the order is the same with any standard library.
template <typename T>
void shuffle(std::vector<T>& v, std::mt19937_64& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng() % i]);
}
}  // namespace

void DistributedSampler::set_lengths(std::vector<int32_t> lengths, int64_t window) {
  if (static_cast<int64_t>(lengths.size()) != n_ || window <= 0)
    throw std::invalid_argument("DistributedSampler: need one length per sample and a positive window");
  lengths_ = std::move(lengths);
  window_ = window;
}

std::vector<int64_t> DistributedSampler::epoch_order(int64_t epoch) const {
  std::vector<int64_t> order(n_);
  std::iota(order.begin(), order.end(), 0);
  if (!shuffle_) return order;
  std::mt19937_64 rng(seed_ * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(epoch));
  shuffle(order, rng);
  if (lengths_.empty()) return order;

  const int64_t global = batch_ * world_, span = global * window_;
  for (int64_t start = 0; start < n_; start += span) {
    auto first = order.begin() + start, last = order.begin() + std::min(n_, start + span);
    std::stable_sort(first, last, [&](int64_t a, int64_t b) { return lengths_[a] < lengths_[b]; });
  }
  const int64_t full = n_ / global;
  std::vector<int64_t> batch_order(full);
  std::iota(batch_order.begin(), batch_order.end(), 0);
  shuffle(batch_order, rng);
  std::vector<int64_t> out;
  out.reserve(n_);
  for (int64_t b : batch_order) out.insert(out.end(), order.begin() + b * global, order.begin() + (b + 1) * global);
  out.insert(out.end(), order.begin() + full * global, order.end());
  return out;
}

int64_t DistributedSampler::batches_per_epoch() const {
  int64_t global = batch_ * world_;
  return (n_ + global - 1) / global;
}

std::vector<Batch> DistributedSampler::batches(int64_t epoch) const {
  auto order = epoch_order(epoch);
  std::vector<Batch> out;
  int64_t global = batch_ * world_;
  for (int64_t start = 0; start < n_; start += global) {
    int64_t size = std::min(global, n_ - start);
    // Split this global batch as evenly as possible: the first (size % world)
    // ranks get one more sample.
    int64_t base = size / world_, extra = size % world_;
    int64_t mine = base + (rank_ < extra ? 1 : 0);
    int64_t offset = start + rank_ * base + std::min<int64_t>(rank_, extra);
    Batch b;
    b.indices.assign(order.begin() + offset, order.begin() + offset + mine);
    b.global_size = size;
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace mh::dist
