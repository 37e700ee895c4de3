// attn-raise-linalg changes results only by float reassociation: each
// attention written in linalg (the positive forms of
// test/Transforms/attn-raise-linalg.mlir, with Lq != Lk and sizes that are
// not multiples of 8) and its raised attn.sdpa agree within 1e-5 on the same
// inputs. Where the raised function is attn ops only, it also matches
// attn-run's float64 reference (--check; the reference has no tensor
// reshapes yet, so the other forms are checked against the original IR).

// RUN: rm -rf %t && mkdir -p %t
// RUN: attn-opt %s --attn-raise-linalg > %t/raised.mlir
// RUN: FileCheck %s --check-prefix=RAISED < %t/raised.mlir
// RAISED-LABEL: func @raise_batch_matmul_scale_on_scores
// RAISED: attn.sdpa
// RAISED-NOT: linalg.batch_matmul
// RAISED-LABEL: func @raise_scale_on_q_and_k_reciprocal
// RAISED: attn.sdpa
// RAISED-NOT: linalg.batch_matmul
// RAISED-LABEL: func @raise_generic_contraction_linalg_softmax
// RAISED: attn.sdpa
// RAISED-NOT: linalg.batch_matmul
// RAISED-LABEL: func @raise_top_left_causal_from_index
// RAISED: attn.sdpa
// RAISED-NOT: linalg.batch_matmul
// RAISED-LABEL: func @raise_additive_bias_argument
// RAISED: attn.sdpa
// RAISED-NOT: linalg.batch_matmul
// RAISED-LABEL: func @raise_boolean_mask_argument
// RAISED: attn.sdpa
// RAISED-NOT: linalg.batch_matmul

// The boolean mask is drawn so that no row is fully masked (the written-out
// softmax gives NaN there, attn.sdpa gives 0).
// RUN: %npy rand %t/m.npy i1 2x7x13 --seed 5
// RUN: attn-run %s --entry=raise_batch_matmul_scale_on_scores --seed=20 --outputs=%t/raise_batch_matmul_scale_on_scores.npy
// RUN: attn-run %t/raised.mlir --entry=raise_batch_matmul_scale_on_scores --seed=20 --outputs=%t/raise_batch_matmul_scale_on_scores-raised.npy
// RUN: %npy compare %t/raise_batch_matmul_scale_on_scores-raised.npy %t/raise_batch_matmul_scale_on_scores.npy --tol 1e-5 | FileCheck %s --check-prefix=SAME
// RUN: attn-run %s --entry=raise_scale_on_q_and_k_reciprocal --seed=21 --outputs=%t/raise_scale_on_q_and_k_reciprocal.npy
// RUN: attn-run %t/raised.mlir --entry=raise_scale_on_q_and_k_reciprocal --seed=21 --outputs=%t/raise_scale_on_q_and_k_reciprocal-raised.npy
// RUN: %npy compare %t/raise_scale_on_q_and_k_reciprocal-raised.npy %t/raise_scale_on_q_and_k_reciprocal.npy --tol 1e-5 | FileCheck %s --check-prefix=SAME
// RUN: attn-run %s --entry=raise_generic_contraction_linalg_softmax --seed=22 --outputs=%t/raise_generic_contraction_linalg_softmax.npy
// RUN: attn-run %t/raised.mlir --entry=raise_generic_contraction_linalg_softmax --seed=22 --outputs=%t/raise_generic_contraction_linalg_softmax-raised.npy --check | FileCheck %s
// RUN: %npy compare %t/raise_generic_contraction_linalg_softmax-raised.npy %t/raise_generic_contraction_linalg_softmax.npy --tol 1e-5 | FileCheck %s --check-prefix=SAME
// RUN: attn-run %s --entry=raise_top_left_causal_from_index --seed=23 --outputs=%t/raise_top_left_causal_from_index.npy
// RUN: attn-run %t/raised.mlir --entry=raise_top_left_causal_from_index --seed=23 --outputs=%t/raise_top_left_causal_from_index-raised.npy
// RUN: %npy compare %t/raise_top_left_causal_from_index-raised.npy %t/raise_top_left_causal_from_index.npy --tol 1e-5 | FileCheck %s --check-prefix=SAME
// RUN: attn-run %s --entry=raise_additive_bias_argument --seed=24 --outputs=%t/raise_additive_bias_argument.npy
// RUN: attn-run %t/raised.mlir --entry=raise_additive_bias_argument --seed=24 --outputs=%t/raise_additive_bias_argument-raised.npy
// RUN: %npy compare %t/raise_additive_bias_argument-raised.npy %t/raise_additive_bias_argument.npy --tol 1e-5 | FileCheck %s --check-prefix=SAME
// RUN: %npy rand %t/q.npy f32 2x7x16 --seed 1
// RUN: %npy rand %t/k.npy f32 2x13x16 --seed 2
// RUN: %npy rand %t/v.npy f32 2x13x16 --seed 3
// RUN: attn-run %s --entry=raise_boolean_mask_argument --inputs=%t/q.npy,%t/k.npy,%t/v.npy,%t/m.npy --outputs=%t/raise_boolean_mask_argument.npy
// RUN: attn-run %t/raised.mlir --entry=raise_boolean_mask_argument --inputs=%t/q.npy,%t/k.npy,%t/v.npy,%t/m.npy --outputs=%t/raise_boolean_mask_argument-raised.npy
// RUN: %npy compare %t/raise_boolean_mask_argument-raised.npy %t/raise_boolean_mask_argument.npy --tol 1e-5 | FileCheck %s --check-prefix=SAME
// CHECK: result #0: relative error {{.*}}: PASS
// SAME: relative error {{.*}}: PASS

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

#qmap = affine_map<(b, h, i, j, d) -> (b, h, i, d)>
#kmap = affine_map<(b, h, i, j, d) -> (b, h, j, d)>
#smap = affine_map<(b, h, i, j, d) -> (b, h, i, j)>
#pmap = affine_map<(b, h, i, e, j) -> (b, h, i, j)>
#vmap = affine_map<(b, h, i, e, j) -> (b, h, j, e)>
#omap = affine_map<(b, h, i, e, j) -> (b, h, i, e)>
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
