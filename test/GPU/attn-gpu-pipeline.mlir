// REQUIRES: cuda-toolkit
// RUN: rm -rf %t && mkdir -p %t
// RUN: attn-opt %s --pass-pipeline='builtin.module(attn-gpu-pipeline{chip=sm_80})' --split-input-file -o %t/sm80.mlir
// RUN: FileCheck %s --check-prefix=DYN --input-file=%t/sm80.mlir
// RUN: FileCheck %s --input-file=%t/sm80.mlir
// RUN: %python %attn_src_root/utils/extract_ptx.py %t/sm80.mlir %t/sm80
// RUN: FileCheck %s --check-prefix=PTX --input-file=%t/sm80/causal_gqa_kernel.ptx
// RUN: mlir-translate --mlir-to-llvmir %t/sm80.mlir --split-input-file | FileCheck %s --check-prefix=HOST
// RUN: attn-opt %s --pass-pipeline='builtin.module(attn-gpu-pipeline{chip=sm_90a warps=8 tile-q=16 tile-kv=32})' --split-input-file | FileCheck %s --check-prefix=SM90A
// RUN: not attn-opt %s --pass-pipeline='builtin.module(attn-gpu-pipeline{chip=sm_70})' 2>&1 | FileCheck %s --check-prefix=BADCHIP
// RUN: not attn-opt %s --pass-pipeline='builtin.module(attn-gpu-pipeline{stages=3})' 2>&1 | FileCheck %s --check-prefix=STAGES
// RUN: not attn-opt %s --pass-pipeline='builtin.module(attn-gpu-pipeline{strategy=split-kv})' 2>&1 | FileCheck %s --check-prefix=SPLIT
// RUN: not attn-opt %s --pass-pipeline='builtin.module(attn-gpu-pipeline{warps=0})' 2>&1 | FileCheck %s --check-prefix=WARPS

/// attn-gpu-pipeline: attn.sdpa on tensors → a gpu.binary with the PTX of
/// one kernel per attention (one block per batch, head and query tile, the
/// block's tiles in shared memory, the tile computations spread over the
/// threads with barriers between them, QKᵀ and P·V of f16/bf16 over warps on
/// tensor cores: test/GPU/attn-gpu-mma.mlir) and
/// host code that launches it on the buffers it is given. Nothing of attn,
/// no host-heap allocation and no runtime-library call in the kernel.
/// Option errors are not located (the pipeline is checked before it runs).

// BADCHIP: attn-gpu-pipeline: unsupported chip 'sm_70': expected sm_80, sm_90 or sm_90a
// STAGES: attn-gpu-pipeline: stages=3 is not implemented (multi-stage cp.async buffering); only stages=1
// SPLIT: attn-gpu-pipeline: strategy=split-kv is not implemented on GPU yet (only flash)
// WARPS: attn-gpu-pipeline: warps must be in [1, 32], got 0

// CHECK-LABEL: llvm.func @causal_gqa(
//       CHECK:   gpu.launch_func {{ *}}@causal_gqa_kernel::@causal_gqa_kernel blocks in
//   CHECK-NOT:   attn.
//       CHECK: gpu.binary @causal_gqa_kernel
//  CHECK-SAME:   #nvvm.target<{{.*}}chip = "sm_80", features = "+ptx70"

// The kernel: shared tiles, barriers, the polynomial-free exp2 of the GPU,
// stores of the output; no call (no runtime library, no heap).
//     PTX-DAG: .target sm_80
//     PTX-DAG: .visible .entry causal_gqa_kernel
//     PTX-DAG: .shared .align
//     PTX-DAG: bar.sync
//     PTX-DAG: ld.shared
//     PTX-DAG: ex2.approx
//     PTX-DAG: st.global
//     PTX-NOT: call

// The host code calls the mgpu* functions libAttnCudaRuntime implements
// (test/GPU/cuda-runtime.test), with the PTX JIT-compiled by the driver.
// HOST-DAG: declare ptr @mgpuModuleLoadJIT(ptr, i32)
// HOST-DAG: declare ptr @mgpuModuleGetFunction(ptr, ptr)
// HOST-DAG: declare void @mgpuLaunchKernel(ptr, i64, i64, i64, i64, i64, i64, i32, ptr, ptr, ptr, i64)
// HOST-DAG: declare ptr @mgpuStreamCreate()
// HOST-DAG: declare void @mgpuStreamSynchronize(ptr)
// HOST-DAG: declare void @mgpuStreamDestroy(ptr)
// HOST-DAG: declare void @mgpuModuleUnload(ptr)

// SM90A: gpu.binary @causal_gqa_kernel
// SM90A-SAME:   chip = "sm_90a", features = "+ptx80"
// SM90A-SAME:   .target sm_90a
func.func @causal_gqa(%q: tensor<2x8x37x64xf16>, %k: tensor<2x2x53x64xf16>,
                      %v: tensor<2x2x53x32xf16>) -> tensor<2x8x37x32xf16> {
  %o = attn.sdpa %q, %k, %v {causal}
      : tensor<2x8x37x64xf16>, tensor<2x2x53x64xf16>, tensor<2x2x53x32xf16> -> tensor<2x8x37x32xf16>
  return %o : tensor<2x8x37x32xf16>
}

// -----

// Dynamic batch and query/key lengths: the grid is computed at run time.
// DYN-LABEL: llvm.func @dynamic(
//       DYN:   gpu.launch_func {{ *}}@dynamic_kernel::@dynamic_kernel blocks in
//       DYN: gpu.binary @dynamic_kernel
func.func @dynamic(%q: tensor<?x4x?x8xf32>, %k: tensor<?x2x?x8xf32>,
                   %v: tensor<?x2x?x8xf32>) -> tensor<?x4x?x8xf32> {
  %o = attn.sdpa %q, %k, %v {causal}
      : tensor<?x4x?x8xf32>, tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32> -> tensor<?x4x?x8xf32>
  return %o : tensor<?x4x?x8xf32>
}
