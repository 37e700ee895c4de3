#!/usr/bin/env bash
# Builds Attn's fuzz targets with libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer into build-fuzz/ and runs each of them:
#
#   scripts/fuzz.sh [--seconds N] [--only NAME]
#
#   attn-fuzz-ir      parse + verify + one of 15 passes/pipelines on mutated
#                     IR; seeds: every test input under test/ (each
#                     split-input-file chunk)
#   attn-fuzz-gen     random *valid* attn IR (every op and variant, shapes
#                     with 0, 1 and ?) through the pipelines
#   attn-fuzz-npy     the .npy reader; seeds: valid files of every dtype
#   attn-fuzz-header  the export's description, C header and C entry type
#                     of random signatures
#
# Each runs N seconds (default 60), two at a time. Crashes land in
# build-fuzz/crashes/NAME/; add each to test/Fuzz/Inputs/NAME/ once fixed,
# where the regular build's replay (test/Fuzz/replay.test) runs it in CI.
# The last lines are a table: fuzzer, seconds, executions, crashes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTN_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds=60
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --seconds=*) seconds="${1#--seconds=}"; shift ;;
    --only) only="$2"; shift 2 ;;
    --only=*) only="${1#--only=}"; shift ;;
    *) echo "fuzz.sh: unknown argument '$1' (expected --seconds N, --only NAME)" >&2; exit 1 ;;
  esac
done
case "$seconds" in ''|*[!0-9]*) echo "fuzz.sh: --seconds expects a number" >&2; exit 1 ;; esac

"$root/scripts/install-deps.sh"
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DLLVM_USE_LINKER=lld "-DLLVM_USE_SANITIZER=Address;Undefined" \
    -DLLVM_USE_SANITIZE_COVERAGE=ON -DATTN_LIBFUZZER=ON
fi
cmake --build "$build" --target attn-fuzzers

# Seed corpora, rebuilt each run from the sources.
corpus="$build/corpus"
rm -rf "$corpus"
mkdir -p "$corpus"/{ir,gen,npy,header}
python3 - "$root" "$corpus" <<'PY'
import hashlib, os, sys
root, corpus = sys.argv[1], sys.argv[2]
num_pipelines = 15  # kPipelines in fuzz/IrFuzzer.cpp
n = 0
for dirpath, _, files in os.walk(os.path.join(root, "test")):
    for name in sorted(files):
        if not name.endswith(".mlir"):
            continue
        text = open(os.path.join(dirpath, name), encoding="utf-8", errors="replace").read()
        for chunk in text.split("// -----"):
            body = "\n".join(l for l in chunk.splitlines()
                             if not l.lstrip().startswith("// RUN"))
            if "func" not in body and "module" not in body:
                continue
            digest = hashlib.sha1(body.encode()).digest()
            # Two pipelines per chunk: libFuzzer mutates the selector too.
            for selector in {digest[0] % num_pipelines, digest[1] % num_pipelines}:
                with open(os.path.join(corpus, "ir", f"seed{n:05d}"), "wb") as f:
                    f.write(bytes([selector]) + body.encode())
                n += 1
print(f"fuzz.sh: {n} IR seeds")
PY
for spec in f32:2x3x4 f16:1x2 bf16:5 f64:2x2x2x2 i32:3 i64:1x1 i1:4x4 f32:0x3; do
  python3 "$root/utils/npy.py" rand "$corpus/npy/${spec/:/_}.npy" "${spec%%:*}" "${spec#*:}"
done
printf '\x93NUMPY\x01\x00\x10\x00{}              ' > "$corpus/npy/bad-header.npy"
printf '\x00' > "$corpus/gen/zero"
printf '\x00' > "$corpus/header/zero"

mkdir -p "$build/crashes" "$build/logs"
run_one() {
  local name="$1"
  local crashes="$build/crashes/$name"
  mkdir -p "$crashes"
  ASAN_OPTIONS="detect_leaks=1:halt_on_error=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    "$build/bin/attn-fuzz-$name" "$corpus/$name" \
      -max_total_time="$seconds" -timeout=60 -rss_limit_mb=6144 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$crashes/" \
      > "$build/logs/$name.log" 2>&1 || true
}
names=(ir gen npy header)
if [ -n "$only" ]; then names=("$only"); fi
pids=()
for name in "${names[@]}"; do
  run_one "$name" &
  pids+=($!)
  # Two at a time: the machines have two cores.
  if [ ${#pids[@]} -ge 2 ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
wait

printf '%-18s %8s %12s %8s\n' fuzzer seconds executions crashes
total_crashes=0
for name in "${names[@]}"; do
  log="$build/logs/$name.log"
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  crashes=$(find "$build/crashes/$name" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  total_crashes=$((total_crashes + crashes))
  printf '%-18s %8s %12s %8s\n' "attn-fuzz-$name" "$seconds" "${execs:-?}" "$crashes"
done
if [ "$total_crashes" -ne 0 ]; then
  echo "fuzz.sh: $total_crashes finding(s) in $build/crashes (logs in $build/logs)"
  exit 1
fi
