// RUN: attn-opt %s --attn-gpu-mma --split-input-file -verify-diagnostics | FileCheck %s

///--- attn-gpu-mma
/// IN:  warp tiles marked attn.mma in a gpu.launch (on buffers): f16 or
///      bf16 contractions into f32, (m, k) x (n, k) or (k, n) -> (m, n).
/// OUT: per-lane fragment loads (ldmatrix x4 for an lhs in shared memory,
///      otherwise memref.load at the lane's coordinates of the m16n8k16
///      layout), nvgpu.mma.sync for f16, nvvm.mma.sync with
///      i32-packed operands for bf16, fragment stores of the accumulators.

// A 16x16 tile with k = 32: 2 column blocks x 2 k steps = 4 mma, the
// accumulator loaded and stored once per column block.
// CHECK-LABEL: func @f16_scores
//       CHECK:   gpu.launch
//       CHECK:     %[[LANE:.*]] = gpu.lane_id
//   CHECK-NOT:     linalg.generic
// 8 A values per lane and k step, 4 accumulators per column block.
//  CHECK-COUNT-16:   memref.load %{{.*}} : memref<1x1x16x32xf16, strided<[1024, 1024, 32, 1], offset: 512>>
//       CHECK:     memref.load {{.*}} : memref<1x1x16x16xf32
//       CHECK:     nvgpu.mma.sync({{.*}}) {mmaShape = [16, 8, 16]} : (vector<4x2xf16>, vector<2x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
//       CHECK:     nvgpu.mma.sync
//       CHECK:     memref.store {{.*}} : memref<1x1x16x16xf32
//       CHECK:     nvgpu.mma.sync
//       CHECK:     nvgpu.mma.sync
//   CHECK-NOT:     nvgpu.mma.sync
//       CHECK:     gpu.terminator
#lhs = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>
#nk = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d3, d4)>
#kn = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4, d3)>
#out = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
func.func @f16_scores(%q: memref<1x1x32x32xf16>, %k: memref<1x1x16x32xf16>,
                      %s: memref<1x1x32x16xf32>) {
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%x1 = %c32, %y1 = %c1, %z1 = %c1) {
    %qt = memref.subview %q[0, 0, 16, 0] [1, 1, 16, 32] [1, 1, 1, 1] : memref<1x1x32x32xf16> to memref<1x1x16x32xf16, strided<[1024, 1024, 32, 1], offset: 512>>
    %st = memref.subview %s[0, 0, 16, 0] [1, 1, 16, 16] [1, 1, 1, 1] : memref<1x1x32x16xf32> to memref<1x1x16x16xf32, strided<[512, 512, 16, 1], offset: 256>>
    linalg.generic {indexing_maps = [#lhs, #nk, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
        ins(%qt, %k : memref<1x1x16x32xf16, strided<[1024, 1024, 32, 1], offset: 512>>, memref<1x1x16x32xf16>)
        outs(%st : memref<1x1x16x16xf32, strided<[512, 512, 16, 1], offset: 256>>) attrs = {attn.mma} {
    ^bb0(%a: f16, %b: f16, %c: f32):
      %x = arith.extf %a : f16 to f32
      %y = arith.extf %b : f16 to f32
      %m = arith.mulf %x, %y : f32
      %add = arith.addf %m, %c : f32
      linalg.yield %add : f32
    }
    gpu.terminator
  }
  return
}

// -----

// bf16 P·V with V read (k, n): nvvm.mma.sync on i32 registers.
// CHECK-LABEL: func @bf16_context
//       CHECK:   vector.bitcast {{.*}} : vector<2xbf16> to vector<1xi32>
//       CHECK:   nvvm.mma.sync A[{{.*}}] B[{{.*}}] C[{{.*}}] {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
//   CHECK-NOT:   nvgpu.mma.sync
#lhs = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>
#kn = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4, d3)>
#out = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
func.func @bf16_context(%p: memref<1x1x16x16xbf16>, %v: memref<1x1x16x8xbf16>,
                        %o: memref<1x1x16x8xf32>) {
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%x1 = %c32, %y1 = %c1, %z1 = %c1) {
    linalg.generic {indexing_maps = [#lhs, #kn, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
        ins(%p, %v : memref<1x1x16x16xbf16>, memref<1x1x16x8xbf16>)
        outs(%o : memref<1x1x16x8xf32>) attrs = {attn.mma} {
    ^bb0(%a: bf16, %b: bf16, %c: f32):
      %x = arith.extf %a : bf16 to f32
      %y = arith.extf %b : bf16 to f32
      %m = arith.mulf %x, %y : f32
      %add = arith.addf %m, %c : f32
      linalg.yield %add : f32
    }
    gpu.terminator
  }
  return
}

// -----

// An lhs in a block's shared buffer (what attn-gpu-promote-allocs leaves:
// a memory_space_cast from workgroup) is read with ldmatrix x4.
//   CHECK-DAG: #[[$ROWMAP:map[0-9]*]] = affine_map<()[s0] -> (s0 mod 16)>
//   CHECK-DAG: #[[$COLMAP:map[0-9]*]] = affine_map<()[s0] -> ((s0 floordiv 16) * 8)>
// CHECK-LABEL: func @shared_lhs
//       CHECK:   %[[LANE:.*]] = gpu.lane_id
//       CHECK:   %[[SH:.*]] = memref.memory_space_cast %{{.*}} : memref<1x1x16x16xf16> to memref<1x1x16x16xf16, #gpu.address_space<workgroup>>
// Lanes 0-15 give the rows of the left 8 columns, lanes 16-31 of the right.
//       CHECK:   %[[ROW:.*]] = affine.apply #[[$ROWMAP]]()[%[[LANE]]]
//       CHECK:   %[[COL:.*]] = affine.apply #[[$COLMAP]]()[%[[LANE]]]
//       CHECK:   nvgpu.ldmatrix %[[SH]][%{{.*}}, %{{.*}}, %[[ROW]], %[[COL]]] {numTiles = 4 : i32, transpose = false} : memref<1x1x16x16xf16, #gpu.address_space<workgroup>> -> vector<4x2xf16>
// An accumulator in shared memory: one aligned vector load and store per
// register (2 x 2 f32).
//  CHECK-COUNT-2:   vector.load %{{.*}} {alignment = 8 : i64} : memref<1x1x16x8xf32>, vector<2xf32>
//       CHECK:   nvgpu.mma.sync
//  CHECK-COUNT-2:   vector.store %{{.*}} {alignment = 8 : i64} : memref<1x1x16x8xf32>, vector<2xf32>
#lhs = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>
#kn = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4, d3)>
#out = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
func.func @shared_lhs(%v: memref<1x1x16x8xf16>) {
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%x1 = %c32, %y1 = %c1, %z1 = %c1)
             workgroup(%w : memref<1x1x16x16xf16, #gpu.address_space<workgroup>>,
                       %wo : memref<1x1x16x8xf32, #gpu.address_space<workgroup>>) {
    %p = memref.memory_space_cast %w : memref<1x1x16x16xf16, #gpu.address_space<workgroup>> to memref<1x1x16x16xf16>
    %o = memref.memory_space_cast %wo : memref<1x1x16x8xf32, #gpu.address_space<workgroup>> to memref<1x1x16x8xf32>
    linalg.generic {indexing_maps = [#lhs, #kn, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
        ins(%p, %v : memref<1x1x16x16xf16>, memref<1x1x16x8xf16>)
        outs(%o : memref<1x1x16x8xf32>) attrs = {attn.mma} {
    ^bb0(%a: f16, %b: f16, %c: f32):
      %x = arith.extf %a : f16 to f32
      %y = arith.extf %b : f16 to f32
      %m = arith.mulf %x, %y : f32
      %add = arith.addf %m, %c : f32
      linalg.yield %add : f32
    }
    gpu.terminator
  }
  return
}

// -----

func.func @tile_not_mma_sized(%p: memref<1x1x16x12xf16>, %v: memref<1x1x12x8xf16>,
                              %o: memref<1x1x16x8xf32>) {
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%x1 = %c32, %y1 = %c1, %z1 = %c1) {
    // expected-error @below {{attn-gpu-mma: a tensor-core tile must have static sizes that are multiples of 16x8x16}}
    linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4, d3)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
        ins(%p, %v : memref<1x1x16x12xf16>, memref<1x1x12x8xf16>)
        outs(%o : memref<1x1x16x8xf32>) attrs = {attn.mma} {
    ^bb0(%a: f16, %b: f16, %c: f32):
      %x = arith.extf %a : f16 to f32
      %y = arith.extf %b : f16 to f32
      %m = arith.mulf %x, %y : f32
      %add = arith.addf %m, %c : f32
      linalg.yield %add : f32
    }
    gpu.terminator
  }
  return
}
