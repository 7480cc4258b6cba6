#include <gtest/gtest.h>
#include <torch/torch.h>

#include "dist/check.h"
#include "tests/mpi/world.h"

using mh::dist::ReduceOp;
using mh::test::world;

TEST(MpiCommunicator, AllreduceSumAvgMaxMin) {
  auto& c = world();
  const int r = c.rank(), n = c.size();
  auto x = torch::tensor({double(r), double(2 * r + 1), -double(r)});
  c.allreduce(x, ReduceOp::sum);
  double s = n * (n - 1) / 2.0;
  EXPECT_TRUE(torch::equal(x, torch::tensor({s, 2 * s + n, -s})));

  auto f = torch::full({1000}, float(r + 1));
  c.allreduce(f, ReduceOp::avg);
  EXPECT_FLOAT_EQ(f[999].item<float>(), (n + 1) / 2.0f);

  auto i = torch::tensor({int64_t(r), int64_t(-r)});
  c.allreduce(i, ReduceOp::max);
  EXPECT_EQ(i[0].item<int64_t>(), n - 1);
  EXPECT_EQ(i[1].item<int64_t>(), 0);
  auto m = torch::tensor({int32_t(r + 5)});
  c.allreduce(m, ReduceOp::min);
  EXPECT_EQ(m[0].item<int32_t>(), 5);
}

TEST(MpiCommunicator, AvgOfIntegersAndNonContiguousTensorsAreRejected) {
  auto& c = world();
  auto i = torch::ones({2}, torch::kInt);
  EXPECT_THROW(c.allreduce(i, ReduceOp::avg), mh::dist::Error);
  auto t = torch::ones({4, 4}).t();
  EXPECT_THROW(c.allreduce(t, ReduceOp::sum), mh::dist::Error);
}

TEST(MpiCommunicator, BroadcastFromTheLastRank) {
  auto& c = world();
  auto x = torch::full({3, 2}, float(c.rank()));
  c.broadcast(x, c.size() - 1);
  EXPECT_TRUE(torch::equal(x, torch::full({3, 2}, float(c.size() - 1))));
}

TEST(MpiCommunicator, AllgatherStacksRowsByRank) {
  auto& c = world();
  auto x = torch::tensor({int64_t(c.rank()), int64_t(10 * c.rank())});
  auto all = c.allgather(x);
  ASSERT_EQ(all.sizes(), (std::vector<int64_t>{c.size(), 2}));
  for (int r = 0; r < c.size(); ++r) {
    EXPECT_EQ(all[r][0].item<int64_t>(), r);
    EXPECT_EQ(all[r][1].item<int64_t>(), 10 * r);
  }
}

TEST(MpiCommunicator, SplitByParityReducesWithinEachPart) {
  auto& c = world();
  auto sub = c.split(c.rank() % 2, c.rank());
  ASSERT_NE(sub, nullptr);
  auto x = torch::tensor({double(c.rank())});
  sub->allreduce(x, ReduceOp::sum);
  double expected = 0;
  for (int r = c.rank() % 2; r < c.size(); r += 2) expected += r;
  EXPECT_EQ(x.item<double>(), expected);
  EXPECT_EQ(sub->rank(), c.rank() / 2);
  sub->barrier();
  // A negative color takes no part.
  auto none = c.split(c.rank() == 0 ? -1 : 0, c.rank());
  EXPECT_EQ(none == nullptr, c.rank() == 0);
}
