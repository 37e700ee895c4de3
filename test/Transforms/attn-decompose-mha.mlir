// RUN: attn-opt %s --attn-decompose-mha --split-input-file | FileCheck %s

///----------------------------------------------------------------------------
/// IN:  attn.mha, the whole multi-head block with its projections.
/// OUT: three attn.linear projections, attn.split_heads for Q, K and V,
///      attn.scores (with an explicit scale, f32 result), attn.mask {causal}
///      only when the block is causal, attn.softmax, attn.context,
///      attn.merge_heads and the output attn.linear.
/// Why: the decomposed level is what the unfused lowering and the fusion
///      passes consume; the rewrite must keep the block's scale, causality
///      and grouped-query heads, and compute scores in f32.
///----------------------------------------------------------------------------

// CHECK-LABEL: func @mha_plain
//  CHECK-SAME:   %[[X:[a-zA-Z0-9_]+]]: tensor<1x5x16xf32>
//  CHECK-SAME:   %[[WQ:[a-zA-Z0-9_]+]]: tensor<16x16xf32>
//  CHECK-SAME:   %[[WK:[a-zA-Z0-9_]+]]: tensor<16x16xf32>
//  CHECK-SAME:   %[[WV:[a-zA-Z0-9_]+]]: tensor<16x16xf32>
//  CHECK-SAME:   %[[WO:[a-zA-Z0-9_]+]]: tensor<16x16xf32>
//   CHECK-NOT:   attn.mha
//   CHECK-DAG:   %[[Q:.+]] = attn.linear %[[X]], %[[WQ]] : tensor<1x5x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
//   CHECK-DAG:   %[[K:.+]] = attn.linear %[[X]], %[[WK]] : tensor<1x5x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
//   CHECK-DAG:   %[[V:.+]] = attn.linear %[[X]], %[[WV]] : tensor<1x5x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
//   CHECK-DAG:   %[[QH:.+]] = attn.split_heads %[[Q]] : tensor<1x5x16xf32> -> tensor<1x2x5x8xf32>
//   CHECK-DAG:   %[[KH:.+]] = attn.split_heads %[[K]] : tensor<1x5x16xf32> -> tensor<1x2x5x8xf32>
//   CHECK-DAG:   %[[VH:.+]] = attn.split_heads %[[V]] : tensor<1x5x16xf32> -> tensor<1x2x5x8xf32>
//       CHECK:   %[[S:.+]] = attn.scores %[[QH]], %[[KH]] {scale = 0.353553385 : f32}
//  CHECK-SAME:     -> tensor<1x2x5x5xf32>
//   CHECK-NOT:   attn.mask
//       CHECK:   %[[P:.+]] = attn.softmax %[[S]] : tensor<1x2x5x5xf32>
//       CHECK:   %[[O:.+]] = attn.context %[[P]], %[[VH]] : tensor<1x2x5x5xf32>, tensor<1x2x5x8xf32> -> tensor<1x2x5x8xf32>
//       CHECK:   %[[M:.+]] = attn.merge_heads %[[O]] : tensor<1x2x5x8xf32> -> tensor<1x5x16xf32>
//       CHECK:   %[[Y:.+]] = attn.linear %[[M]], %[[WO]] : tensor<1x5x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
//       CHECK:   return %[[Y]]
func.func @mha_plain(%x: tensor<1x5x16xf32>, %wq: tensor<16x16xf32>,
                     %wk: tensor<16x16xf32>, %wv: tensor<16x16xf32>,
                     %wo: tensor<16x16xf32>) -> tensor<1x5x16xf32> {
  %0 = attn.mha %x, %wq, %wk, %wv, %wo {num_heads = 2 : i64}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
        tensor<16x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return %0 : tensor<1x5x16xf32>
}

// -----

// causal becomes an attn.mask {causal} between the scores and the softmax.
// CHECK-LABEL: func @mha_causal
//       CHECK:   %[[S:.+]] = attn.scores
//       CHECK:   %[[MASKED:.+]] = attn.mask %[[S]] {causal} : tensor<1x2x5x5xf32> -> tensor<1x2x5x5xf32>
//       CHECK:   attn.softmax %[[MASKED]]
func.func @mha_causal(%x: tensor<1x5x16xf32>, %w: tensor<16x16xf32>)
    -> tensor<1x5x16xf32> {
  %0 = attn.mha %x, %w, %w, %w, %w {num_heads = 2 : i64, causal}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
        tensor<16x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return %0 : tensor<1x5x16xf32>
}

// -----

// Grouped-query heads: Hq = 4, Hkv = 2, D = 4, Dv = 8. K and V are split into
// Hkv heads (never repeated); attn.scores and attn.context read them by GQA.
// CHECK-LABEL: func @mha_gqa
//  CHECK-SAME:   %[[X:[a-zA-Z0-9_]+]]: tensor<1x5x16xf32>
//  CHECK-SAME:   %[[WQ:[a-zA-Z0-9_]+]]: tensor<16x16xf32>
//  CHECK-SAME:   %[[WK:[a-zA-Z0-9_]+]]: tensor<16x8xf32>
//  CHECK-SAME:   %[[WV:[a-zA-Z0-9_]+]]: tensor<16x16xf32>
//  CHECK-SAME:   %[[WO:[a-zA-Z0-9_]+]]: tensor<32x12xf32>
//   CHECK-DAG:   %[[Q:.+]] = attn.linear %[[X]], %[[WQ]] : {{.*}} -> tensor<1x5x16xf32>
//   CHECK-DAG:   %[[K:.+]] = attn.linear %[[X]], %[[WK]] : {{.*}} -> tensor<1x5x8xf32>
//   CHECK-DAG:   %[[V:.+]] = attn.linear %[[X]], %[[WV]] : {{.*}} -> tensor<1x5x16xf32>
//   CHECK-DAG:   %[[QH:.+]] = attn.split_heads %[[Q]] : tensor<1x5x16xf32> -> tensor<1x4x5x4xf32>
//   CHECK-DAG:   %[[KH:.+]] = attn.split_heads %[[K]] : tensor<1x5x8xf32> -> tensor<1x2x5x4xf32>
//   CHECK-DAG:   %[[VH:.+]] = attn.split_heads %[[V]] : tensor<1x5x16xf32> -> tensor<1x2x5x8xf32>
//       CHECK:   %[[S:.+]] = attn.scores %[[QH]], %[[KH]] {scale = 5.000000e-01 : f32} : tensor<1x4x5x4xf32>, tensor<1x2x5x4xf32> -> tensor<1x4x5x5xf32>
//       CHECK:   %[[P:.+]] = attn.softmax %[[S]]
//       CHECK:   %[[O:.+]] = attn.context %[[P]], %[[VH]] : tensor<1x4x5x5xf32>, tensor<1x2x5x8xf32> -> tensor<1x4x5x8xf32>
//       CHECK:   %[[M:.+]] = attn.merge_heads %[[O]] : tensor<1x4x5x8xf32> -> tensor<1x5x32xf32>
//       CHECK:   attn.linear %[[M]], %[[WO]] : tensor<1x5x32xf32>, tensor<32x12xf32> -> tensor<1x5x12xf32>
func.func @mha_gqa(%x: tensor<1x5x16xf32>, %wq: tensor<16x16xf32>,
                   %wk: tensor<16x8xf32>, %wv: tensor<16x16xf32>,
                   %wo: tensor<32x12xf32>) -> tensor<1x5x12xf32> {
  %0 = attn.mha %x, %wq, %wk, %wv, %wo {num_heads = 4 : i64, num_kv_heads = 2 : i64}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x8xf32>,
        tensor<16x16xf32>, tensor<32x12xf32> -> tensor<1x5x12xf32>
  return %0 : tensor<1x5x12xf32>
}

// -----

// Multi-query attention (Hkv = 1).
// CHECK-LABEL: func @mha_mqa
//   CHECK-DAG:   %[[KH:.+]] = attn.split_heads %{{.+}} : tensor<1x5x8xf32> -> tensor<1x1x5x8xf32>
//   CHECK-DAG:   %[[QH:.+]] = attn.split_heads %{{.+}} : tensor<1x5x16xf32> -> tensor<1x2x5x8xf32>
//       CHECK:   attn.scores %[[QH]], %[[KH]] {{.*}} -> tensor<1x2x5x5xf32>
func.func @mha_mqa(%x: tensor<1x5x16xf32>, %wq: tensor<16x16xf32>,
                   %wkv: tensor<16x8xf32>, %wo: tensor<16x16xf32>)
    -> tensor<1x5x16xf32> {
  %0 = attn.mha %x, %wq, %wkv, %wkv, %wo {num_heads = 2 : i64, num_kv_heads = 1 : i64}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x8xf32>,
        tensor<16x8xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return %0 : tensor<1x5x16xf32>
}

// -----

// An explicit scale is carried to attn.scores unchanged, not replaced by
// 1/sqrt(D).
// CHECK-LABEL: func @mha_explicit_scale
//       CHECK:   attn.scores %{{.+}}, %{{.+}} {scale = 1.000000e+00 : f32}
func.func @mha_explicit_scale(%x: tensor<1x5x16xf32>, %w: tensor<16x16xf32>)
    -> tensor<1x5x16xf32> {
  %0 = attn.mha %x, %w, %w, %w, %w {num_heads = 2 : i64, scale = 1.0 : f32}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
        tensor<16x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return %0 : tensor<1x5x16xf32>
}

// -----

// The default scale is 1/sqrt(D) of the query/key heads (D = 16 here: 4 heads
// of 64 columns), rounded to f32.
// CHECK-LABEL: func @mha_default_scale
//       CHECK:   attn.scores %{{.+}}, %{{.+}} {scale = 2.500000e-01 : f32} : tensor<1x4x5x16xf32>
func.func @mha_default_scale(%x: tensor<1x5x64xf32>, %w: tensor<64x64xf32>)
    -> tensor<1x5x64xf32> {
  %0 = attn.mha %x, %w, %w, %w, %w {num_heads = 4 : i64}
      : tensor<1x5x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>,
        tensor<64x64xf32>, tensor<64x64xf32> -> tensor<1x5x64xf32>
  return %0 : tensor<1x5x64xf32>
}

// -----

// f16 block: the projections, heads and context stay f16; the scores and the
// probabilities are f32.
// CHECK-LABEL: func @mha_f16
//       CHECK:   attn.linear {{.*}} -> tensor<2x5x16xf16>
//       CHECK:   %[[S:.+]] = attn.scores {{.*}} : tensor<2x2x5x8xf16>, tensor<2x2x5x8xf16> -> tensor<2x2x5x5xf32>
//       CHECK:   %[[P:.+]] = attn.softmax %[[S]] : tensor<2x2x5x5xf32>
//       CHECK:   %[[O:.+]] = attn.context %[[P]], %{{.+}} : tensor<2x2x5x5xf32>, tensor<2x2x5x8xf16> -> tensor<2x2x5x8xf16>
//       CHECK:   %[[M:.+]] = attn.merge_heads %[[O]] : tensor<2x2x5x8xf16> -> tensor<2x5x16xf16>
//       CHECK:   attn.linear %[[M]], %{{.+}} : tensor<2x5x16xf16>, tensor<16x16xf16> -> tensor<2x5x16xf16>
func.func @mha_f16(%x: tensor<2x5x16xf16>, %w: tensor<16x16xf16>)
    -> tensor<2x5x16xf16> {
  %0 = attn.mha %x, %w, %w, %w, %w {num_heads = 2 : i64}
      : tensor<2x5x16xf16>, tensor<16x16xf16>, tensor<16x16xf16>,
        tensor<16x16xf16>, tensor<16x16xf16> -> tensor<2x5x16xf16>
  return %0 : tensor<2x5x16xf16>
}

// -----

// Dynamic B and L stay dynamic in every intermediate type; L is both the
// query and the key length.
// CHECK-LABEL: func @mha_dynamic
//  CHECK-SAME:   %[[X:[a-zA-Z0-9_]+]]: tensor<?x?x16xbf16>
//       CHECK:   attn.split_heads %{{.+}} : tensor<?x?x16xbf16> -> tensor<?x2x?x8xbf16>
//       CHECK:   %[[S:.+]] = attn.scores {{.*}} -> tensor<?x2x?x?xf32>
//       CHECK:   attn.mask %[[S]] {causal} : tensor<?x2x?x?xf32> -> tensor<?x2x?x?xf32>
//       CHECK:   attn.merge_heads %{{.+}} : tensor<?x2x?x8xbf16> -> tensor<?x?x16xbf16>
//       CHECK:   attn.linear {{.*}} -> tensor<?x?x16xbf16>
func.func @mha_dynamic(%x: tensor<?x?x16xbf16>, %w: tensor<16x16xbf16>)
    -> tensor<?x?x16xbf16> {
  %0 = attn.mha %x, %w, %w, %w, %w {num_heads = 2 : i64, causal}
      : tensor<?x?x16xbf16>, tensor<16x16xbf16>, tensor<16x16xbf16>,
        tensor<16x16xbf16>, tensor<16x16xbf16> -> tensor<?x?x16xbf16>
  return %0 : tensor<?x?x16xbf16>
}

// -----

// The pass only rewrites attn.mha: a fused attn.sdpa is left as it is.
// CHECK-LABEL: func @negative_sdpa
//       CHECK:   attn.sdpa %{{.+}}, %{{.+}}, %{{.+}} {causal}
//   CHECK-NOT:   attn.scores
//   CHECK-NOT:   attn.softmax
func.func @negative_sdpa(%q: tensor<1x4x16x32xf32>) -> tensor<1x4x16x32xf32> {
  %0 = attn.sdpa %q, %q, %q {causal}
      : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return %0 : tensor<1x4x16x32xf32>
}

// -----

// Already decomposed ops are left as they are.
// CHECK-LABEL: func @negative_decomposed
//       CHECK:   %[[S:.+]] = attn.scores %{{.+}}, %{{.+}} : tensor<1x2x5x8xf32>
//  CHECK-NEXT:   %[[P:.+]] = attn.softmax %[[S]]
//  CHECK-NEXT:   return %[[P]]
func.func @negative_decomposed(%q: tensor<1x2x5x8xf32>) -> tensor<1x2x5x5xf32> {
  %s = attn.scores %q, %q : tensor<1x2x5x8xf32>, tensor<1x2x5x8xf32>
      -> tensor<1x2x5x5xf32>
  %p = attn.softmax %s : tensor<1x2x5x5xf32>
  return %p : tensor<1x2x5x5xf32>
}
