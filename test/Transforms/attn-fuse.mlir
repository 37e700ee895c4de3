// RUN: attn-opt %s --attn-fuse --split-input-file | FileCheck %s
// RUN: attn-opt %s --attn-fuse="report-refusals=true" --split-input-file -verify-diagnostics > /dev/null
// RUN: attn-opt %s --attn-decompose-mha --attn-fuse --split-input-file | FileCheck %s --check-prefix=MHA

///----------------------------------------------------------------------------
/// IN:  attn.scores -> [attn.mask] -> attn.softmax -> attn.context.
/// OUT: one attn.sdpa carrying scale, softcap, mask, kv_lens, causal and
///      window; GQA and Dk != Dv carry over.
/// Why: fusion must change results only by float reassociation, so every
///      chain where it would change more (an intermediate with another user,
///      an intermediate rounded below f32, mixed element types) stays as it
///      is, and with report-refusals=true says why on the blocking op.
///----------------------------------------------------------------------------

// CHECK-LABEL: func @fuse_plain
//  CHECK-SAME:   %[[Q:[a-zA-Z0-9]+]]: tensor<2x4x7x8xf32>, %[[K:[a-zA-Z0-9]+]]: tensor<2x4x9x8xf32>, %[[V:[a-zA-Z0-9]+]]: tensor<2x4x9x8xf32>
//       CHECK:   %[[O:.+]] = attn.sdpa %[[Q]], %[[K]], %[[V]] :
//   CHECK-NOT:   attn.scores
//   CHECK-NOT:   attn.softmax
//   CHECK-NOT:   attn.context
//       CHECK:   return %[[O]]
func.func @fuse_plain(%q: tensor<2x4x7x8xf32>, %k: tensor<2x4x9x8xf32>,
                      %v: tensor<2x4x9x8xf32>) -> tensor<2x4x7x8xf32> {
  %s = attn.scores %q, %k : tensor<2x4x7x8xf32>, tensor<2x4x9x8xf32> -> tensor<2x4x7x9xf32>
  %p = attn.softmax %s : tensor<2x4x7x9xf32>
  %o = attn.context %p, %v : tensor<2x4x7x9xf32>, tensor<2x4x9x8xf32> -> tensor<2x4x7x8xf32>
  return %o : tensor<2x4x7x8xf32>
}

// -----

// CHECK-LABEL: func @fuse_all_masking
//  CHECK-SAME:   %[[Q:[a-zA-Z0-9]+]]: tensor<?x8x?x16xf16>, %[[K:[a-zA-Z0-9]+]]: tensor<?x2x?x16xf16>, %[[V:[a-zA-Z0-9]+]]: tensor<?x2x?x32xf16>, %[[M:[a-zA-Z0-9]+]]: tensor<?x1x?x?xf16>, %[[L:[a-zA-Z0-9]+]]: tensor<?xi32>
//       CHECK:   attn.sdpa %[[Q]], %[[K]], %[[V]] mask(%[[M]] : tensor<?x1x?x?xf16>) kv_lens(%[[L]] : tensor<?xi32>)
//  CHECK-SAME:     {causal, scale = 2.500000e-01 : f32, softcap = 3.000000e+01 : f32, window = array<i64: 4, -1>}
//  CHECK-SAME:     -> tensor<?x8x?x32xf16>
func.func @fuse_all_masking(%q: tensor<?x8x?x16xf16>, %k: tensor<?x2x?x16xf16>,
                            %v: tensor<?x2x?x32xf16>, %m: tensor<?x1x?x?xf16>,
                            %l: tensor<?xi32>) -> tensor<?x8x?x32xf16> {
  %s = attn.scores %q, %k {scale = 0.25 : f32, softcap = 30.0 : f32}
      : tensor<?x8x?x16xf16>, tensor<?x2x?x16xf16> -> tensor<?x8x?x?xf32>
  %m2 = attn.mask %s mask(%m : tensor<?x1x?x?xf16>) kv_lens(%l : tensor<?xi32>)
      {causal, window = array<i64: 4, -1>} : tensor<?x8x?x?xf32> -> tensor<?x8x?x?xf32>
  %p = attn.softmax %m2 : tensor<?x8x?x?xf32>
  %o = attn.context %p, %v : tensor<?x8x?x?xf32>, tensor<?x2x?x32xf16> -> tensor<?x8x?x32xf16>
  return %o : tensor<?x8x?x32xf16>
}

// -----

// MHA-LABEL: func @mha_roundtrip
//       MHA:   attn.linear
//       MHA:   attn.split_heads
//       MHA:   attn.sdpa %{{.+}}, %{{.+}}, %{{.+}} {causal, scale = 0.353553385 : f32}
//  MHA-SAME:     : tensor<1x4x5x8xf32>, tensor<1x2x5x8xf32>, tensor<1x2x5x8xf32> -> tensor<1x4x5x8xf32>
//       MHA:   attn.merge_heads
//       MHA:   attn.linear
func.func @mha_roundtrip(%x: tensor<1x5x32xf32>, %wq: tensor<32x32xf32>, %wk: tensor<32x16xf32>,
                         %wv: tensor<32x16xf32>, %wo: tensor<32x32xf32>) -> tensor<1x5x32xf32> {
  %y = attn.mha %x, %wq, %wk, %wv, %wo {num_heads = 4 : i64, num_kv_heads = 2 : i64, causal}
      : tensor<1x5x32xf32>, tensor<32x32xf32>, tensor<32x16xf32>, tensor<32x16xf32>,
        tensor<32x32xf32> -> tensor<1x5x32xf32>
  return %y : tensor<1x5x32xf32>
}

// -----

// CHECK-LABEL: func @negative_probs_have_another_user
//       CHECK:   attn.softmax
//       CHECK:   attn.context
//   CHECK-NOT:   attn.sdpa
func.func @negative_probs_have_another_user(%q: tensor<1x1x4x8xf32>, %k: tensor<1x1x4x8xf32>,
    %v: tensor<1x1x4x8xf32>) -> (tensor<1x1x4x8xf32>, tensor<1x1x4x4xf32>) {
  %s = attn.scores %q, %k : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32> -> tensor<1x1x4x4xf32>
  // expected-remark @below {{attn-fuse: not fused: the probabilities have another user, so they must stay materialised}}
  %p = attn.softmax %s : tensor<1x1x4x4xf32>
  %o = attn.context %p, %v : tensor<1x1x4x4xf32>, tensor<1x1x4x8xf32> -> tensor<1x1x4x8xf32>
  return %o, %p : tensor<1x1x4x8xf32>, tensor<1x1x4x4xf32>
}

// -----

// CHECK-LABEL: func @negative_masked_scores_have_another_user
//   CHECK-NOT:   attn.sdpa
func.func @negative_masked_scores_have_another_user(%q: tensor<1x1x4x8xf32>, %k: tensor<1x1x4x8xf32>,
    %v: tensor<1x1x4x8xf32>) -> (tensor<1x1x4x8xf32>, tensor<1x1x4x4xf32>) {
  %s = attn.scores %q, %k : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32> -> tensor<1x1x4x4xf32>
  // expected-remark @below {{attn-fuse: not fused: the masked scores have another user, so they must stay materialised}}
  %m = attn.mask %s {causal} : tensor<1x1x4x4xf32> -> tensor<1x1x4x4xf32>
  %p = attn.softmax %m : tensor<1x1x4x4xf32>
  %o = attn.context %p, %v : tensor<1x1x4x4xf32>, tensor<1x1x4x8xf32> -> tensor<1x1x4x8xf32>
  return %o, %m : tensor<1x1x4x8xf32>, tensor<1x1x4x4xf32>
}

// -----

// CHECK-LABEL: func @negative_scores_have_another_user
//   CHECK-NOT:   attn.sdpa
func.func @negative_scores_have_another_user(%q: tensor<1x1x4x8xf32>, %k: tensor<1x1x4x8xf32>,
    %v: tensor<1x1x4x8xf32>) -> (tensor<1x1x4x8xf32>, tensor<1x1x4x4xf32>) {
  // expected-remark @below {{attn-fuse: not fused: the scores have another user, so they must stay materialised}}
  %s = attn.scores %q, %k : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32> -> tensor<1x1x4x4xf32>
  %p = attn.softmax %s : tensor<1x1x4x4xf32>
  %o = attn.context %p, %v : tensor<1x1x4x4xf32>, tensor<1x1x4x8xf32> -> tensor<1x1x4x8xf32>
  return %o, %s : tensor<1x1x4x8xf32>, tensor<1x1x4x4xf32>
}

// -----

// Scores rounded to f16 before the softmax: attn.sdpa would keep them in f32,
// which changes more than the association of the sums.
// CHECK-LABEL: func @negative_probs_rounded_to_f16
//   CHECK-NOT:   attn.sdpa
func.func @negative_probs_rounded_to_f16(%q: tensor<1x1x4x8xf16>, %k: tensor<1x1x4x8xf16>,
    %v: tensor<1x1x4x8xf16>) -> tensor<1x1x4x8xf16> {
  %s = attn.scores %q, %k : tensor<1x1x4x8xf16>, tensor<1x1x4x8xf16> -> tensor<1x1x4x4xf16>
  // expected-remark @below {{attn-fuse: not fused: the probabilities are rounded to 'f16', while attn.sdpa keeps them in f32}}
  %p = attn.softmax %s : tensor<1x1x4x4xf16>
  %o = attn.context %p, %v : tensor<1x1x4x4xf16>, tensor<1x1x4x8xf16> -> tensor<1x1x4x8xf16>
  return %o : tensor<1x1x4x8xf16>
}

// -----

// CHECK-LABEL: func @negative_softmax_of_an_argument
//       CHECK:   attn.softmax
//   CHECK-NOT:   attn.sdpa
func.func @negative_softmax_of_an_argument(%s: tensor<1x1x4x4xf32>, %v: tensor<1x1x4x8xf32>)
    -> tensor<1x1x4x8xf32> {
  // expected-remark @below {{attn-fuse: not fused: the softmax input does not come from attn.scores}}
  %p = attn.softmax %s : tensor<1x1x4x4xf32>
  %o = attn.context %p, %v : tensor<1x1x4x4xf32>, tensor<1x1x4x8xf32> -> tensor<1x1x4x8xf32>
  return %o : tensor<1x1x4x8xf32>
}

// -----

// CHECK-LABEL: func @negative_probs_not_from_softmax
//       CHECK:   attn.context
//   CHECK-NOT:   attn.sdpa
func.func @negative_probs_not_from_softmax(%p: tensor<1x1x4x4xf32>, %v: tensor<1x1x4x8xf32>)
    -> tensor<1x1x4x8xf32> {
  // expected-remark @below {{attn-fuse: not fused: the probabilities are not produced by attn.softmax}}
  %o = attn.context %p, %v : tensor<1x1x4x4xf32>, tensor<1x1x4x8xf32> -> tensor<1x1x4x8xf32>
  return %o : tensor<1x1x4x8xf32>
}

// -----

// CHECK-LABEL: func @negative_mixed_element_types
//   CHECK-NOT:   attn.sdpa
func.func @negative_mixed_element_types(%q: tensor<1x1x4x8xf16>, %k: tensor<1x1x4x8xf16>,
    %v: tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32> {
  %s = attn.scores %q, %k : tensor<1x1x4x8xf16>, tensor<1x1x4x8xf16> -> tensor<1x1x4x4xf32>
  %p = attn.softmax %s : tensor<1x1x4x4xf32>
  // expected-remark @below {{attn-fuse: not fused: the query/key element type 'f16' differs from the value element type 'f32'}}
  %o = attn.context %p, %v : tensor<1x1x4x4xf32>, tensor<1x1x4x8xf32> -> tensor<1x1x4x8xf32>
  return %o : tensor<1x1x4x8xf32>
}

// -----

// CHECK-LABEL: func @negative_key_value_heads_differ
//   CHECK-NOT:   attn.sdpa
func.func @negative_key_value_heads_differ(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x4x8xf32>,
    %v: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  %s = attn.scores %q, %k : tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32> -> tensor<1x4x4x4xf32>
  %p = attn.softmax %s : tensor<1x4x4x4xf32>
  // expected-remark @below {{attn-fuse: not fused: key has 2 heads but value has 4}}
  %o = attn.context %p, %v : tensor<1x4x4x4xf32>, tensor<1x4x4x8xf32> -> tensor<1x4x4x8xf32>
  return %o : tensor<1x4x4x8xf32>
}
