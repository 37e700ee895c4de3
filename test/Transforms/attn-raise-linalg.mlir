// RUN: attn-opt %s --attn-raise-linalg --split-input-file | FileCheck %s
// RUN: attn-opt %s --attn-raise-linalg="report-refusals=true" --split-input-file -verify-diagnostics > /dev/null

///----------------------------------------------------------------------------
/// IN:  attention written in linalg/tensor/arith/math on tensors: Q·Kᵀ as
///      linalg.batch_matmul (K transposed by linalg.transpose) or as a
///      linalg.generic contraction, a constant scale on the scores, on Q/K or
///      in the contraction body, softmax written out or as linalg.softmax,
///      additive and boolean masks, masks built from linalg.index.
/// OUT: one attn.sdpa (reshaped back to the original result); masks that
///      are bands become causal/window, other masks the mask operand.
/// Why: raising changes results only by float reassociation, so anything
///      that is not exactly attention (softmax or a reduction over another
///      axis, an intermediate with another user, a non-constant or
///      non-uniform scale, a scale after a mask, a finite masked fill) stays
///      as it is, and with report-refusals=true says why on the blocking op.
///----------------------------------------------------------------------------

// CHECK-LABEL: func @raise_batch_matmul_scale_on_scores
//  CHECK-SAME:   %[[Q:[a-zA-Z0-9]+]]: tensor<2x7x16xf32>, %[[K:[a-zA-Z0-9]+]]: tensor<2x13x16xf32>, %[[V:[a-zA-Z0-9]+]]: tensor<2x13x16xf32>
//   CHECK-DAG:   %[[Q4:.+]] = tensor.expand_shape %[[Q]] {{\[}}[0, 1], [2], [3]] output_shape [1, 2, 7, 16]
//   CHECK-DAG:   %[[K4:.+]] = tensor.expand_shape %[[K]] {{\[}}[0, 1], [2], [3]] output_shape [1, 2, 13, 16]
//   CHECK-DAG:   %[[V4:.+]] = tensor.expand_shape %[[V]] {{\[}}[0, 1], [2], [3]] output_shape [1, 2, 13, 16]
//       CHECK:   %[[O4:.+]] = attn.sdpa %[[Q4]], %[[K4]], %[[V4]] {scale = 2.500000e-01 : f32}
//       CHECK:   %[[O:.+]] = tensor.collapse_shape %[[O4]] {{\[}}[0, 1], [2], [3]]
//   CHECK-NOT:   linalg.batch_matmul
//   CHECK-NOT:   math.exp
//       CHECK:   return %[[O]]
func.func @raise_batch_matmul_scale_on_scores(%q: tensor<2x7x16xf32>, %k: tensor<2x13x16xf32>, %v: tensor<2x13x16xf32>) -> (tensor<2x7x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %s_init = tensor.empty() : tensor<2x7x13xf32>
  %r_init = tensor.empty() : tensor<2x7xf32>
  %kt_init = tensor.empty() : tensor<2x16x13xf32>
  %kt = linalg.transpose ins(%k : tensor<2x13x16xf32>) outs(%kt_init : tensor<2x16x13xf32>) permutation = [0, 2, 1]
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  %s = linalg.batch_matmul ins(%q, %kt : tensor<2x7x16xf32>, tensor<2x16x13xf32>) outs(%s_zero : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  %sc = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s : tensor<2x7x13xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %o: f32):
    %c = arith.constant 2.500000e-01 : f32
    %y = arith.mulf %a0, %c : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %m_ninf = linalg.fill ins(%ninf : f32) outs(%r_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%sc : tensor<2x7x13xf32>) outs(%m_ninf : tensor<2x7xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.maximumf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %e = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sc, %max : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %d = arith.subf %a0, %a1 : f32
    %y = math.exp %d : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %sum_zero = linalg.fill ins(%zero : f32) outs(%r_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%e : tensor<2x7x13xf32>) outs(%sum_zero : tensor<2x7xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.addf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%e, %sum : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %y = arith.divf %a0, %a1 : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %o_init = tensor.empty() : tensor<2x7x16xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  %out = linalg.batch_matmul ins(%p, %v : tensor<2x7x13xf32>, tensor<2x13x16xf32>) outs(%o_zero : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  return %out : tensor<2x7x16xf32>
}

// -----

// CHECK-LABEL: func @raise_scale_on_q_and_k_reciprocal
//       CHECK:   attn.sdpa {{.*}} {scale = 2.500000e-01 : f32}
//   CHECK-NOT:   linalg.generic
func.func @raise_scale_on_q_and_k_reciprocal(%q: tensor<2x7x16xf32>, %k: tensor<2x13x16xf32>, %v: tensor<2x13x16xf32>) -> (tensor<2x7x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %s_init = tensor.empty() : tensor<2x7x13xf32>
  %r_init = tensor.empty() : tensor<2x7xf32>
  %q_init = tensor.empty() : tensor<2x7x16xf32>
  %cst_f64 = arith.constant 2.0 : f64
  %qs = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%q : tensor<2x7x16xf32>) outs(%q_init : tensor<2x7x16xf32>) {
  ^bb0(%a0: f32, %o: f32):
    %c = arith.truncf %cst_f64 : f64 to f32
    %y = arith.divf %a0, %c : f32
    linalg.yield %y : f32
  } -> tensor<2x7x16xf32>
  %kt_init = tensor.empty() : tensor<2x16x13xf32>
  %kt = linalg.transpose ins(%k : tensor<2x13x16xf32>) outs(%kt_init : tensor<2x16x13xf32>) permutation = [0, 2, 1]
  %ks = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%kt : tensor<2x16x13xf32>) outs(%kt_init : tensor<2x16x13xf32>) {
  ^bb0(%a0: f32, %o: f32):
    %c = arith.constant 0.5 : f32
    %y = arith.mulf %a0, %c : f32
    linalg.yield %y : f32
  } -> tensor<2x16x13xf32>
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  %s = linalg.batch_matmul ins(%qs, %ks : tensor<2x7x16xf32>, tensor<2x16x13xf32>) outs(%s_zero : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  %m_ninf = linalg.fill ins(%ninf : f32) outs(%r_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%s : tensor<2x7x13xf32>) outs(%m_ninf : tensor<2x7xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.maximumf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %e = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s, %max : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %d = arith.subf %a0, %a1 : f32
    %y = math.exp %d : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %sum_zero = linalg.fill ins(%zero : f32) outs(%r_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%e : tensor<2x7x13xf32>) outs(%sum_zero : tensor<2x7xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.addf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %rcp = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%sum : tensor<2x7xf32>) outs(%r_init : tensor<2x7xf32>) {
  ^bb0(%a0: f32, %o: f32):
    %one = arith.constant 1.0 : f32
    %y = arith.divf %one, %a0 : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%e, %rcp : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %y = arith.mulf %a0, %a1 : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %o_init = tensor.empty() : tensor<2x7x16xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  %out = linalg.batch_matmul ins(%p, %v : tensor<2x7x13xf32>, tensor<2x13x16xf32>) outs(%o_zero : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  return %out : tensor<2x7x16xf32>
}

// -----

#qmap = affine_map<(b, h, i, j, d) -> (b, h, i, d)>
#kmap = affine_map<(b, h, i, j, d) -> (b, h, j, d)>
#smap = affine_map<(b, h, i, j, d) -> (b, h, i, j)>
#pmap = affine_map<(b, h, i, e, j) -> (b, h, i, j)>
#vmap = affine_map<(b, h, i, e, j) -> (b, h, j, e)>
#omap = affine_map<(b, h, i, e, j) -> (b, h, i, e)>
// CHECK-LABEL: func @raise_generic_contraction_linalg_softmax
//  CHECK-SAME:   %[[Q:[a-zA-Z0-9]+]]: tensor<1x2x7x16xf32>, %[[K:[a-zA-Z0-9]+]]: tensor<1x2x13x16xf32>, %[[V:[a-zA-Z0-9]+]]: tensor<1x2x13x16xf32>
//       CHECK:   %[[O:.+]] = attn.sdpa %[[Q]], %[[K]], %[[V]] {scale = 2.500000e-01 : f32}
//  CHECK-NEXT:   return %[[O]]
func.func @raise_generic_contraction_linalg_softmax(%q: tensor<1x2x7x16xf32>, %k: tensor<1x2x13x16xf32>,
                                %v: tensor<1x2x13x16xf32>) -> tensor<1x2x7x16xf32> {
  %zero = arith.constant 0.0 : f32
  %scale = arith.constant 0.25 : f32
  %s_init = tensor.empty() : tensor<1x2x7x13xf32>
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<1x2x7x13xf32>) -> tensor<1x2x7x13xf32>
  %s = linalg.generic {indexing_maps = [#qmap, #kmap, #smap],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<1x2x7x16xf32>, tensor<1x2x13x16xf32>) outs(%s_zero : tensor<1x2x7x13xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %sc = arith.mulf %m, %scale : f32
    %r = arith.addf %acc, %sc : f32
    linalg.yield %r : f32
  } -> tensor<1x2x7x13xf32>
  %p = linalg.softmax dimension(3) ins(%s : tensor<1x2x7x13xf32>) outs(%s_init : tensor<1x2x7x13xf32>) -> tensor<1x2x7x13xf32>
  %o_init = tensor.empty() : tensor<1x2x7x16xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<1x2x7x16xf32>) -> tensor<1x2x7x16xf32>
  %o = linalg.generic {indexing_maps = [#pmap, #vmap, #omap],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p, %v : tensor<1x2x7x13xf32>, tensor<1x2x13x16xf32>) outs(%o_zero : tensor<1x2x7x16xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<1x2x7x16xf32>
  return %o : tensor<1x2x7x16xf32>
}

// -----

// CHECK-LABEL: func @raise_top_left_causal_from_index
//       CHECK:   attn.sdpa {{.*}} {scale = 2.500000e-01 : f32, window = array<i64: 13, -6>}
//   CHECK-NOT:   linalg.index
func.func @raise_top_left_causal_from_index(%q: tensor<2x7x16xf32>, %k: tensor<2x13x16xf32>, %v: tensor<2x13x16xf32>) -> (tensor<2x7x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %s_init = tensor.empty() : tensor<2x7x13xf32>
  %r_init = tensor.empty() : tensor<2x7xf32>
  %kt_init = tensor.empty() : tensor<2x16x13xf32>
  %kt = linalg.transpose ins(%k : tensor<2x13x16xf32>) outs(%kt_init : tensor<2x16x13xf32>) permutation = [0, 2, 1]
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  %s = linalg.batch_matmul ins(%q, %kt : tensor<2x7x16xf32>, tensor<2x16x13xf32>) outs(%s_zero : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  %sc = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s : tensor<2x7x13xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %o: f32):
    %c = arith.constant 2.500000e-01 : f32
    %y = arith.mulf %a0, %c : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %vis_init = tensor.empty() : tensor<7x13xi1>
  %vis = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%vis_init : tensor<7x13xi1>) {
  ^bb0(%o: i1):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %c = arith.cmpi ule, %j, %i : index
    linalg.yield %c : i1
  } -> tensor<7x13xi1>
  %ms = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sc, %vis : tensor<2x7x13xf32>, tensor<7x13xi1>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: i1, %o: f32):
    %y = arith.select %a1, %a0, %ninf : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %m_ninf = linalg.fill ins(%ninf : f32) outs(%r_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%ms : tensor<2x7x13xf32>) outs(%m_ninf : tensor<2x7xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.maximumf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %e = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%ms, %max : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %d = arith.subf %a0, %a1 : f32
    %y = math.exp %d : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %sum_zero = linalg.fill ins(%zero : f32) outs(%r_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%e : tensor<2x7x13xf32>) outs(%sum_zero : tensor<2x7xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.addf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%e, %sum : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %y = arith.divf %a0, %a1 : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %o_init = tensor.empty() : tensor<2x7x16xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  %out = linalg.batch_matmul ins(%p, %v : tensor<2x7x13xf32>, tensor<2x13x16xf32>) outs(%o_zero : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  return %out : tensor<2x7x16xf32>
}

// -----

// CHECK-LABEL: func @raise_additive_bias_argument
//  CHECK-SAME:   %[[BIAS:[a-zA-Z0-9]+]]: tensor<7x13xf32>
//       CHECK:   %[[M:.+]] = linalg.generic
//  CHECK-SAME:     ins(%[[BIAS]] : tensor<7x13xf32>) outs(%{{.+}} : tensor<1x1x7x13xf32>)
//       CHECK:   attn.sdpa {{.*}} mask(%[[M]] : tensor<1x1x7x13xf32>) {scale = 2.500000e-01 : f32}
func.func @raise_additive_bias_argument(%q: tensor<2x7x16xf32>, %k: tensor<2x13x16xf32>, %v: tensor<2x13x16xf32>, %bias: tensor<7x13xf32>) -> (tensor<2x7x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %s_init = tensor.empty() : tensor<2x7x13xf32>
  %r_init = tensor.empty() : tensor<2x7xf32>
  %kt_init = tensor.empty() : tensor<2x16x13xf32>
  %kt = linalg.transpose ins(%k : tensor<2x13x16xf32>) outs(%kt_init : tensor<2x16x13xf32>) permutation = [0, 2, 1]
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  %s = linalg.batch_matmul ins(%q, %kt : tensor<2x7x16xf32>, tensor<2x16x13xf32>) outs(%s_zero : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  %sc = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s : tensor<2x7x13xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %o: f32):
    %c = arith.constant 2.500000e-01 : f32
    %y = arith.mulf %a0, %c : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %mb = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sc, %bias : tensor<2x7x13xf32>, tensor<7x13xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %y = arith.addf %a0, %a1 : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %m_ninf = linalg.fill ins(%ninf : f32) outs(%r_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%mb : tensor<2x7x13xf32>) outs(%m_ninf : tensor<2x7xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.maximumf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %e = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%mb, %max : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %d = arith.subf %a0, %a1 : f32
    %y = math.exp %d : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %sum_zero = linalg.fill ins(%zero : f32) outs(%r_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%e : tensor<2x7x13xf32>) outs(%sum_zero : tensor<2x7xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.addf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%e, %sum : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %y = arith.divf %a0, %a1 : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %o_init = tensor.empty() : tensor<2x7x16xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  %out = linalg.batch_matmul ins(%p, %v : tensor<2x7x13xf32>, tensor<2x13x16xf32>) outs(%o_zero : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  return %out : tensor<2x7x16xf32>
}

// -----

// CHECK-LABEL: func @raise_boolean_mask_argument
//  CHECK-SAME:   %[[M:[a-zA-Z0-9]+]]: tensor<2x7x13xi1>
//       CHECK:   %[[KEEP:.+]] = linalg.generic
//  CHECK-SAME:     ins(%{{.+}} : tensor<2x7x13xi1>) outs(%{{.+}} : tensor<1x2x7x13xi1>)
//       CHECK:     arith.xori
//       CHECK:   attn.sdpa {{.*}} mask(%[[KEEP]] : tensor<1x2x7x13xi1>)
func.func @raise_boolean_mask_argument(%q: tensor<2x7x16xf32>, %k: tensor<2x13x16xf32>, %v: tensor<2x13x16xf32>, %m: tensor<2x7x13xi1>) -> (tensor<2x7x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %s_init = tensor.empty() : tensor<2x7x13xf32>
  %r_init = tensor.empty() : tensor<2x7xf32>
  %kt_init = tensor.empty() : tensor<2x16x13xf32>
  %kt = linalg.transpose ins(%k : tensor<2x13x16xf32>) outs(%kt_init : tensor<2x16x13xf32>) permutation = [0, 2, 1]
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  %s = linalg.batch_matmul ins(%q, %kt : tensor<2x7x16xf32>, tensor<2x16x13xf32>) outs(%s_zero : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  %sc = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s : tensor<2x7x13xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %o: f32):
    %c = arith.constant 2.500000e-01 : f32
    %y = arith.mulf %a0, %c : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %ms = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sc, %m : tensor<2x7x13xf32>, tensor<2x7x13xi1>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: i1, %o: f32):
    %y = arith.select %a1, %ninf, %a0 : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %m_ninf = linalg.fill ins(%ninf : f32) outs(%r_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%ms : tensor<2x7x13xf32>) outs(%m_ninf : tensor<2x7xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.maximumf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %e = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%ms, %max : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %d = arith.subf %a0, %a1 : f32
    %y = math.exp %d : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %sum_zero = linalg.fill ins(%zero : f32) outs(%r_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%e : tensor<2x7x13xf32>) outs(%sum_zero : tensor<2x7xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.addf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%e, %sum : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %y = arith.divf %a0, %a1 : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %o_init = tensor.empty() : tensor<2x7x16xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  %out = linalg.batch_matmul ins(%p, %v : tensor<2x7x13xf32>, tensor<2x13x16xf32>) outs(%o_zero : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  return %out : tensor<2x7x16xf32>
}

// -----

// CHECK-LABEL: func @negative_probs_other_user
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @negative_probs_other_user(%q: tensor<2x7x16xf32>, %k: tensor<2x13x16xf32>, %v: tensor<2x13x16xf32>) -> (tensor<2x7x16xf32>, tensor<2x7x13xf32>) {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %s_init = tensor.empty() : tensor<2x7x13xf32>
  %r_init = tensor.empty() : tensor<2x7xf32>
  %kt_init = tensor.empty() : tensor<2x16x13xf32>
  %kt = linalg.transpose ins(%k : tensor<2x13x16xf32>) outs(%kt_init : tensor<2x16x13xf32>) permutation = [0, 2, 1]
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  %s = linalg.batch_matmul ins(%q, %kt : tensor<2x7x16xf32>, tensor<2x16x13xf32>) outs(%s_zero : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  %sc = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s : tensor<2x7x13xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %o: f32):
    %c = arith.constant 2.500000e-01 : f32
    %y = arith.mulf %a0, %c : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %m_ninf = linalg.fill ins(%ninf : f32) outs(%r_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%sc : tensor<2x7x13xf32>) outs(%m_ninf : tensor<2x7xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.maximumf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %e = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sc, %max : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %d = arith.subf %a0, %a1 : f32
    %y = math.exp %d : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %sum_zero = linalg.fill ins(%zero : f32) outs(%r_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%e : tensor<2x7x13xf32>) outs(%sum_zero : tensor<2x7xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.addf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: the probabilities have another user, so they must stay materialised}}
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%e, %sum : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %y = arith.divf %a0, %a1 : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %o_init = tensor.empty() : tensor<2x7x16xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  %out = linalg.batch_matmul ins(%p, %v : tensor<2x7x13xf32>, tensor<2x13x16xf32>) outs(%o_zero : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  return %out, %p : tensor<2x7x16xf32>, tensor<2x7x13xf32>
}

// -----

// CHECK-LABEL: func @negative_scores_other_user
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @negative_scores_other_user(%q: tensor<2x7x16xf32>, %k: tensor<2x13x16xf32>, %v: tensor<2x13x16xf32>) -> (tensor<2x7x16xf32>, tensor<2x7x13xf32>) {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %s_init = tensor.empty() : tensor<2x7x13xf32>
  %r_init = tensor.empty() : tensor<2x7xf32>
  %kt_init = tensor.empty() : tensor<2x16x13xf32>
  %kt = linalg.transpose ins(%k : tensor<2x13x16xf32>) outs(%kt_init : tensor<2x16x13xf32>) permutation = [0, 2, 1]
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  %s = linalg.batch_matmul ins(%q, %kt : tensor<2x7x16xf32>, tensor<2x16x13xf32>) outs(%s_zero : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: the scaled scores have another user, so they must stay materialised}}
  %sc = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s : tensor<2x7x13xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %o: f32):
    %c = arith.constant 2.500000e-01 : f32
    %y = arith.mulf %a0, %c : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %m_ninf = linalg.fill ins(%ninf : f32) outs(%r_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%sc : tensor<2x7x13xf32>) outs(%m_ninf : tensor<2x7xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.maximumf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %e = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sc, %max : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %d = arith.subf %a0, %a1 : f32
    %y = math.exp %d : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %sum_zero = linalg.fill ins(%zero : f32) outs(%r_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%e : tensor<2x7x13xf32>) outs(%sum_zero : tensor<2x7xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.addf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%e, %sum : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %y = arith.divf %a0, %a1 : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %o_init = tensor.empty() : tensor<2x7x16xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  %out = linalg.batch_matmul ins(%p, %v : tensor<2x7x13xf32>, tensor<2x13x16xf32>) outs(%o_zero : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  return %out, %sc : tensor<2x7x16xf32>, tensor<2x7x13xf32>
}

// -----

// CHECK-LABEL: func @negative_max_over_query_axis
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @negative_max_over_query_axis(%q: tensor<2x7x16xf32>, %k: tensor<2x13x16xf32>, %v: tensor<2x13x16xf32>) -> (tensor<2x7x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %s_init = tensor.empty() : tensor<2x7x13xf32>
  %r_init = tensor.empty() : tensor<2x7xf32>
  %kt_init = tensor.empty() : tensor<2x16x13xf32>
  %kt = linalg.transpose ins(%k : tensor<2x13x16xf32>) outs(%kt_init : tensor<2x16x13xf32>) permutation = [0, 2, 1]
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  %s = linalg.batch_matmul ins(%q, %kt : tensor<2x7x16xf32>, tensor<2x16x13xf32>) outs(%s_zero : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  %sc = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s : tensor<2x7x13xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %o: f32):
    %c = arith.constant 2.500000e-01 : f32
    %y = arith.mulf %a0, %c : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %c_init = tensor.empty() : tensor<2x13xf32>
  %m_ninf = linalg.fill ins(%ninf : f32) outs(%c_init : tensor<2x13xf32>) -> tensor<2x13xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: the row maximum reduces dimension 1, not the key axis (dimension 2)}}
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%sc : tensor<2x7x13xf32>) outs(%m_ninf : tensor<2x13xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.maximumf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x13xf32>
  %e = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sc, %max : tensor<2x7x13xf32>, tensor<2x13xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %d = arith.subf %a0, %a1 : f32
    %y = math.exp %d : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %sum_zero = linalg.fill ins(%zero : f32) outs(%r_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%e : tensor<2x7x13xf32>) outs(%sum_zero : tensor<2x7xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.addf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%e, %sum : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %y = arith.divf %a0, %a1 : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %o_init = tensor.empty() : tensor<2x7x16xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  %out = linalg.batch_matmul ins(%p, %v : tensor<2x7x13xf32>, tensor<2x13x16xf32>) outs(%o_zero : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  return %out : tensor<2x7x16xf32>
}

// -----

// CHECK-LABEL: func @negative_nonconstant_scale
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @negative_nonconstant_scale(%q: tensor<2x7x16xf32>, %k: tensor<2x13x16xf32>, %v: tensor<2x13x16xf32>, %scale: f32) -> (tensor<2x7x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %s_init = tensor.empty() : tensor<2x7x13xf32>
  %r_init = tensor.empty() : tensor<2x7xf32>
  %kt_init = tensor.empty() : tensor<2x16x13xf32>
  %kt = linalg.transpose ins(%k : tensor<2x13x16xf32>) outs(%kt_init : tensor<2x16x13xf32>) permutation = [0, 2, 1]
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  %s = linalg.batch_matmul ins(%q, %kt : tensor<2x7x16xf32>, tensor<2x16x13xf32>) outs(%s_zero : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: the scale of the scores is not a compile-time constant}}
  %sc = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s : tensor<2x7x13xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %o: f32):
    %y = arith.mulf %a0, %scale : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %m_ninf = linalg.fill ins(%ninf : f32) outs(%r_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%sc : tensor<2x7x13xf32>) outs(%m_ninf : tensor<2x7xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.maximumf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %e = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sc, %max : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %d = arith.subf %a0, %a1 : f32
    %y = math.exp %d : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %sum_zero = linalg.fill ins(%zero : f32) outs(%r_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%e : tensor<2x7x13xf32>) outs(%sum_zero : tensor<2x7xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.addf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%e, %sum : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %y = arith.divf %a0, %a1 : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %o_init = tensor.empty() : tensor<2x7x16xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  %out = linalg.batch_matmul ins(%p, %v : tensor<2x7x13xf32>, tensor<2x13x16xf32>) outs(%o_zero : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  return %out : tensor<2x7x16xf32>
}

// -----

// CHECK-LABEL: func @negative_nonuniform_scale
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @negative_nonuniform_scale(%q: tensor<2x7x16xf32>, %k: tensor<2x13x16xf32>, %v: tensor<2x13x16xf32>, %w: tensor<13xf32>) -> (tensor<2x7x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %s_init = tensor.empty() : tensor<2x7x13xf32>
  %r_init = tensor.empty() : tensor<2x7xf32>
  %kt_init = tensor.empty() : tensor<2x16x13xf32>
  %kt = linalg.transpose ins(%k : tensor<2x13x16xf32>) outs(%kt_init : tensor<2x16x13xf32>) permutation = [0, 2, 1]
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  %s = linalg.batch_matmul ins(%q, %kt : tensor<2x7x16xf32>, tensor<2x16x13xf32>) outs(%s_zero : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: the scale of the scores is not uniform}}
  %sc = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s, %w : tensor<2x7x13xf32>, tensor<13xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %y = arith.mulf %a0, %a1 : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %m_ninf = linalg.fill ins(%ninf : f32) outs(%r_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%sc : tensor<2x7x13xf32>) outs(%m_ninf : tensor<2x7xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.maximumf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %e = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sc, %max : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %d = arith.subf %a0, %a1 : f32
    %y = math.exp %d : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %sum_zero = linalg.fill ins(%zero : f32) outs(%r_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%e : tensor<2x7x13xf32>) outs(%sum_zero : tensor<2x7xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.addf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%e, %sum : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %y = arith.divf %a0, %a1 : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %o_init = tensor.empty() : tensor<2x7x16xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  %out = linalg.batch_matmul ins(%p, %v : tensor<2x7x13xf32>, tensor<2x13x16xf32>) outs(%o_zero : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  return %out : tensor<2x7x16xf32>
}

// -----

// CHECK-LABEL: func @negative_scale_after_mask
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @negative_scale_after_mask(%q: tensor<2x7x16xf32>, %k: tensor<2x13x16xf32>, %v: tensor<2x13x16xf32>, %bias: tensor<7x13xf32>) -> (tensor<2x7x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %s_init = tensor.empty() : tensor<2x7x13xf32>
  %r_init = tensor.empty() : tensor<2x7xf32>
  %kt_init = tensor.empty() : tensor<2x16x13xf32>
  %kt = linalg.transpose ins(%k : tensor<2x13x16xf32>) outs(%kt_init : tensor<2x16x13xf32>) permutation = [0, 2, 1]
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  %s = linalg.batch_matmul ins(%q, %kt : tensor<2x7x16xf32>, tensor<2x16x13xf32>) outs(%s_zero : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: the scores are scaled after a mask is applied}}
  %mb = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s, %bias : tensor<2x7x13xf32>, tensor<7x13xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %y = arith.addf %a0, %a1 : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %sc = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%mb : tensor<2x7x13xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %o: f32):
    %c = arith.constant 2.500000e-01 : f32
    %y = arith.mulf %a0, %c : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %m_ninf = linalg.fill ins(%ninf : f32) outs(%r_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%sc : tensor<2x7x13xf32>) outs(%m_ninf : tensor<2x7xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.maximumf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %e = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sc, %max : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %d = arith.subf %a0, %a1 : f32
    %y = math.exp %d : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %sum_zero = linalg.fill ins(%zero : f32) outs(%r_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%e : tensor<2x7x13xf32>) outs(%sum_zero : tensor<2x7xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.addf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%e, %sum : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %y = arith.divf %a0, %a1 : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %o_init = tensor.empty() : tensor<2x7x16xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  %out = linalg.batch_matmul ins(%p, %v : tensor<2x7x13xf32>, tensor<2x13x16xf32>) outs(%o_zero : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  return %out : tensor<2x7x16xf32>
}

// -----

// CHECK-LABEL: func @negative_masked_fill_not_inf
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @negative_masked_fill_not_inf(%q: tensor<2x7x16xf32>, %k: tensor<2x13x16xf32>, %v: tensor<2x13x16xf32>, %m: tensor<2x7x13xi1>) -> (tensor<2x7x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %s_init = tensor.empty() : tensor<2x7x13xf32>
  %r_init = tensor.empty() : tensor<2x7xf32>
  %kt_init = tensor.empty() : tensor<2x16x13xf32>
  %kt = linalg.transpose ins(%k : tensor<2x13x16xf32>) outs(%kt_init : tensor<2x16x13xf32>) permutation = [0, 2, 1]
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  %s = linalg.batch_matmul ins(%q, %kt : tensor<2x7x16xf32>, tensor<2x16x13xf32>) outs(%s_zero : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  %sc = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s : tensor<2x7x13xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %o: f32):
    %c = arith.constant 2.500000e-01 : f32
    %y = arith.mulf %a0, %c : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: the masked scores are filled with another value than -inf}}
  %ms = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sc, %m : tensor<2x7x13xf32>, tensor<2x7x13xi1>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: i1, %o: f32):
    %big = arith.constant -1.000000e+09 : f32
    %y = arith.select %a1, %big, %a0 : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %m_ninf = linalg.fill ins(%ninf : f32) outs(%r_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%ms : tensor<2x7x13xf32>) outs(%m_ninf : tensor<2x7xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.maximumf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %e = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%ms, %max : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %d = arith.subf %a0, %a1 : f32
    %y = math.exp %d : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %sum_zero = linalg.fill ins(%zero : f32) outs(%r_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%e : tensor<2x7x13xf32>) outs(%sum_zero : tensor<2x7xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.addf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%e, %sum : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %y = arith.divf %a0, %a1 : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %o_init = tensor.empty() : tensor<2x7x16xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  %out = linalg.batch_matmul ins(%p, %v : tensor<2x7x13xf32>, tensor<2x13x16xf32>) outs(%o_zero : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  return %out : tensor<2x7x16xf32>
}

// -----

// CHECK-LABEL: func @negative_softmax_over_query_axis
//   CHECK-NOT:   attn.
//       CHECK:   linalg.softmax
func.func @negative_softmax_over_query_axis(%s: tensor<1x2x7x13xf32>, %v: tensor<1x2x13x16xf32>) -> tensor<1x2x7x16xf32> {
  %zero = arith.constant 0.0 : f32
  %s_init = tensor.empty() : tensor<1x2x7x13xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: linalg.softmax normalises dimension 2, not the key axis (dimension 3)}}
  %p = linalg.softmax dimension(2) ins(%s : tensor<1x2x7x13xf32>) outs(%s_init : tensor<1x2x7x13xf32>) -> tensor<1x2x7x13xf32>
  %o_init = tensor.empty() : tensor<1x2x7x16xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<1x2x7x16xf32>) -> tensor<1x2x7x16xf32>
  %o = linalg.generic {indexing_maps = [affine_map<(b, h, i, e, j) -> (b, h, i, j)>, affine_map<(b, h, i, e, j) -> (b, h, j, e)>, affine_map<(b, h, i, e, j) -> (b, h, i, e)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p, %v : tensor<1x2x7x13xf32>, tensor<1x2x13x16xf32>) outs(%o_zero : tensor<1x2x7x16xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<1x2x7x16xf32>
  return %o : tensor<1x2x7x16xf32>
}

// -----

// CHECK-LABEL: func @negative_scores_in_f16
//   CHECK-NOT:   attn.
//       CHECK:   linalg.softmax
func.func @negative_scores_in_f16(%q: tensor<1x2x7x16xf16>, %k: tensor<1x2x13x16xf16>, %v: tensor<1x2x13x16xf16>) -> tensor<1x2x7x16xf16> {
  %zero = arith.constant 0.0 : f16
  %s_init = tensor.empty() : tensor<1x2x7x13xf16>
  %s_zero = linalg.fill ins(%zero : f16) outs(%s_init : tensor<1x2x7x13xf16>) -> tensor<1x2x7x13xf16>
  %s = linalg.generic {indexing_maps = [affine_map<(b, h, i, j, d) -> (b, h, i, d)>, affine_map<(b, h, i, j, d) -> (b, h, j, d)>, affine_map<(b, h, i, j, d) -> (b, h, i, j)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<1x2x7x16xf16>, tensor<1x2x13x16xf16>) outs(%s_zero : tensor<1x2x7x13xf16>) {
  ^bb0(%a: f16, %b: f16, %acc: f16):
    %m = arith.mulf %a, %b : f16
    %r = arith.addf %acc, %m : f16
    linalg.yield %r : f16
  } -> tensor<1x2x7x13xf16>
  // expected-remark @below {{attn-raise-linalg: not raised: the probabilities are computed in 'f16', while attn.sdpa keeps them in f32}}
  %p = linalg.softmax dimension(3) ins(%s : tensor<1x2x7x13xf16>) outs(%s_init : tensor<1x2x7x13xf16>) -> tensor<1x2x7x13xf16>
  %o_init = tensor.empty() : tensor<1x2x7x16xf16>
  %o_zero = linalg.fill ins(%zero : f16) outs(%o_init : tensor<1x2x7x16xf16>) -> tensor<1x2x7x16xf16>
  %o = linalg.generic {indexing_maps = [affine_map<(b, h, i, e, j) -> (b, h, i, j)>, affine_map<(b, h, i, e, j) -> (b, h, j, e)>, affine_map<(b, h, i, e, j) -> (b, h, i, e)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p, %v : tensor<1x2x7x13xf16>, tensor<1x2x13x16xf16>) outs(%o_zero : tensor<1x2x7x16xf16>) {
  ^bb0(%a: f16, %b: f16, %acc: f16):
    %m = arith.mulf %a, %b : f16
    %r = arith.addf %acc, %m : f16
    linalg.yield %r : f16
  } -> tensor<1x2x7x16xf16>
  return %o : tensor<1x2x7x16xf16>
}
