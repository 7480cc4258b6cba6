#include "dist/rank_groups.h"

#include "dist/check.h"

namespace mh::dist {

RankGroups::RankGroups(Communicator& world, std::vector<GroupSpec> specs) : specs_(std::move(specs)) {
  int next = 0;
  for (size_t g = 0; g < specs_.size(); ++g) {
    const auto& s = specs_[g];
    if (s.size <= 0 || s.first_rank != next)
      throw Error("rank groups: group '" + s.name + "' starts at rank " + std::to_string(s.first_rank) +
                  " with size " + std::to_string(s.size) + "; expected a positive size starting at rank " +
                  std::to_string(next));
    if (world.rank() >= s.first_rank && world.rank() < s.first_rank + s.size) mine_ = static_cast<int>(g);
    next += s.size;
  }
  if (next != world.size())
    throw Error("rank groups: the plan covers " + std::to_string(next) + " ranks but the world has " +
                std::to_string(world.size()));
  comm_ = world.split(mine_, world.rank());
}

}  // namespace mh::dist
