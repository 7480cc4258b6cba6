// The rank-group plan: how many ranks each teacher modality gets, in proportion
// to its estimated cost. Pure arithmetic, so it is the same on every rank.
#pragma once

#include <string>
#include <vector>

#include "dist/rank_groups.h"

namespace mh::launcher {

struct GroupWeight {
  std::string name;
  double weight = 1.0;  // relative cost of training this group's teacher
};

struct RankPlan {
  // Disjoint groups of consecutive ranks when `parallel`; otherwise (fewer
  // ranks than groups, or parallel groups not allowed) every group spans the
  // whole world and the groups run one after another.
  std::vector<dist::GroupSpec> groups;
  bool parallel = true;
  std::string describe() const;  // "text: ranks 0-1, emotion: rank 2, audio: rank 3"
};

// --group-weights "text=1,emotion=0.3,audio=1" -> the weights of `teachers`, in
// their order (1 where the spec is silent); the text teacher's is per model it
// trains (--text-members, plus the --cross-fit fold models, each about one
// model's cost). A malformed entry is a UsageError.
std::vector<GroupWeight> parse_group_weights(const std::vector<std::string>& teachers, const std::string& spec,
                                             int text_models);

// Every group gets at least one rank; the rest go one at a time to the group
// furthest below its share world * weight / sum(weights) (ties: earlier group).
RankPlan plan_rank_groups(const std::vector<GroupWeight>& weights, int world, bool allow_parallel = true);

}  // namespace mh::launcher
