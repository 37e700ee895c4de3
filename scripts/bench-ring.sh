#!/usr/bin/env bash
# Weak scaling of ring attention on this machine: the sequence grows with
# the number of MPI ranks (L = P x L/P, L/P fixed), and attn-run
# --distributed=ring --bench reports the slowest rank's time per call, its
# communication wait, the bytes each rank sends and the load imbalance
# (busiest rank's work over the mean). Ranks beyond the cores share them
# (--oversubscribe): such rows measure correctness of the overlap, not
# speed, and are marked.
#
#   scripts/bench-ring.sh [--per-rank N] [--ranks 1,2,4] [--heads H]
#                         [--head-dim D] [--repeat N]
#
# Needs OpenMPI (scripts/install-deps.sh) and a build (scripts/build.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
perRank=1024
ranks="1,2,4"
heads=8
headDim=64
repeat=5
while [ $# -gt 0 ]; do
  case "$1" in
    --per-rank) perRank="$2"; shift 2 ;;
    --ranks) ranks="$2"; shift 2 ;;
    --heads) heads="$2"; shift 2 ;;
    --head-dim) headDim="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    *) echo "bench-ring: unknown option $1" >&2; exit 1 ;;
  esac
done
run="$root/build/bin/attn-run"
[ -x "$run" ] || { echo "bench-ring: build first (scripts/build.sh)" >&2; exit 1; }
cores=$(nproc)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

printf "%-6s %-3s %-6s %-10s %-11s %-8s %-10s %-9s %-9s %s\n" \
  "mask" "P" "L" "ms/call" "wait ms" "wait %" "MB sent" "imbalance" "GFLOP/s" "note"
for causal in none causal; do
  attr=""
  [ "$causal" = causal ] && attr="{causal}"
  for p in ${ranks//,/ }; do
    L=$((p * perRank))
    t="tensor<1x${heads}x${L}x${headDim}xf32>"
    cat > "$work/ring.mlir" <<MLIR
func.func @attention(%q: $t, %k: $t, %v: $t) -> $t {
  %o = attn.sdpa %q, %k, %v $attr : $t, $t, $t -> $t
  return %o : $t
}
MLIR
    line=$(mpirun --allow-run-as-root --oversubscribe -np "$p" "$run" \
      "$work/ring.mlir" --entry=attention --distributed=ring --bench \
      --repeat="$repeat" | grep "^bench @")
    ms=$(sed -E 's/.*median ([0-9.]+) ms.*/\1/' <<< "$line")
    wait=$(sed -E 's/.*communication wait ([0-9.]+) ms \(([0-9.]+)%\).*/\1/' <<< "$line")
    waitPct=$(sed -E 's/.*communication wait [0-9.]+ ms \(([0-9.]+)%\).*/\1/' <<< "$line")
    mb=$(sed -E 's/.* ([0-9.]+) MB sent.*/\1/' <<< "$line")
    imb=$(sed -E 's/.*imbalance ([0-9.]+).*/\1/' <<< "$line")
    gf=$(sed -E 's/.*runs \(slowest rank\), ([0-9.na/]+) GFLOP\/s.*/\1/' <<< "$line")
    note=""
    [ "$p" -gt "$cores" ] && note="oversubscribed ($p ranks on $cores cores)"
    printf "%-6s %-3s %-6s %-10s %-11s %-8s %-10s %-9s %-9s %s\n" \
      "$causal" "$p" "$L" "$ms" "$wait" "$waitPct" "$mb" "$imb" "$gf" "$note"
  done
done
