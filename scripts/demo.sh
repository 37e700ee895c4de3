#!/usr/bin/env bash
# Builds Attn (installing what is missing), then compiles the bundled example
# -- multi-head self-attention over "How are you doing ?" -- through
# attn-cpu-pipeline to native code, runs it, and prints the result and its
# error against the float64 reference.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTN_BUILD_DIR:-$root/build}"

mkdir -p "$build"
"$root/scripts/build.sh" >"$build/build.log" 2>&1 || { cat "$build/build.log"; exit 1; }

echo "== attn.mha over \"How are you doing ?\" (B=1, L=5, E=16, 2 heads)"
"$build/bin/attn-run" "$root/examples/mha_how_are_you.mlir" --entry=main --check
