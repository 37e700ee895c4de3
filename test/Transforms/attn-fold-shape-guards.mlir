// RUN: attn-opt %s --attn-fold-shape-guards --split-input-file | FileCheck %s

///----------------------------------------------------------------------------
/// IN:  what torch-mlir writes around dynamic sizes: run-time broadcast
///      guards (a generic with no inputs reading
///      src[.., select(n == 1, 0, i), ..]) and tensor.reshape to a shape
///      built by tensor.from_elements (sizes as i64 through index_cast).
/// OUT: the guard replaced by its source, the reshape by an expand_shape,
///      collapse_shape or cast — when the sizes provably agree.
/// Why: both are identities once the sizes agree, and hide the attention
///      from attn-raise-linalg; a real broadcast, or sizes the value-bounds
///      analysis cannot relate, are left alone.
///----------------------------------------------------------------------------

// CHECK-LABEL: func @guard_folds_to_source
//  CHECK-SAME:   (%[[Q:.+]]: tensor<1x4x?x8xf32>
//   CHECK-NOT:   linalg.generic
//       CHECK:   return %[[Q]]
func.func @guard_folds_to_source(%q: tensor<1x4x?x8xf32>) -> tensor<1x4x?x8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %n = tensor.dim %q, %c2 : tensor<1x4x?x8xf32>
  %e = tensor.empty(%n) : tensor<1x4x?x8xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%e : tensor<1x4x?x8xf32>) {
  ^bb0(%out: f32):
    %h = linalg.index 1 : index
    %i = linalg.index 2 : index
    %d = linalg.index 3 : index
    %one = arith.cmpi eq, %n, %c1 : index
    %k = arith.select %one, %c0, %i : index
    %x = tensor.extract %q[%c0, %h, %k, %d] : tensor<1x4x?x8xf32>
    linalg.yield %x : f32
  } -> tensor<1x4x?x8xf32>
  return %g : tensor<1x4x?x8xf32>
}

// -----

// Two guarded dimensions, the source's sizes known through the op that
// computed it (destination-style: its init's sizes).
// CHECK-LABEL: func @guard_two_dims_through_producer
//       CHECK:   %[[P:.+]] = linalg.generic
//   CHECK-NOT:   tensor.extract
//       CHECK:   return %[[P]]
func.func @guard_two_dims_through_producer(%s: tensor<1x4x?x?xf32>) -> tensor<1x4x?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %m = tensor.dim %s, %c2 : tensor<1x4x?x?xf32>
  %n = tensor.dim %s, %c3 : tensor<1x4x?x?xf32>
  %e = tensor.empty(%m, %n) : tensor<1x4x?x?xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s : tensor<1x4x?x?xf32>) outs(%e : tensor<1x4x?x?xf32>) {
  ^bb0(%in: f32, %out: f32):
    %y = math.exp %in : f32
    linalg.yield %y : f32
  } -> tensor<1x4x?x?xf32>
  %e2 = tensor.empty(%m, %n) : tensor<1x4x?x?xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%e2 : tensor<1x4x?x?xf32>) {
  ^bb0(%out: f32):
    %h = linalg.index 1 : index
    %i = linalg.index 2 : index
    %j = linalg.index 3 : index
    %mi = arith.cmpi eq, %m, %c1 : index
    %ki = arith.select %mi, %c0, %i : index
    %nj = arith.cmpi eq, %c1, %n : index
    %kj = arith.select %nj, %c0, %j : index
    %x = tensor.extract %p[%c0, %h, %ki, %kj] : tensor<1x4x?x?xf32>
    linalg.yield %x : f32
  } -> tensor<1x4x?x?xf32>
  return %g : tensor<1x4x?x?xf32>
}

// -----

// torch's repeat of the K/V heads for grouped-query attention: a unit
// dimension read at 0 into 4 (a real broadcast) next to a guarded length.
// The guard becomes a plain broadcast generic, the form static exports have.
// CHECK: #[[$BCAST:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, 0, d3, d4)>
// CHECK-LABEL: func @guard_with_broadcast_of_unit_dim
//  CHECK-SAME:   (%[[K:.+]]: tensor<1x2x1x?x8xf32>
//       CHECK:   linalg.generic {indexing_maps = [#[[$BCAST]], #{{.+}}]
//  CHECK-SAME:     ins(%[[K]] : tensor<1x2x1x?x8xf32>)
//   CHECK-NOT:   tensor.extract
func.func @guard_with_broadcast_of_unit_dim(%k: tensor<1x2x1x?x8xf32>) -> tensor<1x2x4x?x8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %n = tensor.dim %k, %c3 : tensor<1x2x1x?x8xf32>
  %e = tensor.empty(%n) : tensor<1x2x4x?x8xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} outs(%e : tensor<1x2x4x?x8xf32>) {
  ^bb0(%out: f32):
    %h = linalg.index 1 : index
    %i = linalg.index 3 : index
    %d = linalg.index 4 : index
    %one = arith.cmpi eq, %n, %c1 : index
    %j = arith.select %one, %c0, %i : index
    %x = tensor.extract %k[%c0, %h, %c0, %j, %d] : tensor<1x2x1x?x8xf32>
    linalg.yield %x : f32
  } -> tensor<1x2x4x?x8xf32>
  return %g : tensor<1x2x4x?x8xf32>
}

// -----

// The same repeat with the unit group dimension inserted by an
// expand_shape, as torch-mlir writes it: the broadcast reads the 4-D K/V
// heads directly (what attn-raise-linalg indexes as grouped-query K/V).
// CHECK: #[[$HEADS:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d3, d4)>
// CHECK-LABEL: func @guard_broadcast_through_expand
//  CHECK-SAME:   (%[[K:.+]]: tensor<1x2x?x8xf32>
//       CHECK:   linalg.generic {indexing_maps = [#[[$HEADS]], #{{.+}}]
//  CHECK-SAME:     ins(%[[K]] : tensor<1x2x?x8xf32>)
func.func @guard_broadcast_through_expand(%k: tensor<1x2x?x8xf32>) -> tensor<1x2x4x?x8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %n = tensor.dim %k, %c2 : tensor<1x2x?x8xf32>
  %k5 = tensor.expand_shape %k [[0], [1], [2, 3], [4]] output_shape [1, 2, 1, %n, 8] : tensor<1x2x?x8xf32> into tensor<1x2x1x?x8xf32>
  %e = tensor.empty(%n) : tensor<1x2x4x?x8xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} outs(%e : tensor<1x2x4x?x8xf32>) {
  ^bb0(%out: f32):
    %h = linalg.index 1 : index
    %i = linalg.index 3 : index
    %d = linalg.index 4 : index
    %one = arith.cmpi eq, %n, %c1 : index
    %j = arith.select %one, %c0, %i : index
    %x = tensor.extract %k5[%c0, %h, %c0, %j, %d] : tensor<1x2x1x?x8xf32>
    linalg.yield %x : f32
  } -> tensor<1x2x4x?x8xf32>
  return %g : tensor<1x2x4x?x8xf32>
}

// -----

// A guard whose test folds (1 == 1): every row reads row 0 of the one-row
// source, a broadcast generic.
// CHECK: #[[$ROWS:.+]] = affine_map<(d0, d1, d2) -> (d0, 0, d2)>
// CHECK-LABEL: func @guard_always_broadcasts
//       CHECK:   linalg.generic {indexing_maps = [#[[$ROWS]], #{{.+}}]
//   CHECK-NOT:   tensor.extract
func.func @guard_always_broadcasts(%q: tensor<1x1x8xf32>, %n: index) -> tensor<1x?x8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %e = tensor.empty(%n) : tensor<1x?x8xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} outs(%e : tensor<1x?x8xf32>) {
  ^bb0(%out: f32):
    %i = linalg.index 1 : index
    %d = linalg.index 2 : index
    %one = arith.cmpi eq, %c1, %c1 : index
    %k = arith.select %one, %c0, %i : index
    %x = tensor.extract %q[%c0, %k, %d] : tensor<1x1x8xf32>
    linalg.yield %x : f32
  } -> tensor<1x?x8xf32>
  return %g : tensor<1x?x8xf32>
}

// -----

// The source's length %m and the result's %n are unrelated function
// arguments: the guard may broadcast at run time. Left alone.
// CHECK-LABEL: func @negative_guard_unrelated_sizes
//       CHECK:   linalg.generic
//       CHECK:     tensor.extract
func.func @negative_guard_unrelated_sizes(%q: tensor<?x8xf32>, %n: index) -> tensor<?x8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = tensor.dim %q, %c0 : tensor<?x8xf32>
  %e = tensor.empty(%n) : tensor<?x8xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%e : tensor<?x8xf32>) {
  ^bb0(%out: f32):
    %i = linalg.index 0 : index
    %d = linalg.index 1 : index
    %one = arith.cmpi eq, %m, %c1 : index
    %k = arith.select %one, %c0, %i : index
    %x = tensor.extract %q[%k, %d] : tensor<?x8xf32>
    linalg.yield %x : f32
  } -> tensor<?x8xf32>
  return %g : tensor<?x8xf32>
}

// -----

// The guard tests a size that is not the dimension's: not an identity.
// CHECK-LABEL: func @negative_guard_tests_other_size
//       CHECK:   linalg.generic
//       CHECK:     tensor.extract
func.func @negative_guard_tests_other_size(%q: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = tensor.dim %q, %c0 : tensor<?x?xf32>
  %n = tensor.dim %q, %c1 : tensor<?x?xf32>
  %e = tensor.empty(%m, %n) : tensor<?x?xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%e : tensor<?x?xf32>) {
  ^bb0(%out: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %one = arith.cmpi eq, %n, %c1 : index
    %k = arith.select %one, %c0, %i : index
    %x = tensor.extract %q[%k, %j] : tensor<?x?xf32>
    linalg.yield %x : f32
  } -> tensor<?x?xf32>
  return %g : tensor<?x?xf32>
}

// -----

// torch-mlir's view of [B·H, L, L] scores as [B, H, L, L], the sizes i64
// through index_cast; the scores' lengths are known through the op that
// computed them.
// CHECK-LABEL: func @reshape_to_expand_shape
//  CHECK-SAME:   (%[[N:[^:]+]]: index
//       CHECK:   %[[S:.+]] = linalg.fill
//       CHECK:   tensor.expand_shape %[[S]] {{\[}}[0, 1], [2], [3]] output_shape [1, 4, %[[N]], %[[N]]]
//   CHECK-NOT:   tensor.reshape
func.func @reshape_to_expand_shape(%n: index) -> tensor<1x4x?x?xf32> {
  %cst = arith.constant 0.0 : f32
  %c1_i64 = arith.constant 1 : i64
  %c4_i64 = arith.constant 4 : i64
  %e = tensor.empty(%n, %n) : tensor<4x?x?xf32>
  %s = linalg.fill ins(%cst : f32) outs(%e : tensor<4x?x?xf32>) -> tensor<4x?x?xf32>
  %n64 = arith.index_cast %n : index to i64
  %shape = tensor.from_elements %c1_i64, %c4_i64, %n64, %n64 : tensor<4xi64>
  %r = tensor.reshape %s(%shape) : (tensor<4x?x?xf32>, tensor<4xi64>) -> tensor<1x4x?x?xf32>
  return %r : tensor<1x4x?x?xf32>
}

// -----

// CHECK-LABEL: func @reshape_to_collapse_shape
//       CHECK:   tensor.collapse_shape %{{.+}} {{\[}}[0, 1], [2], [3]] : tensor<1x4x?x?xf32> into tensor<4x?x?xf32>
//   CHECK-NOT:   tensor.reshape
func.func @reshape_to_collapse_shape(%n: index) -> tensor<4x?x?xf32> {
  %cst = arith.constant 0.0 : f32
  %c4_i64 = arith.constant 4 : i64
  %e = tensor.empty(%n, %n) : tensor<1x4x?x?xf32>
  %p = linalg.fill ins(%cst : f32) outs(%e : tensor<1x4x?x?xf32>) -> tensor<1x4x?x?xf32>
  %n64 = arith.index_cast %n : index to i64
  %shape = tensor.from_elements %c4_i64, %n64, %n64 : tensor<3xi64>
  %r = tensor.reshape %p(%shape) : (tensor<1x4x?x?xf32>, tensor<3xi64>) -> tensor<4x?x?xf32>
  return %r : tensor<4x?x?xf32>
}

// -----

// The second length of the scores is not provably the first: left alone
// (the reshape checks it at run time).
// CHECK-LABEL: func @negative_reshape_other_length
//       CHECK:   tensor.reshape
func.func @negative_reshape_other_length(%s: tensor<4x?x?xf32>) -> tensor<1x4x?x?xf32> {
  %c1 = arith.constant 1 : index
  %c1_i64 = arith.constant 1 : i64
  %c4_i64 = arith.constant 4 : i64
  %n = tensor.dim %s, %c1 : tensor<4x?x?xf32>
  %n64 = arith.index_cast %n : index to i64
  %shape = tensor.from_elements %c1_i64, %c4_i64, %n64, %n64 : tensor<4xi64>
  %r = tensor.reshape %s(%shape) : (tensor<4x?x?xf32>, tensor<4xi64>) -> tensor<1x4x?x?xf32>
  return %r : tensor<1x4x?x?xf32>
}

// -----

// Static groups with unit dimensions anywhere, from a constant shape.
// CHECK-LABEL: func @reshape_static_groups
//       CHECK:   tensor.expand_shape %{{.+}} {{\[}}[0, 1], [2, 3, 4]] output_shape [1, 6, 2, 1, 4]
func.func @reshape_static_groups(%x: tensor<6x8xf32>) -> tensor<1x6x2x1x4xf32> {
  %shape = arith.constant dense<[1, 6, 2, 1, 4]> : tensor<5xi64>
  %r = tensor.reshape %x(%shape) : (tensor<6x8xf32>, tensor<5xi64>) -> tensor<1x6x2x1x4xf32>
  return %r : tensor<1x6x2x1x4xf32>
}

// -----

// A length that is a function argument, not provably the source's: left
// alone (the reshape checks it at run time).
// CHECK-LABEL: func @negative_reshape_unrelated_size
//       CHECK:   tensor.reshape
func.func @negative_reshape_unrelated_size(%s: tensor<4x?xf32>, %n: i64) -> tensor<1x4x?xf32> {
  %c1_i64 = arith.constant 1 : i64
  %c4_i64 = arith.constant 4 : i64
  %shape = tensor.from_elements %c1_i64, %c4_i64, %n : tensor<3xi64>
  %r = tensor.reshape %s(%shape) : (tensor<4x?xf32>, tensor<3xi64>) -> tensor<1x4x?xf32>
  return %r : tensor<1x4x?xf32>
}

// -----

// Sizes that regroup across dimensions (6x4 as 4x6): not an expand or a
// collapse. Left alone.
// CHECK-LABEL: func @negative_reshape_regroups
//       CHECK:   tensor.reshape
func.func @negative_reshape_regroups(%x: tensor<6x4xf32>) -> tensor<4x6xf32> {
  %shape = arith.constant dense<[4, 6]> : tensor<2xi64>
  %r = tensor.reshape %x(%shape) : (tensor<6x4xf32>, tensor<2xi64>) -> tensor<4x6xf32>
  return %r : tensor<4x6xf32>
}

// -----

// A shape that is a function argument: nothing to read. Left alone.
// CHECK-LABEL: func @negative_reshape_shape_argument
//       CHECK:   tensor.reshape
func.func @negative_reshape_shape_argument(%x: tensor<6x4xf32>, %shape: tensor<3xi64>) -> tensor<?x?x?xf32> {
  %r = tensor.reshape %x(%shape) : (tensor<6x4xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  return %r : tensor<?x?x?xf32>
}
