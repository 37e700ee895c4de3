// Low-precision raising keeps the documented contract: bf16 attention that
// rounds its probabilities and its output to bf16 raises to the bf16
// attn.sdpa, and the compiled raised function matches the float64
// reference of the original (unraised) IR within 2e-2 through every
// strategy.

// RUN: attn-opt %s --attn-raise-linalg | FileCheck %s
// RUN: attn-run %s --entry=bf16_causal --check --strategy=flash | FileCheck %s --check-prefix=NUMERICS
// RUN: attn-run %s --entry=bf16_causal --check --strategy=split-kv | FileCheck %s --check-prefix=NUMERICS
// RUN: attn-run %s --entry=bf16_causal --check --strategy=unfused | FileCheck %s --check-prefix=NUMERICS
// CHECK: attn.sdpa {{.*}} {causal, scale = 2.500000e-01 : f32} : {{.*}} -> tensor<1x2x9x16xbf16>
// NUMERICS: tolerance 2e-02: PASS

#qmap = affine_map<(b, h, i, j, d) -> (b, h, i, d)>
#kmap = affine_map<(b, h, i, j, d) -> (b, h, j, d)>
#smap = affine_map<(b, h, i, j, d) -> (b, h, i, j)>
#pmap = affine_map<(b, h, i, e, j) -> (b, h, i, j)>
#vmap = affine_map<(b, h, i, e, j) -> (b, h, j, e)>
#omap = affine_map<(b, h, i, e, j) -> (b, h, i, e)>
#id = affine_map<(b, h, i, j) -> (b, h, i, j)>
func.func @bf16_causal(%q: tensor<1x2x9x16xbf16>, %k: tensor<1x2x9x16xbf16>, %v: tensor<1x2x9x16xbf16>) -> tensor<1x2x9x16xbf16> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %s_init = tensor.empty() : tensor<1x2x9x9xf32>
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<1x2x9x9xf32>) -> tensor<1x2x9x9xf32>
  %s = linalg.generic {indexing_maps = [#qmap, #kmap, #smap], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<1x2x9x16xbf16>, tensor<1x2x9x16xbf16>) outs(%s_zero : tensor<1x2x9x9xf32>) {
  ^bb0(%a: bf16, %b: bf16, %acc: f32):
    %ae = arith.extf %a : bf16 to f32
    %be = arith.extf %b : bf16 to f32
    %m = arith.mulf %ae, %be : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<1x2x9x9xf32>
  %sc = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s : tensor<1x2x9x9xf32>) outs(%s_init : tensor<1x2x9x9xf32>) {
  ^bb0(%x: f32, %o: f32):
    %c = arith.constant 0.25 : f32
    %y = arith.mulf %x, %c : f32
    %i = linalg.index 2 : index
    %j = linalg.index 3 : index
    %vis = arith.cmpi ule, %j, %i : index
    %r = arith.select %vis, %y, %ninf : f32
    linalg.yield %r : f32
  } -> tensor<1x2x9x9xf32>
  %p = linalg.softmax dimension(3) ins(%sc : tensor<1x2x9x9xf32>) outs(%s_init : tensor<1x2x9x9xf32>) -> tensor<1x2x9x9xf32>
  %p16_init = tensor.empty() : tensor<1x2x9x9xbf16>
  %p16 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%p : tensor<1x2x9x9xf32>) outs(%p16_init : tensor<1x2x9x9xbf16>) {
  ^bb0(%x: f32, %o: bf16):
    %y = arith.truncf %x : f32 to bf16
    linalg.yield %y : bf16
  } -> tensor<1x2x9x9xbf16>
  %o_init = tensor.empty() : tensor<1x2x9x16xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<1x2x9x16xf32>) -> tensor<1x2x9x16xf32>
  %o = linalg.generic {indexing_maps = [#pmap, #vmap, #omap], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p16, %v : tensor<1x2x9x9xbf16>, tensor<1x2x9x16xbf16>) outs(%o_zero : tensor<1x2x9x16xf32>) {
  ^bb0(%a: bf16, %b: bf16, %acc: f32):
    %ae = arith.extf %a : bf16 to f32
    %be = arith.extf %b : bf16 to f32
    %m = arith.mulf %ae, %be : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<1x2x9x16xf32>
  %o16_init = tensor.empty() : tensor<1x2x9x16xbf16>
  %o16 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%o : tensor<1x2x9x16xf32>) outs(%o16_init : tensor<1x2x9x16xbf16>) {
  ^bb0(%x: f32, %y: bf16):
    %t = arith.truncf %x : f32 to bf16
    linalg.yield %t : bf16
  } -> tensor<1x2x9x16xbf16>
  return %o16 : tensor<1x2x9x16xbf16>
}
