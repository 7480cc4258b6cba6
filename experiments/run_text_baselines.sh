#!/usr/bin/env bash
# Text teacher, student distilled from it, and the text-only student baseline,
# CPU-sized models trained from scratch (no pretraining), on SDCNL (official
# test split) and IdenDep (seeded 80/10/10), one seed. 2 MPI ranks.
# Usage: experiments/run_text_baselines.sh BUILD_DIR RUNS_DIR [SEED]
set -euo pipefail
bin="$1/3mhealth"; runs="$2"; seed=${3:-0}
data="$(cd "$(dirname "$0")/../.." && pwd)/shared/data"
. "$(dirname "$0")/../scripts/env.sh"
model=(--hidden 256 --layers 4 --heads 4 --intermediate 1024 --epochs 10 --patience 3 --batch-size 16 --lr 2e-4 --seed "$seed")
for ds in sdcnl idendep; do
  run="$runs/$ds-s$seed"
  "$bin" prepare --dataset "$ds" --input "$data/$ds" --out "$run" --seed "$seed" > /dev/null
  mpirun -np 2 "$bin" teacher --modality text "$run" "${model[@]}"
  mpirun -np 2 "$bin" distill "$run" --teachers text "${model[@]}"
  mpirun -np 2 "$bin" distill "$run" --teachers none "${model[@]}"
done
