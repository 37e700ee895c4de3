// Attention written in upstream dialects the way a frontend writes it (heads
// collapsed into the batch of linalg.batch_matmul, K transposed by
// linalg.transpose, the softmax written out as max / sub+exp / sum / div) runs
// through attn-run with .npy inputs and outputs. Its two results are checked
// against an independent float64 computation (utils/npy.py, pure Python),
// and against attn-run's own float64 reference, which interprets the linalg
// and tensor ops of the input.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %npy rand %t/q.npy f32 1x2x7x16 --seed 11
// RUN: %npy rand %t/k.npy f32 1x2x13x16 --seed 12
// RUN: %npy rand %t/v.npy f32 1x2x13x16 --seed 13
// RUN: attn-run %s --entry=attention --inputs=%t/q.npy,%t/k.npy,%t/v.npy --outputs=%t/out.npy,%t/probs.npy
// RUN: %npy sdpa %t/ref_out.npy %t/q.npy %t/k.npy %t/v.npy --scale 0.25 --probs %t/ref_probs.npy
// RUN: %npy compare %t/out.npy %t/ref_out.npy --tol 1e-5 | FileCheck %s
// RUN: %npy compare %t/probs.npy %t/ref_probs.npy --tol 1e-5 | FileCheck %s
// CHECK: relative error {{.*}}: PASS

// The same attention with linalg.softmax and K transposed by the indexing
// maps of a linalg.generic contraction, on 4-D tensors.
// RUN: attn-run %s --entry=attention_softmax_op --inputs=%t/q.npy,%t/k.npy,%t/v.npy --outputs=%t/out2.npy
// RUN: %npy compare %t/out2.npy %t/ref_out.npy --tol 1e-5 | FileCheck %s

// RUN: attn-run %s --entry=attention --inputs=%t/q.npy,%t/k.npy,%t/v.npy --check | FileCheck %s --check-prefix=REF
// RUN: attn-run %s --entry=attention_softmax_op --inputs=%t/q.npy,%t/k.npy,%t/v.npy --check | FileCheck %s --check-prefix=REF
// REF-NOT: no float64 reference
// REF-NOT: FAIL
// REF: result #0: relative error {{.*}}, tolerance 1e-05: PASS

#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#row = affine_map<(d0, d1, d2) -> (d0, d1)>

func.func @attention(%q4: tensor<1x2x7x16xf32>, %k4: tensor<1x2x13x16xf32>,
                     %v4: tensor<1x2x13x16xf32>)
    -> (tensor<1x2x7x16xf32>, tensor<1x2x7x13xf32>) {
  %q = tensor.collapse_shape %q4 [[0, 1], [2], [3]] : tensor<1x2x7x16xf32> into tensor<2x7x16xf32>
  %k = tensor.collapse_shape %k4 [[0, 1], [2], [3]] : tensor<1x2x13x16xf32> into tensor<2x13x16xf32>
  %v = tensor.collapse_shape %v4 [[0, 1], [2], [3]] : tensor<1x2x13x16xf32> into tensor<2x13x16xf32>
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %scale = arith.constant 0.25 : f32

  %kt_init = tensor.empty() : tensor<2x16x13xf32>
  %kt = linalg.transpose ins(%k : tensor<2x13x16xf32>) outs(%kt_init : tensor<2x16x13xf32>) permutation = [0, 2, 1]
  %s_init = tensor.empty() : tensor<2x7x13xf32>
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  %s = linalg.batch_matmul ins(%q, %kt : tensor<2x7x16xf32>, tensor<2x16x13xf32>) outs(%s_zero : tensor<2x7x13xf32>) -> tensor<2x7x13xf32>
  %scaled = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s : tensor<2x7x13xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.mulf %x, %scale : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>

  %m_init = tensor.empty() : tensor<2x7xf32>
  %m_ninf = linalg.fill ins(%ninf : f32) outs(%m_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %max = linalg.generic {indexing_maps = [#id3, #row], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%scaled : tensor<2x7x13xf32>) outs(%m_ninf : tensor<2x7xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %y = arith.maximumf %x, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %e = linalg.generic {indexing_maps = [#id3, #row, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%scaled, %max : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%x: f32, %mx: f32, %o: f32):
    %d = arith.subf %x, %mx : f32
    %y = math.exp %d : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>
  %sum_zero = linalg.fill ins(%zero : f32) outs(%m_init : tensor<2x7xf32>) -> tensor<2x7xf32>
  %sum = linalg.generic {indexing_maps = [#id3, #row], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%e : tensor<2x7x13xf32>) outs(%sum_zero : tensor<2x7xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %y = arith.addf %x, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x7xf32>
  %p = linalg.generic {indexing_maps = [#id3, #row, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%e, %sum : tensor<2x7x13xf32>, tensor<2x7xf32>) outs(%s_init : tensor<2x7x13xf32>) {
  ^bb0(%x: f32, %t: f32, %o: f32):
    %y = arith.divf %x, %t : f32
    linalg.yield %y : f32
  } -> tensor<2x7x13xf32>

  %o_init = tensor.empty() : tensor<2x7x16xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x7x13xf32>, tensor<2x13x16xf32>) outs(%o_zero : tensor<2x7x16xf32>) -> tensor<2x7x16xf32>
  %o4 = tensor.expand_shape %o [[0, 1], [2], [3]] output_shape [1, 2, 7, 16] : tensor<2x7x16xf32> into tensor<1x2x7x16xf32>
  %p4 = tensor.expand_shape %p [[0, 1], [2], [3]] output_shape [1, 2, 7, 13] : tensor<2x7x13xf32> into tensor<1x2x7x13xf32>
  return %o4, %p4 : tensor<1x2x7x16xf32>, tensor<1x2x7x13xf32>
}

#qmap = affine_map<(b, h, i, j, d) -> (b, h, i, d)>
#kmap = affine_map<(b, h, i, j, d) -> (b, h, j, d)>
#smap = affine_map<(b, h, i, j, d) -> (b, h, i, j)>
#pmap = affine_map<(b, h, i, e, j) -> (b, h, i, j)>
#vmap = affine_map<(b, h, i, e, j) -> (b, h, j, e)>
#omap = affine_map<(b, h, i, e, j) -> (b, h, i, e)>

func.func @attention_softmax_op(%q: tensor<1x2x7x16xf32>, %k: tensor<1x2x13x16xf32>,
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
