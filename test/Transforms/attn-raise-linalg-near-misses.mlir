// RUN: attn-opt %s --attn-raise-linalg="report-refusals=true" --split-input-file -verify-diagnostics | FileCheck %s

///----------------------------------------------------------------------------
/// IN:  near-misses of attention: a softmax over a contraction's result
///      whose probabilities are not exactly what P·V reads (a mask or a
///      tensor applied after the softmax, no P·V at all).
/// OUT: nothing raised, and a remark on the softmax naming why, even where
///      the matcher never found a candidate to refuse (no silent refusal).
///----------------------------------------------------------------------------

// -----

#qmap = affine_map<(b, h, i, j, d) -> (b, h, i, d)>
#kmap = affine_map<(b, h, i, j, d) -> (b, h, j, d)>
#smap = affine_map<(b, h, i, j, d) -> (b, h, i, j)>
#pmap = affine_map<(b, h, i, e, j) -> (b, h, i, j)>
#vmap = affine_map<(b, h, i, e, j) -> (b, h, j, e)>
#omap = affine_map<(b, h, i, e, j) -> (b, h, i, e)>
#id = affine_map<(b, h, i, j) -> (b, h, i, j)>
// A boolean mask applied to the probabilities, after the softmax.
// CHECK-LABEL: func @negative_mask_after_softmax
//   CHECK-NOT:   attn.sdpa
func.func @negative_mask_after_softmax(%q: tensor<1x2x8x16xf32>, %k: tensor<1x2x8x16xf32>, %v: tensor<1x2x8x16xf32>, %mask: tensor<1x2x8x8xi1>) -> tensor<1x2x8x16xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %s_init = tensor.empty() : tensor<1x2x8x8xf32>
  %r_init = tensor.empty() : tensor<1x2x8xf32>
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  %s = linalg.generic {indexing_maps = [#qmap, #kmap, #smap],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<1x2x8x16xf32>, tensor<1x2x8x16xf32>) outs(%s_zero : tensor<1x2x8x8xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<1x2x8x8xf32>
  %m_ninf = linalg.fill ins(%ninf : f32) outs(%r_init : tensor<1x2x8xf32>) -> tensor<1x2x8xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: the contraction reading this softmax is not a P·V contraction the raising recognises}}
  %max = linalg.generic {indexing_maps = [#id, affine_map<(b, h, i, j) -> (b, h, i)>],
                         iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%s : tensor<1x2x8x8xf32>) outs(%m_ninf : tensor<1x2x8xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.maximumf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<1x2x8xf32>
  %e = linalg.generic {indexing_maps = [#id, affine_map<(b, h, i, j) -> (b, h, i)>, #id],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s, %max : tensor<1x2x8x8xf32>, tensor<1x2x8xf32>) outs(%s_init : tensor<1x2x8x8xf32>) {
  ^bb0(%a: f32, %mx: f32, %o: f32):
    %d = arith.subf %a, %mx : f32
    %y = math.exp %d : f32
    linalg.yield %y : f32
  } -> tensor<1x2x8x8xf32>
  %sum_zero = linalg.fill ins(%zero : f32) outs(%r_init : tensor<1x2x8xf32>) -> tensor<1x2x8xf32>
  %sum = linalg.generic {indexing_maps = [#id, affine_map<(b, h, i, j) -> (b, h, i)>],
                         iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%e : tensor<1x2x8x8xf32>) outs(%sum_zero : tensor<1x2x8xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.addf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<1x2x8xf32>
  %p = linalg.generic {indexing_maps = [#id, affine_map<(b, h, i, j) -> (b, h, i)>, #id],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%e, %sum : tensor<1x2x8x8xf32>, tensor<1x2x8xf32>) outs(%s_init : tensor<1x2x8x8xf32>) {
  ^bb0(%a: f32, %z: f32, %o: f32):
    %y = arith.divf %a, %z : f32
    linalg.yield %y : f32
  } -> tensor<1x2x8x8xf32>
  %p2 = linalg.generic {indexing_maps = [#id, #id, #id],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%p, %mask : tensor<1x2x8x8xf32>, tensor<1x2x8x8xi1>) outs(%s_init : tensor<1x2x8x8xf32>) {
  ^bb0(%a: f32, %c: i1, %o: f32):
    %y = arith.select %c, %a, %zero : f32
    linalg.yield %y : f32
  } -> tensor<1x2x8x8xf32>
  %o_init = tensor.empty() : tensor<1x2x8x16xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<1x2x8x16xf32>) -> tensor<1x2x8x16xf32>
  // expected-note @below {{the contraction}}
  %out = linalg.generic {indexing_maps = [#pmap, #vmap, #omap],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p2, %v : tensor<1x2x8x8xf32>, tensor<1x2x8x16xf32>) outs(%o_zero : tensor<1x2x8x16xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<1x2x8x16xf32>
  return %out : tensor<1x2x8x16xf32>
}

// -----

#qmap = affine_map<(b, h, i, j, d) -> (b, h, i, d)>
#kmap = affine_map<(b, h, i, j, d) -> (b, h, j, d)>
#smap = affine_map<(b, h, i, j, d) -> (b, h, i, j)>
#pmap = affine_map<(b, h, i, e, j) -> (b, h, i, j)>
#vmap = affine_map<(b, h, i, e, j) -> (b, h, j, e)>
#omap = affine_map<(b, h, i, e, j) -> (b, h, i, e)>
#id = affine_map<(b, h, i, j) -> (b, h, i, j)>
// The probabilities are multiplied by a tensor (dropout written out) before P·V.
// CHECK-LABEL: func @negative_probs_times_tensor
//   CHECK-NOT:   attn.sdpa
func.func @negative_probs_times_tensor(%q: tensor<1x2x8x16xf32>, %k: tensor<1x2x8x16xf32>, %v: tensor<1x2x8x16xf32>, %keep: tensor<1x2x8x8xf32>) -> tensor<1x2x8x16xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %s_init = tensor.empty() : tensor<1x2x8x8xf32>
  %r_init = tensor.empty() : tensor<1x2x8xf32>
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  %s = linalg.generic {indexing_maps = [#qmap, #kmap, #smap],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<1x2x8x16xf32>, tensor<1x2x8x16xf32>) outs(%s_zero : tensor<1x2x8x8xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<1x2x8x8xf32>
  %m_ninf = linalg.fill ins(%ninf : f32) outs(%r_init : tensor<1x2x8xf32>) -> tensor<1x2x8xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: the contraction reading this softmax is not a P·V contraction the raising recognises}}
  %max = linalg.generic {indexing_maps = [#id, affine_map<(b, h, i, j) -> (b, h, i)>],
                         iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%s : tensor<1x2x8x8xf32>) outs(%m_ninf : tensor<1x2x8xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.maximumf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<1x2x8xf32>
  %e = linalg.generic {indexing_maps = [#id, affine_map<(b, h, i, j) -> (b, h, i)>, #id],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s, %max : tensor<1x2x8x8xf32>, tensor<1x2x8xf32>) outs(%s_init : tensor<1x2x8x8xf32>) {
  ^bb0(%a: f32, %mx: f32, %o: f32):
    %d = arith.subf %a, %mx : f32
    %y = math.exp %d : f32
    linalg.yield %y : f32
  } -> tensor<1x2x8x8xf32>
  %sum_zero = linalg.fill ins(%zero : f32) outs(%r_init : tensor<1x2x8xf32>) -> tensor<1x2x8xf32>
  %sum = linalg.generic {indexing_maps = [#id, affine_map<(b, h, i, j) -> (b, h, i)>],
                         iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%e : tensor<1x2x8x8xf32>) outs(%sum_zero : tensor<1x2x8xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.addf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<1x2x8xf32>
  %p = linalg.generic {indexing_maps = [#id, affine_map<(b, h, i, j) -> (b, h, i)>, #id],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%e, %sum : tensor<1x2x8x8xf32>, tensor<1x2x8xf32>) outs(%s_init : tensor<1x2x8x8xf32>) {
  ^bb0(%a: f32, %z: f32, %o: f32):
    %y = arith.divf %a, %z : f32
    linalg.yield %y : f32
  } -> tensor<1x2x8x8xf32>
  %p2 = linalg.generic {indexing_maps = [#id, #id, #id],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%p, %keep : tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>) outs(%s_init : tensor<1x2x8x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %y = arith.mulf %a, %c : f32
    linalg.yield %y : f32
  } -> tensor<1x2x8x8xf32>
  %o_init = tensor.empty() : tensor<1x2x8x16xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<1x2x8x16xf32>) -> tensor<1x2x8x16xf32>
  // expected-note @below {{the contraction}}
  %out = linalg.generic {indexing_maps = [#pmap, #vmap, #omap],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p2, %v : tensor<1x2x8x8xf32>, tensor<1x2x8x16xf32>) outs(%o_zero : tensor<1x2x8x16xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<1x2x8x16xf32>
  return %out : tensor<1x2x8x16xf32>
}

// -----

#qmap = affine_map<(b, h, i, j, d) -> (b, h, i, d)>
#kmap = affine_map<(b, h, i, j, d) -> (b, h, j, d)>
#smap = affine_map<(b, h, i, j, d) -> (b, h, i, j)>
#pmap = affine_map<(b, h, i, e, j) -> (b, h, i, j)>
#vmap = affine_map<(b, h, i, e, j) -> (b, h, j, e)>
#omap = affine_map<(b, h, i, e, j) -> (b, h, i, e)>
#id = affine_map<(b, h, i, j) -> (b, h, i, j)>
// The probabilities are returned: a softmax, not attention.
// CHECK-LABEL: func @negative_probs_not_contracted
//   CHECK-NOT:   attn.sdpa
func.func @negative_probs_not_contracted(%q: tensor<1x2x8x16xf32>, %k: tensor<1x2x8x16xf32>, %v: tensor<1x2x8x16xf32>) -> tensor<1x2x8x8xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %s_init = tensor.empty() : tensor<1x2x8x8xf32>
  %r_init = tensor.empty() : tensor<1x2x8xf32>
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  %s = linalg.generic {indexing_maps = [#qmap, #kmap, #smap],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<1x2x8x16xf32>, tensor<1x2x8x16xf32>) outs(%s_zero : tensor<1x2x8x8xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<1x2x8x8xf32>
  %m_ninf = linalg.fill ins(%ninf : f32) outs(%r_init : tensor<1x2x8xf32>) -> tensor<1x2x8xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: this softmax of a contraction's result is not contracted with values (no P·V reads the probabilities)}}
  %max = linalg.generic {indexing_maps = [#id, affine_map<(b, h, i, j) -> (b, h, i)>],
                         iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%s : tensor<1x2x8x8xf32>) outs(%m_ninf : tensor<1x2x8xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.maximumf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<1x2x8xf32>
  %e = linalg.generic {indexing_maps = [#id, affine_map<(b, h, i, j) -> (b, h, i)>, #id],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s, %max : tensor<1x2x8x8xf32>, tensor<1x2x8xf32>) outs(%s_init : tensor<1x2x8x8xf32>) {
  ^bb0(%a: f32, %mx: f32, %o: f32):
    %d = arith.subf %a, %mx : f32
    %y = math.exp %d : f32
    linalg.yield %y : f32
  } -> tensor<1x2x8x8xf32>
  %sum_zero = linalg.fill ins(%zero : f32) outs(%r_init : tensor<1x2x8xf32>) -> tensor<1x2x8xf32>
  %sum = linalg.generic {indexing_maps = [#id, affine_map<(b, h, i, j) -> (b, h, i)>],
                         iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%e : tensor<1x2x8x8xf32>) outs(%sum_zero : tensor<1x2x8xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.addf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<1x2x8xf32>
  %p = linalg.generic {indexing_maps = [#id, affine_map<(b, h, i, j) -> (b, h, i)>, #id],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%e, %sum : tensor<1x2x8x8xf32>, tensor<1x2x8xf32>) outs(%s_init : tensor<1x2x8x8xf32>) {
  ^bb0(%a: f32, %z: f32, %o: f32):
    %y = arith.divf %a, %z : f32
    linalg.yield %y : f32
  } -> tensor<1x2x8x8xf32>
  %p2 = tensor.cast %p : tensor<1x2x8x8xf32> to tensor<1x2x8x8xf32>
  return %p2 : tensor<1x2x8x8xf32>
}
