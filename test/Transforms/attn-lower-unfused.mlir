// RUN: attn-opt %s --attn-lower-unfused --split-input-file | FileCheck %s
// RUN: attn-opt %s --attn-lower-unfused --split-input-file | FileCheck %s --check-prefix=NOATTN

///----------------------------------------------------------------------------
/// IN:  every op of the attn dialect, on tensors (f32, f16, bf16; static and
///      dynamic B/L; GQA; every masking variant; score_mod; lse).
/// OUT: linalg.generic/fill/transpose, tensor.empty/expand_shape/
///      collapse_shape/dim, arith and math on tensors, with the
///      [B, Hq, Lq, Lk] scores materialised. No attn op remains.
/// Why: the reference strategy. The checks pin down the decisions that carry
///      the semantics: f32 accumulation (arith.extf in, arith.truncf out),
///      GQA through `h floordiv (Hq / Hkv)` indexing maps (no copy of K/V),
///      bottom-right aligned causal/window index comparisons selecting -inf,
///      key padding read from kv_lens, softcap through math.tanh, the
///      score_mod region inlined in score order, the lse via math.log,
///      and sizes from tensor.dim for dynamic shapes.
///----------------------------------------------------------------------------

// NOATTN-NOT: attn.

//===----------------------------------------------------------------------===//
// attn.linear
//===----------------------------------------------------------------------===//

// CHECK-DAG: #[[$X_MAP:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[$W_MAP:.+]] = affine_map<(d0, d1, d2, d3) -> (d3, d2)>
// CHECK-DAG: #[[$OUT_MAP:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[$ID3:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$BIAS_MAP:.+]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func @linear_rank3_bias_f16
//  CHECK-SAME:   %[[X:[a-zA-Z0-9_]+]]: tensor<?x5x16xf16>
//  CHECK-SAME:   %[[W:[a-zA-Z0-9_]+]]: tensor<16x8xf16>
//  CHECK-SAME:   %[[BIAS:[a-zA-Z0-9_]+]]: tensor<8xf16>
//   CHECK-DAG:   %[[C0:.+]] = arith.constant 0 : index
//   CHECK-DAG:   %[[B:.+]] = tensor.dim %[[X]], %[[C0]]
//       CHECK:   %[[EMPTY:.+]] = tensor.empty(%[[B]]) : tensor<?x5x8xf32>
//       CHECK:   %[[INIT:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[EMPTY]] : tensor<?x5x8xf32>)
//       CHECK:   %[[ACC:.+]] = linalg.generic
//  CHECK-SAME:     indexing_maps = [#[[$X_MAP]], #[[$W_MAP]], #[[$OUT_MAP]]]
//  CHECK-SAME:     iterator_types = ["parallel", "parallel", "parallel", "reduction"]
//  CHECK-SAME:     ins(%[[X]], %[[W]] : tensor<?x5x16xf16>, tensor<16x8xf16>) outs(%[[INIT]] : tensor<?x5x8xf32>)
//       CHECK:     arith.extf %{{.+}} : f16 to f32
//       CHECK:     arith.extf %{{.+}} : f16 to f32
//       CHECK:     arith.mulf
//       CHECK:     arith.addf
//       CHECK:   %[[Y:.+]] = linalg.generic
//  CHECK-SAME:     indexing_maps = [#[[$ID3]], #[[$BIAS_MAP]], #[[$ID3]]]
//  CHECK-SAME:     ins(%[[ACC]], %[[BIAS]] : tensor<?x5x8xf32>, tensor<8xf16>)
//       CHECK:     %[[BIAS_F32:.+]] = arith.extf %{{.+}} : f16 to f32
//       CHECK:     %[[SUM:.+]] = arith.addf %{{.+}}, %[[BIAS_F32]] : f32
//       CHECK:     %[[ROUNDED:.+]] = arith.truncf %[[SUM]] : f32 to f16
//       CHECK:     linalg.yield %[[ROUNDED]] : f16
//       CHECK:   } -> tensor<?x5x8xf16>
//       CHECK:   return %[[Y]]
func.func @linear_rank3_bias_f16(%x: tensor<?x5x16xf16>, %w: tensor<16x8xf16>,
                                 %b: tensor<8xf16>) -> tensor<?x5x8xf16> {
  %0 = attn.linear %x, %w, %b : tensor<?x5x16xf16>, tensor<16x8xf16>,
      tensor<8xf16> -> tensor<?x5x8xf16>
  return %0 : tensor<?x5x8xf16>
}

// -----

// f32 and no bias: one contraction, no conversion, no elementwise epilogue.
// CHECK-DAG: #[[$X_MAP:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$W_MAP:.+]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[$OUT_MAP:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func @linear_rank2
//  CHECK-SAME:   %[[X:[a-zA-Z0-9_]+]]: tensor<5x16xf32>
//  CHECK-SAME:   %[[W:[a-zA-Z0-9_]+]]: tensor<16x8xf32>
//       CHECK:   %[[ACC:.+]] = linalg.generic
//  CHECK-SAME:     indexing_maps = [#[[$X_MAP]], #[[$W_MAP]], #[[$OUT_MAP]]]
//  CHECK-SAME:     iterator_types = ["parallel", "parallel", "reduction"]
//  CHECK-SAME:     ins(%[[X]], %[[W]] : tensor<5x16xf32>, tensor<16x8xf32>)
//   CHECK-NOT:   arith.extf
//   CHECK-NOT:   linalg.generic
//   CHECK-NOT:   arith.truncf
//       CHECK:   return %[[ACC]]
func.func @linear_rank2(%x: tensor<5x16xf32>, %w: tensor<16x8xf32>)
    -> tensor<5x8xf32> {
  %0 = attn.linear %x, %w : tensor<5x16xf32>, tensor<16x8xf32>
      -> tensor<5x8xf32>
  return %0 : tensor<5x8xf32>
}

//===----------------------------------------------------------------------===//
// attn.split_heads / attn.merge_heads
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func @split_merge_heads_dynamic
//  CHECK-SAME:   %[[X:[a-zA-Z0-9_]+]]: tensor<?x?x16xf32>
//   CHECK-DAG:   %[[C0:.+]] = arith.constant 0 : index
//   CHECK-DAG:   %[[C1:.+]] = arith.constant 1 : index
//   CHECK-DAG:   %[[B:.+]] = tensor.dim %[[X]], %[[C0]]
//   CHECK-DAG:   %[[L:.+]] = tensor.dim %[[X]], %[[C1]]
//       CHECK:   %[[EXPANDED:.+]] = tensor.expand_shape %[[X]] {{\[}}[0], [1], [2, 3]] output_shape [%[[B]], %[[L]], 2, 8] : tensor<?x?x16xf32> into tensor<?x?x2x8xf32>
//       CHECK:   %[[SPLIT_INIT:.+]] = tensor.empty(%[[B]], %[[L]]) : tensor<?x2x?x8xf32>
//       CHECK:   %[[SPLIT:.+]] = linalg.transpose ins(%[[EXPANDED]] : tensor<?x?x2x8xf32>) outs(%[[SPLIT_INIT]] : tensor<?x2x?x8xf32>) permutation = [0, 2, 1, 3]
//       CHECK:   %[[MERGED:.+]] = linalg.transpose ins(%[[SPLIT]] : tensor<?x2x?x8xf32>) outs(%{{.+}} : tensor<?x?x2x8xf32>) permutation = [0, 2, 1, 3]
//       CHECK:   %[[FLAT:.+]] = tensor.collapse_shape %[[MERGED]] {{\[}}[0], [1], [2, 3]] : tensor<?x?x2x8xf32> into tensor<?x?x16xf32>
//       CHECK:   return %[[FLAT]]
func.func @split_merge_heads_dynamic(%x: tensor<?x?x16xf32>) -> tensor<?x?x16xf32> {
  %0 = attn.split_heads %x : tensor<?x?x16xf32> -> tensor<?x2x?x8xf32>
  %1 = attn.merge_heads %0 : tensor<?x2x?x8xf32> -> tensor<?x?x16xf32>
  return %1 : tensor<?x?x16xf32>
}

// -----

// The verifier accepts a result more static than the operand (a `?` batch
// becomes 2); the lowering casts to the declared result type.
// CHECK-LABEL: func @split_merge_heads_static_result
//       CHECK:   %[[SPLIT:.+]] = linalg.transpose {{.*}} outs(%{{.+}} : tensor<?x2x5x8xf32>)
//       CHECK:   %[[SPLIT_CAST:.+]] = tensor.cast %[[SPLIT]] : tensor<?x2x5x8xf32> to tensor<2x2x5x8xf32>
//       CHECK:   %[[FLAT:.+]] = tensor.collapse_shape {{.*}} into tensor<2x5x16xf32>
//       CHECK:   return %[[SPLIT_CAST]], %[[FLAT]]
func.func @split_merge_heads_static_result(%x: tensor<?x5x16xf32>,
                                           %h: tensor<2x2x5x8xf32>)
    -> (tensor<2x2x5x8xf32>, tensor<2x5x16xf32>) {
  %0 = attn.split_heads %x : tensor<?x5x16xf32> -> tensor<2x2x5x8xf32>
  %1 = attn.merge_heads %h : tensor<2x2x5x8xf32> -> tensor<2x5x16xf32>
  return %0, %1 : tensor<2x2x5x8xf32>, tensor<2x5x16xf32>
}

// -----

// CHECK-LABEL: func @merge_heads_static_result
//       CHECK:   %[[FLAT:.+]] = tensor.collapse_shape {{.*}} : tensor<?x5x2x8xf32> into tensor<?x5x16xf32>
//       CHECK:   %[[CAST:.+]] = tensor.cast %[[FLAT]] : tensor<?x5x16xf32> to tensor<2x5x16xf32>
//       CHECK:   return %[[CAST]]
func.func @merge_heads_static_result(%h: tensor<?x2x5x8xf32>)
    -> tensor<2x5x16xf32> {
  %0 = attn.merge_heads %h : tensor<?x2x5x8xf32> -> tensor<2x5x16xf32>
  return %0 : tensor<2x5x16xf32>
}

//===----------------------------------------------------------------------===//
// attn.scores
//===----------------------------------------------------------------------===//

// -----

// f16 inputs, f32 scores, GQA (Hq = 8, Hkv = 2), default scale 1/sqrt(32),
// softcap.
// CHECK-DAG: #[[$Q_MAP:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>
// CHECK-DAG: #[[$K_MAP:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 floordiv 4, d3, d4)>
// CHECK-DAG: #[[$S_MAP:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func @scores_gqa_f16_softcap
//  CHECK-SAME:   %[[Q:[a-zA-Z0-9_]+]]: tensor<1x8x16x32xf16>
//  CHECK-SAME:   %[[K:[a-zA-Z0-9_]+]]: tensor<1x2x24x32xf16>
//       CHECK:   %[[DOT:.+]] = linalg.generic
//  CHECK-SAME:     indexing_maps = [#[[$Q_MAP]], #[[$K_MAP]], #[[$S_MAP]]]
//  CHECK-SAME:     iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]
//  CHECK-SAME:     ins(%[[Q]], %[[K]] : tensor<1x8x16x32xf16>, tensor<1x2x24x32xf16>) outs(%{{.+}} : tensor<1x8x16x24xf32>)
//       CHECK:     %[[QE:.+]] = arith.extf %{{.+}} : f16 to f32
//       CHECK:     %[[KE:.+]] = arith.extf %{{.+}} : f16 to f32
//       CHECK:     arith.mulf %[[QE]], %[[KE]] : f32
//       CHECK:   %[[S:.+]] = linalg.generic
//  CHECK-SAME:     ins(%[[DOT]] : tensor<1x8x16x24xf32>)
//       CHECK:     ^bb0(%[[IN:.+]]: f32, %{{.+}}: f32):
//       CHECK:     %[[SCALE:.+]] = arith.constant 0.176776692 : f32
//       CHECK:     %[[SCALED:.+]] = arith.mulf %[[IN]], %[[SCALE]] : f32
//       CHECK:     %[[CAP:.+]] = arith.constant 3.000000e+01 : f32
//       CHECK:     %[[DIV:.+]] = arith.divf %[[SCALED]], %[[CAP]] : f32
//       CHECK:     %[[TANH:.+]] = math.tanh %[[DIV]] : f32
//       CHECK:     %[[CAPPED:.+]] = arith.mulf %[[CAP]], %[[TANH]] : f32
//   CHECK-NOT:     arith.truncf
//       CHECK:     linalg.yield %[[CAPPED]] : f32
//       CHECK:   } -> tensor<1x8x16x24xf32>
//       CHECK:   return %[[S]]
func.func @scores_gqa_f16_softcap(%q: tensor<1x8x16x32xf16>,
                                  %k: tensor<1x2x24x32xf16>)
    -> tensor<1x8x16x24xf32> {
  %0 = attn.scores %q, %k {softcap = 30.0 : f32}
      : tensor<1x8x16x32xf16>, tensor<1x2x24x32xf16> -> tensor<1x8x16x24xf32>
  return %0 : tensor<1x8x16x24xf32>
}

// -----

// Scores in the query element type: the dot product is still f32, the
// scaled score is rounded once. Hq == Hkv: K is read with the identity head.
// CHECK-DAG: #[[$K_MAP:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d3, d4)>
// CHECK-LABEL: func @scores_bf16_result
//       CHECK:   linalg.generic
//  CHECK-SAME:     #[[$K_MAP]]
//  CHECK-SAME:     outs(%{{.+}} : tensor<2x4x?x?xf32>)
//       CHECK:   linalg.generic
//       CHECK:     %[[SCALE:.+]] = arith.constant 1.250000e-01 : f32
//       CHECK:     %[[SCALED:.+]] = arith.mulf %{{.+}}, %[[SCALE]] : f32
//       CHECK:     %[[ROUNDED:.+]] = arith.truncf %[[SCALED]] : f32 to bf16
//       CHECK:     linalg.yield %[[ROUNDED]] : bf16
//       CHECK:   } -> tensor<2x4x?x?xbf16>
func.func @scores_bf16_result(%q: tensor<2x4x?x64xbf16>, %k: tensor<2x4x?x64xbf16>)
    -> tensor<2x4x?x?xbf16> {
  %0 = attn.scores %q, %k {scale = 0.125 : f32}
      : tensor<2x4x?x64xbf16>, tensor<2x4x?x64xbf16> -> tensor<2x4x?x?xbf16>
  return %0 : tensor<2x4x?x?xbf16>
}

// -----

// A `?` batch in the operands and a static batch in the result.
// CHECK-LABEL: func @scores_static_result
//       CHECK:   } -> tensor<?x2x5x5xf32>
//       CHECK:   %[[CAST:.+]] = tensor.cast %{{.+}} : tensor<?x2x5x5xf32> to tensor<2x2x5x5xf32>
//       CHECK:   return %[[CAST]]
func.func @scores_static_result(%q: tensor<?x2x5x8xf32>, %k: tensor<?x2x5x8xf32>)
    -> tensor<2x2x5x5xf32> {
  %0 = attn.scores %q, %k : tensor<?x2x5x8xf32>, tensor<?x2x5x8xf32>
      -> tensor<2x2x5x5xf32>
  return %0 : tensor<2x2x5x5xf32>
}

//===----------------------------------------------------------------------===//
// attn.mask
//===----------------------------------------------------------------------===//

// -----

// A float mask broadcast over B and H is added; nothing becomes invisible.
// CHECK-DAG: #[[$ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$BCAST:.+]] = affine_map<(d0, d1, d2, d3) -> (0, 0, d2, d3)>
// CHECK-LABEL: func @mask_float_broadcast
//  CHECK-SAME:   %[[S:[a-zA-Z0-9_]+]]: tensor<2x4x8x8xf32>
//  CHECK-SAME:   %[[M:[a-zA-Z0-9_]+]]: tensor<1x1x8x8xf16>
//       CHECK:   linalg.generic
//  CHECK-SAME:     indexing_maps = [#[[$ID]], #[[$BCAST]], #[[$ID]]]
//  CHECK-SAME:     ins(%[[S]], %[[M]] : tensor<2x4x8x8xf32>, tensor<1x1x8x8xf16>)
//       CHECK:     ^bb0(%[[SCORE:.+]]: f32, %[[BIAS:.+]]: f16, %{{.+}}: f32):
//       CHECK:     %[[BIAS_F32:.+]] = arith.extf %[[BIAS]] : f16 to f32
//       CHECK:     %[[SUM:.+]] = arith.addf %[[SCORE]], %[[BIAS_F32]] : f32
//   CHECK-NOT:     arith.select
//       CHECK:     linalg.yield %[[SUM]] : f32
func.func @mask_float_broadcast(%s: tensor<2x4x8x8xf32>, %m: tensor<1x1x8x8xf16>)
    -> tensor<2x4x8x8xf32> {
  %0 = attn.mask %s mask(%m : tensor<1x1x8x8xf16>)
      : tensor<2x4x8x8xf32> -> tensor<2x4x8x8xf32>
  return %0 : tensor<2x4x8x8xf32>
}

// -----

// A boolean mask broadcast over H selects -inf where it is false.
// CHECK-DAG: #[[$BCAST:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
// CHECK-LABEL: func @mask_bool
//  CHECK-SAME:   %[[S:[a-zA-Z0-9_]+]]: tensor<2x4x8x8xf16>
//  CHECK-SAME:   %[[M:[a-zA-Z0-9_]+]]: tensor<2x1x8x8xi1>
//       CHECK:   linalg.generic
//  CHECK-SAME:     #[[$BCAST]]
//  CHECK-SAME:     ins(%[[S]], %[[M]] : tensor<2x4x8x8xf16>, tensor<2x1x8x8xi1>)
//       CHECK:     ^bb0(%[[SCORE:.+]]: f16, %[[KEEP:.+]]: i1, %{{.+}}: f16):
//       CHECK:     %[[SCORE_F32:.+]] = arith.extf %[[SCORE]] : f16 to f32
//       CHECK:     %[[VISIBLE:.+]] = arith.andi %{{.+}}, %[[KEEP]] : i1
//       CHECK:     %[[NEG_INF:.+]] = arith.constant 0xFF800000 : f32
//       CHECK:     %[[SEL:.+]] = arith.select %[[VISIBLE]], %[[SCORE_F32]], %[[NEG_INF]] : f32
//       CHECK:     %[[ROUNDED:.+]] = arith.truncf %[[SEL]] : f32 to f16
//       CHECK:     linalg.yield %[[ROUNDED]] : f16
func.func @mask_bool(%s: tensor<2x4x8x8xf16>, %m: tensor<2x1x8x8xi1>)
    -> tensor<2x4x8x8xf16> {
  %0 = attn.mask %s mask(%m : tensor<2x1x8x8xi1>)
      : tensor<2x4x8x8xf16> -> tensor<2x4x8x8xf16>
  return %0 : tensor<2x4x8x8xf16>
}

// -----

// Causal, a window [left, right] = [3, -1] and key padding on dynamic shapes.
// The query sits at i' = i + (Lk - Lq), with Lq and Lk from tensor.dim; key j
// is visible iff j - i' <= 0 (causal), -3 <= j - i' <= -1 (window) and
// j < kv_lens[b] (kv_lens is an input of the generic, indexed by b).
// CHECK-DAG: #[[$ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$BATCH:.+]] = affine_map<(d0, d1, d2, d3) -> (d0)>
// CHECK-LABEL: func @mask_causal_window_kv_lens
//  CHECK-SAME:   %[[S:[a-zA-Z0-9_]+]]: tensor<?x4x?x?xf32>
//  CHECK-SAME:   %[[LENS:[a-zA-Z0-9_]+]]: tensor<?xi32>
//   CHECK-DAG:   %[[C2:.+]] = arith.constant 2 : index
//   CHECK-DAG:   %[[C3:.+]] = arith.constant 3 : index
//   CHECK-DAG:   %[[LQ:.+]] = tensor.dim %[[S]], %[[C2]]
//   CHECK-DAG:   %[[LK:.+]] = tensor.dim %[[S]], %[[C3]]
//       CHECK:   %[[OFFSET:.+]] = arith.subi %[[LK]], %[[LQ]] : index
//       CHECK:   linalg.generic
//  CHECK-SAME:     indexing_maps = [#[[$ID]], #[[$BATCH]], #[[$ID]]]
//  CHECK-SAME:     ins(%[[S]], %[[LENS]] : tensor<?x4x?x?xf32>, tensor<?xi32>)
//       CHECK:     ^bb0(%[[SCORE:.+]]: f32, %[[LEN:.+]]: i32, %{{.+}}: f32):
//       CHECK:     %[[I:.+]] = linalg.index 2 : index
//       CHECK:     %[[J:.+]] = linalg.index 3 : index
//       CHECK:     %[[QPOS:.+]] = arith.addi %[[I]], %[[OFFSET]] : index
//       CHECK:     %[[DIFF:.+]] = arith.subi %[[J]], %[[QPOS]] : index
//       CHECK:     %[[ZERO:.+]] = arith.constant 0 : index
//       CHECK:     %[[CAUSAL:.+]] = arith.cmpi sle, %[[DIFF]], %[[ZERO]] : index
//       CHECK:     %[[V1:.+]] = arith.andi %{{.+}}, %[[CAUSAL]] : i1
//       CHECK:     %[[NEG_LEFT:.+]] = arith.constant -3 : index
//       CHECK:     %[[LEFT_OK:.+]] = arith.cmpi sge, %[[DIFF]], %[[NEG_LEFT]] : index
//       CHECK:     %[[V2:.+]] = arith.andi %[[V1]], %[[LEFT_OK]] : i1
//       CHECK:     %[[RIGHT:.+]] = arith.constant -1 : index
//       CHECK:     %[[RIGHT_OK:.+]] = arith.cmpi sle, %[[DIFF]], %[[RIGHT]] : index
//       CHECK:     %[[V3:.+]] = arith.andi %[[V2]], %[[RIGHT_OK]] : i1
//       CHECK:     %[[J64:.+]] = arith.index_cast %[[J]] : index to i64
//       CHECK:     %[[LEN64:.+]] = arith.extsi %[[LEN]] : i32 to i64
//       CHECK:     %[[IN_RANGE:.+]] = arith.cmpi slt, %[[J64]], %[[LEN64]] : i64
//       CHECK:     %[[VISIBLE:.+]] = arith.andi %[[V3]], %[[IN_RANGE]] : i1
//       CHECK:     %[[NEG_INF:.+]] = arith.constant 0xFF800000 : f32
//       CHECK:     %[[SEL:.+]] = arith.select %[[VISIBLE]], %[[SCORE]], %[[NEG_INF]] : f32
//       CHECK:     linalg.yield %[[SEL]] : f32
func.func @mask_causal_window_kv_lens(%s: tensor<?x4x?x?xf32>,
                                      %lens: tensor<?xi32>)
    -> tensor<?x4x?x?xf32> {
  %0 = attn.mask %s kv_lens(%lens : tensor<?xi32>)
      {causal, window = array<i64: 3, -1>}
      : tensor<?x4x?x?xf32> -> tensor<?x4x?x?xf32>
  return %0 : tensor<?x4x?x?xf32>
}

//===----------------------------------------------------------------------===//
// attn.softmax
//===----------------------------------------------------------------------===//

// -----

// Row max (from -inf, with -inf replaced by 0), exp, row sum, divide; a zero
// sum gives 0. Statistics in f32, the result rounded to bf16.
// CHECK-DAG: #[[$ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func @softmax_rank2_bf16
//  CHECK-SAME:   %[[X:[a-zA-Z0-9_]+]]: tensor<4x?xbf16>
//       CHECK:   %[[NEG_INF:.+]] = arith.constant 0xFF800000 : f32
//       CHECK:   %[[MAX_INIT:.+]] = linalg.fill ins(%[[NEG_INF]] : f32) outs(%{{.+}} : tensor<4xf32>)
//       CHECK:   %[[MAX:.+]] = linalg.generic
//  CHECK-SAME:     indexing_maps = [#[[$ID]], #[[$ROW]]]
//  CHECK-SAME:     iterator_types = ["parallel", "reduction"]
//  CHECK-SAME:     ins(%[[X]] : tensor<4x?xbf16>) outs(%[[MAX_INIT]] : tensor<4xf32>)
//       CHECK:     arith.extf %{{.+}} : bf16 to f32
//       CHECK:     arith.maximumf
//       CHECK:   %[[SAFE_MAX:.+]] = linalg.generic {{.*}} ins(%[[MAX]] : tensor<4xf32>)
//       CHECK:     %[[IS_NEG_INF:.+]] = arith.cmpf oeq
//       CHECK:     arith.select %[[IS_NEG_INF]]
//       CHECK:   %[[EXP:.+]] = linalg.generic {{.*}} ins(%[[X]], %[[SAFE_MAX]] : tensor<4x?xbf16>, tensor<4xf32>)
//       CHECK:     arith.subf
//       CHECK:     math.exp
//       CHECK:   %[[SUM:.+]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[EXP]] : tensor<4x?xf32>)
//       CHECK:     arith.addf
//       CHECK:   %[[P:.+]] = linalg.generic {{.*}} ins(%[[EXP]], %[[SUM]] : tensor<4x?xf32>, tensor<4xf32>)
//       CHECK:     %[[IS_EMPTY:.+]] = arith.cmpf oeq
//       CHECK:     %[[DIV:.+]] = arith.divf
//       CHECK:     %[[SEL:.+]] = arith.select %[[IS_EMPTY]], %{{.+}}, %[[DIV]] : f32
//       CHECK:     arith.truncf %[[SEL]] : f32 to bf16
//       CHECK:   } -> tensor<4x?xbf16>
//       CHECK:   return %[[P]]
func.func @softmax_rank2_bf16(%x: tensor<4x?xbf16>) -> tensor<4x?xbf16> {
  %0 = attn.softmax %x : tensor<4x?xbf16>
  return %0 : tensor<4x?xbf16>
}

// -----

// CHECK-DAG: #[[$ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$ROW:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func @softmax_rank4
//       CHECK:   linalg.generic
//  CHECK-SAME:     indexing_maps = [#[[$ID]], #[[$ROW]]]
//  CHECK-SAME:     iterator_types = ["parallel", "parallel", "parallel", "reduction"]
//  CHECK-SAME:     outs(%{{.+}} : tensor<1x2x5xf32>)
//       CHECK:     arith.maximumf
//       CHECK:   math.exp
//       CHECK:   arith.divf
//       CHECK:   } -> tensor<1x2x5x7xf32>
func.func @softmax_rank4(%x: tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf32> {
  %0 = attn.softmax %x : tensor<1x2x5x7xf32>
  return %0 : tensor<1x2x5x7xf32>
}

//===----------------------------------------------------------------------===//
// attn.context
//===----------------------------------------------------------------------===//

// -----

// GQA (Hq = 8, Hkv = 2): V head h floordiv 4; f32 accumulation, rounded to the
// f16 of V.
// CHECK-DAG: #[[$P_MAP:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>
// CHECK-DAG: #[[$V_MAP:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 floordiv 4, d4, d3)>
// CHECK-DAG: #[[$O_MAP:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func @context_gqa_f16
//  CHECK-SAME:   %[[P:[a-zA-Z0-9_]+]]: tensor<1x8x5x7xf32>
//  CHECK-SAME:   %[[V:[a-zA-Z0-9_]+]]: tensor<1x2x7x16xf16>
//       CHECK:   %[[ACC:.+]] = linalg.generic
//  CHECK-SAME:     indexing_maps = [#[[$P_MAP]], #[[$V_MAP]], #[[$O_MAP]]]
//  CHECK-SAME:     iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]
//  CHECK-SAME:     ins(%[[P]], %[[V]] : tensor<1x8x5x7xf32>, tensor<1x2x7x16xf16>) outs(%{{.+}} : tensor<1x8x5x16xf32>)
//       CHECK:     arith.extf %{{.+}} : f16 to f32
//       CHECK:   %[[OUT:.+]] = linalg.generic {{.*}} ins(%[[ACC]] : tensor<1x8x5x16xf32>)
//       CHECK:     arith.truncf %{{.+}} : f32 to f16
//       CHECK:   } -> tensor<1x8x5x16xf16>
//       CHECK:   return %[[OUT]]
func.func @context_gqa_f16(%p: tensor<1x8x5x7xf32>, %v: tensor<1x2x7x16xf16>)
    -> tensor<1x8x5x16xf16> {
  %0 = attn.context %p, %v : tensor<1x8x5x7xf32>, tensor<1x2x7x16xf16>
      -> tensor<1x8x5x16xf16>
  return %0 : tensor<1x8x5x16xf16>
}

//===----------------------------------------------------------------------===//
// attn.sdpa
//===----------------------------------------------------------------------===//

// -----

// Every option at once, in the order of the op description: dot product in f32
// (GQA map), scale, softcap, score_mod inlined (its block arguments replaced by
// the score and linalg.index), float mask added, visibility (causal, window,
// kv_lens) selecting -inf, softmax, P·V (GQA map), rounding to f16, and the lse.
// CHECK-DAG: #[[$Q_MAP:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>
// CHECK-DAG: #[[$K_MAP:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 floordiv 4, d3, d4)>
// CHECK-DAG: #[[$V_MAP:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 floordiv 4, d4, d3)>
// CHECK-DAG: #[[$MASK_MAP:.+]] = affine_map<(d0, d1, d2, d3) -> (0, d1, d2, d3)>
// CHECK-DAG: #[[$BATCH:.+]] = affine_map<(d0, d1, d2, d3) -> (d0)>
// CHECK-LABEL: func @sdpa_all_options
//  CHECK-SAME:   %[[Q:[a-zA-Z0-9_]+]]: tensor<2x8x16x32xf16>
//  CHECK-SAME:   %[[K:[a-zA-Z0-9_]+]]: tensor<2x2x24x32xf16>
//  CHECK-SAME:   %[[V:[a-zA-Z0-9_]+]]: tensor<2x2x24x16xf16>
//  CHECK-SAME:   %[[M:[a-zA-Z0-9_]+]]: tensor<1x8x16x24xf16>
//  CHECK-SAME:   %[[LENS:[a-zA-Z0-9_]+]]: tensor<2xi32>
//       CHECK:   %[[DOT:.+]] = linalg.generic
//  CHECK-SAME:     #[[$Q_MAP]], #[[$K_MAP]]
//  CHECK-SAME:     ins(%[[Q]], %[[K]] : tensor<2x8x16x32xf16>, tensor<2x2x24x32xf16>)
//       CHECK:     arith.extf %{{.+}} : f16 to f32
//       CHECK:   %[[S:.+]] = linalg.generic
//  CHECK-SAME:     #[[$MASK_MAP]], #[[$BATCH]]
//  CHECK-SAME:     ins(%[[DOT]], %[[M]], %[[LENS]] : tensor<2x8x16x24xf32>, tensor<1x8x16x24xf16>, tensor<2xi32>)
//       CHECK:     ^bb0(%[[SCORE:.+]]: f32, %[[BIAS:.+]]: f16, %[[LEN:.+]]: i32, %{{.+}}: f32):
//       CHECK:     %[[SCALED:.+]] = arith.mulf %[[SCORE]], %{{.+}} : f32
//       CHECK:     %[[TANH:.+]] = math.tanh
//       CHECK:     %[[CAPPED:.+]] = arith.mulf %{{.+}}, %[[TANH]] : f32
//       CHECK:     %[[I:.+]] = linalg.index 2 : index
//       CHECK:     %[[J:.+]] = linalg.index 3 : index
//       CHECK:     %[[D:.+]] = arith.subi %[[J]], %[[I]] : index
//       CHECK:     %[[DI:.+]] = arith.index_cast %[[D]] : index to i64
//       CHECK:     %[[DF:.+]] = arith.sitofp %[[DI]] : i64 to f32
//       CHECK:     %[[SLOPE:.+]] = arith.constant 2.500000e-01 : f32
//       CHECK:     %[[ALIBI:.+]] = arith.mulf %[[DF]], %[[SLOPE]] : f32
//       CHECK:     %[[MODDED:.+]] = arith.addf %[[CAPPED]], %[[ALIBI]] : f32
//   CHECK-NOT:     attn.yield
//       CHECK:     %[[BIAS_F32:.+]] = arith.extf %[[BIAS]] : f16 to f32
//       CHECK:     %[[BIASED:.+]] = arith.addf %[[MODDED]], %[[BIAS_F32]] : f32
//       CHECK:     arith.cmpi sle
//       CHECK:     arith.cmpi sge
//       CHECK:     arith.cmpi sle
//       CHECK:     %[[LEN64:.+]] = arith.extsi %[[LEN]] : i32 to i64
//       CHECK:     %[[IN_RANGE:.+]] = arith.cmpi slt, %{{.+}}, %[[LEN64]] : i64
//       CHECK:     %[[VISIBLE:.+]] = arith.andi %{{.+}}, %[[IN_RANGE]] : i1
//       CHECK:     %[[NEG_INF:.+]] = arith.constant 0xFF800000 : f32
//       CHECK:     %[[SEL:.+]] = arith.select %[[VISIBLE]], %[[BIASED]], %[[NEG_INF]] : f32
//       CHECK:     linalg.yield %[[SEL]] : f32
//       CHECK:   %[[MAX:.+]] = linalg.generic {{.*}} ins(%[[S]] : tensor<2x8x16x24xf32>)
//       CHECK:     arith.maximumf
//       CHECK:   %[[SAFE_MAX:.+]] = linalg.generic {{.*}} ins(%[[MAX]] : tensor<2x8x16xf32>)
//       CHECK:   %[[EXP:.+]] = linalg.generic {{.*}} ins(%[[S]], %[[SAFE_MAX]] :
//       CHECK:     math.exp
//       CHECK:   %[[SUM:.+]] = linalg.generic {{.*}} ins(%[[EXP]] :
//       CHECK:   %[[PROBS:.+]] = linalg.generic {{.*}} ins(%[[EXP]], %[[SUM]] :
//       CHECK:     arith.divf
//       CHECK:   %[[ACC:.+]] = linalg.generic
//  CHECK-SAME:     #[[$V_MAP]]
//  CHECK-SAME:     ins(%[[PROBS]], %[[V]] : tensor<2x8x16x24xf32>, tensor<2x2x24x16xf16>)
//       CHECK:   %[[OUT:.+]] = linalg.generic {{.*}} ins(%[[ACC]] : tensor<2x8x16x16xf32>)
//       CHECK:     arith.truncf %{{.+}} : f32 to f16
//       CHECK:   %[[LSE:.+]] = linalg.generic {{.*}} ins(%[[SAFE_MAX]], %[[SUM]] : tensor<2x8x16xf32>, tensor<2x8x16xf32>)
//       CHECK:     ^bb0(%[[ROW_MAX:.+]]: f32, %[[ROW_SUM:.+]]: f32, %{{.+}}: f32):
//       CHECK:     %[[LOG:.+]] = math.log %[[ROW_SUM]] : f32
//       CHECK:     arith.addf %[[ROW_MAX]], %[[LOG]] : f32
//       CHECK:   return %[[OUT]], %[[LSE]] : tensor<2x8x16x16xf16>, tensor<2x8x16xf32>
func.func @sdpa_all_options(%q: tensor<2x8x16x32xf16>, %k: tensor<2x2x24x32xf16>,
                            %v: tensor<2x2x24x16xf16>,
                            %m: tensor<1x8x16x24xf16>, %lens: tensor<2xi32>)
    -> (tensor<2x8x16x16xf16>, tensor<2x8x16xf32>) {
  %out, %lse = attn.sdpa %q, %k, %v mask(%m : tensor<1x8x16x24xf16>)
      kv_lens(%lens : tensor<2xi32>)
      {causal, window = array<i64: 8, 0>, softcap = 30.0 : f32}
      score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %d = arith.subi %j, %i : index
    %di = arith.index_cast %d : index to i64
    %df = arith.sitofp %di : i64 to f32
    %slope = arith.constant 0.25 : f32
    %bias = arith.mulf %df, %slope : f32
    %r = arith.addf %s, %bias : f32
    attn.yield %r : f32
  } : tensor<2x8x16x32xf16>, tensor<2x2x24x32xf16>, tensor<2x2x24x16xf16>
      -> tensor<2x8x16x16xf16>, tensor<2x8x16xf32>
  return %out, %lse : tensor<2x8x16x16xf16>, tensor<2x8x16xf32>
}

// -----

// The score_mod block arguments b and h map to linalg.index 0 and 1; a
// score_mod that yields its argument unchanged adds no op.
// CHECK-LABEL: func @sdpa_score_mod_indices
//       CHECK:   linalg.generic
//       CHECK:   linalg.generic
//       CHECK:     ^bb0(%[[SCORE:.+]]: f32, %{{.+}}: f32):
//       CHECK:     %[[SCALED:.+]] = arith.mulf %[[SCORE]], %{{.+}} : f32
//       CHECK:     %[[B:.+]] = linalg.index 0 : index
//       CHECK:     %[[H:.+]] = linalg.index 1 : index
//       CHECK:     %[[BH:.+]] = arith.muli %[[B]], %[[H]] : index
//       CHECK:     %[[BHI:.+]] = arith.index_cast %[[BH]] : index to i64
//       CHECK:     %[[BHF:.+]] = arith.sitofp %[[BHI]] : i64 to f32
//       CHECK:     %[[MODDED:.+]] = arith.subf %[[SCALED]], %[[BHF]] : f32
//       CHECK:     linalg.yield %[[MODDED]] : f32
func.func @sdpa_score_mod_indices(%q: tensor<2x4x8x16xf32>)
    -> tensor<2x4x8x16xf32> {
  %0 = attn.sdpa %q, %q, %q score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %bh = arith.muli %b, %h : index
    %bhi = arith.index_cast %bh : index to i64
    %bhf = arith.sitofp %bhi : i64 to f32
    %r = arith.subf %s, %bhf : f32
    attn.yield %r : f32
  } : tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>
      -> tensor<2x4x8x16xf32>
  return %0 : tensor<2x4x8x16xf32>
}

// -----

// A key origin (tile_origin with j0, Lk_total): the full-problem key index
// j0 + j is what score_mod receives, what causal compares with the aligned
// query position i0 + i + Lk_total - Lq_total, and what kv_lens bounds.
// CHECK-LABEL: func @sdpa_key_origin
//  CHECK-SAME:   %[[LENS:[a-zA-Z0-9_]+]]: tensor<1xi32>, %[[J0:[a-zA-Z0-9_]+]]: index, %[[LK:[a-zA-Z0-9_]+]]: index
//       CHECK:   %[[ALIGN:.+]] = arith.subi %[[LK]], %c4
//       CHECK:   linalg.generic {{.*}} ins(%{{.+}}, %[[LENS]] :
//       CHECK:     ^bb0(%{{.+}}: f32, %[[LEN:.+]]: i32, %{{.+}}: f32):
//       CHECK:     %[[I:.+]] = linalg.index 2 : index
//       CHECK:     %[[I_FULL:.+]] = arith.addi %[[I]], %c0
//       CHECK:     %[[J:.+]] = linalg.index 3 : index
//       CHECK:     %[[KEY:.+]] = arith.addi %[[J]], %[[J0]] : index
//       CHECK:     %[[KEY_I64:.+]] = arith.index_cast %[[KEY]] : index to i64
//       CHECK:     arith.sitofp %[[KEY_I64]]
//       CHECK:     %[[POS:.+]] = arith.addi %[[I_FULL]], %[[ALIGN]] : index
//       CHECK:     %[[DIFF:.+]] = arith.subi %[[KEY]], %[[POS]] : index
//       CHECK:     arith.cmpi sle, %[[DIFF]], %{{.+}} : index
//       CHECK:     %[[KEY_LEN:.+]] = arith.index_cast %[[KEY]] : index to i64
//       CHECK:     %[[LEN_I64:.+]] = arith.extsi %[[LEN]] : i32 to i64
//       CHECK:     arith.cmpi slt, %[[KEY_LEN]], %[[LEN_I64]] : i64
func.func @sdpa_key_origin(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x6x8xf32>,
                           %v: tensor<1x2x6x8xf32>, %lens: tensor<1xi32>,
                           %j0: index, %lk: index) -> tensor<1x2x4x8xf32> {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %o = attn.sdpa %q, %k, %v kv_lens(%lens : tensor<1xi32>)
      tile_origin(%c0, %c0, %c0, %c4, %j0, %lk) {causal} score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %ji = arith.index_cast %j : index to i64
    %jf = arith.sitofp %ji : i64 to f32
    %r = arith.addf %s, %jf : f32
    attn.yield %r : f32
  } : tensor<1x2x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32> -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// Dynamic B, Lq and Lk: sizes come from tensor.dim of Q and K; no extf or
// truncf for f32.
// CHECK-LABEL: func @sdpa_dynamic
//  CHECK-SAME:   %[[Q:[a-zA-Z0-9_]+]]: tensor<?x4x?x8xf32>
//  CHECK-SAME:   %[[K:[a-zA-Z0-9_]+]]: tensor<?x4x?x8xf32>
//   CHECK-DAG:   %[[C0:.+]] = arith.constant 0 : index
//   CHECK-DAG:   %[[C2:.+]] = arith.constant 2 : index
//   CHECK-DAG:   %[[B:.+]] = tensor.dim %[[Q]], %[[C0]]
//   CHECK-DAG:   %[[LQ:.+]] = tensor.dim %[[Q]], %[[C2]]
//   CHECK-DAG:   %[[LK:.+]] = tensor.dim %[[K]], %[[C2]]
//       CHECK:   tensor.empty(%[[B]], %[[LQ]], %[[LK]]) : tensor<?x4x?x?xf32>
//   CHECK-NOT:   arith.extf
//   CHECK-NOT:   arith.truncf
//       CHECK:   return %{{.+}} : tensor<?x4x?x8xf32>
func.func @sdpa_dynamic(%q: tensor<?x4x?x8xf32>, %k: tensor<?x4x?x8xf32>,
                        %v: tensor<?x4x?x8xf32>) -> tensor<?x4x?x8xf32> {
  %0 = attn.sdpa %q, %k, %v
      : tensor<?x4x?x8xf32>, tensor<?x4x?x8xf32>, tensor<?x4x?x8xf32>
      -> tensor<?x4x?x8xf32>
  return %0 : tensor<?x4x?x8xf32>
}

// -----

// A `?` batch in Q and a static batch in the results: both are cast.
// CHECK-LABEL: func @sdpa_static_results
//       CHECK:   %[[OUT:.+]] = tensor.cast %{{.+}} : tensor<?x2x5x8xf32> to tensor<2x2x5x8xf32>
//       CHECK:   %[[LSE:.+]] = tensor.cast %{{.+}} : tensor<?x2x5xf32> to tensor<2x2x5xf32>
//       CHECK:   return %[[OUT]], %[[LSE]]
func.func @sdpa_static_results(%q: tensor<?x2x5x8xf32>, %kv: tensor<2x2x5x8xf32>)
    -> (tensor<2x2x5x8xf32>, tensor<2x2x5xf32>) {
  %out, %lse = attn.sdpa %q, %kv, %kv
      : tensor<?x2x5x8xf32>, tensor<2x2x5x8xf32>, tensor<2x2x5x8xf32>
      -> tensor<2x2x5x8xf32>, tensor<2x2x5xf32>
  return %out, %lse : tensor<2x2x5x8xf32>, tensor<2x2x5xf32>
}

//===----------------------------------------------------------------------===//
// attn.mha
//===----------------------------------------------------------------------===//

// -----

// attn.mha is decomposed and every step lowered in the same pass; K and V
// keep their Hkv = 2 heads and are read through h floordiv 2.
// CHECK-DAG: #[[$K_MAP:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 floordiv 2, d3, d4)>
// CHECK-DAG: #[[$V_MAP:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 floordiv 2, d4, d3)>
// CHECK-LABEL: func @mha_causal_gqa
//       CHECK:   tensor.expand_shape {{.*}} into tensor<1x5x4x4xf32>
//       CHECK:   tensor.expand_shape {{.*}} into tensor<1x5x2x4xf32>
//       CHECK:   tensor.expand_shape {{.*}} into tensor<1x5x2x4xf32>
//       CHECK:   linalg.generic
//  CHECK-SAME:     #[[$K_MAP]]
//  CHECK-SAME:     ins(%{{.+}}, %{{.+}} : tensor<1x4x5x4xf32>, tensor<1x2x5x4xf32>)
//       CHECK:     arith.constant 5.000000e-01 : f32
//       CHECK:     arith.cmpi sle
//       CHECK:     arith.select
//       CHECK:     math.exp
//       CHECK:   linalg.generic {{.*}}#[[$V_MAP]]
//       CHECK:   tensor.collapse_shape {{.*}} into tensor<1x5x16xf32>
//       CHECK:   return %{{.+}} : tensor<1x5x16xf32>
func.func @mha_causal_gqa(%x: tensor<1x5x16xf32>, %wq: tensor<16x16xf32>,
                          %wkv: tensor<16x8xf32>, %wo: tensor<16x16xf32>)
    -> tensor<1x5x16xf32> {
  %0 = attn.mha %x, %wq, %wkv, %wkv, %wo
      {num_heads = 4 : i64, num_kv_heads = 2 : i64, causal}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x8xf32>,
        tensor<16x8xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return %0 : tensor<1x5x16xf32>
}

//===----------------------------------------------------------------------===//
// Negative cases
//===----------------------------------------------------------------------===//

// -----

// IR without attn ops is left unchanged.
// CHECK-LABEL: func @negative_linalg_only
//  CHECK-SAME:   %[[A:[a-zA-Z0-9_]+]]: tensor<4x8xf32>
//  CHECK-SAME:   %[[B:[a-zA-Z0-9_]+]]: tensor<8x16xf32>
//  CHECK-SAME:   %[[C:[a-zA-Z0-9_]+]]: tensor<4x16xf32>
//  CHECK-NEXT:   %[[MM:.+]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<4x8xf32>, tensor<8x16xf32>) outs(%[[C]] : tensor<4x16xf32>) -> tensor<4x16xf32>
//  CHECK-NEXT:   %[[TWO:.+]] = arith.constant 2.000000e+00 : f32
//  CHECK-NEXT:   %[[FILL:.+]] = linalg.fill ins(%[[TWO]] : f32) outs(%[[C]] : tensor<4x16xf32>) -> tensor<4x16xf32>
//  CHECK-NEXT:   %[[SUM:.+]] = linalg.add ins(%[[MM]], %[[FILL]] : tensor<4x16xf32>, tensor<4x16xf32>) outs(%[[C]] : tensor<4x16xf32>) -> tensor<4x16xf32>
//  CHECK-NEXT:   return %[[SUM]]
func.func @negative_linalg_only(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>,
                                %c: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>)
      outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
  %two = arith.constant 2.0 : f32
  %1 = linalg.fill ins(%two : f32) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
  %2 = linalg.add ins(%0, %1 : tensor<4x16xf32>, tensor<4x16xf32>)
      outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %2 : tensor<4x16xf32>
}
