// REQUIRES: cuda-toolkit
// RUN: rm -rf %t && mkdir -p %t
// RUN: attn-opt %s --pass-pipeline='builtin.module(attn-gpu-pipeline{chip=sm_80})' -o %t/sm80.mlir 2> %t/sm80.remarks
// RUN: %python %attn_src_root/utils/extract_ptx.py %t/sm80.mlir %t/sm80 > /dev/null
// RUN: cat %t/sm80/f16_causal_gqa_kernel.ptx %t/sm80/bf16_hd128_kernel.ptx %t/sm80/f16_dynamic_kernel.ptx %t/sm80/negative_f32_kernel.ptx %t/sm80/partial_hd40_kernel.ptx %t/sm80/negative_decode_kernel.ptx | FileCheck %s --check-prefixes=PTX,SM80
// RUN: FileCheck %s --check-prefix=REMARK --input-file=%t/sm80.remarks
// RUN: attn-opt %s --pass-pipeline='builtin.module(attn-gpu-pipeline{chip=sm_90})' -o %t/sm90.mlir 2> /dev/null
// RUN: %python %attn_src_root/utils/extract_ptx.py %t/sm90.mlir %t/sm90 > /dev/null
// RUN: cat %t/sm90/f16_causal_gqa_kernel.ptx %t/sm90/bf16_hd128_kernel.ptx %t/sm90/f16_dynamic_kernel.ptx %t/sm90/negative_f32_kernel.ptx %t/sm90/partial_hd40_kernel.ptx %t/sm90/negative_decode_kernel.ptx | FileCheck %s --check-prefixes=PTX,SM90
// RUN: attn-opt %s --pass-pipeline='builtin.module(attn-gpu-pipeline{chip=sm_90a})' -o %t/sm90a.mlir 2> /dev/null
// RUN: %python %attn_src_root/utils/extract_ptx.py %t/sm90a.mlir %t/sm90a > /dev/null
// RUN: cat %t/sm90a/f16_causal_gqa_kernel.ptx %t/sm90a/bf16_hd128_kernel.ptx %t/sm90a/f16_dynamic_kernel.ptx %t/sm90a/negative_f32_kernel.ptx %t/sm90a/partial_hd40_kernel.ptx %t/sm90a/negative_decode_kernel.ptx | FileCheck %s --check-prefixes=PTX,SM90A
// With tile-kv=12 no contraction has mma.sync sizes; tensor-cores=false
// turns them off: both give SIMT code only.
// RUN: attn-opt %s --pass-pipeline='builtin.module(attn-gpu-pipeline{chip=sm_80 tile-kv=12})' -o %t/kv12.mlir 2> %t/kv12.remarks
// RUN: %python %attn_src_root/utils/extract_ptx.py %t/kv12.mlir %t/kv12 > /dev/null
// RUN: cat %t/kv12/*.ptx | FileCheck %s --check-prefix=NOMMA
// RUN: FileCheck %s --check-prefix=KV12 --input-file=%t/kv12.remarks
// RUN: attn-opt %s --pass-pipeline='builtin.module(attn-gpu-pipeline{chip=sm_80 tensor-cores=false})' -o %t/off.mlir 2> %t/off.remarks
// RUN: %python %attn_src_root/utils/extract_ptx.py %t/off.mlir %t/off > /dev/null
// RUN: cat %t/off/*.ptx | FileCheck %s --check-prefix=NOMMA
// RUN: count 0 < %t/off.remarks

/// The tensor-core rung of attn-gpu-pipeline: QKᵀ and P·V of f16 and bf16
/// attention run as mma.sync m16n8k16 with f32 accumulators on every chip,
/// one warp per 16x8·b block of the scores or the output (attn-gpu-distribute
/// tiles them over warps, attn-gpu-mma lowers the warp tiles). f32 inputs,
/// and contractions whose sizes are not multiples of 16x8x16, stay SIMT and
/// say why in a remark. The default tiles (32 queries, 16 keys, 4 warps):
/// each warp computes a 16x8 scores block (D/16 mma) and a 16x(Dv/2)
/// output block (Dv/16 mma) per key step.

// NOMMA-NOT: {{mma.sync|ldmatrix}}
// KV12-DAG: remark: attn-gpu-distribute: this contraction stays on SIMT threads, not tensor cores: sizes 32x12x64 (m x n x k) are not multiples of 16x8x16
// KV12-DAG: remark: attn-gpu-distribute: this contraction stays on SIMT threads, not tensor cores: sizes 32x32x12 (m x n x k) are not multiples of 16x8x16

// f16, GQA, causal, Dk = 64 != Dv = 32, Lq = 37 and Lk = 53 (tails): all
// three key loops (skipped-free, unmasked, masked) on tensor cores.
//       SM80: .target sm_80
//       SM90: .target sm_90{{$}}
//      SM90A: .target sm_90a
//  PTX-LABEL: .entry f16_causal_gqa_kernel(
// Shared tiles aligned for ldmatrix (attn-gpu-kernel-attributes).
//       PTX:  .shared .align 16
// The scaled queries and the probabilities, in shared memory, by ldmatrix.
//       PTX:  ldmatrix.sync.aligned.m8n8.x4.shared.b16
//       PTX:  mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
//   PTX-NOT:  mma.sync.aligned.m16n8k16.row.col.f32.bf16
func.func @f16_causal_gqa(%q: tensor<2x8x37x64xf16>, %k: tensor<2x2x53x64xf16>,
                          %v: tensor<2x2x53x32xf16>) -> tensor<2x8x37x32xf16> {
  %o = attn.sdpa %q, %k, %v {causal}
      : tensor<2x8x37x64xf16>, tensor<2x2x53x64xf16>, tensor<2x2x53x32xf16> -> tensor<2x8x37x32xf16>
  return %o : tensor<2x8x37x32xf16>
}

// bf16, head size 128: nvvm.mma.sync with bf16 operands packed in i32.
//  PTX-LABEL: .entry bf16_hd128_kernel(
//       PTX:  ldmatrix.sync.aligned.m8n8.x4.shared.b16
//       PTX:  mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
//   PTX-NOT:  mma.sync.aligned.m16n8k16.row.col.f32.f16.f16
func.func @bf16_hd128(%q: tensor<1x4x64x128xbf16>, %k: tensor<1x4x64x128xbf16>,
                      %v: tensor<1x4x64x128xbf16>) -> tensor<1x4x64x128xbf16> {
  %o = attn.sdpa %q, %k, %v
      : tensor<1x4x64x128xbf16>, tensor<1x4x64x128xbf16>, tensor<1x4x64x128xbf16> -> tensor<1x4x64x128xbf16>
  return %o : tensor<1x4x64x128xbf16>
}

// Dynamic batch and lengths: the block tiles are static, so tensor cores.
//  PTX-LABEL: .entry f16_dynamic_kernel(
//       PTX:  mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
func.func @f16_dynamic(%q: tensor<?x4x?x64xf16>, %k: tensor<?x2x?x64xf16>,
                       %v: tensor<?x2x?x64xf16>) -> tensor<?x4x?x64xf16> {
  %o = attn.sdpa %q, %k, %v {causal}
      : tensor<?x4x?x64xf16>, tensor<?x2x?x64xf16>, tensor<?x2x?x64xf16> -> tensor<?x4x?x64xf16>
  return %o : tensor<?x4x?x64xf16>
}

// f32 inputs stay SIMT (no tf32: docs/AttnRationale.md, GPU numerics),
// without a remark.
//  PTX-LABEL: .entry negative_f32_kernel(
//   PTX-NOT:  mma.sync
func.func @negative_f32(%q: tensor<1x2x64x64xf32>, %k: tensor<1x2x64x64xf32>,
                        %v: tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32> {
  %o = attn.sdpa %q, %k, %v
      : tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32> -> tensor<1x2x64x64xf32>
  return %o : tensor<1x2x64x64xf32>
}

// Head size 40: QKᵀ (k = 40) stays SIMT with a remark, P·V (n = 40, k = 16)
// runs on tensor cores: Dv/8 = 5 column blocks over 2 warps along n does not
// divide, so 1 warp along n: 5 mma per warp.
//  PTX-LABEL: .entry partial_hd40_kernel(
//       PTX:  mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// REMARK: remark: attn-gpu-distribute: this contraction stays on SIMT threads, not tensor cores: sizes 32x16x40 (m x n x k) are not multiples of 16x8x16
func.func @partial_hd40(%q: tensor<1x2x64x40xf16>, %k: tensor<1x2x64x40xf16>,
                        %v: tensor<1x2x64x40xf16>) -> tensor<1x2x64x40xf16> {
  %o = attn.sdpa %q, %k, %v
      : tensor<1x2x64x40xf16>, tensor<1x2x64x40xf16>, tensor<1x2x64x40xf16> -> tensor<1x2x64x40xf16>
  return %o : tensor<1x2x64x40xf16>
}

// Decoding (one query): a block of one row has no 16-row mma tile.
//  PTX-LABEL: .entry negative_decode_kernel(
//   PTX-NOT:  mma.sync
// REMARK: remark: attn-gpu-distribute: this contraction stays on SIMT threads, not tensor cores: sizes 1x16x64 (m x n x k) are not multiples of 16x8x16
func.func @negative_decode(%q: tensor<1x2x1x64xf16>, %k: tensor<1x2x256x64xf16>,
                           %v: tensor<1x2x256x64xf16>) -> tensor<1x2x1x64xf16> {
  %o = attn.sdpa %q, %k, %v
      : tensor<1x2x1x64xf16>, tensor<1x2x256x64xf16>, tensor<1x2x256x64xf16> -> tensor<1x2x1x64xf16>
  return %o : tensor<1x2x1x64xf16>
}
