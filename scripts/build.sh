#!/usr/bin/env bash
# Installs missing dependencies, configures Attn with CMake + Ninja into
# build/ and builds the tools (build/bin/attn-opt, build/bin/attn-run,
# build/bin/attn-compile), the runtime libraries (build/lib/libAttnRuntime.so
# and, when cuda.h is found, libAttnCudaRuntime.so) and the generated docs.
# Uses clang-22 + lld when present. Safe to re-run.
#
#   scripts/build.sh [--sanitize=address,undefined]
#
# --sanitize builds an instrumented copy into its own folder (build-asan/ for
# address or address,undefined, build-ubsan/ for undefined alone) with
# clang-22; `scripts/test.sh --sanitize` runs the suite against it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sanitize=""
for arg in "$@"; do
  case "$arg" in
    --sanitize=*) sanitize="${arg#--sanitize=}" ;;
    *) echo "build.sh: unknown argument '$arg' (expected --sanitize=address,undefined)" >&2; exit 1 ;;
  esac
done
llvm_sanitizer=""
if [ -n "$sanitize" ]; then
  IFS=',' read -r -a kinds <<<"$sanitize"
  for kind in "${kinds[@]}"; do
    case "$kind" in
      address) llvm_sanitizer="${llvm_sanitizer:+$llvm_sanitizer;}Address" ;;
      undefined) llvm_sanitizer="${llvm_sanitizer:+$llvm_sanitizer;}Undefined" ;;
      *) echo "build.sh: unsupported sanitizer '$kind' (expected address and/or undefined)" >&2; exit 1 ;;
    esac
  done
  case "$llvm_sanitizer" in
    *Address*) default_build="$root/build-asan" ;;
    *) default_build="$root/build-ubsan" ;;
  esac
  build="${ATTN_BUILD_DIR:-$default_build}"
else
  build="${ATTN_BUILD_DIR:-$root/build}"
fi

"$root/scripts/install-deps.sh"

if [ ! -f "$build/build.ninja" ]; then
  args=(
    -G Ninja
    -DCMAKE_BUILD_TYPE=Release
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit
  )
  if command -v clang++-22 >/dev/null && command -v clang-22 >/dev/null; then
    args+=(-DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22)
    if [ -x /usr/lib/llvm-22/bin/ld.lld ]; then
      args+=(-DLLVM_USE_LINKER=lld)
    fi
  fi
  if [ -n "$llvm_sanitizer" ]; then
    if ! command -v clang++-22 >/dev/null; then
      echo "build.sh: --sanitize needs clang-22" >&2; exit 1
    fi
    args+=("-DLLVM_USE_SANITIZER=$llvm_sanitizer")
  fi
  cmake -S "$root" -B "$build" "${args[@]}"
fi
cmake --build "$build" --target attn-opt attn-run attn-compile attn-runtime attn-fuzzers mlir-doc
