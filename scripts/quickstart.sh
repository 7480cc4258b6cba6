#!/usr/bin/env bash
# The README's first command: install what is missing, build, and run the main
# job: `3mhealth run` (prepare, audio, text/emotion/audio teachers, the four
# students) with 2 MPI ranks on the built-in demo corpus (synthetic posts from
# experiments/demo/synthetic_posts.py, a hand-written seed lexicon); prints the
# results table (runs/demo/results.json).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
. scripts/env.sh
mkdir -p runs
/usr/bin/python3 experiments/demo/synthetic_posts.py runs/demo-corpus.csv 400 0
mpirun -np 2 build/3mhealth --config experiments/demo/demo.ini run
