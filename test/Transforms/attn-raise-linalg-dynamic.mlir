// RUN: attn-opt %s --attn-raise-linalg --split-input-file | FileCheck %s
// RUN: attn-opt %s --attn-raise-linalg="report-refusals=true" --split-input-file -verify-diagnostics > /dev/null

///----------------------------------------------------------------------------
/// IN:  attention in linalg with dynamic batch and sequence lengths
///      (tensor.dim-driven tensor.empty), a scale and a top-left causal
///      predicate on linalg.index fused into one step.
/// OUT: attn.sdpa with dynamic B, Lq, Lk. A predicate of j − i on scores
///      whose lengths are provably one size is fitted to causal/window
///      symbolically (exact for every length); one of separate lengths, or
///      not a function of j − i, is computed by the score_mod.
/// Why: dynamic heads or head sizes (attn.sdpa's C3), or 3-D scores with
///      heads merged into a dynamic batch, are refused with their remark.
///----------------------------------------------------------------------------

// -----

#qmap = affine_map<(b, h, i, j, d) -> (b, h, i, d)>
#kmap = affine_map<(b, h, i, j, d) -> (b, h, j, d)>
#smap = affine_map<(b, h, i, j, d) -> (b, h, i, j)>
#pmap = affine_map<(b, h, i, e, j) -> (b, h, i, j)>
#vmap = affine_map<(b, h, i, e, j) -> (b, h, j, e)>
#omap = affine_map<(b, h, i, e, j) -> (b, h, i, e)>
#id = affine_map<(b, h, i, j) -> (b, h, i, j)>
// Lq (of Q) and Lk (of K) are separate lengths: j <= i, aligned top-left, is
// no bottom-right band, so the score_mod computes it.
// CHECK-LABEL: func @dynamic_top_left_causal
//  CHECK-SAME:   %[[Q:[a-zA-Z0-9]+]]: tensor<?x2x?x8xf32>, %[[K:[a-zA-Z0-9]+]]: tensor<?x2x?x8xf32>, %[[V:[a-zA-Z0-9]+]]: tensor<?x2x?x8xf32>
//       CHECK:   %[[O:.+]] = attn.sdpa %[[Q]], %[[K]], %[[V]] {scale = 3.500000e-01 : f32} score_mod {
//       CHECK:   ^bb0(%[[S:.+]]: f32, %{{.+}}: index, %{{.+}}: index, %[[I:.+]]: index, %[[J:.+]]: index):
//       CHECK:     %[[VIS:.+]] = arith.cmpi ule, %[[J]], %[[I]] : index
//       CHECK:     %[[R:.+]] = arith.select %[[VIS]], %[[S]], %{{.+}} : f32
//       CHECK:     attn.yield %[[R]] : f32
//       CHECK:   } : tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32> -> tensor<?x2x?x8xf32>
//       CHECK:   return %[[O]]
func.func @dynamic_top_left_causal(%q: tensor<?x2x?x8xf32>, %k: tensor<?x2x?x8xf32>, %v: tensor<?x2x?x8xf32>) -> tensor<?x2x?x8xf32> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %zero = arith.constant 0.0 : f32
  %b = tensor.dim %q, %c0 : tensor<?x2x?x8xf32>
  %lq = tensor.dim %q, %c2 : tensor<?x2x?x8xf32>
  %lk = tensor.dim %k, %c2 : tensor<?x2x?x8xf32>
  %s_init = tensor.empty(%b, %lq, %lk) : tensor<?x2x?x?xf32>
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  %s = linalg.generic {indexing_maps = [#qmap, #kmap, #smap], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>) outs(%s_zero : tensor<?x2x?x?xf32>) {
  ^bb0(%a: f32, %bb: f32, %acc: f32):
    %m = arith.mulf %a, %bb : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %f = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s : tensor<?x2x?x?xf32>) outs(%s_init : tensor<?x2x?x?xf32>) {
  ^bb0(%x: f32, %o: f32):
    %c = arith.constant 0.35 : f32
    %ninf = arith.constant 0xFF800000 : f32
    %y = arith.mulf %x, %c : f32
    %i = linalg.index 2 : index
    %j = linalg.index 3 : index
    %vis = arith.cmpi ule, %j, %i : index
    %r = arith.select %vis, %y, %ninf : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %p = linalg.softmax dimension(3) ins(%f : tensor<?x2x?x?xf32>) outs(%s_init : tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  %o_init = tensor.empty(%b, %lq) : tensor<?x2x?x8xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<?x2x?x8xf32>) -> tensor<?x2x?x8xf32>
  %o = linalg.generic {indexing_maps = [#pmap, #vmap, #omap], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p, %v : tensor<?x2x?x?xf32>, tensor<?x2x?x8xf32>) outs(%o_zero : tensor<?x2x?x8xf32>) {
  ^bb0(%a: f32, %bb: f32, %acc: f32):
    %m = arith.mulf %a, %bb : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x8xf32>
  return %o : tensor<?x2x?x8xf32>
}

// -----

#qmap = affine_map<(b, h, i, j, d) -> (b, h, i, d)>
#kmap = affine_map<(b, h, i, j, d) -> (b, h, j, d)>
#smap = affine_map<(b, h, i, j, d) -> (b, h, i, j)>
#pmap = affine_map<(b, h, i, e, j) -> (b, h, i, j)>
#vmap = affine_map<(b, h, i, e, j) -> (b, h, j, e)>
#omap = affine_map<(b, h, i, e, j) -> (b, h, i, e)>
#id = affine_map<(b, h, i, j) -> (b, h, i, j)>
// Self-attention: the scores are [B, H, L, L] with one L, so j <= i is the
// bottom-right causal band for every L.
// CHECK-LABEL: func @dynamic_one_length_causal_band
//       CHECK:   attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {causal, scale = 3.500000e-01 : f32} :
//   CHECK-NOT:   score_mod
func.func @dynamic_one_length_causal_band(%q: tensor<?x2x?x8xf32>, %k: tensor<?x2x?x8xf32>, %v: tensor<?x2x?x8xf32>) -> tensor<?x2x?x8xf32> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %zero = arith.constant 0.0 : f32
  %b = tensor.dim %q, %c0 : tensor<?x2x?x8xf32>
  %lq = tensor.dim %q, %c2 : tensor<?x2x?x8xf32>
  %lk = tensor.dim %k, %c2 : tensor<?x2x?x8xf32>
  %s_init = tensor.empty(%b, %lq, %lq) : tensor<?x2x?x?xf32>
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  %s = linalg.generic {indexing_maps = [#qmap, #kmap, #smap], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>) outs(%s_zero : tensor<?x2x?x?xf32>) {
  ^bb0(%a: f32, %bb: f32, %acc: f32):
    %m = arith.mulf %a, %bb : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %f = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s : tensor<?x2x?x?xf32>) outs(%s_init : tensor<?x2x?x?xf32>) {
  ^bb0(%x: f32, %o: f32):
    %c = arith.constant 0.35 : f32
    %ninf = arith.constant 0xFF800000 : f32
    %y = arith.mulf %x, %c : f32
    %i = linalg.index 2 : index
    %j = linalg.index 3 : index
    %vis = arith.cmpi sle, %j, %i : index
    %r = arith.select %vis, %y, %ninf : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %p = linalg.softmax dimension(3) ins(%f : tensor<?x2x?x?xf32>) outs(%s_init : tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  %o_init = tensor.empty(%b, %lq) : tensor<?x2x?x8xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<?x2x?x8xf32>) -> tensor<?x2x?x8xf32>
  %o = linalg.generic {indexing_maps = [#pmap, #vmap, #omap], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p, %v : tensor<?x2x?x?xf32>, tensor<?x2x?x8xf32>) outs(%o_zero : tensor<?x2x?x8xf32>) {
  ^bb0(%a: f32, %bb: f32, %acc: f32):
    %m = arith.mulf %a, %bb : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x8xf32>
  return %o : tensor<?x2x?x8xf32>
}

// -----

#qmap = affine_map<(b, h, i, j, d) -> (b, h, i, d)>
#kmap = affine_map<(b, h, i, j, d) -> (b, h, j, d)>
#smap = affine_map<(b, h, i, j, d) -> (b, h, i, j)>
#pmap = affine_map<(b, h, i, e, j) -> (b, h, i, j)>
#vmap = affine_map<(b, h, i, e, j) -> (b, h, j, e)>
#omap = affine_map<(b, h, i, e, j) -> (b, h, i, e)>
#id = affine_map<(b, h, i, j) -> (b, h, i, j)>
// A sliding window written |i - j| < 4 (abs of the difference), one L.
// CHECK-LABEL: func @dynamic_one_length_window_band
//       CHECK:   attn.sdpa {{.*}} {scale = 3.500000e-01 : f32, window = array<i64: 3, 3>} :
//   CHECK-NOT:   score_mod
func.func @dynamic_one_length_window_band(%q: tensor<?x2x?x8xf32>, %k: tensor<?x2x?x8xf32>, %v: tensor<?x2x?x8xf32>) -> tensor<?x2x?x8xf32> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %zero = arith.constant 0.0 : f32
  %b = tensor.dim %q, %c0 : tensor<?x2x?x8xf32>
  %lq = tensor.dim %q, %c2 : tensor<?x2x?x8xf32>
  %lk = tensor.dim %k, %c2 : tensor<?x2x?x8xf32>
  %s_init = tensor.empty(%b, %lq, %lq) : tensor<?x2x?x?xf32>
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  %s = linalg.generic {indexing_maps = [#qmap, #kmap, #smap], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>) outs(%s_zero : tensor<?x2x?x?xf32>) {
  ^bb0(%a: f32, %bb: f32, %acc: f32):
    %m = arith.mulf %a, %bb : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %f = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s : tensor<?x2x?x?xf32>) outs(%s_init : tensor<?x2x?x?xf32>) {
  ^bb0(%x: f32, %o: f32):
    %c = arith.constant 0.35 : f32
    %ninf = arith.constant 0xFF800000 : f32
    %y = arith.mulf %x, %c : f32
    %i = linalg.index 2 : index
    %j = linalg.index 3 : index
    %c4 = arith.constant 4 : index
    %d = arith.subi %i, %j : index
    %ad = math.absi %d : index
    %vis = arith.cmpi slt, %ad, %c4 : index
    %r = arith.select %vis, %y, %ninf : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %p = linalg.softmax dimension(3) ins(%f : tensor<?x2x?x?xf32>) outs(%s_init : tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  %o_init = tensor.empty(%b, %lq) : tensor<?x2x?x8xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<?x2x?x8xf32>) -> tensor<?x2x?x8xf32>
  %o = linalg.generic {indexing_maps = [#pmap, #vmap, #omap], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p, %v : tensor<?x2x?x?xf32>, tensor<?x2x?x8xf32>) outs(%o_zero : tensor<?x2x?x8xf32>) {
  ^bb0(%a: f32, %bb: f32, %acc: f32):
    %m = arith.mulf %a, %bb : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x8xf32>
  return %o : tensor<?x2x?x8xf32>
}

// -----

#qmap = affine_map<(b, h, i, j, d) -> (b, h, i, d)>
#kmap = affine_map<(b, h, i, j, d) -> (b, h, j, d)>
#smap = affine_map<(b, h, i, j, d) -> (b, h, i, j)>
#pmap = affine_map<(b, h, i, e, j) -> (b, h, i, j)>
#vmap = affine_map<(b, h, i, e, j) -> (b, h, j, e)>
#omap = affine_map<(b, h, i, e, j) -> (b, h, i, e)>
#id = affine_map<(b, h, i, j) -> (b, h, i, j)>
// i * j <= 16 is not a function of j - i: no band however the lengths
// relate; the score_mod computes it.
// CHECK-LABEL: func @negative_dynamic_band_not_of_difference
//       CHECK:   attn.sdpa {{.*}} {scale = 3.500000e-01 : f32} score_mod {
//       CHECK:     arith.muli
func.func @negative_dynamic_band_not_of_difference(%q: tensor<?x2x?x8xf32>, %k: tensor<?x2x?x8xf32>, %v: tensor<?x2x?x8xf32>) -> tensor<?x2x?x8xf32> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %zero = arith.constant 0.0 : f32
  %b = tensor.dim %q, %c0 : tensor<?x2x?x8xf32>
  %lq = tensor.dim %q, %c2 : tensor<?x2x?x8xf32>
  %lk = tensor.dim %k, %c2 : tensor<?x2x?x8xf32>
  %s_init = tensor.empty(%b, %lq, %lq) : tensor<?x2x?x?xf32>
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  %s = linalg.generic {indexing_maps = [#qmap, #kmap, #smap], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>) outs(%s_zero : tensor<?x2x?x?xf32>) {
  ^bb0(%a: f32, %bb: f32, %acc: f32):
    %m = arith.mulf %a, %bb : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %f = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s : tensor<?x2x?x?xf32>) outs(%s_init : tensor<?x2x?x?xf32>) {
  ^bb0(%x: f32, %o: f32):
    %c = arith.constant 0.35 : f32
    %ninf = arith.constant 0xFF800000 : f32
    %y = arith.mulf %x, %c : f32
    %i = linalg.index 2 : index
    %j = linalg.index 3 : index
    %c16 = arith.constant 16 : index
    %ij = arith.muli %i, %j : index
    %vis = arith.cmpi sle, %ij, %c16 : index
    %r = arith.select %vis, %y, %ninf : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %p = linalg.softmax dimension(3) ins(%f : tensor<?x2x?x?xf32>) outs(%s_init : tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  %o_init = tensor.empty(%b, %lq) : tensor<?x2x?x8xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<?x2x?x8xf32>) -> tensor<?x2x?x8xf32>
  %o = linalg.generic {indexing_maps = [#pmap, #vmap, #omap], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p, %v : tensor<?x2x?x?xf32>, tensor<?x2x?x8xf32>) outs(%o_zero : tensor<?x2x?x8xf32>) {
  ^bb0(%a: f32, %bb: f32, %acc: f32):
    %m = arith.mulf %a, %bb : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x8xf32>
  return %o : tensor<?x2x?x8xf32>
}

// -----

#qmap = affine_map<(b, h, i, j, d) -> (b, h, i, d)>
#kmap = affine_map<(b, h, i, j, d) -> (b, h, j, d)>
#smap = affine_map<(b, h, i, j, d) -> (b, h, i, j)>
#pmap = affine_map<(b, h, i, e, j) -> (b, h, i, j)>
#vmap = affine_map<(b, h, i, e, j) -> (b, h, j, e)>
#omap = affine_map<(b, h, i, e, j) -> (b, h, i, e)>
#id = affine_map<(b, h, i, j) -> (b, h, i, j)>
// Dynamic heads: attn.sdpa needs them static.
// CHECK-LABEL: func @negative_dynamic_heads
//   CHECK-NOT:   attn.sdpa
func.func @negative_dynamic_heads(%q: tensor<?x?x?x8xf32>, %k: tensor<?x?x?x8xf32>, %v: tensor<?x?x?x8xf32>) -> tensor<?x?x?x8xf32> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %zero = arith.constant 0.0 : f32
  %b = tensor.dim %q, %c0 : tensor<?x?x?x8xf32>
  %lq = tensor.dim %q, %c2 : tensor<?x?x?x8xf32>
  %lk = tensor.dim %k, %c2 : tensor<?x?x?x8xf32>
  %c1 = arith.constant 1 : index
  %h = tensor.dim %q, %c1 : tensor<?x?x?x8xf32>
  %s_init = tensor.empty(%b, %h, %lq, %lk) : tensor<?x?x?x?xf32>
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32>
  %s = linalg.generic {indexing_maps = [#qmap, #kmap, #smap], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<?x?x?x8xf32>, tensor<?x?x?x8xf32>) outs(%s_zero : tensor<?x?x?x?xf32>) {
  ^bb0(%a: f32, %bb: f32, %acc: f32):
    %m = arith.mulf %a, %bb : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<?x?x?x?xf32>
  %f = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s : tensor<?x?x?x?xf32>) outs(%s_init : tensor<?x?x?x?xf32>) {
  ^bb0(%x: f32, %o: f32):
    %c = arith.constant 0.35 : f32
    %ninf = arith.constant 0xFF800000 : f32
    %y = arith.mulf %x, %c : f32
    %i = linalg.index 2 : index
    %j = linalg.index 3 : index
    %vis = arith.cmpi ule, %j, %i : index
    %r = arith.select %vis, %y, %ninf : f32
    linalg.yield %r : f32
  } -> tensor<?x?x?x?xf32>
  %p = linalg.softmax dimension(3) ins(%f : tensor<?x?x?x?xf32>) outs(%s_init : tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32>
  %o_init = tensor.empty(%b, %h, %lq) : tensor<?x?x?x8xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<?x?x?x8xf32>) -> tensor<?x?x?x8xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: dynamic shapes are supported on [B, H, Lq, Lk] scores with a static number of heads, not on 'tensor<?x?x?x?xf32>'}}
  %o = linalg.generic {indexing_maps = [#pmap, #vmap, #omap], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p, %v : tensor<?x?x?x?xf32>, tensor<?x?x?x8xf32>) outs(%o_zero : tensor<?x?x?x8xf32>) {
  ^bb0(%a: f32, %bb: f32, %acc: f32):
    %m = arith.mulf %a, %bb : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<?x?x?x8xf32>
  return %o : tensor<?x?x?x8xf32>
}

// -----

#qmap = affine_map<(b, h, i, j, d) -> (b, h, i, d)>
#kmap = affine_map<(b, h, i, j, d) -> (b, h, j, d)>
#smap = affine_map<(b, h, i, j, d) -> (b, h, i, j)>
#pmap = affine_map<(b, h, i, e, j) -> (b, h, i, j)>
#vmap = affine_map<(b, h, i, e, j) -> (b, h, j, e)>
#omap = affine_map<(b, h, i, e, j) -> (b, h, i, e)>
#id = affine_map<(b, h, i, j) -> (b, h, i, j)>
// Dynamic head sizes: attn.sdpa needs them static.
// CHECK-LABEL: func @negative_dynamic_head_size
//   CHECK-NOT:   attn.sdpa
func.func @negative_dynamic_head_size(%q: tensor<?x2x?x?xf32>, %k: tensor<?x2x?x?xf32>, %v: tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %zero = arith.constant 0.0 : f32
  %b = tensor.dim %q, %c0 : tensor<?x2x?x?xf32>
  %lq = tensor.dim %q, %c2 : tensor<?x2x?x?xf32>
  %lk = tensor.dim %k, %c2 : tensor<?x2x?x?xf32>
  %s_init = tensor.empty(%b, %lq, %lk) : tensor<?x2x?x?xf32>
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  %s = linalg.generic {indexing_maps = [#qmap, #kmap, #smap], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<?x2x?x?xf32>, tensor<?x2x?x?xf32>) outs(%s_zero : tensor<?x2x?x?xf32>) {
  ^bb0(%a: f32, %bb: f32, %acc: f32):
    %m = arith.mulf %a, %bb : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %f = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s : tensor<?x2x?x?xf32>) outs(%s_init : tensor<?x2x?x?xf32>) {
  ^bb0(%x: f32, %o: f32):
    %c = arith.constant 0.35 : f32
    %ninf = arith.constant 0xFF800000 : f32
    %y = arith.mulf %x, %c : f32
    %i = linalg.index 2 : index
    %j = linalg.index 3 : index
    %vis = arith.cmpi ule, %j, %i : index
    %r = arith.select %vis, %y, %ninf : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %p = linalg.softmax dimension(3) ins(%f : tensor<?x2x?x?xf32>) outs(%s_init : tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  %c3 = arith.constant 3 : index
  %dv = tensor.dim %v, %c3 : tensor<?x2x?x?xf32>
  %o_init = tensor.empty(%b, %lq, %dv) : tensor<?x2x?x?xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: the head sizes and the number of K/V heads must be static (attn.sdpa's C3)}}
  %o = linalg.generic {indexing_maps = [#pmap, #vmap, #omap], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p, %v : tensor<?x2x?x?xf32>, tensor<?x2x?x?xf32>) outs(%o_zero : tensor<?x2x?x?xf32>) {
  ^bb0(%a: f32, %bb: f32, %acc: f32):
    %m = arith.mulf %a, %bb : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  return %o : tensor<?x2x?x?xf32>
}
