// RUN: attn-opt %s --attn-raise-linalg --split-input-file | FileCheck %s
// RUN: attn-opt %s --attn-raise-linalg="report-refusals=true" --split-input-file -verify-diagnostics > /dev/null

///----------------------------------------------------------------------------
/// IN:  bf16/f16 attention that rounds to its own type between steps
///      (probabilities rounded before P·V, P·V accumulated in f32 then
///      rounded), and f32 attention that rounds its probabilities.
/// OUT: the low-precision attention raises to the bf16/f16 attn.sdpa, the
///      rounding steps (and the output's) folded into it: the raised op
///      keeps scores, statistics and probabilities in f32 and omits the
///      original's roundings, never adds one (the documented contract;
///      test/Integration/raise-low-precision.mlir measures it against the
///      float64 reference within 2e-2).
/// Why: f32 attention that rounds its probabilities to f16 would lose that
///      rounding's error nowhere near its own precision: refused, and so is
///      a score_mod on bf16 scores (its region takes f32).
///----------------------------------------------------------------------------

// -----

#qmap = affine_map<(b, h, i, j, d) -> (b, h, i, d)>
#kmap = affine_map<(b, h, i, j, d) -> (b, h, j, d)>
#smap = affine_map<(b, h, i, j, d) -> (b, h, i, j)>
#pmap = affine_map<(b, h, i, e, j) -> (b, h, i, j)>
#vmap = affine_map<(b, h, i, e, j) -> (b, h, j, e)>
#omap = affine_map<(b, h, i, e, j) -> (b, h, i, e)>
#id = affine_map<(b, h, i, j) -> (b, h, i, j)>
// CHECK-LABEL: func @bf16_causal
//  CHECK-SAME:   %[[Q:[a-zA-Z0-9]+]]: tensor<1x2x9x16xbf16>, %[[K:[a-zA-Z0-9]+]]: tensor<1x2x9x16xbf16>, %[[V:[a-zA-Z0-9]+]]: tensor<1x2x9x16xbf16>
//       CHECK:   %[[O:.+]] = attn.sdpa %[[Q]], %[[K]], %[[V]] {causal, scale = 2.500000e-01 : f32} : {{.*}} -> tensor<1x2x9x16xbf16>
//  CHECK-NEXT:   return %[[O]]
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

// -----

#qmap = affine_map<(b, h, i, j, d) -> (b, h, i, d)>
#kmap = affine_map<(b, h, i, j, d) -> (b, h, j, d)>
#smap = affine_map<(b, h, i, j, d) -> (b, h, i, j)>
#pmap = affine_map<(b, h, i, e, j) -> (b, h, i, j)>
#vmap = affine_map<(b, h, i, e, j) -> (b, h, j, e)>
#omap = affine_map<(b, h, i, e, j) -> (b, h, i, e)>
#id = affine_map<(b, h, i, j) -> (b, h, i, j)>
// f32 attention whose probabilities are rounded to f16 before P·V.
// CHECK-LABEL: func @negative_f32_probs_rounded_to_f16
//   CHECK-NOT:   attn.sdpa
func.func @negative_f32_probs_rounded_to_f16(%q: tensor<1x2x9x16xf32>, %k: tensor<1x2x9x16xf32>, %v: tensor<1x2x9x16xf32>) -> tensor<1x2x9x16xf32> {
  %zero = arith.constant 0.0 : f32
  %s_init = tensor.empty() : tensor<1x2x9x9xf32>
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : tensor<1x2x9x9xf32>) -> tensor<1x2x9x9xf32>
  %s = linalg.generic {indexing_maps = [#qmap, #kmap, #smap], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<1x2x9x16xf32>, tensor<1x2x9x16xf32>) outs(%s_zero : tensor<1x2x9x9xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<1x2x9x9xf32>
  %p = linalg.softmax dimension(3) ins(%s : tensor<1x2x9x9xf32>) outs(%s_init : tensor<1x2x9x9xf32>) -> tensor<1x2x9x9xf32>
  %p16_init = tensor.empty() : tensor<1x2x9x9xf16>
  // expected-remark @below {{attn-raise-linalg: not raised: the rounded probabilities are computed in 'f16', while attn.sdpa keeps them in f32 (only bf16/f16 attention may round them to its own type)}}
  %p16 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%p : tensor<1x2x9x9xf32>) outs(%p16_init : tensor<1x2x9x9xf16>) {
  ^bb0(%x: f32, %o: f16):
    %y = arith.truncf %x : f32 to f16
    linalg.yield %y : f16
  } -> tensor<1x2x9x9xf16>
  %o_init = tensor.empty() : tensor<1x2x9x16xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<1x2x9x16xf32>) -> tensor<1x2x9x16xf32>
  %o = linalg.generic {indexing_maps = [#pmap, #vmap, #omap], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p16, %v : tensor<1x2x9x9xf16>, tensor<1x2x9x16xf32>) outs(%o_zero : tensor<1x2x9x16xf32>) {
  ^bb0(%a: f16, %b: f32, %acc: f32):
    %ae = arith.extf %a : f16 to f32
    %m = arith.mulf %ae, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<1x2x9x16xf32>
  return %o : tensor<1x2x9x16xf32>
}

// -----

#qmap = affine_map<(b, h, i, j, d) -> (b, h, i, d)>
#kmap = affine_map<(b, h, i, j, d) -> (b, h, j, d)>
#smap = affine_map<(b, h, i, j, d) -> (b, h, i, j)>
#pmap = affine_map<(b, h, i, e, j) -> (b, h, i, j)>
#vmap = affine_map<(b, h, i, e, j) -> (b, h, j, e)>
#omap = affine_map<(b, h, i, e, j) -> (b, h, i, e)>
#id = affine_map<(b, h, i, j) -> (b, h, i, j)>
// bf16 scores clamped: a score_mod, whose region computes on f32.
// CHECK-LABEL: func @negative_score_mod_on_bf16_scores
//   CHECK-NOT:   attn.sdpa
func.func @negative_score_mod_on_bf16_scores(%q: tensor<1x2x9x16xbf16>, %k: tensor<1x2x9x16xbf16>, %v: tensor<1x2x9x16xbf16>) -> tensor<1x2x9x16xbf16> {
  %zero = arith.constant 0.0 : bf16
  %s_init = tensor.empty() : tensor<1x2x9x9xbf16>
  %s_zero = linalg.fill ins(%zero : bf16) outs(%s_init : tensor<1x2x9x9xbf16>) -> tensor<1x2x9x9xbf16>
  %s = linalg.generic {indexing_maps = [#qmap, #kmap, #smap], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<1x2x9x16xbf16>, tensor<1x2x9x16xbf16>) outs(%s_zero : tensor<1x2x9x9xbf16>) {
  ^bb0(%a: bf16, %b: bf16, %acc: bf16):
    %m = arith.mulf %a, %b : bf16
    %r = arith.addf %acc, %m : bf16
    linalg.yield %r : bf16
  } -> tensor<1x2x9x9xbf16>
  %c = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s : tensor<1x2x9x9xbf16>) outs(%s_init : tensor<1x2x9x9xbf16>) {
  ^bb0(%x: bf16, %o: bf16):
    %two = arith.constant 2.0 : bf16
    %y = arith.minimumf %x, %two : bf16
    linalg.yield %y : bf16
  } -> tensor<1x2x9x9xbf16>
  %p = linalg.softmax dimension(3) ins(%c : tensor<1x2x9x9xbf16>) outs(%s_init : tensor<1x2x9x9xbf16>) -> tensor<1x2x9x9xbf16>
  %o_init = tensor.empty() : tensor<1x2x9x16xbf16>
  %o_zero = linalg.fill ins(%zero : bf16) outs(%o_init : tensor<1x2x9x16xbf16>) -> tensor<1x2x9x16xbf16>
  // expected-remark @below {{attn-raise-linalg: not raised: the score_mod would compute on 'bf16' scores, while its region takes f32}}
  %o = linalg.generic {indexing_maps = [#pmap, #vmap, #omap], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p, %v : tensor<1x2x9x9xbf16>, tensor<1x2x9x16xbf16>) outs(%o_zero : tensor<1x2x9x16xbf16>) {
  ^bb0(%a: bf16, %b: bf16, %acc: bf16):
    %m = arith.mulf %a, %b : bf16
    %r = arith.addf %acc, %m : bf16
    linalg.yield %r : bf16
  } -> tensor<1x2x9x16xbf16>
  return %o : tensor<1x2x9x16xbf16>
}
