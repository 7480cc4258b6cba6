// One factory per subcommand, each defined in the file named after it.
#pragma once

#include "launcher/cli.h"

namespace mh::launcher {

Subcommand selfcheck_subcommand();
Subcommand prepare_subcommand();
Subcommand inspect_subcommand();
Subcommand pretrain_subcommand();
Subcommand teacher_subcommand();
Subcommand distill_subcommand();
Subcommand predict_subcommand();
Subcommand audio_subcommand();
Subcommand run_subcommand();
Subcommand sweep_subcommand();
Subcommand report_subcommand();

}  // namespace mh::launcher
