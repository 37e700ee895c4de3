// RUN: attn-opt %s --transform-interpreter --split-input-file --verify-diagnostics | FileCheck %s

/// transform.attn.tile_flash and transform.attn.split_kv script the
/// strategies of attn-tile-flash and attn-split-kv on handles; they return
/// the scf.forall they create, which further transforms can target.

// CHECK-LABEL: func @scripted_flash
//       CHECK:   scf.forall {{.*}} step (1, 1, 3)
//       CHECK:     scf.for
//       CHECK:   } {tiled_by_script}
//   CHECK-NOT:   = attn.sdpa
func.func @scripted_flash(%q: tensor<1x2x7x8xf32>, %k: tensor<1x2x9x8xf32>,
                          %v: tensor<1x2x9x8xf32>) -> tensor<1x2x7x8xf32> {
  %o = attn.sdpa %q, %k, %v {causal}
      : tensor<1x2x7x8xf32>, tensor<1x2x9x8xf32>, tensor<1x2x9x8xf32> -> tensor<1x2x7x8xf32>
  return %o : tensor<1x2x7x8xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %sdpa = transform.structured.match ops{["attn.sdpa"]} in %root : (!transform.any_op) -> !transform.any_op
    %loop = transform.attn.tile_flash %sdpa {tile_q = 3, tile_kv = 4} : (!transform.any_op) -> !transform.any_op
    %p = transform.param.constant unit -> !transform.any_param
    transform.annotate %loop "tiled_by_script" = %p : !transform.any_op, !transform.any_param
    transform.yield
  }
}

// -----

// CHECK-LABEL: func @scripted_split_kv
//       CHECK:   scf.forall (%{{.+}}) in (3)
//       CHECK:     scf.for
//       CHECK:   linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]
//   CHECK-NOT:   = attn.sdpa
func.func @scripted_split_kv(%q: tensor<1x4x1x8xf32>, %k: tensor<1x4x40x8xf32>,
                             %v: tensor<1x4x40x8xf32>) -> tensor<1x4x1x8xf32> {
  %o = attn.sdpa %q, %k, %v
      : tensor<1x4x1x8xf32>, tensor<1x4x40x8xf32>, tensor<1x4x40x8xf32> -> tensor<1x4x1x8xf32>
  return %o : tensor<1x4x1x8xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %sdpa = transform.structured.match ops{["attn.sdpa"]} in %root : (!transform.any_op) -> !transform.any_op
    %loop = transform.attn.split_kv %sdpa {num_splits = 3, tile_kv = 8} : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}

// -----

func.func @negative_not_sdpa(%s: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> {
  %p = attn.softmax %s : tensor<1x1x4x4xf32>
  return %p : tensor<1x1x4x4xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %op = transform.structured.match ops{["attn.softmax"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{expected an attn.sdpa target, got attn.softmax}}
    %loop = transform.attn.tile_flash %op : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}
