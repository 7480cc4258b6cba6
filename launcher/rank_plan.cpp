#include "launcher/rank_plan.h"

#include <map>
#include <stdexcept>

#include "launcher/cli.h"
#include "launcher/ini.h"

namespace mh::launcher {

std::vector<GroupWeight> parse_group_weights(const std::vector<std::string>& teachers, const std::string& spec,
                                             int text_models) {
  std::map<std::string, double> given;
  for (const auto& kv : split_list(spec)) {
    auto eq = kv.find('=');
    try {
      if (eq == std::string::npos) throw std::invalid_argument(kv);
      given[kv.substr(0, eq)] = std::stod(kv.substr(eq + 1));
    } catch (const std::exception&) {
      throw UsageError("--group-weights: expected modality=weight[,...], got '" + kv + "'");
    }
  }
  std::vector<GroupWeight> w;
  for (const auto& t : teachers) w.push_back({t, (given.count(t) ? given[t] : 1.0) * (t == "text" ? text_models : 1)});
  return w;
}

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
