// Rank groups: the world split (MPI_Comm_split through Communicator::split) into
// named, disjoint groups of consecutive ranks, one per teacher modality, each
// with its own communicator.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "dist/communicator.h"

namespace mh::dist {

struct GroupSpec {
  std::string name;
  int first_rank = 0;
  int size = 0;
};

class RankGroups {
 public:
  // Collective over `world`. The specs must cover ranks 0..world.size()-1
  // exactly once, in order; otherwise an Error says which rank is wrong.
  RankGroups(Communicator& world, std::vector<GroupSpec> specs);

  const std::vector<GroupSpec>& specs() const { return specs_; }
  int my_index() const { return mine_; }
  const GroupSpec& mine() const { return specs_[mine_]; }
  Communicator& comm() { return *comm_; }

 private:
  std::vector<GroupSpec> specs_;
  int mine_ = -1;
  std::unique_ptr<Communicator> comm_;
};

}  // namespace mh::dist
