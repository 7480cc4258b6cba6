#include "launcher/rank_plan.h"

#include <stdexcept>

namespace mh::launcher {

RankPlan plan_rank_groups(const std::vector<GroupWeight>& weights, int world, bool allow_parallel) {
  if (weights.empty()) throw std::invalid_argument("rank plan: no groups");
  if (world <= 0) throw std::invalid_argument("rank plan: world size must be positive");
  double sum = 0;
  for (const auto& g : weights) {
    if (!(g.weight > 0)) throw std::invalid_argument("rank plan: weight of '" + g.name + "' must be positive");
    sum += g.weight;
  }
  RankPlan plan;
  const int n = static_cast<int>(weights.size());
  if (world < n || !allow_parallel) {
    plan.parallel = false;
    for (const auto& g : weights) plan.groups.push_back({g.name, 0, world});
    return plan;
  }
  std::vector<int> sizes(n, 1);
  for (int left = world - n; left > 0; --left) {
    int best = 0;
    double best_gap = -1e300;
    for (int i = 0; i < n; ++i) {
      double gap = world * weights[i].weight / sum - sizes[i];
      if (gap > best_gap) best_gap = gap, best = i;
    }
    ++sizes[best];
  }
  int first = 0;
  for (int i = 0; i < n; ++i) {
    plan.groups.push_back({weights[i].name, first, sizes[i]});
    first += sizes[i];
  }
  return plan;
}

std::string RankPlan::describe() const {
  std::string out;
  for (const auto& g : groups) {
    if (!out.empty()) out += ", ";
    out += g.name + ": " + (g.size == 1 ? "rank " + std::to_string(g.first_rank)
                                        : "ranks " + std::to_string(g.first_rank) + "-" +
                                              std::to_string(g.first_rank + g.size - 1));
  }
  return out + (parallel ? " (in parallel)" : " (one after another)");
}

}  // namespace mh::launcher
