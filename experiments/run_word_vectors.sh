#!/usr/bin/env bash
# Skip-gram word vectors (fastText) of the whole ../shared/data/pretrain corpus
# as the text teacher's word embeddings, against the same model from scratch on
# the same prepared data, for each seed. 2 MPI ranks for the teachers.
#
# One vocabulary and one set of vectors serve every dataset and seed: the
# vocabulary is built from the corpus alone (prepare --vocab-corpus), the
# vectors are trained on the corpus alone (--no-train-split; the corpus holds no
# evaluation post, see its PROVENANCE.md). The run OUT/pretrain-run only carries
# that vocabulary and the max length (256) to pretrain.
#
# Usage: experiments/run_word_vectors.sh BUILD_DIR OUT_DIR [SEED ...]   (default seeds: 0)
# Environment: DATASETS ("sdcnl idendep"), SG_EPOCHS (5), POOLING (mean), VECTOR_OPTS (more options of
# the vectors arm, e.g. --freeze-embeddings), STUDENTS=1 (also the student T of the vectors arm).
set -euo pipefail
. "$(dirname "$0")/pretrain_corpus.sh"
# One process: fastText's threads use every CPU it may run on.
"$bin" pretrain "$pre" --objective skipgram --no-train-split "${corpus_opts[@]}" \
  --hidden 256 --layers 4 --heads 4 --intermediate 1024 --epochs "${SG_EPOCHS:-5}" --seed 0
vectors="$pre/pretrain"

for seed in "${seeds[@]}"; do
  for ds in ${DATASETS:-sdcnl idendep}; do
    len=128; [ "$ds" = sdcnl ] && len=256   # as experiments/<ds>.ini
    for arm in scratch vectors; do
      run="$out/$arm-$ds-s$seed"
      "$bin" prepare --dataset "$ds" --input "$data/$ds" --out "$run" --seed "$seed" --max-length "$len" \
        --vocab "$vectors/vocab.txt" > /dev/null
      opts=(--epochs 10 --patience 3 --batch-size 16 --lr 2e-4 --seed "$seed" --classifier-pooling "${POOLING:-mean}")
      # shellcheck disable=SC2206
      [ "$arm" = vectors ] && opts+=(--init-from "$vectors" ${VECTOR_OPTS:-})
      mpirun -np 2 "$bin" teacher --modality text "$run" "${opts[@]}"
      if [ "$arm" = vectors ] && [ -n "${STUDENTS:-}" ]; then
        mpirun -np 2 "$bin" distill "$run" --teachers text "${opts[@]}"
      fi
    done
  done
done
