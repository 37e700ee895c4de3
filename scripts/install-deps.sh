#!/usr/bin/env bash
# Installs the Debian packages Attn needs to build and test (libclang-rt-22-dev
# holds the sanitizer and libFuzzer runtimes of build.sh --sanitize and
# fuzz.sh; OpenMPI: ring attention across processes, attn-run
# --distributed=ring and test/Distributed), and the two its pictures are drawn with (gnuplot-nox: the
# attention heatmaps of scripts/demo.sh; graphviz: docs/compile.svg,
# scripts/draw-compile.sh; no test needs them). Idempotent: it runs `apt-get update` and `apt-get
# install` only when a package is missing.
set -euo pipefail

packages=(
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22
  libclang-rt-22-dev cmake ninja-build python3 libomp5-14
  libopenmpi-dev openmpi-bin
  gnuplot-nox graphviz
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
