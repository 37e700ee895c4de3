// RUN: attn-opt %s --attn-tile-flash="tile-q=4 tile-kv=3 report=true" --canonicalize --cse --split-input-file -verify-diagnostics | FileCheck %s
// RUN: attn-opt %s --attn-tile-flash="tile-q=4 tile-kv=3 static-blocks=true" --canonicalize --cse --split-input-file | FileCheck %s --check-prefix=STATIC
// RUN: attn-opt %s --attn-tile-flash="tile-q=4 tile-kv=3 gpu-blocks=true" --split-input-file | FileCheck %s --check-prefix=GPU

// gpu-blocks: the tile loop of every attention is mapped to GPU blocks.
// GPU-LABEL: func @causal_lq_lt_lk
//       GPU:   scf.forall
//       GPU:   } {mapping = [#gpu.block<z>, #gpu.block<y>, #gpu.block<x>]}

///----------------------------------------------------------------------------
/// IN:  attn.sdpa (any variant).
/// OUT: an scf.forall over (B, Hq, blocks of tile-q queries) whose body loops
///      over blocks of tile-kv keys with the online-softmax state (row max,
///      row sum, unnormalised output) as iter_args; no [Lq, Lk] tensor.
/// Why: FlashAttention. Key blocks are split into three loops from the query
///      block's bounds: [lo, unmaskedLo) masked, [unmaskedLo, unmaskedHi)
///      without any visibility arithmetic, [unmaskedHi, hi) masked; blocks
///      outside [lo, hi) are never visited (remark with report=true).
///----------------------------------------------------------------------------

// With static-blocks the partial query tile is padded to 4 rows and every
// key block has 3 keys: the unmasked loop reads whole blocks, the masked
// loops pad a partial one (the padding is masked by the key bound).
// STATIC-LABEL: func @causal_lq_lt_lk
//       STATIC:   scf.forall
//       STATIC:     tensor.pad %{{.+}} low[0, 0, 0, 0] high[0, 0, %{{.+}}, 0]
//       STATIC:     tensor<1x1x4x8xf32>
//       STATIC:     scf.for {{.*}} -> (tensor<1x1x4xf32>, tensor<1x1x4xf32>, tensor<1x1x4x8xf32>)
//       STATIC:       tensor.pad
//       STATIC:       arith.cmpi slt
//       STATIC:     scf.for {{.*}} -> (tensor<1x1x4xf32>, tensor<1x1x4xf32>, tensor<1x1x4x8xf32>)
//   STATIC-NOT:       tensor.pad
//   STATIC-NOT:       tensor<1x1x?x
//       STATIC:       scf.yield
//       STATIC:     scf.for {{.*}} -> (tensor<1x1x4xf32>, tensor<1x1x4xf32>, tensor<1x1x4x8xf32>)
//       STATIC:       tensor.pad
//       STATIC:     tensor.extract_slice {{.*}} to tensor<1x1x?x8xf32>

// CHECK-LABEL: func @causal_lq_lt_lk
//   CHECK-NOT:   tensor<1x2x6x10xf32>
//       CHECK:   scf.forall (%[[H:.+]], %[[I:.+]]) = (0, 0) to (2, 6) step (1, 4)
//       CHECK:     %[[MASKED_LO:.+]]:3 = scf.for {{.*}} iter_args({{.*}}) -> (tensor<1x1x?xf32>, tensor<1x1x?xf32>, tensor<1x1x?x8xf32>)
//       CHECK:       arith.cmpi sle
//       CHECK:       arith.select
//       CHECK:       scf.yield
//       CHECK:     %[[UNMASKED:.+]]:3 = scf.for {{.*}} iter_args(%{{.+}} = %[[MASKED_LO]]#0, %{{.+}} = %[[MASKED_LO]]#1, %{{.+}} = %[[MASKED_LO]]#2)
//   CHECK-NOT:       arith.cmpi
//       CHECK:       math.exp
//       CHECK:       scf.yield
//       CHECK:     %[[MASKED_HI:.+]]:3 = scf.for {{.*}} iter_args(%{{.+}} = %[[UNMASKED]]#0, %{{.+}} = %[[UNMASKED]]#1, %{{.+}} = %[[UNMASKED]]#2)
//       CHECK:       arith.cmpi sle
//       CHECK:       scf.yield
//       CHECK:     arith.divf
//       CHECK:     tensor.parallel_insert_slice
func.func @causal_lq_lt_lk(%q: tensor<1x2x6x8xf32>, %k: tensor<1x2x10x8xf32>,
                           %v: tensor<1x2x10x8xf32>) -> tensor<1x2x6x8xf32> {
  // expected-remark @below {{attn-tile-flash: 4x3 tiles: 1 of 8 key blocks skipped (12.5%), 4 unmasked, 3 masked}}
  %o = attn.sdpa %q, %k, %v {causal}
      : tensor<1x2x6x8xf32>, tensor<1x2x10x8xf32>, tensor<1x2x10x8xf32> -> tensor<1x2x6x8xf32>
  return %o : tensor<1x2x6x8xf32>
}

// -----

// A sliding window skips blocks on both sides.
// CHECK-LABEL: func @window_skips_both_sides
//       CHECK:   scf.forall
//       CHECK:     scf.for
//       CHECK:       arith.cmpi sge
//       CHECK:       arith.cmpi sle
func.func @window_skips_both_sides(%q: tensor<1x1x64x8xf32>, %k: tensor<1x1x64x8xf32>,
                                   %v: tensor<1x1x64x8xf32>) -> tensor<1x1x64x8xf32> {
  // expected-remark @below {{attn-tile-flash: 4x3 tiles: 290 of 352 key blocks skipped (82.4%), 11 unmasked, 51 masked}}
  %o = attn.sdpa %q, %k, %v {window = array<i64: 4, 2>}
      : tensor<1x1x64x8xf32>, tensor<1x1x64x8xf32>, tensor<1x1x64x8xf32> -> tensor<1x1x64x8xf32>
  return %o : tensor<1x1x64x8xf32>
}

// -----

// No visibility restriction: every key block is visited without masking;
// the lse is computed from the final state.
// CHECK-LABEL: func @plain_with_lse
//       CHECK:   scf.forall
//       CHECK:     scf.for
//   CHECK-NOT:       arith.cmpi
//       CHECK:       scf.yield
//       CHECK:     math.log
func.func @plain_with_lse(%q: tensor<2x2x5x8xf32>, %k: tensor<2x2x7x8xf32>, %v: tensor<2x2x7x4xf32>)
    -> (tensor<2x2x5x4xf32>, tensor<2x2x5xf32>) {
  // expected-remark @below {{attn-tile-flash: 4x3 tiles: 0 of 6 key blocks skipped (0.0%), 6 unmasked, 0 masked}}
  %o, %lse = attn.sdpa %q, %k, %v
      : tensor<2x2x5x8xf32>, tensor<2x2x7x8xf32>, tensor<2x2x7x4xf32> -> tensor<2x2x5x4xf32>, tensor<2x2x5xf32>
  return %o, %lse : tensor<2x2x5x4xf32>, tensor<2x2x5xf32>
}

// -----

// Dynamic sizes and kv_lens: the block bounds are arithmetic on the sizes and
// on kv_lens[b], decided at run time.
// CHECK-LABEL: func @dynamic_kv_lens
//       CHECK:   scf.forall
//       CHECK:     %[[LEN:.+]] = tensor.extract %{{.+}}[%{{.+}}] : tensor<1xi32>
//       CHECK:     arith.index_cast %[[LEN]]
//       CHECK:     scf.for
//       CHECK:     scf.for
//       CHECK:     scf.for
func.func @dynamic_kv_lens(%q: tensor<?x4x?x8xf16>, %k: tensor<?x2x?x8xf16>, %v: tensor<?x2x?x8xf16>,
                           %lens: tensor<?xi32>) -> tensor<?x4x?x8xf16> {
  // expected-remark @below {{attn-tile-flash: 4x3 tiles: key blocks are classified at run time (dynamic sizes, kv_lens or a tile_origin that is not constant)}}
  %o = attn.sdpa %q, %k, %v kv_lens(%lens : tensor<?xi32>) {causal}
      : tensor<?x4x?x8xf16>, tensor<?x2x?x8xf16>, tensor<?x2x?x8xf16> -> tensor<?x4x?x8xf16>
  return %o : tensor<?x4x?x8xf16>
}

// -----

// CHECK-LABEL: func @negative_no_sdpa
//       CHECK:   attn.softmax
//   CHECK-NOT:   scf.forall
func.func @negative_no_sdpa(%s: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> {
  %p = attn.softmax %s : tensor<1x1x4x4xf32>
  return %p : tensor<1x1x4x4xf32>
}

// -----

// With static blocks and an Lk the key blocks divide, every block is full:
// the masked loops slice whole blocks and nothing is padded.
// CHECK-LABEL: func @static_blocks_divisible
//       CHECK:   scf.forall
// STATIC-LABEL: func @static_blocks_divisible
//   STATIC-NOT:   tensor.pad
//       STATIC:   scf.forall
//   STATIC-NOT:     tensor.pad
//   STATIC-NOT:     tensor<1x1x?x8xf32>
//       STATIC:     return
func.func @static_blocks_divisible(%q: tensor<1x1x8x8xf32>, %k: tensor<1x1x6x8xf32>,
                                   %v: tensor<1x1x6x8xf32>) -> tensor<1x1x8x8xf32> {
  // expected-remark @below {{attn-tile-flash}}
  %o = attn.sdpa %q, %k, %v {causal}
      : tensor<1x1x8x8xf32>, tensor<1x1x6x8xf32>, tensor<1x1x6x8xf32>
      -> tensor<1x1x8x8xf32>
  return %o : tensor<1x1x8x8xf32>
}

// -----

// Key origins (ring attention over two ranks of 8 of a causal 16 x 16
// problem). The same local shapes without an origin classify as 1 of 6
// blocks skipped, 1 unmasked, 4 masked; the key origin decides instead.
// Rank 1's queries against rank 0's keys (j0 = 0, i0 = 8): every key block
// is in the past of every query, so all are unmasked.
// CHECK-LABEL: func @key_origin_past_unmasked
//       CHECK:   scf.forall
func.func @key_origin_past_unmasked(%q: tensor<1x2x8x8xf32>, %k: tensor<1x2x8x8xf32>,
                                    %v: tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32> {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  // expected-remark @below {{attn-tile-flash: 4x3 tiles: 0 of 6 key blocks skipped (0.0%), 6 unmasked, 0 masked}}
  %o = attn.sdpa %q, %k, %v tile_origin(%c0, %c0, %c8, %c16, %c0, %c16) {causal}
      : tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32> -> tensor<1x2x8x8xf32>
  return %o : tensor<1x2x8x8xf32>
}

// -----

// Rank 0's queries against rank 1's keys (j0 = 8 beyond every query
// position): every key block is skipped.
// CHECK-LABEL: func @key_origin_future_skipped
//       CHECK:   scf.forall
func.func @key_origin_future_skipped(%q: tensor<1x2x8x8xf32>, %k: tensor<1x2x8x8xf32>,
                                     %v: tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32> {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  // expected-remark @below {{attn-tile-flash: 4x3 tiles: 6 of 6 key blocks skipped (100.0%), 0 unmasked, 0 masked}}
  %o = attn.sdpa %q, %k, %v tile_origin(%c0, %c0, %c0, %c16, %c8, %c16) {causal}
      : tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32> -> tensor<1x2x8x8xf32>
  return %o : tensor<1x2x8x8xf32>
}

// -----

// A run-time key origin: the query positions i' = i0 + i + Lk_total - 16 are
// shifted by -j0 into the op's key coordinates before the block bounds are
// computed, and the masked blocks compare full-problem key indices
// (block start + j0) with i'.
// CHECK-LABEL: func @key_origin_dynamic
//  CHECK-SAME:   %[[J0:[a-zA-Z0-9_]+]]: index, %[[LK:[a-zA-Z0-9_]+]]: index
//       CHECK:   scf.forall (%{{.+}}, %[[I:.+]]) = (0, 0) to (2, 8) step (1, 4)
//       CHECK:     %[[ALIGN:.+]] = arith.subi %[[LK]], %c16
//       CHECK:     %[[POS:.+]] = arith.addi %[[I]], %[[ALIGN]]
//       CHECK:     arith.subi %[[POS]], %[[J0]]
//       CHECK:     scf.for %[[BLOCK:.+]] = %c0 to
//       CHECK:       %[[START:.+]] = arith.muli %[[BLOCK]], %c3
//       CHECK:       %[[KEY0:.+]] = arith.addi %[[START]], %[[J0]]
//       CHECK:       linalg.generic
//       CHECK:         %[[KEY:.+]] = arith.addi %{{.+}}, %[[KEY0]]
//       CHECK:         %[[DIFF:.+]] = arith.subi %[[KEY]], %{{.+}}
//       CHECK:         arith.cmpi sle, %[[DIFF]], %c0
func.func @key_origin_dynamic(%q: tensor<1x2x8x8xf32>, %k: tensor<1x2x8x8xf32>,
                              %v: tensor<1x2x8x8xf32>, %j0: index, %lk: index)
    -> tensor<1x2x8x8xf32> {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  // expected-remark @below {{attn-tile-flash: 4x3 tiles: key blocks are classified at run time (dynamic sizes, kv_lens or a tile_origin that is not constant)}}
  %o = attn.sdpa %q, %k, %v tile_origin(%c0, %c0, %c0, %c16, %j0, %lk) {causal}
      : tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32> -> tensor<1x2x8x8xf32>
  return %o : tensor<1x2x8x8xf32>
}
