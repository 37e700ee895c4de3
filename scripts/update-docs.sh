#!/usr/bin/env bash
# Regenerates the dialect, op and pass references from TableGen
# (`ninja mlir-doc`) and copies them into docs/. The lit test
# test/docs-up-to-date.test fails when the committed copies are stale.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTN_BUILD_DIR:-$root/build}"
"$root/scripts/build.sh"
mkdir -p "$root/docs/Attn"
cp "$build/docs/Attn/AttnDialect.md" "$build/docs/Attn/AttnOps.md" \
  "$build/docs/Attn/AttnTransformOps.md" "$root/docs/Attn/"
cp "$build/docs/AttnPasses.md" "$root/docs/"
