#!/usr/bin/env bash
# Builds Attn (installing what is missing), then compiles the bundled example
# -- multi-head self-attention over "How are you doing ?" -- through
# attn-cpu-pipeline to native code, runs it, and prints the result and its
# error against the float64 reference. Then it runs the same block written in
# decomposed ops (@main_with_probs), prints each head's attention
# probabilities as a table labelled with the tokens, draws them as heatmaps
# (build/demo/weights-head<h>.png, with gnuplot; skipped with a message
# without it) and shows attn-fuse's remark on why it leaves that softmax
# alone.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTN_BUILD_DIR:-$root/build}"
example="$root/examples/mha_how_are_you.mlir"
tokens=(How are you doing '?')

mkdir -p "$build"
"$root/scripts/build.sh" >"$build/build.log" 2>&1 || { cat "$build/build.log"; exit 1; }

echo "== attn.mha over \"How are you doing ?\" (B=1, L=5, E=16, 2 heads)"
"$build/bin/attn-run" "$example" --entry=main --check

out="$build/demo"
mkdir -p "$out"
echo
echo "== attention weights: @main_with_probs, the same block in decomposed ops,"
echo "   also returns each head's probabilities (result #1)"
"$build/bin/attn-run" "$example" --entry=main_with_probs --check \
  --outputs="$out/output.npy,$out/probs.npy"
echo
python3 "$root/utils/attention_weights.py" "$out/probs.npy" \
  --tokens "${tokens[@]}" --png-dir "$out" | sed "s|$root/||"
echo
echo "== attn-fuse keeps that softmax: its result has a second user (the return)"
"$build/bin/attn-opt" "$example" --attn-fuse=report-refusals=true -o /dev/null 2>&1 \
  | grep 'remark:' | sed "s|^$root/||" \
  || { echo "demo: attn-fuse gave no remark" >&2; exit 1; }
