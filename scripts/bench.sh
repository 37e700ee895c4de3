#!/usr/bin/env bash
# Benchmarks Attn against the machine's yardsticks and peer implementations,
# all in one run on the same shapes (see bench/run.py for what is measured).
#
#   scripts/bench.sh [--quick] [bench/run.py options: --out DIR, --impl REGEX,
#                    --threads 1,2, --dtypes f32,bf16, --repeat N]
#
# Installs what it needs first (idempotently, apt only when a package is
# missing): Attn's dependencies, OpenBLAS, oneDNN and gnuplot. Builds Attn
# with scripts/build.sh and the C++ baselines (bench/*.cpp, -O3 -march=native
# for this host) into build/bench/. The core build and CI do not depend on
# any of this. Optional peers come from utils/.venv when it exists (PyTorch;
# IREE after utils/install-bench-peers.sh) and are skipped otherwise.
#
# Results: a table on stdout and results.csv, results.json, table.txt and
# gflops.png in bench/results/<date>[-quick]/ (ignored by git) or --out.
#
# Environment:
#   ATTN_BENCH_SKIP_BUILD=1   use the existing build/bin/attn-run as is
#   CXX                       compiler for the baselines (default clang++-22,
#                             else g++)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

packages=(libopenblas-dev libdnnl-dev gnuplot-nox python3)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -ne 0 ]; then
  echo "bench: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ "${ATTN_BENCH_SKIP_BUILD:-0}" != 1 ]; then
  "$root/scripts/build.sh"
fi
if [ ! -x "$root/build/bin/attn-run" ]; then
  echo "bench: build/bin/attn-run is missing (run scripts/build.sh)" >&2
  exit 1
fi

out="$root/build/bench"
mkdir -p "$out"
cxx="${CXX:-}"
if [ -z "$cxx" ]; then
  if command -v clang++-22 >/dev/null; then cxx=clang++-22; else cxx=g++; fi
fi
flags=(-O3 -march=native -std=c++17 -Wall -Wextra)

# Rebuilds $1 from $2 when the source or a bench header is newer.
build() {
  local bin="$out/$1" src="$root/bench/$2"
  shift 2
  if [ ! -x "$bin" ] || [ -n "$(find "$src" "$root"/bench/*.h -newer "$bin" 2>/dev/null)" ]; then
    echo "bench: building $bin" >&2
    "$cxx" "${flags[@]}" "$src" -o "$bin" "$@"
  fi
}
build attn-bench-hw hw.cpp -lopenblas -lpthread
build attn-bench-blas attn_blas.cpp -lopenblas -lpthread
if [ -f /usr/include/oneapi/dnnl/dnnl.hpp ] && [ -f "$root/bench/attn_dnnl.cpp" ]; then
  build attn-bench-dnnl attn_dnnl.cpp -ldnnl -lpthread
fi

exec python3 "$root/bench/run.py" "$@"
