#include "launcher/subcommands.h"

namespace mh::launcher {

const std::vector<Subcommand>& subcommands() {
  static const std::vector<Subcommand> all = {prepare_subcommand(), inspect_subcommand(), pretrain_subcommand(), teacher_subcommand(),
                                                audio_subcommand(), distill_subcommand(), run_subcommand(), sweep_subcommand(), report_subcommand(), predict_subcommand(), selfcheck_subcommand()};
  return all;
}

}  // namespace mh::launcher
