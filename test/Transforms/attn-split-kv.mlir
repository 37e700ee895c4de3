// RUN: attn-opt %s --attn-split-kv="num-splits=3 tile-kv=4" --canonicalize --cse --split-input-file | FileCheck %s
// RUN: attn-opt %s --attn-split-kv="tile-kv=8" --canonicalize --split-input-file | FileCheck %s --check-prefix=AUTO
// RUN: attn-opt %s --attn-split-kv="num-splits=3 tile-kv=4 static-blocks=true" --canonicalize --cse --split-input-file | FileCheck %s --check-prefix=STATIC

///----------------------------------------------------------------------------
/// IN:  attn.sdpa, typically decoding (Lq small, Lk long).
/// OUT: an scf.forall over num-splits key partitions, each an online-softmax
///      loop over its keys producing a partial output [S, B, H, Lq, Dv] and
///      lse [S, B, H, Lq]; then reductions over S combine them with the
///      log-sum-exp rule (max, weighted sum, normalise).
/// Why: flash-decoding parallelises over keys when there are too few
///      queries to parallelise over.
///----------------------------------------------------------------------------

// CHECK-LABEL: func @decode_gqa
//       CHECK:   %[[PARTS:.+]]:2 = scf.forall (%[[S:.+]]) in (3) shared_outs(%{{.+}} = %{{.+}}, %{{.+}} = %{{.+}}) -> (tensor<3x1x8x1x16xf32>, tensor<3x1x8x1xf32>)
//       CHECK:     arith.muli %[[S]]
//       CHECK:     scf.for
//       CHECK:       math.exp
//       CHECK:     scf.forall.in_parallel
//       CHECK:       tensor.parallel_insert_slice {{.*}}[%[[S]], 0, 0, 0, 0] [1, 1, 8, 1, 16]
//       CHECK:       tensor.parallel_insert_slice {{.*}}[%[[S]], 0, 0, 0] [1, 1, 8, 1]
//       CHECK:   %[[MAX:.+]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]{{.*}}ins(%[[PARTS]]#1
//       CHECK:     arith.maximumf
//       CHECK:   linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]{{.*}}ins(%[[PARTS]]#0, %[[PARTS]]#1
//       CHECK:     math.exp
//       CHECK:   arith.divf
//   CHECK-NOT:   attn.sdpa
func.func @decode_gqa(%q: tensor<1x8x1x16xf16>, %k: tensor<1x2x50x16xf16>, %v: tensor<1x2x50x16xf16>)
    -> tensor<1x8x1x16xf16> {
  %o = attn.sdpa %q, %k, %v {causal}
      : tensor<1x8x1x16xf16>, tensor<1x2x50x16xf16>, tensor<1x2x50x16xf16> -> tensor<1x8x1x16xf16>
  return %o : tensor<1x8x1x16xf16>
}

// With static-blocks each partition is whole blocks (ceil(50 / 3) = 17 keys
// rounded up to 20), the unmasked blocks are static slices of 4 keys and only
// the masked loops pad a partial block (Lk = 50 is not a multiple of 4).
// STATIC-LABEL: func @decode_gqa
//       STATIC:   scf.forall
//       STATIC:     arith.muli %{{.+}}, %c20
//       STATIC:     scf.for
//       STATIC:       tensor.pad
//       STATIC:     scf.for
//   STATIC-NOT:       tensor.pad
//       STATIC:       tensor.extract_slice {{.*}} to tensor<1x2x4x16xf16>
//       STATIC:     scf.for
//       STATIC:       tensor.pad
// STATIC-LABEL: func @dynamic_lse

// AUTO-LABEL: func @decode_gqa
// With num-splits=0, Lk = 50 and tile-kv = 8: one partition per 4 blocks.
//       AUTO:   scf.forall (%{{.+}}) in (2)

// -----

// Dynamic key length: the partition bounds are computed at run time.
// CHECK-LABEL: func @dynamic_lse
//       CHECK:   tensor.dim %{{.+}}, %{{.+}} : tensor<?x4x?x8xf32>
//       CHECK:   arith.ceildivsi
//       CHECK:   scf.forall (%{{.+}}) in (3)
//       CHECK:   math.log
// AUTO-LABEL: func @dynamic_lse
//       AUTO:   scf.forall (%{{.+}}) in (4)
func.func @dynamic_lse(%q: tensor<?x4x?x8xf32>, %k: tensor<?x4x?x8xf32>, %v: tensor<?x4x?x8xf32>)
    -> (tensor<?x4x?x8xf32>, tensor<?x4x?xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v
      : tensor<?x4x?x8xf32>, tensor<?x4x?x8xf32>, tensor<?x4x?x8xf32> -> tensor<?x4x?x8xf32>, tensor<?x4x?xf32>
  return %o, %lse : tensor<?x4x?x8xf32>, tensor<?x4x?xf32>
}

// -----

// A key origin (one rank's keys in ring attention, decoded in partitions):
// each partition shifts the aligned query position and the kv_lens bound by
// -j0 into the op's key coordinates to classify its blocks, and its masked
// blocks compare full-problem key indices (block start + j0).
// CHECK-LABEL: func @decode_key_origin
//  CHECK-SAME:   %[[I0:[a-zA-Z0-9_]+]]: index, %[[LQ:[a-zA-Z0-9_]+]]: index, %[[J0:[a-zA-Z0-9_]+]]: index, %[[LK:[a-zA-Z0-9_]+]]: index
//       CHECK:   scf.forall (%{{.+}}) in (3)
//       CHECK:     %[[ALIGN:.+]] = arith.subi %[[LK]], %[[LQ]]
//       CHECK:     %[[POS:.+]] = arith.addi %[[I0]], %[[ALIGN]]
//       CHECK:     arith.subi %[[POS]], %[[J0]]
//       CHECK:     %[[LEN:.+]] = arith.index_cast %{{.+}} : i32 to index
//       CHECK:     arith.subi %[[LEN]], %[[J0]]
//       CHECK:     scf.for
//       CHECK:       %[[KEY0:.+]] = arith.addi %{{.+}}, %[[J0]]
//       CHECK:       linalg.generic
//       CHECK:         arith.addi %{{.+}}, %[[KEY0]]
//       CHECK:         arith.cmpi sle
func.func @decode_key_origin(%q: tensor<1x4x1x8xf32>, %k: tensor<1x2x20x8xf32>,
                             %v: tensor<1x2x20x8xf32>, %lens: tensor<1xi32>,
                             %i0: index, %lq: index, %j0: index, %lk: index)
    -> tensor<1x4x1x8xf32> {
  %c0 = arith.constant 0 : index
  %o = attn.sdpa %q, %k, %v kv_lens(%lens : tensor<1xi32>)
      tile_origin(%c0, %c0, %i0, %lq, %j0, %lk) {causal}
      : tensor<1x4x1x8xf32>, tensor<1x2x20x8xf32>, tensor<1x2x20x8xf32> -> tensor<1x4x1x8xf32>
  return %o : tensor<1x4x1x8xf32>
}

// -----

// CHECK-LABEL: func @negative_no_sdpa
//       CHECK:   attn.context
//   CHECK-NOT:   scf.forall
func.func @negative_no_sdpa(%p: tensor<1x1x4x4xf32>, %v: tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32> {
  %o = attn.context %p, %v : tensor<1x1x4x4xf32>, tensor<1x1x4x8xf32> -> tensor<1x1x4x8xf32>
  return %o : tensor<1x1x4x8xf32>
}
