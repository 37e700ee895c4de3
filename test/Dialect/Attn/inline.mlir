// RUN: attn-opt %s --inline | FileCheck %s

/// attn ops are pure and self-contained (score_mod is isolated from above),
/// so calls to functions holding them inline, regions included.

// CHECK-LABEL: func @caller
//   CHECK-NOT:   call
//       CHECK:   attn.sdpa {{.*}} score_mod
//       CHECK:     attn.yield
func.func private @callee(%q: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %o = attn.sdpa %q, %q, %q score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    attn.yield %s : f32
  } : tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32> -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

func.func @caller(%q: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %o = func.call @callee(%q) : (tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}
