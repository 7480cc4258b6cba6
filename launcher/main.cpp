// The `3mhealth` executable.
#include "launcher/cli.h"

// The executable links jemalloc (launcher/CMakeLists.txt). With glibc malloc, training on
// batches whose shapes change every step (length-bucketed windows, a varying number of
// masked pieces) fragments the heap: whole-corpus pretraining grew to 12 GiB per rank
// and was killed after 1,663 steps. jemalloc's size classes keep it flat (2 GiB), and
// keeping freed pages instead of returning them (no decay) avoids re-faulting them on the
// next step: 41.5 against 34.3 samples/s for glibc (bench/RESULTS.md).
extern "C" {
const char* malloc_conf = "dirty_decay_ms:-1,muzzy_decay_ms:-1";
}

int main(int argc, char** argv) { return mh::launcher::run_cli(argc, argv); }
