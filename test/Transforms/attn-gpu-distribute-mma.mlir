// RUN: attn-opt %s --attn-gpu-distribute="num-threads=128" --split-input-file -verify-diagnostics | FileCheck %s
// RUN: attn-opt %s --attn-gpu-distribute="num-threads=128 tensor-cores=false" --split-input-file | FileCheck %s --check-prefix=OFF
// RUN: attn-opt %s --attn-gpu-distribute="num-threads=48" --split-input-file 2>&1 | FileCheck %s --check-prefix=PARTIAL

///--- attn-gpu-distribute, tensor cores
/// IN:  f16 contractions into f32 in a GPU block (QKᵀ with the f32 scaled
///      queries, P·V with the f32 probabilities).
/// OUT: each tiled over warps (#gpu.warp<linear_dim_*>), 16·a x 8·b per
///      warp and the whole reduction, the tile marked attn.mma; the f32
///      operand rounded to f16 (the scaling op itself writes f16 when it
///      only feeds such contractions; the probabilities, also summed in
///      f32, by an op of their own). Sizes that are not multiples of
///      16x8x16 stay SIMT (thread foralls) with a remark.

// CHECK-LABEL: func @scores_and_context
// The scaling writes f16 directly, distributed over threads.
//       CHECK:   %[[QS:.*]] = scf.forall {{.*}} -> (tensor<32x64xf16>)
//       CHECK:     arith.mulf
//       CHECK:     arith.truncf {{.*}} : f32 to f16
//       CHECK:   } {mapping = [#gpu.thread<linear_dim_1>, #gpu.thread<linear_dim_0>]}
// QKᵀ 32x16x64 over 2 x 2 warps: 16x8 each.
//       CHECK:   scf.forall (%{{.*}}, %{{.*}}) in (2, 2) shared_outs
//       CHECK:     linalg.generic
//  CHECK-SAME:       ins(%{{.*}}, %{{.*}} : tensor<16x64xf16>, tensor<8x64xf16>)
//  CHECK-SAME:       outs(%{{.*}} : tensor<16x8xf32>)
//  CHECK-SAME:       attrs = {attn.mma}
//       CHECK:       arith.extf {{.*}} : f16 to f32
//       CHECK:   } {mapping = [#gpu.warp<linear_dim_1>, #gpu.warp<linear_dim_0>]}
// The probabilities rounded by an op of their own (they are also summed).
//       CHECK:   arith.truncf {{.*}} : f32 to f16
// P·V 32x64x16 over 2 x 2 warps: 16x32 each, V read (k, n).
//       CHECK:   scf.forall (%{{.*}}, %{{.*}}) in (2, 2) shared_outs
//       CHECK:     linalg.generic
//  CHECK-SAME:       ins(%{{.*}}, %{{.*}} : tensor<16x16xf16>, tensor<16x32xf16>)
//  CHECK-SAME:       outs(%{{.*}} : tensor<16x32xf32>)
//  CHECK-SAME:       attrs = {attn.mma}
//       CHECK:   } {mapping = [#gpu.warp<linear_dim_1>, #gpu.warp<linear_dim_0>]}
//       CHECK: } {mapping = [#gpu.block<x>]}
// Threads that are not whole warps: no warp tiles.
// PARTIAL: remark: attn-gpu-distribute: this contraction stays on SIMT threads, not tensor cores: the block's 48 threads are not whole warps
// PARTIAL-NOT: gpu.warp
// OFF-LABEL: func @scores_and_context
//   OFF-NOT:   gpu.warp
//   OFF-NOT:   attn.mma
#id = affine_map<(i, d) -> (i, d)>
#lhs = affine_map<(i, j, d) -> (i, d)>
#nk = affine_map<(i, j, d) -> (j, d)>
#kn = affine_map<(i, j, d) -> (d, j)>
#out = affine_map<(i, j, d) -> (i, j)>
#row = affine_map<(i, j) -> (i)>
func.func @scores_and_context(%q: tensor<2x32x64xf16>, %k: tensor<16x64xf16>,
                              %v: tensor<16x64xf16>)
    -> (tensor<2x32x64xf32>, tensor<2x32xf32>) {
  %scale = arith.constant 0.125 : f32
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x32x64xf32>
  %e2 = tensor.empty() : tensor<2x32xf32>
  %r:2 = scf.forall (%h) in (2) shared_outs(%o = %e, %o2 = %e2) -> (tensor<2x32x64xf32>, tensor<2x32xf32>) {
    %qt = tensor.extract_slice %q[%h, 0, 0] [1, 32, 64] [1, 1, 1] : tensor<2x32x64xf16> to tensor<32x64xf16>
    %qe = tensor.empty() : tensor<32x64xf32>
    %qs = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%qt : tensor<32x64xf16>) outs(%qe : tensor<32x64xf32>) {
    ^bb0(%a: f16, %b: f32):
      %x = arith.extf %a : f16 to f32
      %y = arith.mulf %x, %scale : f32
      linalg.yield %y : f32
    } -> tensor<32x64xf32>
    %se = tensor.empty() : tensor<32x16xf32>
    %sz = linalg.fill ins(%zero : f32) outs(%se : tensor<32x16xf32>) -> tensor<32x16xf32>
    %s = linalg.generic {indexing_maps = [#lhs, #nk, #out], iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%qs, %k : tensor<32x64xf32>, tensor<16x64xf16>) outs(%sz : tensor<32x16xf32>) {
    ^bb0(%a: f32, %b: f16, %c: f32):
      %x = arith.extf %b : f16 to f32
      %m = arith.mulf %a, %x : f32
      %add = arith.addf %m, %c : f32
      linalg.yield %add : f32
    } -> tensor<32x16xf32>
    %p = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%s : tensor<32x16xf32>) outs(%se : tensor<32x16xf32>) {
    ^bb0(%a: f32, %b: f32):
      %x = math.exp %a : f32
      linalg.yield %x : f32
    } -> tensor<32x16xf32>
    %lz = tensor.empty() : tensor<32xf32>
    %l0 = linalg.fill ins(%zero : f32) outs(%lz : tensor<32xf32>) -> tensor<32xf32>
    %l = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, #row], iterator_types = ["parallel", "reduction"]}
        ins(%p : tensor<32x16xf32>) outs(%l0 : tensor<32xf32>) {
    ^bb0(%a: f32, %c: f32):
      %add = arith.addf %a, %c : f32
      linalg.yield %add : f32
    } -> tensor<32xf32>
    %oz = linalg.fill ins(%zero : f32) outs(%qe : tensor<32x64xf32>) -> tensor<32x64xf32>
    %ctx = linalg.generic {indexing_maps = [#lhs, #kn, #out], iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%p, %v : tensor<32x16xf32>, tensor<16x64xf16>) outs(%oz : tensor<32x64xf32>) {
    ^bb0(%a: f32, %b: f16, %c: f32):
      %x = arith.extf %b : f16 to f32
      %m = arith.mulf %a, %x : f32
      %add = arith.addf %m, %c : f32
      linalg.yield %add : f32
    } -> tensor<32x64xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %ctx into %o[%h, 0, 0] [1, 32, 64] [1, 1, 1] : tensor<32x64xf32> into tensor<2x32x64xf32>
      tensor.parallel_insert_slice %l into %o2[%h, 0] [1, 32] [1, 1] : tensor<32xf32> into tensor<2x32xf32>
    }
  } {mapping = [#gpu.block<x>]}
  return %r#0, %r#1 : tensor<2x32x64xf32>, tensor<2x32xf32>
}

// -----

// 12 keys: n = 12 is not a multiple of 8.
// CHECK-LABEL: func @negative_twelve_keys
//   CHECK-NOT:   gpu.warp
//       CHECK:   mapping = [#gpu.thread<linear_dim_1>, #gpu.thread<linear_dim_0>]
#lhs = affine_map<(i, j, d) -> (i, d)>
#nk = affine_map<(i, j, d) -> (j, d)>
#out = affine_map<(i, j, d) -> (i, j)>
func.func @negative_twelve_keys(%q: tensor<2x32x64xf16>, %k: tensor<12x64xf16>)
    -> tensor<2x32x12xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x32x12xf32>
  %r = scf.forall (%h) in (2) shared_outs(%o = %e) -> (tensor<2x32x12xf32>) {
    %qt = tensor.extract_slice %q[%h, 0, 0] [1, 32, 64] [1, 1, 1] : tensor<2x32x64xf16> to tensor<32x64xf16>
    %se = tensor.empty() : tensor<32x12xf32>
    %sz = linalg.fill ins(%zero : f32) outs(%se : tensor<32x12xf32>) -> tensor<32x12xf32>
    // expected-remark @below {{attn-gpu-distribute: this contraction stays on SIMT threads, not tensor cores: sizes 32x12x64 (m x n x k) are not multiples of 16x8x16}}
    %s = linalg.generic {indexing_maps = [#lhs, #nk, #out], iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%qt, %k : tensor<32x64xf16>, tensor<12x64xf16>) outs(%sz : tensor<32x12xf32>) {
    ^bb0(%a: f16, %b: f16, %c: f32):
      %x = arith.extf %a : f16 to f32
      %y = arith.extf %b : f16 to f32
      %m = arith.mulf %x, %y : f32
      %add = arith.addf %m, %c : f32
      linalg.yield %add : f32
    } -> tensor<32x12xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %s into %o[%h, 0, 0] [1, 32, 12] [1, 1, 1] : tensor<32x12xf32> into tensor<2x32x12xf32>
    }
  } {mapping = [#gpu.block<x>]}
  return %r : tensor<2x32x12xf32>
}

// -----

// f16 accumulation (not f32) stays SIMT.
// CHECK-LABEL: func @negative_f16_accumulator
//   CHECK-NOT:   gpu.warp
#lhs = affine_map<(i, j, d) -> (i, d)>
#nk = affine_map<(i, j, d) -> (j, d)>
#out = affine_map<(i, j, d) -> (i, j)>
func.func @negative_f16_accumulator(%q: tensor<2x32x64xf16>, %k: tensor<16x64xf16>)
    -> tensor<2x32x16xf16> {
  %zero = arith.constant 0.0 : f16
  %e = tensor.empty() : tensor<2x32x16xf16>
  %r = scf.forall (%h) in (2) shared_outs(%o = %e) -> (tensor<2x32x16xf16>) {
    %qt = tensor.extract_slice %q[%h, 0, 0] [1, 32, 64] [1, 1, 1] : tensor<2x32x64xf16> to tensor<32x64xf16>
    %se = tensor.empty() : tensor<32x16xf16>
    %sz = linalg.fill ins(%zero : f16) outs(%se : tensor<32x16xf16>) -> tensor<32x16xf16>
    // expected-remark @below {{attn-gpu-distribute: this contraction stays on SIMT threads, not tensor cores: not f16/bf16 × f16/bf16 (or f32 rounded to them) into f32}}
    %s = linalg.generic {indexing_maps = [#lhs, #nk, #out], iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%qt, %k : tensor<32x64xf16>, tensor<16x64xf16>) outs(%sz : tensor<32x16xf16>) {
    ^bb0(%a: f16, %b: f16, %c: f16):
      %m = arith.mulf %a, %b : f16
      %add = arith.addf %m, %c : f16
      linalg.yield %add : f16
    } -> tensor<32x16xf16>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %s into %o[%h, 0, 0] [1, 32, 16] [1, 1, 1] : tensor<32x16xf16> into tensor<2x32x16xf16>
    }
  } {mapping = [#gpu.block<x>]}
  return %r : tensor<2x32x16xf16>
}
