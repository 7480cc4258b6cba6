#!/usr/bin/env bash
# The audio modality on SDCNL and IdenDep, one seed: espeak-ng speech (neutral, or with the
# emotion-driven prosody of experiments/prosody.ini when PROSODY=1), log-mel, a CPU-sized AST
# teacher, and the students from text + audio and text + emotion + audio, beside the text and
# emotion teachers of run_text_baselines.sh / run_emotion.sh (same runs; done stages are skipped).
# 2 MPI ranks. Usage: [PROSODY=1] experiments/run_audio.sh BUILD_DIR RUNS_DIR [SEED]
set -euo pipefail
bin="$1/3mhealth"; runs="$2"; seed=${3:-0}
data="$(cd "$(dirname "$0")/../.." && pwd)/shared/data"
lexicon="$data/lexicons/NRC-Emotion-Lexicon/NRC-Emotion-Lexicon-Wordlevel-v0.92.txt"
. "$(dirname "$0")/../scripts/env.sh"
model=(--hidden 256 --layers 4 --heads 4 --intermediate 1024 --epochs 10 --patience 3 --batch-size 16 --lr 2e-4 --seed "$seed")
ast=(--ast-hidden 128 --ast-layers 2 --ast-heads 4 --ast-intermediate 512 --fstride 16 --tstride 16 --epochs 15 --patience 4 --batch-size 16 --seed "$seed")
voice=(); [ "${PROSODY:-0}" = 1 ] && voice=(--prosody "$(dirname "$0")/prosody.ini" --lexicon "$lexicon")
for ds in sdcnl idendep; do
  run="$runs/$ds-s$seed"
  "$bin" prepare --dataset "$ds" --input "$data/$ds" --out "$run" --seed "$seed" > /dev/null
  # Runs prepared before data.h5 kept the text: the same configuration again (same hash, so the
  # stages after it stay valid), now with /text for the speech engine.
  h5dump -H -d /text "$run/data.h5" > /dev/null 2>&1 ||
    "$bin" prepare --dataset "$ds" --input "$data/$ds" --out "$run" --seed "$seed" --force > /dev/null
  mpirun -np 2 "$bin" teacher --modality text "$run" "${model[@]}"
  mpirun -np 2 "$bin" audio "$run" "${voice[@]}"
  mpirun -np 2 "$bin" teacher --modality audio "$run" "${ast[@]}"
  mpirun -np 2 "$bin" distill "$run" --teachers text,audio "${model[@]}"
  if [ -f "$run/soft_targets/emotion.h5" ]; then
    mpirun -np 2 "$bin" distill "$run" --teachers text,emotion,audio "${model[@]}"
  fi
done
