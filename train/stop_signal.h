// SIGTERM (Slurm preemption, `scancel --signal=TERM`) and SIGUSR1 (Slurm's
// `--signal=USR1@120` warning) ask the running job to checkpoint and exit 0.
// The handler only sets a flag; the trainer polls it between steps and all
// ranks agree on it through an allreduce, so they stop at the same step.
#pragma once

namespace mh::train {

void install_stop_handlers();
bool stop_requested();
void request_stop();  // what the handler does; for tests
void clear_stop();

}  // namespace mh::train
