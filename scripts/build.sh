#!/usr/bin/env bash
# Configures and builds 3mhealth into build/ (or $MH_BUILD_DIR), Release, Ninja,
# both cores. Re-running only rebuilds what changed; ccache makes clean
# rebuilds of unchanged LibTorch translation units nearly free.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${MH_BUILD_DIR:-build}
jobs=${MH_JOBS:-$(nproc)}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
fi
cmake --build "$build" -j "$jobs"
