#include <gtest/gtest.h>
#include <torch/torch.h>

#include "dist/distributed_sampler.h"
#include "tests/mpi/world.h"

using mh::test::world;

TEST(DistributedSamplerMpi, RanksTogetherSeeEverySampleOnceWithEqualBatchCounts) {
  auto& c = world();
  const int64_t n = 103, batch = 4;
  mh::dist::DistributedSampler s(n, c.size(), c.rank(), batch, /*seed=*/11);
  for (int64_t epoch = 0; epoch < 2; ++epoch) {
    auto batches = s.batches(epoch);
    auto count = torch::tensor({int64_t(batches.size())});
    auto counts = c.allgather(count);
    EXPECT_EQ(counts.min().item<int64_t>(), counts.max().item<int64_t>());

    // Each rank marks the samples it got; the sum over ranks must be all ones.
    auto seen = torch::zeros({n}, torch::kLong);
    for (const auto& b : batches)
      for (auto i : b.indices) seen[i] += 1;
    c.allreduce(seen, mh::dist::ReduceOp::sum);
    EXPECT_TRUE(torch::equal(seen, torch::ones({n}, torch::kLong))) << "epoch " << epoch;
  }
}
