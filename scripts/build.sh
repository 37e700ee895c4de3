#!/usr/bin/env bash
# Installs missing dependencies, configures Attn with CMake + Ninja into
# build/ and builds the tools (build/bin/attn-opt, build/bin/attn-run,
# build/bin/attn-compile), the runtime libraries (build/lib/libAttnRuntime.so
# and, when cuda.h is found, libAttnCudaRuntime.so) and the generated docs.
# Uses clang-22 + lld when present. Safe to re-run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTN_BUILD_DIR:-$root/build}"

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
  cmake -S "$root" -B "$build" "${args[@]}"
fi
cmake --build "$build" --target attn-opt attn-run attn-compile attn-runtime mlir-doc
