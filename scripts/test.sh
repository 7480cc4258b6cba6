#!/usr/bin/env bash
# The README's second command and what CI runs: install what is missing, build,
# and run the whole test suite under CTest (MPI tests go through mpirun).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
. scripts/env.sh
cd "${MH_BUILD_DIR:-build}"
ctest --output-on-failure -j "$(nproc)" "$@"
