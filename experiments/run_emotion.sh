#!/usr/bin/env bash
# The emotion teacher and the student distilled from text + emotion, beside the
# text teacher and text-only student of run_text_baselines.sh (same CPU-sized
# model, from scratch), on SDCNL and IdenDep, one seed. 2 MPI ranks. Stages
# already done for the same configuration (e.g. by run_text_baselines.sh) are
# skipped. The text-only student is not retrained: with the same architecture,
# seed and loss it is the text teacher to the last digit (see RESULTS.md).
# Usage: experiments/run_emotion.sh BUILD_DIR RUNS_DIR [SEED] [EXTRA EMOTION OPTIONS...]
set -euo pipefail
bin="$1/3mhealth"; runs="$2"; seed=${3:-0}; shift $(( $# < 3 ? $# : 3 ))
data="$(cd "$(dirname "$0")/../.." && pwd)/shared/data"
lexicon="$data/lexicons/NRC-Emotion-Lexicon/NRC-Emotion-Lexicon-Wordlevel-v0.92.txt"
. "$(dirname "$0")/../scripts/env.sh"
model=(--hidden 256 --layers 4 --heads 4 --intermediate 1024 --epochs 10 --patience 3 --batch-size 16 --lr 2e-4 --seed "$seed")
for ds in sdcnl idendep; do
  run="$runs/$ds-s$seed"
  "$bin" prepare --dataset "$ds" --input "$data/$ds" --out "$run" --seed "$seed" > /dev/null
  mpirun -np 2 "$bin" teacher --modality text "$run" "${model[@]}"
  mpirun -np 2 "$bin" teacher --modality emotion "$run" --lexicon "$lexicon" --emotion-dim 64 --seed "$seed" "$@"
  mpirun -np 2 "$bin" distill "$run" --teachers text,emotion "${model[@]}"
done
