// attn-raise-linalg on one dynamic length: self-attention whose scores are
// [B, H, L, L] with one L, and a causal sliding window written as
// |i - j| < 4 and j <= i in the step that scales them, raises to an
// attn.sdpa with window = [3, 0] fitted symbolically (no score_mod: flash
// skips the invisible tiles). The one function, compiled through flash
// (tile-q != tile-kv) and split-KV, matches the float64 reference of the
// unraised IR at three lengths, tails included.

// RUN: rm -rf %t && mkdir -p %t
// RUN: attn-opt %s --attn-raise-linalg | FileCheck %s
// CHECK: attn.sdpa {{.*}} {scale = 3.500000e-01 : f32, window = array<i64: 3, 0>} : tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32> -> tensor<?x2x?x8xf32>
// CHECK-NOT: score_mod
// RUN: %npy rand %t/q5.npy f32 1x2x5x8 --seed 1
// RUN: %npy rand %t/k5.npy f32 1x2x5x8 --seed 2
// RUN: %npy rand %t/v5.npy f32 1x2x5x8 --seed 3
// RUN: attn-run %s --entry=dynamic_causal_window --inputs=%t/q5.npy,%t/k5.npy,%t/v5.npy --check --strategy=flash --tile-q=8 --tile-kv=4 | FileCheck %s --check-prefix=NUMERICS
// RUN: attn-run %s --entry=dynamic_causal_window --inputs=%t/q5.npy,%t/k5.npy,%t/v5.npy --check --strategy=split-kv | FileCheck %s --check-prefix=NUMERICS
// RUN: %npy rand %t/q19.npy f32 2x2x19x8 --seed 4
// RUN: %npy rand %t/k19.npy f32 2x2x19x8 --seed 5
// RUN: %npy rand %t/v19.npy f32 2x2x19x8 --seed 6
// RUN: attn-run %s --entry=dynamic_causal_window --inputs=%t/q19.npy,%t/k19.npy,%t/v19.npy --check --strategy=flash --tile-q=8 --tile-kv=4 | FileCheck %s --check-prefix=NUMERICS
// RUN: attn-run %s --entry=dynamic_causal_window --inputs=%t/q19.npy,%t/k19.npy,%t/v19.npy --check --strategy=split-kv | FileCheck %s --check-prefix=NUMERICS
// RUN: %npy rand %t/q40.npy f32 1x2x40x8 --seed 7
// RUN: %npy rand %t/k40.npy f32 1x2x40x8 --seed 8
// RUN: %npy rand %t/v40.npy f32 1x2x40x8 --seed 9
// RUN: attn-run %s --entry=dynamic_causal_window --inputs=%t/q40.npy,%t/k40.npy,%t/v40.npy --check --strategy=flash --tile-q=8 --tile-kv=4 | FileCheck %s --check-prefix=NUMERICS
// RUN: attn-run %s --entry=dynamic_causal_window --inputs=%t/q40.npy,%t/k40.npy,%t/v40.npy --check --strategy=split-kv | FileCheck %s --check-prefix=NUMERICS
// NUMERICS: tolerance 1e-05: PASS

#qmap = affine_map<(b, h, i, j, d) -> (b, h, i, d)>
#kmap = affine_map<(b, h, i, j, d) -> (b, h, j, d)>
#smap = affine_map<(b, h, i, j, d) -> (b, h, i, j)>
#pmap = affine_map<(b, h, i, e, j) -> (b, h, i, j)>
#vmap = affine_map<(b, h, i, e, j) -> (b, h, j, e)>
#omap = affine_map<(b, h, i, e, j) -> (b, h, i, e)>
#id = affine_map<(b, h, i, j) -> (b, h, i, j)>
func.func @dynamic_causal_window(%q: tensor<?x2x?x8xf32>, %k: tensor<?x2x?x8xf32>, %v: tensor<?x2x?x8xf32>) -> tensor<?x2x?x8xf32> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %zero = arith.constant 0.0 : f32
  %b = tensor.dim %q, %c0 : tensor<?x2x?x8xf32>
  %lq = tensor.dim %q, %c2 : tensor<?x2x?x8xf32>
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
    %near = arith.cmpi slt, %ad, %c4 : index
    %past = arith.cmpi sle, %j, %i : index
    %vis = arith.andi %near, %past : i1
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
