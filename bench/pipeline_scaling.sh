#!/usr/bin/env bash
# Wall time of the whole pipeline (`3mhealth run`: prepare, audio, three
# teachers, students) from an empty run directory with 1, 2 and 4 ranks, and
# with 4 ranks the teachers in parallel rank groups against one after another
# on all 4 (`--sequential-teachers`). Prints a table.
# Usage: bench/pipeline_scaling.sh BUILD_DIR CONFIG.ini WORK_DIR [more run options]
#   bench/pipeline_scaling.sh build experiments/sdcnl.ini /tmp/scaling          # SDCNL (hours on 2 cores)
#   bench/pipeline_scaling.sh build experiments/sdcnl.ini /tmp/scaling --students text+audio \
#     --epochs 3 --patience 3 --audio-epochs 3 --audio-patience 3 --emotion-epochs 5 --emotion-patience 5
#       # the rows of bench/RESULTS.md: fixed epochs, so every row does the same work (early stopping
#       # may stop at another epoch with another world size), and one student
#   bench/pipeline_scaling.sh build experiments/demo/demo.ini /tmp/scaling --input runs/demo-corpus.csv
set -euo pipefail
bin="$1/3mhealth"; config="$2"; work="$3"; shift 3
. "$(dirname "$0")/../scripts/env.sh"
rm -rf "$work"; mkdir -p "$work"
declare -A seconds
run() {  # run NAME RANKS [options]
  local name=$1 np=$2; shift 2
  local start=$(date +%s.%N)
  mpirun -np "$np" "$bin" --config "$config" run --run-dir "$work/$name" "$@" > "$work/$name.out" 2> "$work/$name.log" ||
    { tail -n 20 "$work/$name.log"; exit 1; }
  seconds[$name]=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  echo "$name: ${seconds[$name]} s ($(grep -o 'run: teachers.*' "$work/$name.log" | head -1))" >&2
}
run np1 1 "$@"
run np2 2 "$@"
run np4 4 "$@"
run np4-sequential 4 --sequential-teachers "$@"
echo "| ranks | teachers | wall s | speed-up vs 1 rank |"
echo "|---|---|---|---|"
for name in np1 np2 np4 np4-sequential; do
  case $name in np1) r=1 t="one after another";; np2) r=2 t="one after another (2 < 3 teachers)";;
    np4) r=4 t="parallel groups";; *) r=4 t="one after another on all 4";; esac
  awk -v r="$r" -v t="$t" -v s="${seconds[$name]}" -v one="${seconds[np1]}" \
    'BEGIN { printf "| %s | %s | %.1f | %.2f |\n", r, t, s, one / s }'
done
