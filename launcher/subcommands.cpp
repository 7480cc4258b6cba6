#include "launcher/subcommands.h"

namespace mh::launcher {

const std::vector<Subcommand>& subcommands() {
  static const std::vector<Subcommand> all = {selfcheck_subcommand()};
  return all;
}

}  // namespace mh::launcher
