#include <gtest/gtest.h>
#include <torch/torch.h>

#include "dist/check.h"
#include "dist/rank_groups.h"
#include "launcher/rank_plan.h"
#include "tests/mpi/world.h"

using mh::test::world;

// With 4 ranks the plan for weights 2/1/1 is text {0,1}, emotion {2}, audio {3};
// with other world sizes the same check runs on whatever the plan gives.
TEST(RankGroups, AllreduceStaysWithinEachGroup) {
  auto& c = world();
  auto plan = mh::launcher::plan_rank_groups({{"text", 2}, {"emotion", 1}, {"audio", 1}}, c.size());
  if (!plan.parallel) GTEST_SKIP() << "fewer ranks than groups";
  if (c.size() == 4) {
    EXPECT_EQ(plan.groups[0].size, 2);
    EXPECT_EQ(plan.groups[1].size, 1);
    EXPECT_EQ(plan.groups[2].size, 1);
  }
  mh::dist::RankGroups groups(c, plan.groups);
  const auto& mine = groups.mine();
  EXPECT_GE(c.rank(), mine.first_rank);
  EXPECT_LT(c.rank(), mine.first_rank + mine.size);
  EXPECT_EQ(groups.comm().size(), mine.size);
  EXPECT_EQ(groups.comm().rank(), c.rank() - mine.first_rank);

  auto x = torch::tensor({double(c.rank() + 1)});
  groups.comm().allreduce(x, mh::dist::ReduceOp::sum);
  double expected = 0;
  for (int r = mine.first_rank; r < mine.first_rank + mine.size; ++r) expected += r + 1;
  EXPECT_EQ(x.item<double>(), expected) << "group " << mine.name;
}

TEST(RankGroups, APlanThatDoesNotCoverTheWorldIsRejected) {
  auto& c = world();
  EXPECT_THROW(mh::dist::RankGroups(c, {{"text", 0, c.size() + 1}}), mh::dist::Error);
  EXPECT_THROW(mh::dist::RankGroups(c, {{"text", 1, c.size() - 1}}), mh::dist::Error);
}
