// RUN: attn-opt %s --attn-vectorize="report=true" --canonicalize --cse --split-input-file -verify-diagnostics | FileCheck %s
// RUN: attn-opt %s --attn-vectorize="vector-bits=512" --canonicalize --cse --split-input-file | FileCheck %s --check-prefix=AVX512
// RUN: attn-opt %s --attn-vectorize="vector-bits=0" --split-input-file | FileCheck %s --check-prefix=OFF

///----------------------------------------------------------------------------
/// IN:  static-shaped linalg ops on tensors (the blocks of attn-tile-flash
///      with static-blocks, attn-split-kv, attn-lower-unfused).
/// OUT: scf.for loops over register blocks with vector ops: contractions as
///      mr x nr blocks of FMAs whose accumulators are loop-carried vectors
///      (hoisted out of the k loop), operands read along k transposed once,
///      element-wise ops four registers per step, exp as a polynomial.
/// Why: the tile computations must run as FMA outer products in registers.
///      Dynamic sizes, i1 operands and sizes the blocks do not divide are
///      limitations (@unsupported_ cases): left as they are (scalar loops).
///----------------------------------------------------------------------------

// QKᵀ of a flash block: K is read along d, so it is transposed once; the
// scores are register blocks of 4 rows (the largest divisor of 64 up to 6)
// x 16 lanes, columns outside rows so a panel of Kᵀ stays in L1.
// CHECK-LABEL: func @scores_block
//       CHECK:   scf.for {{.*}} step %c8
//       CHECK:     vector.transpose {{.*}} : vector<1x1x8x8xf32> to vector<1x1x8x8xf32>
//       CHECK:   scf.for %[[J:.+]] = %c0 to %c128 step %c16
//       CHECK:     scf.for %[[I:.+]] = %c0 to %c64 step %c4
//       CHECK:       %[[ACC0:.+]] = vector.transfer_read {{.*}} vector<4x16xf32>
//       CHECK:       %[[ACC:.+]] = scf.for {{.*}} iter_args(%[[A:.+]] = %[[ACC0]]) -> (vector<4x16xf32>)
//       CHECK:         vector.fma {{.*}}, %[[A]] : vector<4x16xf32>
//       CHECK:       vector.transfer_write %[[ACC]]
// AVX512-LABEL: func @scores_block
//       AVX512:   scf.for {{.*}} step %c32
//       AVX512:     scf.for {{.*}} step %c8
//       AVX512:         vector.fma {{.*}} : vector<8x32xf32>
// OFF-LABEL: func @scores_block
//   OFF-NOT:   vector.
func.func @scores_block(%q: tensor<1x1x64x64xf32>, %k: tensor<1x1x128x64xf32>) -> tensor<1x1x64x128xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x1x64x128xf32>
  // expected-remark @below {{attn-vectorize: vectorised, tile [1, 1, 1, 32]}}
  %z = linalg.fill ins(%cst : f32) outs(%e : tensor<1x1x64x128xf32>) -> tensor<1x1x64x128xf32>
  // expected-remark @below {{attn-vectorize: register-blocked contraction, tile [1, 1, 4, 16, 1]}}
  // expected-remark @below {{attn-vectorize: vectorised, tile [1, 1, 8, 8]}}
  %s = linalg.generic {indexing_maps = [affine_map<(b, h, i, j, d) -> (b, h, i, d)>, affine_map<(b, h, i, j, d) -> (b, h, j, d)>, affine_map<(b, h, i, j, d) -> (b, h, i, j)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%q, %k : tensor<1x1x64x64xf32>, tensor<1x1x128x64xf32>) outs(%z : tensor<1x1x64x128xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %m, %c : f32
    linalg.yield %r : f32
  } -> tensor<1x1x64x128xf32>
  return %s : tensor<1x1x64x128xf32>
}

// -----

// P·V: V is already read along the lanes; no transpose.
// CHECK-LABEL: func @context_block
//   CHECK-NOT:   vector.transpose
//       CHECK:   scf.for {{.*}} iter_args({{.*}}) -> (vector<4x16xf32>)
//       CHECK:     vector.fma {{.*}} : vector<4x16xf32>
func.func @context_block(%p: tensor<1x1x64x128xf32>, %v: tensor<1x1x128x64xf32>, %acc: tensor<1x1x64x64xf32>) -> tensor<1x1x64x64xf32> {
  // expected-remark @below {{attn-vectorize: register-blocked contraction, tile [1, 1, 4, 16, 1]}}
  %o = linalg.generic {indexing_maps = [affine_map<(b, h, i, e, j) -> (b, h, i, j)>, affine_map<(b, h, i, e, j) -> (b, h, j, e)>, affine_map<(b, h, i, e, j) -> (b, h, i, e)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%p, %v : tensor<1x1x64x128xf32>, tensor<1x1x128x64xf32>) outs(%acc : tensor<1x1x64x64xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %m, %c : f32
    linalg.yield %r : f32
  } -> tensor<1x1x64x64xf32>
  return %o : tensor<1x1x64x64xf32>
}

// -----

// Decoding: one query row against K read along d is a set of dot products,
// vectorised along d (no transpose); the accumulation over keys (P·V) gets
// 8 registers per row to cover the FMA latency.
// CHECK-LABEL: func @decode_rows
//   CHECK-NOT:   vector.transpose
//       CHECK:   vector.multi_reduction <add>, {{.*}} [4] : vector<1x1x1x1x128xf32> to vector<1x1x1x1xf32>
//       CHECK:   vector.fma {{.*}} : vector<64xf32>
func.func @decode_rows(%q: tensor<1x4x1x128xf32>, %k: tensor<1x4x128x128xf32>, %s0: tensor<1x4x1x128xf32>,
                       %v: tensor<1x4x128x128xf32>, %acc: tensor<1x4x1x128xf32>) -> (tensor<1x4x1x128xf32>, tensor<1x4x1x128xf32>) {
  // expected-remark @below {{attn-vectorize: vectorised, tile [1, 1, 1, 1, 0]}}
  %s = linalg.generic {indexing_maps = [affine_map<(b, h, i, j, d) -> (b, h, i, d)>, affine_map<(b, h, i, j, d) -> (b, h, j, d)>, affine_map<(b, h, i, j, d) -> (b, h, i, j)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%q, %k : tensor<1x4x1x128xf32>, tensor<1x4x128x128xf32>) outs(%s0 : tensor<1x4x1x128xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %m, %c : f32
    linalg.yield %r : f32
  } -> tensor<1x4x1x128xf32>
  // expected-remark @below {{attn-vectorize: register-blocked contraction, tile [1, 1, 1, 64, 1]}}
  %o = linalg.generic {indexing_maps = [affine_map<(b, h, i, e, j) -> (b, h, i, j)>, affine_map<(b, h, i, e, j) -> (b, h, j, e)>, affine_map<(b, h, i, e, j) -> (b, h, i, e)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%s, %v : tensor<1x4x1x128xf32>, tensor<1x4x128x128xf32>) outs(%acc : tensor<1x4x1x128xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %m, %c : f32
    linalg.yield %r : f32
  } -> tensor<1x4x1x128xf32>
  return %s, %o : tensor<1x4x1x128xf32>, tensor<1x4x1x128xf32>
}

// -----

// Decoding with grouped-query heads packed as rows (attn-pack-gqa): 4 query
// rows against K read along d are still dot products (up to 8 rows), not
// outer products over a transposed K block.
// CHECK-LABEL: func @packed_decode_rows
//   CHECK-NOT:   vector.transpose
//       CHECK:   vector.multi_reduction <add>, {{.*}} [4] : vector<1x1x1x1x128xf32> to vector<1x1x1x1xf32>
func.func @packed_decode_rows(%q: tensor<1x2x4x128xf32>, %k: tensor<1x2x128x128xf32>, %s0: tensor<1x2x4x128xf32>) -> tensor<1x2x4x128xf32> {
  // expected-remark @below {{attn-vectorize: vectorised, tile [1, 1, 1, 1, 0]}}
  %s = linalg.generic {indexing_maps = [affine_map<(b, h, i, j, d) -> (b, h, i, d)>, affine_map<(b, h, i, j, d) -> (b, h, j, d)>, affine_map<(b, h, i, j, d) -> (b, h, i, j)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%q, %k : tensor<1x2x4x128xf32>, tensor<1x2x128x128xf32>) outs(%s0 : tensor<1x2x4x128xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %m, %c : f32
    linalg.yield %r : f32
  } -> tensor<1x2x4x128xf32>
  return %s : tensor<1x2x4x128xf32>
}

// -----

// The softmax steps: exp of a row-broadcast difference, four registers per
// step, as a polynomial (no math.exp on vectors); a row maximum over whole
// rows.
// CHECK-LABEL: func @softmax_steps
//       CHECK:   vector.multi_reduction <maximumf>, {{.*}} [3] : vector<1x1x1x128xf32> to vector<1x1x1xf32>
//       CHECK:   scf.for {{.*}} step %c32
//   CHECK-NOT:     math.exp
//       CHECK:     math.fma {{.*}} : vector<32xf32>
func.func @softmax_steps(%s: tensor<1x1x64x128xf32>, %m0: tensor<1x1x64xf32>) -> (tensor<1x1x64xf32>, tensor<1x1x64x128xf32>) {
  // expected-remark @below {{attn-vectorize: vectorised, tile [1, 1, 1, 0]}}
  %m = linalg.generic {indexing_maps = [affine_map<(b, h, i, j) -> (b, h, i, j)>, affine_map<(b, h, i, j) -> (b, h, i)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%s : tensor<1x1x64x128xf32>) outs(%m0 : tensor<1x1x64xf32>) {
  ^bb0(%a: f32, %c: f32):
    %r = arith.maximumf %a, %c : f32
    linalg.yield %r : f32
  } -> tensor<1x1x64xf32>
  %e = tensor.empty() : tensor<1x1x64x128xf32>
  // expected-remark @below {{attn-vectorize: vectorised, tile [1, 1, 1, 32]}}
  %p = linalg.generic {indexing_maps = [affine_map<(b, h, i, j) -> (b, h, i, j)>, affine_map<(b, h, i, j) -> (b, h, i)>, affine_map<(b, h, i, j) -> (b, h, i, j)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s, %m : tensor<1x1x64x128xf32>, tensor<1x1x64xf32>) outs(%e : tensor<1x1x64x128xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %d = arith.subf %a, %b : f32
    %x = math.exp %d : f32
    linalg.yield %x : f32
  } -> tensor<1x1x64x128xf32>
  return %m, %p : tensor<1x1x64xf32>, tensor<1x1x64x128xf32>
}

// -----

// Limitation: ops with dynamic sizes are not vectorised yet. The op is left
// alone, with no remark, and runs as scalar loops.
// CHECK-LABEL: func @unsupported_dynamic
//   CHECK-NOT:   vector.
//       CHECK:   linalg.generic
func.func @unsupported_dynamic(%q: tensor<1x1x?x64xf32>, %k: tensor<1x1x?x64xf32>, %init: tensor<1x1x?x?xf32>) -> tensor<1x1x?x?xf32> {
  %s = linalg.generic {indexing_maps = [affine_map<(b, h, i, j, d) -> (b, h, i, d)>, affine_map<(b, h, i, j, d) -> (b, h, j, d)>, affine_map<(b, h, i, j, d) -> (b, h, i, j)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%q, %k : tensor<1x1x?x64xf32>, tensor<1x1x?x64xf32>) outs(%init : tensor<1x1x?x?xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %m, %c : f32
    linalg.yield %r : f32
  } -> tensor<1x1x?x?xf32>
  return %s : tensor<1x1x?x?xf32>
}

// -----

// Limitation: i1 operands (boolean masks) are not vectorised yet: vectors of
// i1 are bit-packed while memrefs of i1 hold a byte per element. The op is
// left alone, with no remark, and runs as scalar code.
// CHECK-LABEL: func @unsupported_bool_mask
//   CHECK-NOT:   vector.
//       CHECK:   linalg.generic
func.func @unsupported_bool_mask(%s: tensor<1x1x64x128xf32>, %mask: tensor<1x1x64x128xi1>) -> tensor<1x1x64x128xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<1x1x64x128xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(b, h, i, j) -> (b, h, i, j)>, affine_map<(b, h, i, j) -> (b, h, i, j)>, affine_map<(b, h, i, j) -> (b, h, i, j)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s, %mask : tensor<1x1x64x128xf32>, tensor<1x1x64x128xi1>) outs(%e : tensor<1x1x64x128xf32>) {
  ^bb0(%a: f32, %m: i1, %c: f32):
    %x = arith.select %m, %a, %ninf : f32
    linalg.yield %x : f32
  } -> tensor<1x1x64x128xf32>
  return %r : tensor<1x1x64x128xf32>
}

// -----

// Limitation: an innermost size the registers do not divide (and larger than
// one register) has no register tiling yet. The op is left alone, with no
// remark, and runs as scalar loops.
// CHECK-LABEL: func @unsupported_indivisible
//   CHECK-NOT:   vector.
//       CHECK:   linalg.generic
func.func @unsupported_indivisible(%x: tensor<1x1x4x13xf32>) -> tensor<1x1x4x13xf32> {
  %e = tensor.empty() : tensor<1x1x4x13xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(b, h, i, j) -> (b, h, i, j)>, affine_map<(b, h, i, j) -> (b, h, i, j)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x1x4x13xf32>) outs(%e : tensor<1x1x4x13xf32>) {
  ^bb0(%a: f32, %c: f32):
    %y = math.exp %a : f32
    linalg.yield %y : f32
  } -> tensor<1x1x4x13xf32>
  return %r : tensor<1x1x4x13xf32>
}

// -----

// bf16 operands that the body only extends are converted to f32 once, by an
// element-wise op right after their definition (outside the key loop for a
// query tile), so the register blocks read f32.
// CHECK-LABEL: func @bf16_operands
//       CHECK:   arith.extf {{.*}} : vector<32xbf16> to vector<32xf32>
//       CHECK:   scf.for
//       CHECK:     arith.extf {{.*}} : vector<32xbf16> to vector<32xf32>
//       CHECK:     scf.for {{.*}} -> (vector<4x16xf32>)
//   CHECK-NOT:       arith.extf
//       CHECK:       vector.fma {{.*}} : vector<4x16xf32>
func.func @bf16_operands(%p: tensor<1x1x64x128xbf16>, %vs: tensor<4x1x1x128x64xbf16>, %acc0: tensor<1x1x64x64xf32>) -> tensor<1x1x64x64xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %r = scf.for %blk = %c0 to %c4 step %c1 iter_args(%acc = %acc0) -> (tensor<1x1x64x64xf32>) {
    %v = tensor.extract_slice %vs[%blk, 0, 0, 0, 0] [1, 1, 1, 128, 64] [1, 1, 1, 1, 1] : tensor<4x1x1x128x64xbf16> to tensor<1x1x128x64xbf16>
    // expected-remark @+2 {{attn-vectorize: register-blocked contraction, tile [1, 1, 4, 16, 1]}}
    // expected-remark @+1 {{attn-vectorize: vectorised, tile [1, 1, 1, 32]}}
    %o = linalg.generic {indexing_maps = [affine_map<(b, h, i, e, j) -> (b, h, i, j)>, affine_map<(b, h, i, e, j) -> (b, h, j, e)>, affine_map<(b, h, i, e, j) -> (b, h, i, e)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%p, %v : tensor<1x1x64x128xbf16>, tensor<1x1x128x64xbf16>) outs(%acc : tensor<1x1x64x64xf32>) {
    ^bb0(%a: bf16, %b: bf16, %c: f32):
      %af = arith.extf %a : bf16 to f32
      %bf = arith.extf %b : bf16 to f32
      %m = arith.mulf %af, %bf : f32
      %s = arith.addf %m, %c : f32
      linalg.yield %s : f32
    } -> tensor<1x1x64x64xf32>
    scf.yield %o : tensor<1x1x64x64xf32>
  }
  return %r : tensor<1x1x64x64xf32>
}
