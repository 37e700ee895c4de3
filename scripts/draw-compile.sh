#!/usr/bin/env bash
# Draws docs/compile.svg: the IR levels @main of the bundled example
# (examples/mha_how_are_you.mlir, one attn.mha) passes through in
# attn-cpu-pipeline, from attn.mha to the LLVM dialect, generated from the
# real IR: attn-opt runs the pipeline printing the IR after every pass that
# changes it, and utils/compile_diagram.py counts the ops of each level and
# writes a graphviz file that `dot` renders.
#
#   scripts/draw-compile.sh [OUT.svg]      (default docs/compile.svg)
#
# Builds attn-opt first if needed (scripts/build.sh; graphviz comes from
# scripts/install-deps.sh). The intermediate files (the IR of every pass,
# compile.dot and a PNG of the same diagram) go to build/compile/. The
# vector width is fixed (vector-bits=256, AVX2) so the drawing does not
# depend on the host.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTN_BUILD_DIR:-$root/build}"
svg="${1:-$root/docs/compile.svg}"
pipeline='builtin.module(attn-cpu-pipeline{vector-bits=256})'

mkdir -p "$build"
"$root/scripts/build.sh" >"$build/build.log" 2>&1 || { cat "$build/build.log"; exit 1; }
if ! command -v dot >/dev/null; then
  echo "draw-compile: dot not found (scripts/install-deps.sh installs graphviz)" >&2
  exit 1
fi

work="$build/compile"
mkdir -p "$work"
opt="$build/bin/attn-opt"
# @main alone (the example's other function is private and dropped).
"$opt" "$root/examples/mha_how_are_you.mlir" --symbol-privatize=exclude=main \
  --symbol-dce --mlir-print-op-generic -o "$work/input.mlir"
"$opt" "$work/input.mlir" --pass-pipeline="$pipeline" \
  --mlir-print-ir-after-all --mlir-print-ir-after-change \
  --mlir-print-op-generic -o "$work/llvm.mlir" 2>"$work/dumps.mlir"
python3 "$root/utils/compile_diagram.py" "$work/input.mlir" \
  "$work/dumps.mlir" "$work/llvm.mlir" -o "$work/compile.dot" \
  --title="@main of examples/mha_how_are_you.mlir through\\nattn-opt --pass-pipeline='$pipeline'\\nops counted in the IR of each level (bold: new at that level);\\narrows: the passes that changed the IR"
dot -Tsvg "$work/compile.dot" -o "$svg"
dot -Tpng -Gdpi=80 "$work/compile.dot" -o "$work/compile.png"
echo "wrote ${svg#"$root"/} (and ${work#"$root"/}/compile.png)"
