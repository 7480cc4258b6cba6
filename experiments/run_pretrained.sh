#!/usr/bin/env bash
# In-domain masked-LM pretraining on the whole ../shared/data/pretrain corpus,
# then the text teacher and the student distilled from it on SDCNL and IdenDep,
# fine-tuned from the pretrained weights, for each seed. 2 MPI ranks.
#
# One vocabulary and one checkpoint serve both datasets: the vocabulary is built
# from the corpus alone (prepare --vocab-corpus) and the pretraining reads the
# corpus alone (--no-train-split; the corpus holds no evaluation post, see its
# PROVENANCE.md). The run OUT/pretrain-run only carries that vocabulary and the
# max length (256) to pretrain.
#
# Usage: experiments/run_pretrained.sh BUILD_DIR OUT_DIR [SEED ...]   (default seeds: 0)
# Environment: PRETRAIN_EPOCHS (1), MAX_CORPUS_POSTS per file (0: all), FINE_LR (2e-4).
set -euo pipefail
. "$(dirname "$0")/pretrain_corpus.sh"
size=(--hidden 256 --layers 4 --heads 4 --intermediate 1024)
mpirun -np 2 "$bin" pretrain "$pre" --no-train-split "${corpus_opts[@]}" --max-corpus-posts "${MAX_CORPUS_POSTS:-0}" \
  "${size[@]}" --epochs "${PRETRAIN_EPOCHS:-1}" --batch-size 32 --lr 5e-4 --warmup 0.05 --seed 0
ckpt="$pre/pretrain"

for seed in "${seeds[@]}"; do
  for ds in sdcnl idendep; do
    len=128; [ "$ds" = sdcnl ] && len=256   # as experiments/<ds>.ini
    run="$out/$ds-s$seed"
    "$bin" prepare --dataset "$ds" --input "$data/$ds" --out "$run" --seed "$seed" --max-length "$len" \
      --vocab "$ckpt/vocab.txt" > /dev/null
    fine=(--init-from "$ckpt" --epochs 10 --patience 3 --batch-size 16 --lr "${FINE_LR:-2e-4}" --seed "$seed")
    mpirun -np 2 "$bin" teacher --modality text "$run" "${fine[@]}"
    mpirun -np 2 "$bin" distill "$run" --teachers text "${fine[@]}"
  done
done
