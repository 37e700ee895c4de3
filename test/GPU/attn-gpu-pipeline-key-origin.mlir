// REQUIRES: cuda-toolkit
// RUN: attn-opt %s --pass-pipeline='builtin.module(attn-gpu-pipeline{chip=sm_80})' | FileCheck %s

/// attn-gpu-pipeline on attn.sdpa with a key origin (tile_origin with j0 and
/// Lk_total, one block of keys of ring attention): the flash nest is built
/// by the same online-softmax builders as on the CPU, so it compiles like
/// any other attention; j0 and Lk_total reach the kernel as arguments. The
/// numerics of this nest are checked on the CPU in
/// test/Integration/key-origin-gpu-nest.test.

// CHECK-LABEL: llvm.func @ring_block(
//  CHECK-SAME:   %[[J0:[a-zA-Z0-9_]+]]: i64, %[[LK:[a-zA-Z0-9_]+]]: i64)
//       CHECK:   gpu.launch_func {{ *}}@ring_block_kernel::@ring_block_kernel blocks in
//  CHECK-SAME:     %[[J0]] : i64
//   CHECK-NOT:   attn.
//       CHECK: gpu.binary @ring_block_kernel
func.func @ring_block(%q: tensor<2x8x37x64xf16>, %k: tensor<2x2x53x64xf16>,
                      %v: tensor<2x2x53x32xf16>, %lens: tensor<2xi32>,
                      %j0: index, %lk: index) -> tensor<2x8x37x32xf16> {
  %c0 = arith.constant 0 : index
  %c37 = arith.constant 37 : index
  %o = attn.sdpa %q, %k, %v kv_lens(%lens : tensor<2xi32>)
      tile_origin(%c0, %c0, %c0, %c37, %j0, %lk) {causal}
      : tensor<2x8x37x64xf16>, tensor<2x2x53x64xf16>, tensor<2x2x53x32xf16>
      -> tensor<2x8x37x32xf16>
  return %o : tensor<2x8x37x32xf16>
}
