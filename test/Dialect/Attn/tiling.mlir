// RUN: attn-opt %s --transform-interpreter --split-input-file --verify-diagnostics | FileCheck %s

/// attn.sdpa implements TilingInterface over (B, Hq, Lq, Dv), so upstream
/// transform.structured.tile_using_forall / tile_using_for tile it. Each
/// tile slices Q (and the K/V heads its query heads read), keeps all keys,
/// and records its origin in the full problem with tile_origin so causal
/// alignment and score_mod indices are unchanged.

// CHECK-DAG: #[[$KV_HEAD:.+]] = affine_map<()[s0] -> (s0 floordiv 4)>
// CHECK-LABEL: func @tile_forall_gqa_causal
//  CHECK-SAME:   %[[Q:[a-zA-Z0-9]+]]: tensor<2x8x13x16xf32>, %[[K:[a-zA-Z0-9]+]]: tensor<2x2x21x16xf32>, %[[V:[a-zA-Z0-9]+]]: tensor<2x2x21x16xf32>, %[[M:[a-zA-Z0-9]+]]: tensor<2x1x13x21xi1>
//       CHECK:   scf.forall (%[[B:.+]], %[[H:.+]], %[[I:.+]]) in (2, 8, 3)
//       CHECK:     %[[I0:.+]] = affine.apply
//       CHECK:     %[[TQ:.+]] = affine.min
//       CHECK:     %[[KVH:.+]] = affine.apply #[[$KV_HEAD]]()[%[[H]]]
//       CHECK:     %[[QT:.+]] = tensor.extract_slice %[[Q]][%[[B]], %[[H]], %[[I0]], 0] [1, 1, %[[TQ]], 16]
//       CHECK:     %[[KT:.+]] = tensor.extract_slice %[[K]][%[[B]], %[[KVH]], 0, 0] [1, 1, 21, 16]
//       CHECK:     %[[VT:.+]] = tensor.extract_slice %[[V]][%[[B]], %[[KVH]], 0, 0] [1, 1, 21, 16]
//       CHECK:     %[[MT:.+]] = tensor.extract_slice %[[M]][%[[B]], 0, %[[I0]], 0] [1, 1, %[[TQ]], 21]
//       CHECK:     %[[LQ:.+]] = tensor.dim %[[Q]]
//       CHECK:     %[[OUT:.+]], %[[LSE:.+]] = attn.sdpa %[[QT]], %[[KT]], %[[VT]] mask(%[[MT]] : tensor<1x1x?x21xi1>) tile_origin(%[[B]], %[[H]], %[[I0]], %[[LQ]]) {causal}
//  CHECK-SAME:       -> tensor<1x1x?x16xf32>, tensor<1x1x?xf32>
//       CHECK:     scf.forall.in_parallel
//       CHECK:       tensor.parallel_insert_slice %[[OUT]]
//       CHECK:       tensor.parallel_insert_slice %[[LSE]]
func.func @tile_forall_gqa_causal(%q: tensor<2x8x13x16xf32>, %k: tensor<2x2x21x16xf32>,
                                  %v: tensor<2x2x21x16xf32>, %m: tensor<2x1x13x21xi1>)
    -> (tensor<2x8x13x16xf32>, tensor<2x8x13xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v mask(%m : tensor<2x1x13x21xi1>) {causal}
      : tensor<2x8x13x16xf32>, tensor<2x2x21x16xf32>, tensor<2x2x21x16xf32>
      -> tensor<2x8x13x16xf32>, tensor<2x8x13xf32>
  return %o, %lse : tensor<2x8x13x16xf32>, tensor<2x8x13xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %sdpa = transform.structured.match ops{["attn.sdpa"]} in %root : (!transform.any_op) -> !transform.any_op
    %tiled, %loop = transform.structured.tile_using_forall %sdpa tile_sizes [1, 1, 5, 0]
        : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// Tiling an already tiled op composes the origins; tile_using_for works too,
// and whole GQA groups of query heads read their K/V heads together.
// CHECK-LABEL: func @tile_for_dynamic_groups
//       CHECK:   scf.for %[[H:[a-zA-Z0-9_]+]] =
//       CHECK:     scf.for %[[I:[a-zA-Z0-9_]+]] =
//       CHECK:       tensor.extract_slice %{{.+}}[0, %{{.+}}, 0, 0] [%{{.+}}, 2, %{{.+}}, 8]
//       CHECK:       attn.sdpa {{.*}} tile_origin(%{{.+}}, %[[H]], %[[I]], %{{.+}})
//  CHECK-SAME:         : tensor<?x4x?x8xf32>, tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32> -> tensor<?x4x?x8xf32>
func.func @tile_for_dynamic_groups(%q: tensor<?x8x?x8xf32>, %k: tensor<?x4x?x8xf32>,
                                   %v: tensor<?x4x?x8xf32>) -> tensor<?x8x?x8xf32> {
  %o = attn.sdpa %q, %k, %v {causal}
      : tensor<?x8x?x8xf32>, tensor<?x4x?x8xf32>, tensor<?x4x?x8xf32> -> tensor<?x8x?x8xf32>
  return %o : tensor<?x8x?x8xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %sdpa = transform.structured.match ops{["attn.sdpa"]} in %root : (!transform.any_op) -> !transform.any_op
    %tiled, %l1, %l2 = transform.structured.tile_using_for %sdpa tile_sizes [0, 4, 7, 0]
        : (!transform.any_op) -> (!transform.any_op, !transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

func.func @negative_head_tile_splits_groups(%q: tensor<1x12x4x8xf32>, %k: tensor<1x3x4x8xf32>,
                                            %v: tensor<1x3x4x8xf32>) -> tensor<1x12x4x8xf32> {
  // expected-error @below {{cannot be tiled with 6 query heads per tile: the tile must cover whole groups of 4 query heads or divide one}}
  // expected-error @below {{faild to tile operation}}
  // expected-error @below {{failed to generate tiling loops}}
  // expected-note @below {{when applied to this op}}
  %o = attn.sdpa %q, %k, %v
      : tensor<1x12x4x8xf32>, tensor<1x3x4x8xf32>, tensor<1x3x4x8xf32> -> tensor<1x12x4x8xf32>
  return %o : tensor<1x12x4x8xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %sdpa = transform.structured.match ops{["attn.sdpa"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{failed to apply}}
    %tiled, %loop = transform.structured.tile_using_forall %sdpa tile_sizes [0, 6, 0, 0]
        : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// Limitation: tiling the value head dimension is not supported when the lse
// result is present (lse has no value-head dimension, so every value tile
// would produce all of it). The user gets the errors below.
func.func @unsupported_value_tile_with_lse(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>,
                                        %v: tensor<1x2x4x8xf32>) -> (tensor<1x2x4x8xf32>, tensor<1x2x4xf32>) {
  // expected-error @below {{cannot tile the value head dimension when the lse result is present}}
  // expected-error @below {{faild to tile operation}}
  // expected-error @below {{failed to generate tiling loops}}
  // expected-note @below {{when applied to this op}}
  %o, %lse = attn.sdpa %q, %k, %v
      : tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32> -> tensor<1x2x4x8xf32>, tensor<1x2x4xf32>
  return %o, %lse : tensor<1x2x4x8xf32>, tensor<1x2x4xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %sdpa = transform.structured.match ops{["attn.sdpa"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{failed to apply}}
    %tiled, %loop = transform.structured.tile_using_forall %sdpa tile_sizes [0, 0, 0, 4]
        : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// A block of keys placed by a six-operand tile_origin: every tile keeps all
// of the op's keys, so it keeps j0 and Lk_total and composes the query part.
// CHECK-LABEL: func @tile_forall_key_origin
//  CHECK-SAME:   %[[I0:[a-zA-Z0-9_]+]]: index, %[[LQ:[a-zA-Z0-9_]+]]: index, %[[J0:[a-zA-Z0-9_]+]]: index, %[[LK:[a-zA-Z0-9_]+]]: index
//       CHECK:   scf.forall (%[[B:.+]], %[[H:.+]], %[[I:.+]]) in (1, 2, 2)
//       CHECK:     %[[OFF:.+]] = affine.apply #{{.+}}(%[[I]])
//       CHECK:     %[[TI0:.+]] = affine.apply #{{.+}}()[%[[I0]], %[[OFF]]]
//       CHECK:     attn.sdpa {{.*}} tile_origin(%[[B]], %[[H]], %[[TI0]], %[[LQ]], %[[J0]], %[[LK]]) {causal}
//  CHECK-SAME:       : tensor<1x1x4x8xf32>, tensor<1x1x6x8xf32>, tensor<1x1x6x8xf32> -> tensor<1x1x4x8xf32>
func.func @tile_forall_key_origin(%q: tensor<1x2x8x8xf32>, %k: tensor<1x2x6x8xf32>,
                                  %v: tensor<1x2x6x8xf32>, %i0: index, %lq: index,
                                  %j0: index, %lk: index) -> tensor<1x2x8x8xf32> {
  %c0 = arith.constant 0 : index
  %o = attn.sdpa %q, %k, %v tile_origin(%c0, %c0, %i0, %lq, %j0, %lk) {causal}
      : tensor<1x2x8x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32> -> tensor<1x2x8x8xf32>
  return %o : tensor<1x2x8x8xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %sdpa = transform.structured.match ops{["attn.sdpa"]} in %root : (!transform.any_op) -> !transform.any_op
    %tiled, %loop = transform.structured.tile_using_forall %sdpa tile_sizes [1, 1, 4, 0]
        : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}
