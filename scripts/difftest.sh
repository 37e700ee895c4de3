#!/usr/bin/env bash
# Random differential tester of attn.sdpa (utils/difftest.py): random
# configurations over every feature through attn-run, compared with the
# float64 reference and judged against an f32-rounded oracle run.
#
#   scripts/difftest.sh [--count N] [--seed S] [--jobs J] [--work DIR]
#
# Builds Attn first (scripts/build.sh). Prints a MISMATCH line per failure,
# a shrunk reproducer per mismatch, then the per-feature table and
# `N configurations, M mismatches`; exit status 1 on any mismatch.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTN_BUILD_DIR:-$root/build}"
count=100
seed=0
jobs=2
work="$build/difftest"
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count="$2"; shift 2 ;;
    --count=*) count="${1#--count=}"; shift ;;
    --seed) seed="$2"; shift 2 ;;
    --seed=*) seed="${1#--seed=}"; shift ;;
    --jobs) jobs="$2"; shift 2 ;;
    --jobs=*) jobs="${1#--jobs=}"; shift ;;
    --work) work="$2"; shift 2 ;;
    --work=*) work="${1#--work=}"; shift ;;
    *) echo "difftest.sh: unknown argument '$1'" >&2; exit 1 ;;
  esac
done
"$root/scripts/build.sh" >/dev/null
# The widest vector width the host runs (the tester also draws 0 and 256).
bits=128
if grep -qw avx512f /proc/cpuinfo; then bits=512
elif grep -qw avx2 /proc/cpuinfo; then bits=256; fi
rm -rf "$work"
exec python3 "$root/utils/difftest.py" --attn-run "$build/bin/attn-run" \
  --count "$count" --seed "$seed" --jobs "$jobs" --work "$work" \
  --host-vector-bits "$bits"
