// RUN: attn-opt %s --resolve-ranked-shaped-type-result-dims --canonicalize --cse | FileCheck %s

/// attn.sdpa reifies its result shapes (ReifyRankedShapedTypeOpInterface):
/// the dynamic sizes of `out` and `lse` are those of the query, so a
/// tensor.dim of a result no longer needs the op to run.

// CHECK-LABEL: func @reify_out_and_lse
//  CHECK-SAME:   %[[Q:[a-zA-Z0-9]+]]: tensor<?x4x?x8xf32>
//   CHECK-DAG:   %[[C0:.+]] = arith.constant 0 : index
//   CHECK-DAG:   %[[C2:.+]] = arith.constant 2 : index
//   CHECK-DAG:   %[[B:.+]] = tensor.dim %[[Q]], %[[C0]]
//   CHECK-DAG:   %[[LQ:.+]] = tensor.dim %[[Q]], %[[C2]]
//       CHECK:   return %[[B]], %[[LQ]], %[[LQ]]
func.func @reify_out_and_lse(%q: tensor<?x4x?x8xf32>, %k: tensor<?x2x?x8xf32>,
                             %v: tensor<?x2x?x16xf32>) -> (index, index, index) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %o, %lse = attn.sdpa %q, %k, %v
      : tensor<?x4x?x8xf32>, tensor<?x2x?x8xf32>, tensor<?x2x?x16xf32>
      -> tensor<?x4x?x16xf32>, tensor<?x4x?xf32>
  %b = tensor.dim %o, %c0 : tensor<?x4x?x16xf32>
  %lq = tensor.dim %o, %c2 : tensor<?x4x?x16xf32>
  %lq2 = tensor.dim %lse, %c2 : tensor<?x4x?xf32>
  return %b, %lq, %lq2 : index, index, index
}
