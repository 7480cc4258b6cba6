#!/usr/bin/env bash
# Training samples/s of the CPU-sized student at 1 thread per rank: 1 rank, then
# 2 ranks data parallel, and the speed-up. Usage: bench/train_throughput.sh [BUILD_DIR] [STEPS]
set -euo pipefail
build=${1:-build}; steps=${2:-10}
. "$(dirname "$0")/../scripts/env.sh"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
one=$("$build/bench/bench_train_throughput" "$steps")
two=$(mpirun -np 2 --bind-to core "$build/bench/bench_train_throughput" "$steps")
echo "== 1 rank";  echo "$one"
echo "== 2 ranks"; echo "$two"
s1=$(echo "$one" | awk '/samples\/s/ {print $4}')
s2=$(echo "$two" | awk '/samples\/s/ {print $4}')
echo "speed-up 2 ranks / 1 rank: $(awk -v a="$s2" -v b="$s1" 'BEGIN { printf "%.2f", a / b }')"
