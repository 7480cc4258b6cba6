#!/usr/bin/env bash
# Audio regeneration throughput (`3mhealth audio`: espeak-ng speech + log-mel +
# shard files + merge) on SDCNL (1,895 posts) with 1 rank, then 2 ranks, in one
# run; prints posts/s, audio seconds per second, the real-time factor (wall /
# audio seconds) and the speed-up. Usage: bench/audio_regen.sh [BUILD_DIR] [WORK_DIR] [extra audio options]
set -euo pipefail
build=${1:-build}; work=${2:-/tmp/mh_bench_audio}; shift $(( $# < 2 ? $# : 2 ))
data="$(cd "$(dirname "$0")/../.." && pwd)/shared/data/sdcnl"
. "$(dirname "$0")/../scripts/env.sh"
"$build/3mhealth" prepare --dataset sdcnl --input "$data" --out "$work" 2> /dev/null
printf '| ranks | wall s | posts/s | audio s | audio s/s | real-time factor |\n|---|---|---|---|---|---|\n'
declare -A wall
for np in 1 2; do
  mpirun -np "$np" --bind-to core "$build/3mhealth" audio "$work" --force "$@" 2> "$work/audio-np$np.log"
  read -r secs audio < <(/usr/bin/python3 -c "
import json; s = json.load(open('$work/manifest.json'))['stages']['audio']['summary']; print(s['seconds'], s['audio_seconds'])")
  wall[$np]=$secs
  awk -v np="$np" -v w="$secs" -v a="$audio" 'BEGIN { printf "| %d | %.1f | %.1f | %.0f | %.0f | %.4f |\n", np, w, 1895 / w, a, a / w, w / a }'
done
awk -v a="${wall[1]}" -v b="${wall[2]}" 'BEGIN { printf "speed-up 2 ranks / 1 rank: %.2f\n", a / b }'
