#!/usr/bin/env bash
# The GPU device check, in two steps (GPU.md §3, rung 5):
#
#   scripts/gpu-check.sh --prepare [DIR]   here (LLVM, no GPU needed): builds
#       Attn, compiles the benchmark shapes with attn-compile --target=gpu
#       (B1 H16, L 1k-16k, head size 64/128, f16/bf16, causal or not; decode
#       Lq = 1, Lk 4k-32k) into DIR (default build/gpu-check, a few MiB):
#       one kernel library each, the two runtime libraries, manifest.json and
#       the Python driver.
#   scripts/gpu-check.sh --run [DIR]       on the device (CUDA + PyTorch, no
#       LLVM): python3 DIR/gpu_check.py DIR — every kernel checked against
#       torch's SDPA and timed next to it and a GEMM of the same FLOPs;
#       results.csv and table.txt in DIR/results. Exit 2 without a GPU.
#
# --chip=sm_80|sm_90|sm_90a (default sm_90) and --quick (L 1k and 4k only)
# apply to --prepare.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="" dir="" chip="sm_90" quick=0
for arg in "$@"; do
  case "$arg" in
    --prepare) mode=prepare ;;
    --run) mode=run ;;
    --chip=*) chip="${arg#--chip=}" ;;
    --quick) quick=1 ;;
    -*) echo "gpu-check: unknown option $arg" >&2; exit 1 ;;
    *) dir="$arg" ;;
  esac
done
dir="${dir:-$root/build/gpu-check}"
if [ "$mode" = run ]; then
  exec python3 "$dir/gpu_check.py" "$dir"
fi
if [ "$mode" != prepare ]; then
  echo "usage: scripts/gpu-check.sh --prepare|--run [DIR] [--chip=..] [--quick]" >&2
  exit 1
fi

build="${ATTN_BUILD_DIR:-$root/build}"
"$root/scripts/build.sh" >/dev/null
mkdir -p "$dir/src"
cp "$build/lib/libAttnRuntime.so" "$build/lib/libAttnCudaRuntime.so" "$dir/"
cp "$root/bench/gpu/gpu_check.py" "$dir/"
lengths="1024 2048 4096 8192 16384"
decode="4096 8192 16384 32768"
if [ "$quick" = 1 ]; then lengths="1024 4096"; decode="4096"; fi
cases=()
compile() { # name dtype d lq lk causal
  local name=$1 t=$2 d=$3 lq=$4 lk=$5 causal=$6 attr=""
  [ "$causal" = true ] && attr=" {causal}"
  local q="tensor<1x16x${lq}x${d}x${t}>" kv="tensor<1x16x${lk}x${d}x${t}>"
  printf 'func.func @attention(%%q: %s, %%k: %s, %%v: %s) -> %s {\n  %%o = attn.sdpa %%q, %%k, %%v%s : %s, %s, %s -> %s\n  return %%o : %s\n}\n' \
    "$q" "$kv" "$kv" "$q" "$attr" "$q" "$kv" "$kv" "$q" "$q" > "$dir/src/$name.mlir"
  "$build/bin/attn-compile" "$dir/src/$name.mlir" --target=gpu --chip="$chip" \
    -o "$dir/$name" >/dev/null
  rm -f "$dir/$name.o"
  cases+=("{\"name\": \"$name\", \"library\": \"$name.so\", \"entry\": \"attention\", \"b\": 1, \"h\": 16, \"lq\": $lq, \"lk\": $lk, \"d\": $d, \"dtype\": \"$t\", \"causal\": $causal}")
}
for d in 64 128; do
  for t in f16 bf16; do
    for l in $lengths; do
      for causal in false true; do
        compile "L${l}_hd${d}_${t}_$([ $causal = true ] && echo causal || echo full)" "$t" "$d" "$l" "$l" "$causal"
      done
    done
  done
  for l in $decode; do
    compile "decode_Lk${l}_hd${d}_f16" f16 "$d" 1 "$l" false
  done
done
( IFS=,; echo "{\"chip\": \"$chip\", \"cases\": [${cases[*]}]}" ) > "$dir/manifest.json"
echo "gpu-check: ${#cases[@]} kernels for $chip in $dir ($(du -sh "$dir" | cut -f1)); on the device: scripts/gpu-check.sh --run $dir (or python3 $dir/gpu_check.py $dir)"
