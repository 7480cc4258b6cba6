#!/usr/bin/env bash
# In-domain masked-LM pretraining on a prepared run (its training split + the
# first N posts of each ../shared/data/pretrain corpus), then the text teacher,
# the student distilled from it and the text-only student, all starting from
# the pretrained weights. 2 MPI ranks.
# Usage: experiments/run_pretrained.sh BUILD_DIR RUN_DIR [POSTS_PER_CORPUS] [SEED]
set -euo pipefail
bin="$1/3mhealth"; run="$2"; posts=${3:-4000}; seed=${4:-0}
corpus="$(cd "$(dirname "$0")/../.." && pwd)/shared/data/pretrain"
. "$(dirname "$0")/../scripts/env.sh"
size=(--hidden 256 --layers 4 --heads 4 --intermediate 1024)
mpirun -np 2 "$bin" pretrain "$run" "${size[@]}" --epochs 2 --batch-size 32 --lr 5e-4 --seed "$seed" \
  --max-corpus-posts "$posts" \
  --corpus "$corpus/cams_reddit/posts.txt" --corpus "$corpus/depsign_reddit/posts.txt" \
  --corpus "$corpus/genz_mh_reddit/posts.txt" --corpus "$corpus/tweets_mh/posts.txt"
fine=(--init-from "$run/pretrain" --epochs 10 --patience 3 --batch-size 16 --lr 1e-4 --seed "$seed")
mpirun -np 2 "$bin" teacher --modality text "$run" "${fine[@]}"
mpirun -np 2 "$bin" distill "$run" --teachers text "${fine[@]}"
mpirun -np 2 "$bin" distill "$run" --teachers none "${fine[@]}"
