# Sourced by run_pretrained.sh and run_word_vectors.sh after `set -euo pipefail`
# with their arguments (BUILD_DIR OUT_DIR [SEED ...]): sets bin, out, seeds,
# data (../shared/data), the MPI environment, corpus (the four posts.txt of
# ../shared/data/pretrain) and prepares OUT/pretrain-run, which carries the
# vocabulary built from that corpus alone and the max length (256) to pretrain.
bin="$1/3mhealth"; out="$2"; shift 2
seeds=("${@:-0}")
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
data="$(cd "$here/../.." && pwd)/shared/data"
. "$here/../scripts/env.sh"
corpus=()
for c in cams_reddit depsign_reddit genz_mh_reddit tweets_mh; do corpus+=("$data/pretrain/$c/posts.txt"); done
corpus_opts=(); for f in "${corpus[@]}"; do corpus_opts+=(--corpus "$f"); done
pre="$out/pretrain-run"
vocab_corpus=(); for f in "${corpus[@]}"; do vocab_corpus+=(--vocab-corpus "$f"); done
"$bin" prepare --dataset sdcnl --input "$data/sdcnl" --out "$pre" --max-length 256 "${vocab_corpus[@]}" > /dev/null
