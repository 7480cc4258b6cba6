#!/usr/bin/env bash
# Installs every Debian 12 package that building and testing 3mhealth needs.
# Idempotent: packages already present are not reinstalled, and apt is not even
# consulted when nothing is missing (so CI pays nothing on a prepared machine).
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache git pkg-config
  libtorch-dev libopenblas0-pthread libopenblas-pthread-dev libjemalloc-dev
  libopenmpi-dev openmpi-bin
  libhdf5-dev hdf5-tools
  libboost-program-options-dev nlohmann-json3-dev
  libespeak-ng-dev espeak-ng-data libsndfile1-dev libsamplerate0-dev libfasttext-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libicu-dev libssl-dev procps
  slurmctld slurmd slurm-client munge gnuplot-nox wordnet-base
  python3-torch python3-torchaudio python3-numpy python3-sklearn python3-h5py
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# node + npm run the independent reference tokenizer in the tests; a machine may
# already have them from elsewhere (nodesource ships npm inside nodejs).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} Debian packages present"
else
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The independent reference tokenizer the tests compare against (npm, pinned by
# package-lock.json); installed once into tests/tokenizer/node_modules.
ref="$(dirname "$0")/../tests/tokenizer"
if [ ! -f "$ref/node_modules/@huggingface/tokenizers/package.json" ]; then
  echo "install-deps: installing the reference tokenizer (npm ci)"
  (cd "$ref" && npm ci --no-audit --no-fund --loglevel=error)
fi
