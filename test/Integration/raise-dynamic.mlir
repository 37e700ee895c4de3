// attn-raise-linalg on dynamic lengths: the attention below (dynamic B, Lq,
// Lk; scale and top-left causal fused into one step) raises to an attn.sdpa
// with dynamic dims, and the one function, compiled through flash and
// split-KV, matches the float64 reference of the unraised IR at three
// sizes, Lq < Lk, Lq > Lk and Lq = Lk.

// RUN: rm -rf %t && mkdir -p %t
// RUN: attn-opt %s --attn-raise-linalg | FileCheck %s
// CHECK: attn.sdpa
// CHECK: } : tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32> -> tensor<?x2x?x8xf32>
// RUN: %npy rand %t/q1.npy f32 1x2x5x8 --seed 1
// RUN: %npy rand %t/k1.npy f32 1x2x9x8 --seed 2
// RUN: %npy rand %t/v1.npy f32 1x2x9x8 --seed 3
// RUN: attn-run %s --entry=dynamic_top_left_causal --inputs=%t/q1.npy,%t/k1.npy,%t/v1.npy --check --strategy=flash | FileCheck %s --check-prefix=NUMERICS
// RUN: attn-run %s --entry=dynamic_top_left_causal --inputs=%t/q1.npy,%t/k1.npy,%t/v1.npy --check --strategy=split-kv | FileCheck %s --check-prefix=NUMERICS
// RUN: %npy rand %t/q2.npy f32 2x2x13x8 --seed 4
// RUN: %npy rand %t/k2.npy f32 2x2x7x8 --seed 5
// RUN: %npy rand %t/v2.npy f32 2x2x7x8 --seed 6
// RUN: attn-run %s --entry=dynamic_top_left_causal --inputs=%t/q2.npy,%t/k2.npy,%t/v2.npy --check --strategy=flash | FileCheck %s --check-prefix=NUMERICS
// RUN: attn-run %s --entry=dynamic_top_left_causal --inputs=%t/q2.npy,%t/k2.npy,%t/v2.npy --check --strategy=split-kv | FileCheck %s --check-prefix=NUMERICS
// RUN: %npy rand %t/q3.npy f32 3x2x33x8 --seed 7
// RUN: %npy rand %t/k3.npy f32 3x2x33x8 --seed 8
// RUN: %npy rand %t/v3.npy f32 3x2x33x8 --seed 9
// RUN: attn-run %s --entry=dynamic_top_left_causal --inputs=%t/q3.npy,%t/k3.npy,%t/v3.npy --check --strategy=flash | FileCheck %s --check-prefix=NUMERICS
// RUN: attn-run %s --entry=dynamic_top_left_causal --inputs=%t/q3.npy,%t/k3.npy,%t/v3.npy --check --strategy=split-kv | FileCheck %s --check-prefix=NUMERICS
// NUMERICS: tolerance 1e-05: PASS

#qmap = affine_map<(b, h, i, j, d) -> (b, h, i, d)>
#kmap = affine_map<(b, h, i, j, d) -> (b, h, j, d)>
#smap = affine_map<(b, h, i, j, d) -> (b, h, i, j)>
#pmap = affine_map<(b, h, i, e, j) -> (b, h, i, j)>
#vmap = affine_map<(b, h, i, e, j) -> (b, h, j, e)>
#omap = affine_map<(b, h, i, e, j) -> (b, h, i, e)>
#id = affine_map<(b, h, i, j) -> (b, h, i, j)>
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
