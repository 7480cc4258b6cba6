#include <gtest/gtest.h>

#include "launcher/cli.h"
#include "launcher/rank_plan.h"

using mh::launcher::plan_rank_groups;

TEST(RankPlan, FourRanksWeighted211GiveSizes211) {
  auto plan = plan_rank_groups({{"text", 2}, {"emotion", 1}, {"audio", 1}}, 4);
  ASSERT_TRUE(plan.parallel);
  ASSERT_EQ(plan.groups.size(), 3u);
  EXPECT_EQ(plan.groups[0].name, "text");
  EXPECT_EQ(plan.groups[0].first_rank, 0);
  EXPECT_EQ(plan.groups[0].size, 2);
  EXPECT_EQ(plan.groups[1].first_rank, 2);
  EXPECT_EQ(plan.groups[1].size, 1);
  EXPECT_EQ(plan.groups[2].first_rank, 3);
  EXPECT_EQ(plan.groups[2].size, 1);
  EXPECT_EQ(plan.describe(), "text: ranks 0-1, emotion: rank 2, audio: rank 3 (in parallel)");
}

TEST(RankPlan, SizesFollowWeightsAndCoverTheWorld) {
  auto plan = plan_rank_groups({{"text", 3}, {"emotion", 1}, {"audio", 4}}, 16);
  EXPECT_EQ(plan.groups[0].size, 6);
  EXPECT_EQ(plan.groups[1].size, 2);
  EXPECT_EQ(plan.groups[2].size, 8);
  EXPECT_EQ(plan.groups[2].first_rank + plan.groups[2].size, 16);
}

TEST(RankPlan, EveryGroupGetsARankEvenWithTinyWeight) {
  auto plan = plan_rank_groups({{"text", 100}, {"emotion", 0.01}, {"audio", 0.01}}, 3);
  for (const auto& g : plan.groups) EXPECT_EQ(g.size, 1);
}

TEST(RankPlan, FewerRanksThanGroupsRunsThemOneAfterAnother) {
  auto plan = plan_rank_groups({{"text", 1}, {"emotion", 1}, {"audio", 1}}, 2);
  EXPECT_FALSE(plan.parallel);
  for (const auto& g : plan.groups) {
    EXPECT_EQ(g.first_rank, 0);
    EXPECT_EQ(g.size, 2);
  }
}

TEST(RankPlan, SequentialOnRequestSpansTheWholeWorld) {
  auto plan = plan_rank_groups({{"text", 1}, {"emotion", 1}, {"audio", 1}}, 4, /*allow_parallel=*/false);
  EXPECT_FALSE(plan.parallel);
  ASSERT_EQ(plan.groups.size(), 3u);
  for (const auto& g : plan.groups) {
    EXPECT_EQ(g.first_rank, 0);
    EXPECT_EQ(g.size, 4);
  }
  EXPECT_EQ(plan.describe(), "text: ranks 0-3, emotion: ranks 0-3, audio: ranks 0-3 (one after another)");
}

TEST(RankPlan, RejectsBadInput) {
  EXPECT_THROW(plan_rank_groups({}, 4), std::invalid_argument);
  EXPECT_THROW(plan_rank_groups({{"text", 0}}, 4), std::invalid_argument);
  EXPECT_THROW(plan_rank_groups({{"text", 1}}, 0), std::invalid_argument);
}

TEST(RankPlan, GroupWeightsFollowTheTeachersAndCountTheTextEnsembleMembers) {
  using mh::launcher::parse_group_weights;
  auto w = parse_group_weights({"audio", "text", "emotion"}, "text=1,emotion=0.5", 3);
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0].name, "audio");
  EXPECT_DOUBLE_EQ(w[0].weight, 1.0);  // not in the spec
  EXPECT_EQ(w[1].name, "text");
  EXPECT_DOUBLE_EQ(w[1].weight, 3.0);  // 1 per member
  EXPECT_DOUBLE_EQ(w[2].weight, 0.5);
  // With equal weights the spare rank would go to the first group; three members make it the text group's.
  auto plan = plan_rank_groups(parse_group_weights({"emotion", "audio", "text"}, "text=1,emotion=1,audio=1", 3), 4);
  EXPECT_EQ(plan.groups[0].size, 1);
  EXPECT_EQ(plan.groups[2].size, 2);
  EXPECT_THROW(parse_group_weights({"text"}, "text:1", 1), mh::launcher::UsageError);
}
