// RUN: attn-opt %s --attn-pack-gqa --split-input-file | FileCheck %s
// RUN: attn-opt %s --attn-pack-gqa="max-rows=2" --split-input-file | FileCheck %s --check-prefix=ROWS
// RUN: attn-opt %s --attn-pack-gqa="report-refusals=true" --split-input-file -verify-diagnostics > /dev/null

///----------------------------------------------------------------------------
/// IN:  attn.sdpa with grouped-query heads (Hq = G·Hkv) and few query rows:
///      decoding, with causal, masks, lse, kv_lens or a score_mod.
/// OUT: attn.sdpa over the K/V heads whose rows are the G·Lq rows of their
///      query heads (Q, out and lse viewed through expand/collapse_shape),
///      causal dropped for one row, masks read into the packed layout.
/// Why: a K/V block is then read once for its whole group; anything that
///      depends on a row's head or position (windows, causal over several
///      rows, a score_mod reading h or i) would change, so it is left alone,
///      with a remark under report-refusals=true.
///----------------------------------------------------------------------------

// CHECK-LABEL: func @decode_causal
//  CHECK-SAME:   (%[[Q:.+]]: tensor<2x8x1x16xf32>, %[[K:.+]]: tensor<2x2x37x16xf32>, %[[V:.+]]: tensor<2x2x37x16xf32>)
//       CHECK:   %[[Q5:.+]] = tensor.expand_shape %[[Q]] {{\[}}[0], [1, 2], [3], [4]] output_shape [2, 2, 4, 1, 16]
//       CHECK:   %[[QP:.+]] = tensor.collapse_shape %[[Q5]] {{\[}}[0], [1], [2, 3], [4]] : tensor<2x2x4x1x16xf32> into tensor<2x2x4x16xf32>
//       CHECK:   %[[O:.+]] = attn.sdpa %[[QP]], %[[K]], %[[V]] {scale = 2.500000e-01 : f32} : tensor<2x2x4x16xf32>, tensor<2x2x37x16xf32>, tensor<2x2x37x16xf32> -> tensor<2x2x4x16xf32>
//       CHECK:   %[[O5:.+]] = tensor.expand_shape %[[O]] {{\[}}[0], [1], [2, 3], [4]] output_shape [2, 2, 4, 1, 16]
//       CHECK:   %[[R:.+]] = tensor.collapse_shape %[[O5]] {{\[}}[0], [1, 2], [3], [4]] : tensor<2x2x4x1x16xf32> into tensor<2x8x1x16xf32>
//       CHECK:   return %[[R]]
func.func @decode_causal(%q: tensor<2x8x1x16xf32>, %k: tensor<2x2x37x16xf32>, %v: tensor<2x2x37x16xf32>) -> tensor<2x8x1x16xf32> {
  %o = attn.sdpa %q, %k, %v {causal, scale = 0.25 : f32} : tensor<2x8x1x16xf32>, tensor<2x2x37x16xf32>, tensor<2x2x37x16xf32> -> tensor<2x8x1x16xf32>
  return %o : tensor<2x8x1x16xf32>
}

// -----

// Three query rows per head (speculative decoding), a key-padding mask
// broadcast over heads (packed as [1, 1, G·Lq, Lk]), kv_lens and the lse.
// CHECK-DAG: #[[$KEYPAD:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, 0, d3, d4)>
// CHECK-LABEL: func @rows_mask_kv_lens_lse
//  CHECK-SAME:   %[[M:[a-zA-Z0-9]+]]: tensor<1x1x3x9xi1>
//       CHECK:   %[[C:.+]] = linalg.generic {indexing_maps = [#[[$KEYPAD]], #{{.+}}]{{.*}} ins(%[[M]] : tensor<1x1x3x9xi1>) outs(%{{.+}} : tensor<1x1x4x3x9xi1>)
//       CHECK:   %[[MP:.+]] = tensor.collapse_shape %[[C]] {{\[}}[0], [1], [2, 3], [4]] : tensor<1x1x4x3x9xi1> into tensor<1x1x12x9xi1>
//       CHECK:   %{{.+}}, %[[L:.+]] = attn.sdpa %{{.+}}, %{{.+}}, %{{.+}} mask(%[[MP]] : tensor<1x1x12x9xi1>) kv_lens(%{{.+}} : tensor<1xi32>) : tensor<1x2x12x8xf32>, tensor<1x2x9x8xf32>, tensor<1x2x9x8xf32> -> tensor<1x2x12x8xf32>, tensor<1x2x12xf32>
//       CHECK:   tensor.expand_shape %[[L]] {{\[}}[0], [1], [2, 3]] output_shape [1, 2, 4, 3]
//       CHECK:   tensor.collapse_shape %{{.+}} {{\[}}[0], [1, 2], [3]] : tensor<1x2x4x3xf32> into tensor<1x8x3xf32>
// ROWS-LABEL: func @rows_mask_kv_lens_lse
//   ROWS-NOT:   tensor.expand_shape
//       ROWS:   attn.sdpa {{.*}} -> tensor<1x8x3x8xf32>, tensor<1x8x3xf32>
func.func @rows_mask_kv_lens_lse(%q: tensor<1x8x3x8xf32>, %k: tensor<1x2x9x8xf32>, %v: tensor<1x2x9x8xf32>, %m: tensor<1x1x3x9xi1>, %lens: tensor<1xi32>) -> (tensor<1x8x3x8xf32>, tensor<1x8x3xf32>) {
  %o, %l = attn.sdpa %q, %k, %v mask(%m : tensor<1x1x3x9xi1>) kv_lens(%lens : tensor<1xi32>) : tensor<1x8x3x8xf32>, tensor<1x2x9x8xf32>, tensor<1x2x9x8xf32> -> tensor<1x8x3x8xf32>, tensor<1x8x3xf32>
  return %o, %l : tensor<1x8x3x8xf32>, tensor<1x8x3xf32>
}

// -----

// A float mask per query head and row: read into [B, Hkv, G·Lq, Lk], query
// head h = hkv·G + g.
// CHECK-DAG: #[[$READ:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 * 4 + d2, d3, d4)>
// CHECK-LABEL: func @mask_per_head
//  CHECK-SAME:   %[[M:[a-zA-Z0-9]+]]: tensor<1x8x2x9xf32>
//       CHECK:   %[[C:.+]] = linalg.generic {indexing_maps = [#[[$READ]], #{{.+}}]{{.*}} ins(%[[M]] : tensor<1x8x2x9xf32>) outs(%{{.+}} : tensor<1x2x4x2x9xf32>)
//       CHECK:   %[[MP:.+]] = tensor.collapse_shape %[[C]] {{\[}}[0], [1], [2, 3], [4]] : tensor<1x2x4x2x9xf32> into tensor<1x2x8x9xf32>
//       CHECK:   attn.sdpa {{.*}} mask(%[[MP]] : tensor<1x2x8x9xf32>)
func.func @mask_per_head(%q: tensor<2x8x2x8xf32>, %k: tensor<2x2x9x8xf32>, %v: tensor<2x2x9x8xf32>, %m: tensor<1x8x2x9xf32>) -> tensor<2x8x2x8xf32> {
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<1x8x2x9xf32>) : tensor<2x8x2x8xf32>, tensor<2x2x9x8xf32>, tensor<2x2x9x8xf32> -> tensor<2x8x2x8xf32>
  return %o : tensor<2x8x2x8xf32>
}

// -----

// A dynamic batch and cache length; a score_mod of the score and key only.
// CHECK-LABEL: func @dynamic_cache_score_mod_of_key
//       CHECK:   attn.sdpa {{.*}} score_mod {
//       CHECK:   } : tensor<?x2x4x8xf32>, tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32> -> tensor<?x2x4x8xf32>
func.func @dynamic_cache_score_mod_of_key(%q: tensor<?x8x1x8xf32>, %k: tensor<?x2x?x8xf32>, %v: tensor<?x2x?x8xf32>) -> tensor<?x8x1x8xf32> {
  %o = attn.sdpa %q, %k, %v score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %ji = arith.index_cast %j : index to i64
    %jf = arith.sitofp %ji : i64 to f32
    %c = arith.constant 0.01 : f32
    %bias = arith.mulf %jf, %c : f32
    %r = arith.addf %s, %bias : f32
    attn.yield %r : f32
  } : tensor<?x8x1x8xf32>, tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32> -> tensor<?x8x1x8xf32>
  return %o : tensor<?x8x1x8xf32>
}

// -----

// CHECK-LABEL: func @negative_not_grouped
//   CHECK-NOT:   tensor.expand_shape
//       CHECK:   attn.sdpa {{.*}} -> tensor<1x4x1x8xf32>
func.func @negative_not_grouped(%q: tensor<1x4x1x8xf32>, %k: tensor<1x4x9x8xf32>, %v: tensor<1x4x9x8xf32>) -> tensor<1x4x1x8xf32> {
  // expected-remark @below {{attn-pack-gqa: not packed: not grouped-query attention}}
  %o = attn.sdpa %q, %k, %v : tensor<1x4x1x8xf32>, tensor<1x4x9x8xf32>, tensor<1x4x9x8xf32> -> tensor<1x4x1x8xf32>
  return %o : tensor<1x4x1x8xf32>
}

// -----

// Prefill: more query rows than max-rows (16).
// CHECK-LABEL: func @negative_prefill
//   CHECK-NOT:   tensor.expand_shape
//       CHECK:   attn.sdpa {{.*}} -> tensor<1x8x17x8xf32>
func.func @negative_prefill(%q: tensor<1x8x17x8xf32>, %k: tensor<1x2x17x8xf32>, %v: tensor<1x2x17x8xf32>) -> tensor<1x8x17x8xf32> {
  // expected-remark @below {{attn-pack-gqa: not packed: more than 16 query rows (or a dynamic number): not a decoding step}}
  %o = attn.sdpa %q, %k, %v : tensor<1x8x17x8xf32>, tensor<1x2x17x8xf32>, tensor<1x2x17x8xf32> -> tensor<1x8x17x8xf32>
  return %o : tensor<1x8x17x8xf32>
}

// -----

// Causal over two rows: the packed rows would see other keys.
// CHECK-LABEL: func @negative_causal_two_rows
//   CHECK-NOT:   tensor.expand_shape
//       CHECK:   attn.sdpa {{.*}} {causal
func.func @negative_causal_two_rows(%q: tensor<1x8x2x8xf32>, %k: tensor<1x2x9x8xf32>, %v: tensor<1x2x9x8xf32>) -> tensor<1x8x2x8xf32> {
  // expected-remark @below {{attn-pack-gqa: not packed: a causal or window band over several query rows}}
  %o = attn.sdpa %q, %k, %v {causal} : tensor<1x8x2x8xf32>, tensor<1x2x9x8xf32>, tensor<1x2x9x8xf32> -> tensor<1x8x2x8xf32>
  return %o : tensor<1x8x2x8xf32>
}

// -----

// A sliding window, even for one row.
// CHECK-LABEL: func @negative_window
//   CHECK-NOT:   tensor.expand_shape
//       CHECK:   attn.sdpa {{.*}} {window = array<i64: 4, 0>}
func.func @negative_window(%q: tensor<1x8x1x8xf32>, %k: tensor<1x2x9x8xf32>, %v: tensor<1x2x9x8xf32>) -> tensor<1x8x1x8xf32> {
  // expected-remark @below {{attn-pack-gqa: not packed: a causal or window band over several query rows}}
  %o = attn.sdpa %q, %k, %v {window = array<i64: 4, 0>} : tensor<1x8x1x8xf32>, tensor<1x2x9x8xf32>, tensor<1x2x9x8xf32> -> tensor<1x8x1x8xf32>
  return %o : tensor<1x8x1x8xf32>
}

// -----

// A score_mod reading the query head (ALiBi slopes per head).
// CHECK-LABEL: func @negative_score_mod_reads_head
//   CHECK-NOT:   tensor.expand_shape
//       CHECK:   attn.sdpa
func.func @negative_score_mod_reads_head(%q: tensor<1x8x1x8xf32>, %k: tensor<1x2x9x8xf32>, %v: tensor<1x2x9x8xf32>) -> tensor<1x8x1x8xf32> {
  // expected-remark @below {{attn-pack-gqa: not packed: the score_mod reads the query head or row}}
  %o = attn.sdpa %q, %k, %v score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %hi = arith.index_cast %h : index to i64
    %hf = arith.sitofp %hi : i64 to f32
    %r = arith.addf %s, %hf : f32
    attn.yield %r : f32
  } : tensor<1x8x1x8xf32>, tensor<1x2x9x8xf32>, tensor<1x2x9x8xf32> -> tensor<1x8x1x8xf32>
  return %o : tensor<1x8x1x8xf32>
}

// -----

// A dynamic number of query rows.
// CHECK-LABEL: func @negative_dynamic_rows
//   CHECK-NOT:   tensor.expand_shape
//       CHECK:   attn.sdpa
func.func @negative_dynamic_rows(%q: tensor<1x8x?x8xf32>, %k: tensor<1x2x9x8xf32>, %v: tensor<1x2x9x8xf32>) -> tensor<1x8x?x8xf32> {
  // expected-remark @below {{attn-pack-gqa: not packed: more than 16 query rows (or a dynamic number): not a decoding step}}
  %o = attn.sdpa %q, %k, %v : tensor<1x8x?x8xf32>, tensor<1x2x9x8xf32>, tensor<1x2x9x8xf32> -> tensor<1x8x?x8xf32>
  return %o : tensor<1x8x?x8xf32>
}
