#!/usr/bin/env bash
# The README's first command: install what is missing, build, run the main job
# with 2 MPI ranks. (For now the main job is the launcher's self-check; the full
# pipeline on the demo corpus replaces it when `3mhealth run` lands.)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
. scripts/env.sh
mpirun -np 2 build/3mhealth selfcheck
