// RUN: attn-opt %s --transform-interpreter --split-input-file --verify-diagnostics | FileCheck %s

/// transform.attn.tile_flash and transform.attn.split_kv script the
/// strategies of attn-tile-flash and attn-split-kv on handles; they return
/// the scf.forall they create, which further transforms can target.
/// transform.attn.vectorize runs attn-vectorize on the ops nested in its
/// target. test/Pipelines/transform-reproduces-pipeline.mlir shows a script
/// giving the same IR as attn-cpu-pipeline's passes.

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

// -----

// static_blocks: partial query tiles (7 = 3 + 3 + 1 rows) and key blocks
// (9 = 4 + 4 + 1 keys) are padded to the static tile sizes.
// CHECK-LABEL: func @scripted_flash_static_blocks
//       CHECK:   scf.forall {{.*}} step (1, 1, 3)
//       CHECK:     tensor.pad
//       CHECK:     scf.for {{.*}} -> (tensor<1x1x3xf32>, tensor<1x1x3xf32>, tensor<1x1x3x8xf32>)
//       CHECK:       tensor.pad
//   CHECK-NOT:   = attn.sdpa
func.func @scripted_flash_static_blocks(%q: tensor<1x2x7x8xf32>, %k: tensor<1x2x9x8xf32>,
                                        %v: tensor<1x2x9x8xf32>) -> tensor<1x2x7x8xf32> {
  %o = attn.sdpa %q, %k, %v {causal}
      : tensor<1x2x7x8xf32>, tensor<1x2x9x8xf32>, tensor<1x2x9x8xf32> -> tensor<1x2x7x8xf32>
  return %o : tensor<1x2x7x8xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %sdpa = transform.structured.match ops{["attn.sdpa"]} in %root : (!transform.any_op) -> !transform.any_op
    %loop = transform.attn.tile_flash %sdpa {tile_q = 3, tile_kv = 4, static_blocks} : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}

// -----

// gpu_blocks: the tile loop is mapped to GPU blocks (batch, head, query
// tile), as attn-gpu-pipeline does with the pass option gpu-blocks.
// CHECK-LABEL: func @scripted_flash_gpu_blocks
//       CHECK:   scf.forall {{.*}} step (1, 1, 3)
//       CHECK:   } {mapping = [#gpu.block<z>, #gpu.block<y>, #gpu.block<x>]}
func.func @scripted_flash_gpu_blocks(%q: tensor<2x2x7x8xf32>, %k: tensor<2x2x9x8xf32>,
                                     %v: tensor<2x2x9x8xf32>) -> tensor<2x2x7x8xf32> {
  %o = attn.sdpa %q, %k, %v
      : tensor<2x2x7x8xf32>, tensor<2x2x9x8xf32>, tensor<2x2x9x8xf32> -> tensor<2x2x7x8xf32>
  return %o : tensor<2x2x7x8xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %sdpa = transform.structured.match ops{["attn.sdpa"]} in %root : (!transform.any_op) -> !transform.any_op
    %loop = transform.attn.tile_flash %sdpa {tile_q = 3, tile_kv = 4, static_blocks, gpu_blocks} : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}

// -----

// static_blocks: each partition holds whole blocks of 8 keys (chunk
// ceil(ceil(37 / 3) / 8) * 8 = 16); the last, partial, block is padded.
// CHECK-LABEL: func @scripted_split_kv_static_blocks
//       CHECK:   arith.muli {{.*}}, %c8
//       CHECK:   scf.forall (%{{.+}}) in (3)
//       CHECK:     scf.for
//       CHECK:       tensor.pad
//   CHECK-NOT:   = attn.sdpa
func.func @scripted_split_kv_static_blocks(%q: tensor<1x4x1x8xf32>, %k: tensor<1x4x37x8xf32>,
                                           %v: tensor<1x4x37x8xf32>) -> tensor<1x4x1x8xf32> {
  %o = attn.sdpa %q, %k, %v
      : tensor<1x4x1x8xf32>, tensor<1x4x37x8xf32>, tensor<1x4x37x8xf32> -> tensor<1x4x1x8xf32>
  return %o : tensor<1x4x1x8xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %sdpa = transform.structured.match ops{["attn.sdpa"]} in %root : (!transform.any_op) -> !transform.any_op
    %loop = transform.attn.split_kv %sdpa {num_splits = 3, tile_kv = 8, static_blocks} : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}

// -----

// transform.attn.vectorize on a function: the QKᵀ block becomes register
// blocks of FMAs (vector_bits = 512: 8 rows x 32 lanes), with one remark per
// vectorised op; the handle to the function stays valid.
// CHECK-LABEL: func @scripted_vectorize
//  CHECK-SAME:   attributes {vectorized_by_script}
//       CHECK:   vector.transpose
//       CHECK:   scf.for {{.*}} iter_args({{.*}}) -> ({{.*}}, vector<8x32xf32>)
//       CHECK:     vector.fma {{.*}} : vector<8x32xf32>
func.func @scripted_vectorize(%q: tensor<1x1x64x64xf32>, %k: tensor<1x1x128x64xf32>) -> tensor<1x1x64x128xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x1x64x128xf32>
  // expected-remark @below {{attn-vectorize: vectorised, tile [1, 1, 1, 64]}}
  %z = linalg.fill ins(%cst : f32) outs(%e : tensor<1x1x64x128xf32>) -> tensor<1x1x64x128xf32>
  // expected-remark @below {{attn-vectorize: register-blocked contraction, tile [1, 1, 8, 32, 1]}}
  // expected-remark @below {{attn-vectorize: vectorised, tile [1, 1, 16, 16]}}
  %s = linalg.generic {indexing_maps = [affine_map<(b, h, i, j, d) -> (b, h, i, d)>, affine_map<(b, h, i, j, d) -> (b, h, j, d)>, affine_map<(b, h, i, j, d) -> (b, h, i, j)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%q, %k : tensor<1x1x64x64xf32>, tensor<1x1x128x64xf32>) outs(%z : tensor<1x1x64x128xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %m, %c : f32
    linalg.yield %r : f32
  } -> tensor<1x1x64x128xf32>
  return %s : tensor<1x1x64x128xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %f = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    transform.attn.vectorize %f {vector_bits = 512, report} : !transform.any_op
    %p = transform.param.constant unit -> !transform.any_param
    transform.annotate %f "vectorized_by_script" = %p : !transform.any_op, !transform.any_param
    transform.yield
  }
}

// -----

// transform.attn.vectorize on the scf.forall of a static-blocks tiling (not
// isolated from above): the block computations inside it become vector
// code, the loop itself stays.
// CHECK-LABEL: func @scripted_flash_then_vectorize
//       CHECK:   scf.forall
//       CHECK:     scf.for {{.*}} -> (tensor<1x1x8xf32>, tensor<1x1x8xf32>, tensor<1x1x8x16xf32>)
//       CHECK:       vector.fma
//       CHECK:   } {tiled_by_script}
//   CHECK-NOT:   = attn.sdpa
func.func @scripted_flash_then_vectorize(%q: tensor<1x2x16x16xf32>, %k: tensor<1x2x32x16xf32>,
                                         %v: tensor<1x2x32x16xf32>) -> tensor<1x2x16x16xf32> {
  %o = attn.sdpa %q, %k, %v
      : tensor<1x2x16x16xf32>, tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32> -> tensor<1x2x16x16xf32>
  return %o : tensor<1x2x16x16xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %sdpa = transform.structured.match ops{["attn.sdpa"]} in %root : (!transform.any_op) -> !transform.any_op
    %loop = transform.attn.tile_flash %sdpa {tile_q = 8, tile_kv = 16, static_blocks} : (!transform.any_op) -> !transform.any_op
    transform.attn.vectorize %loop : !transform.any_op
    %p = transform.param.constant unit -> !transform.any_param
    transform.annotate %loop "tiled_by_script" = %p : !transform.any_op, !transform.any_param
    transform.yield
  }
}

// -----

// Limitation: transform.attn.vectorize, like attn-vectorize, does not
// vectorise dynamic sizes yet: no vector code, no remark (scalar loops).
// CHECK-LABEL: func @unsupported_vectorize_dynamic
//   CHECK-NOT:   vector.
//       CHECK:   linalg.generic
func.func @unsupported_vectorize_dynamic(%x: tensor<1x1x?x64xf32>, %init: tensor<1x1x?x64xf32>) -> tensor<1x1x?x64xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(b, h, i, j) -> (b, h, i, j)>, affine_map<(b, h, i, j) -> (b, h, i, j)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x1x?x64xf32>) outs(%init : tensor<1x1x?x64xf32>) {
  ^bb0(%a: f32, %c: f32):
    %e = math.exp %a : f32
    linalg.yield %e : f32
  } -> tensor<1x1x?x64xf32>
  return %r : tensor<1x1x?x64xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %f = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    transform.attn.vectorize %f {report} : !transform.any_op
    transform.yield
  }
}

// -----

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %f = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{'transform.attn.vectorize' op vector_bits must be 0, 128, 256 or 512, got 32}}
    transform.attn.vectorize %f {vector_bits = 32} : !transform.any_op
    transform.yield
  }
}

// -----

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %sdpa = transform.structured.match ops{["attn.sdpa"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{'transform.attn.tile_flash' op attribute 'static_blocks' failed to satisfy constraint: unit attribute}}
    %loop = transform.attn.tile_flash %sdpa {static_blocks = 1 : i64} : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}

// -----

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %sdpa = transform.structured.match ops{["attn.sdpa"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{'transform.attn.split_kv' op attribute 'static_blocks' failed to satisfy constraint: unit attribute}}
    %loop = transform.attn.split_kv %sdpa {static_blocks = true} : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}
