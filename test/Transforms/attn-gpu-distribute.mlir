// RUN: attn-opt %s --attn-gpu-distribute="num-threads=64" --split-input-file | FileCheck %s

///--- attn-gpu-distribute
/// IN:  linalg ops on tensors inside an scf.forall mapped to GPU blocks.
/// OUT: each op tiled into an scf.forall over its last two non-unit
///      parallel loops, mapped to linear thread ids, reductions kept whole
///      within a thread. Ops outside block loops are left alone.

// CHECK-LABEL: func @contraction_and_row_max
//       CHECK:   scf.forall (%{{.*}}) in (2) shared_outs
// The scores tile 16x32: 2 x 32 threads, a 8x1 tile each, k whole.
//       CHECK:     scf.forall (%{{.*}}, %{{.*}}) in (2, 32) shared_outs
//       CHECK:       linalg.generic
//  CHECK-SAME:         iterator_types = ["parallel", "parallel", "reduction"]
//  CHECK-SAME:         outs(%{{.*}} : tensor<8x1xf32>)
//       CHECK:     } {mapping = [#gpu.thread<linear_dim_1>, #gpu.thread<linear_dim_0>]}
// The row max over 16 rows: 16 threads, a whole row each.
//       CHECK:     scf.forall (%{{.*}}) in (16) shared_outs
//       CHECK:       linalg.generic
//  CHECK-SAME:         outs(%{{.*}} : tensor<1xf32>)
//       CHECK:     } {mapping = [#gpu.thread<linear_dim_0>]}
//       CHECK:   } {mapping = [#gpu.block<x>]}
#qk = affine_map<(i, j, d) -> (i, d)>
#k = affine_map<(i, j, d) -> (j, d)>
#s = affine_map<(i, j, d) -> (i, j)>
#row = affine_map<(i, j) -> (i, j)>
#red = affine_map<(i, j) -> (i)>
func.func @contraction_and_row_max(%q: tensor<2x16x8xf32>, %k: tensor<32x8xf32>,
                                   %init: tensor<2x16xf32>) -> tensor<2x16xf32> {
  %e = tensor.empty() : tensor<2x16xf32>
  %r = scf.forall (%h) in (2) shared_outs(%o = %e) -> (tensor<2x16xf32>) {
    %qt = tensor.extract_slice %q[%h, 0, 0] [1, 16, 8] [1, 1, 1] : tensor<2x16x8xf32> to tensor<16x8xf32>
    %z = tensor.empty() : tensor<16x32xf32>
    %s = linalg.generic {indexing_maps = [#qk, #k, #s], iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%qt, %k : tensor<16x8xf32>, tensor<32x8xf32>) outs(%z : tensor<16x32xf32>) {
    ^bb0(%a: f32, %b: f32, %c: f32):
      %m = arith.mulf %a, %b : f32
      %add = arith.addf %c, %m : f32
      linalg.yield %add : f32
    } -> tensor<16x32xf32>
    %mi = tensor.extract_slice %init[%h, 0] [1, 16] [1, 1] : tensor<2x16xf32> to tensor<16xf32>
    %mx = linalg.generic {indexing_maps = [#row, #red], iterator_types = ["parallel", "reduction"]}
        ins(%s : tensor<16x32xf32>) outs(%mi : tensor<16xf32>) {
    ^bb0(%a: f32, %c: f32):
      %m = arith.maximumf %a, %c : f32
      linalg.yield %m : f32
    } -> tensor<16xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %mx into %o[%h, 0] [1, 16] [1, 1] : tensor<16xf32> into tensor<2x16xf32>
    }
  } {mapping = [#gpu.block<x>]}
  return %r : tensor<2x16xf32>
}

// -----

// Not in a block loop (no loop, or a loop mapped to threads): left alone.
// CHECK-LABEL: func @negative_no_block_loop
//   CHECK-NOT:   #gpu.thread
//       CHECK:   linalg.generic
//   CHECK-NOT:   #gpu.thread<linear_dim
#id = affine_map<(i) -> (i)>
func.func @negative_no_block_loop(%x: tensor<64xf32>) -> tensor<64xf32> {
  %e = tensor.empty() : tensor<64xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<64xf32>) outs(%e : tensor<64xf32>) {
  ^bb0(%a: f32, %b: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<64xf32>
  return %y : tensor<64xf32>
}
