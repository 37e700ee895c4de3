// RUN: attn-opt %s --canonicalize="test-convergence" --split-input-file | FileCheck %s

// The attn ops have no folders or canonicalization patterns yet. What the
// canonicalizer does with them follows from their traits: every op is Pure, so
// a dead one is erased and a live one is kept as it is.

// CHECK-LABEL: func @dead_step_ops_are_erased
//  CHECK-NEXT:   return
func.func @dead_step_ops_are_erased(%x: tensor<1x5x16xf32>,
                                    %w: tensor<16x16xf32>,
                                    %b: tensor<16xf32>) {
  %q = attn.linear %x, %w, %b : tensor<1x5x16xf32>, tensor<16x16xf32>,
      tensor<16xf32> -> tensor<1x5x16xf32>
  %qh = attn.split_heads %q : tensor<1x5x16xf32> -> tensor<1x2x5x8xf32>
  %s = attn.scores %qh, %qh : tensor<1x2x5x8xf32>, tensor<1x2x5x8xf32>
      -> tensor<1x2x5x5xf32>
  %m = attn.mask %s {causal} : tensor<1x2x5x5xf32> -> tensor<1x2x5x5xf32>
  %p = attn.softmax %m : tensor<1x2x5x5xf32>
  %o = attn.context %p, %qh : tensor<1x2x5x5xf32>, tensor<1x2x5x8xf32>
      -> tensor<1x2x5x8xf32>
  %y = attn.merge_heads %o : tensor<1x2x5x8xf32> -> tensor<1x5x16xf32>
  return
}

// -----

// CHECK-LABEL: func @dead_mha_is_erased
//  CHECK-NEXT:   return
func.func @dead_mha_is_erased(%x: tensor<1x5x16xf32>, %w: tensor<16x16xf32>) {
  %0 = attn.mha %x, %w, %w, %w, %w {num_heads = 2 : i64, causal}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
        tensor<16x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return
}

// -----

// The score_mod region does not make attn.sdpa impure: it is verified to be
// free of side effects.
// CHECK-LABEL: func @dead_sdpa_is_erased
//  CHECK-NEXT:   return
func.func @dead_sdpa_is_erased(%q: tensor<1x4x16x32xf32>) {
  %0:2 = attn.sdpa %q, %q, %q {causal} score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %c = arith.constant 2.0 : f32
    %r = arith.mulf %s, %c : f32
    attn.yield %r : f32
  } : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>, tensor<1x4x16xf32>
  return
}

// -----

// Only the unused result of the chain goes; the used ops stay with their
// operands and attributes.
// CHECK-LABEL: func @live_ops_are_kept
//  CHECK-SAME:   %[[S:[a-zA-Z0-9_]+]]: tensor<1x2x5x5xf32>
//  CHECK-SAME:   %[[V:[a-zA-Z0-9_]+]]: tensor<1x2x5x8xf32>
//   CHECK-NOT:   attn.mask
//       CHECK:   %[[P:.+]] = attn.softmax %[[S]] : tensor<1x2x5x5xf32>
//  CHECK-NEXT:   %[[O:.+]] = attn.context %[[P]], %[[V]]
//  CHECK-NEXT:   return %[[O]]
func.func @live_ops_are_kept(%s: tensor<1x2x5x5xf32>, %v: tensor<1x2x5x8xf32>)
    -> tensor<1x2x5x8xf32> {
  %unused = attn.mask %s {causal} : tensor<1x2x5x5xf32> -> tensor<1x2x5x5xf32>
  %p = attn.softmax %s : tensor<1x2x5x5xf32>
  %o = attn.context %p, %v : tensor<1x2x5x5xf32>, tensor<1x2x5x8xf32>
      -> tensor<1x2x5x8xf32>
  return %o : tensor<1x2x5x8xf32>
}

// -----

// A live sdpa keeps its attributes and its score_mod region. A constant of
// the region stays in the region, even when an equal constant exists outside
// it: attn.sdpa is IsolatedFromAbove, so the folder neither hoists nor shares
// it (a hoisted constant would be a captured value, which C12 forbids).
// CHECK-LABEL: func @live_sdpa_is_kept
//       CHECK:   %[[OUTER:.+]] = arith.constant 2.000000e+00 : f32
//       CHECK:   %[[OUT:.+]], %[[LSE:.+]] = attn.sdpa %{{.*}} {causal, scale = 1.250000e-01 : f32} score_mod {
//  CHECK-NEXT:   ^bb0(%[[S:.+]]: f32, %{{.+}}: index, %{{.+}}: index, %{{.+}}: index, %{{.+}}: index):
//  CHECK-NEXT:     %[[C:.+]] = arith.constant 2.000000e+00 : f32
//  CHECK-NEXT:     %[[R:.+]] = arith.mulf %[[S]], %[[C]] : f32
//  CHECK-NEXT:     attn.yield %[[R]] : f32
//  CHECK-NEXT:   } : {{.*}} -> tensor<1x4x16x32xf32>, tensor<1x4x16xf32>
//  CHECK-NEXT:   return %[[OUT]], %[[LSE]], %[[OUTER]]
func.func @live_sdpa_is_kept(%q: tensor<1x4x16x32xf32>)
    -> (tensor<1x4x16x32xf32>, tensor<1x4x16xf32>, f32) {
  %two = arith.constant 2.0 : f32
  %out, %lse = attn.sdpa %q, %q, %q {causal, scale = 0.125 : f32} score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %c = arith.constant 2.0 : f32
    %r = arith.mulf %s, %c : f32
    attn.yield %r : f32
  } : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>, tensor<1x4x16xf32>
  return %out, %lse, %two : tensor<1x4x16x32xf32>, tensor<1x4x16xf32>, f32
}
