// attn-raise-tosa changes results only by float reassociation: each
// attention written in TOSA (the positive forms of
// test/Transforms/attn-raise-tosa.mlir, with Lq != Lk) and its raised
// attn.sdpa agree within 1e-5 on the same seeded inputs. attn-run's pipeline
// does not lower TOSA, so the original runs after the upstream TOSA→linalg
// passes (test-only); the raised functions are attn/tensor/linalg only and
// run as they are, and where they are attn ops only they also match
// attn-run's float64 reference (--check).

// RUN: rm -rf %t && mkdir -p %t
// RUN: attn-opt %s --pass-pipeline='builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg,tosa-to-arith,tosa-to-tensor))' > %t/original.mlir
// RUN: attn-opt %s --attn-raise-tosa > %t/raised.mlir
// RUN: FileCheck %s --check-prefix=RAISED < %t/raised.mlir
// RAISED-LABEL: func @raise_tosa_heads_collapsed_scale_on_scores
// RAISED: attn.sdpa
// RAISED-NOT: tosa.
// RAISED-LABEL: func @raise_tosa_rank3_scale_on_q_and_k
// RAISED: attn.sdpa
// RAISED-NOT: tosa.
// RAISED-LABEL: func @raise_tosa_top_left_causal_select
// RAISED: attn.sdpa
// RAISED-NOT: tosa.
// RAISED-LABEL: func @raise_tosa_bottom_right_causal_bias
// RAISED: attn.sdpa
// RAISED-NOT: tosa.
// RAISED-LABEL: func @raise_tosa_padding_bias_argument
// RAISED: attn.sdpa
// RAISED-NOT: tosa.
// RAISED-LABEL: func @raise_tosa_bool_mask_argument
// RAISED: attn.sdpa
// RAISED-NOT: tosa.
// RAISED-LABEL: func @raise_tosa_fully_masked_row_select
// RAISED: attn.sdpa
// RAISED-NOT: tosa.
// RAISED-LABEL: func @raise_tosa_gqa_tile
// RAISED: attn.sdpa
// RAISED-NOT: tosa.

// The boolean mask is drawn so that no row is fully masked (the written-out
// softmax gives NaN there, attn.sdpa gives 0).
// RUN: %npy rand %t/keep.npy i1 1x2x5x7 --seed 7
// RUN: %npy rand %t/q.npy f32 1x2x5x8 --seed 1
// RUN: %npy rand %t/k.npy f32 1x2x7x8 --seed 2
// RUN: %npy rand %t/v.npy f32 1x2x7x8 --seed 3
// RUN: attn-run %t/original.mlir --entry=raise_tosa_heads_collapsed_scale_on_scores --seed=30 --outputs=%t/raise_tosa_heads_collapsed_scale_on_scores.npy
// RUN: attn-run %t/raised.mlir --entry=raise_tosa_heads_collapsed_scale_on_scores --seed=30 --outputs=%t/raise_tosa_heads_collapsed_scale_on_scores-raised.npy --check | FileCheck %s
// RUN: %npy compare %t/raise_tosa_heads_collapsed_scale_on_scores-raised.npy %t/raise_tosa_heads_collapsed_scale_on_scores.npy --tol 1e-5 | FileCheck %s --check-prefix=SAME
// RUN: attn-run %t/original.mlir --entry=raise_tosa_rank3_scale_on_q_and_k --seed=31 --outputs=%t/raise_tosa_rank3_scale_on_q_and_k.npy
// RUN: attn-run %t/raised.mlir --entry=raise_tosa_rank3_scale_on_q_and_k --seed=31 --outputs=%t/raise_tosa_rank3_scale_on_q_and_k-raised.npy
// RUN: %npy compare %t/raise_tosa_rank3_scale_on_q_and_k-raised.npy %t/raise_tosa_rank3_scale_on_q_and_k.npy --tol 1e-5 | FileCheck %s --check-prefix=SAME
// RUN: attn-run %t/original.mlir --entry=raise_tosa_top_left_causal_select --seed=32 --outputs=%t/raise_tosa_top_left_causal_select.npy
// RUN: attn-run %t/raised.mlir --entry=raise_tosa_top_left_causal_select --seed=32 --outputs=%t/raise_tosa_top_left_causal_select-raised.npy --check | FileCheck %s
// RUN: %npy compare %t/raise_tosa_top_left_causal_select-raised.npy %t/raise_tosa_top_left_causal_select.npy --tol 1e-5 | FileCheck %s --check-prefix=SAME
// RUN: attn-run %t/original.mlir --entry=raise_tosa_bottom_right_causal_bias --seed=33 --outputs=%t/raise_tosa_bottom_right_causal_bias.npy
// RUN: attn-run %t/raised.mlir --entry=raise_tosa_bottom_right_causal_bias --seed=33 --outputs=%t/raise_tosa_bottom_right_causal_bias-raised.npy --check | FileCheck %s
// RUN: %npy compare %t/raise_tosa_bottom_right_causal_bias-raised.npy %t/raise_tosa_bottom_right_causal_bias.npy --tol 1e-5 | FileCheck %s --check-prefix=SAME
// RUN: attn-run %t/original.mlir --entry=raise_tosa_padding_bias_argument --seed=34 --outputs=%t/raise_tosa_padding_bias_argument.npy
// RUN: attn-run %t/raised.mlir --entry=raise_tosa_padding_bias_argument --seed=34 --outputs=%t/raise_tosa_padding_bias_argument-raised.npy
// RUN: %npy compare %t/raise_tosa_padding_bias_argument-raised.npy %t/raise_tosa_padding_bias_argument.npy --tol 1e-5 | FileCheck %s --check-prefix=SAME
// RUN: attn-run %t/original.mlir --entry=raise_tosa_bool_mask_argument --inputs=%t/q.npy,%t/k.npy,%t/v.npy,%t/keep.npy --outputs=%t/raise_tosa_bool_mask_argument.npy
// RUN: attn-run %t/raised.mlir --entry=raise_tosa_bool_mask_argument --inputs=%t/q.npy,%t/k.npy,%t/v.npy,%t/keep.npy --outputs=%t/raise_tosa_bool_mask_argument-raised.npy
// RUN: %npy compare %t/raise_tosa_bool_mask_argument-raised.npy %t/raise_tosa_bool_mask_argument.npy --tol 1e-5 | FileCheck %s --check-prefix=SAME
// RUN: attn-run %t/original.mlir --entry=raise_tosa_fully_masked_row_select --seed=36 --outputs=%t/raise_tosa_fully_masked_row_select.npy
// RUN: attn-run %t/raised.mlir --entry=raise_tosa_fully_masked_row_select --seed=36 --outputs=%t/raise_tosa_fully_masked_row_select-raised.npy --check | FileCheck %s
// RUN: %npy compare %t/raise_tosa_fully_masked_row_select-raised.npy %t/raise_tosa_fully_masked_row_select.npy --tol 1e-5 | FileCheck %s --check-prefix=SAME
// RUN: attn-run %t/original.mlir --entry=raise_tosa_gqa_tile --seed=37 --outputs=%t/raise_tosa_gqa_tile.npy
// RUN: attn-run %t/raised.mlir --entry=raise_tosa_gqa_tile --seed=37 --outputs=%t/raise_tosa_gqa_tile-raised.npy --check | FileCheck %s
// RUN: %npy compare %t/raise_tosa_gqa_tile-raised.npy %t/raise_tosa_gqa_tile.npy --tol 1e-5 | FileCheck %s --check-prefix=SAME
// CHECK: result #0: relative error {{.*}}: PASS
// SAME: relative error {{.*}}: PASS

func.func @raise_tosa_heads_collapsed_scale_on_scores(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>) -> (tensor<1x2x5x8xf32>) {
  %zp = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %scale = "tosa.const"() <{values = dense<0.353553385> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %shq3 = tosa.const_shape {values = dense<[2, 5, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shk3 = tosa.const_shape {values = dense<[2, 8, 7]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shv3 = tosa.const_shape {values = dense<[2, 7, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shs4 = tosa.const_shape {values = dense<[1, 2, 5, 7]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %shs3 = tosa.const_shape {values = dense<[2, 5, 7]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %sho4 = tosa.const_shape {values = dense<[1, 2, 5, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %kt = tosa.transpose %k {perms = array<i32: 0, 1, 3, 2>} : (tensor<1x2x7x8xf32>) -> tensor<1x2x8x7xf32>
  %q3 = tosa.reshape %q, %shq3 : (tensor<1x2x5x8xf32>, !tosa.shape<3>) -> tensor<2x5x8xf32>
  %kt3 = tosa.reshape %kt, %shk3 : (tensor<1x2x8x7xf32>, !tosa.shape<3>) -> tensor<2x8x7xf32>
  %s3 = tosa.matmul %q3, %kt3, %zp, %zp : (tensor<2x5x8xf32>, tensor<2x8x7xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x7xf32>
  %s = tosa.reshape %s3, %shs4 : (tensor<2x5x7xf32>, !tosa.shape<4>) -> tensor<1x2x5x7xf32>
  %x = tosa.mul %s, %scale, %shift : (tensor<1x2x5x7xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x2x5x7xf32>
  %m = tosa.reduce_max %x {axis = 3 : i32} : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x1xf32>
  %d = tosa.sub %x, %m : (tensor<1x2x5x7xf32>, tensor<1x2x5x1xf32>) -> tensor<1x2x5x7xf32>
  %e = tosa.exp %d : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf32>
  %z = tosa.reduce_sum %e {axis = 3 : i32} : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x1xf32>
  %r = tosa.reciprocal %z : (tensor<1x2x5x1xf32>) -> tensor<1x2x5x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<1x2x5x7xf32>, tensor<1x2x5x1xf32>, tensor<1xi8>) -> tensor<1x2x5x7xf32>
  %p3 = tosa.reshape %p, %shs3 : (tensor<1x2x5x7xf32>, !tosa.shape<3>) -> tensor<2x5x7xf32>
  %v3 = tosa.reshape %v, %shv3 : (tensor<1x2x7x8xf32>, !tosa.shape<3>) -> tensor<2x7x8xf32>
  %o3 = tosa.matmul %p3, %v3, %zp, %zp : (tensor<2x5x7xf32>, tensor<2x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x8xf32>
  %o = tosa.reshape %o3, %sho4 : (tensor<2x5x8xf32>, !tosa.shape<4>) -> tensor<1x2x5x8xf32>
  return %o : tensor<1x2x5x8xf32>
}

func.func @raise_tosa_rank3_scale_on_q_and_k(%q: tensor<2x5x8xf32>, %k: tensor<2x7x8xf32>, %v: tensor<2x7x8xf32>) -> tensor<2x5x8xf32> {
  %zp = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %half = "tosa.const"() <{values = dense<0.594603539> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
  %qs = tosa.mul %q, %half, %shift : (tensor<2x5x8xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<2x5x8xf32>
  %kt = tosa.transpose %k {perms = array<i32: 0, 2, 1>} : (tensor<2x7x8xf32>) -> tensor<2x8x7xf32>
  %kts = tosa.mul %half, %kt, %shift : (tensor<1x1x1xf32>, tensor<2x8x7xf32>, tensor<1xi8>) -> tensor<2x8x7xf32>
  %s = tosa.matmul %qs, %kts, %zp, %zp : (tensor<2x5x8xf32>, tensor<2x8x7xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x7xf32>
  %m = tosa.reduce_max %s {axis = 2 : i32} : (tensor<2x5x7xf32>) -> tensor<2x5x1xf32>
  %d = tosa.sub %s, %m : (tensor<2x5x7xf32>, tensor<2x5x1xf32>) -> tensor<2x5x7xf32>
  %e = tosa.exp %d : (tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %z = tosa.reduce_sum %e {axis = 2 : i32} : (tensor<2x5x7xf32>) -> tensor<2x5x1xf32>
  %r = tosa.reciprocal %z : (tensor<2x5x1xf32>) -> tensor<2x5x1xf32>
  %p = tosa.mul %r, %e, %shift : (tensor<2x5x1xf32>, tensor<2x5x7xf32>, tensor<1xi8>) -> tensor<2x5x7xf32>
  %o = tosa.matmul %p, %v, %zp, %zp : (tensor<2x5x7xf32>, tensor<2x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x8xf32>
  return %o : tensor<2x5x8xf32>
}

func.func @raise_tosa_top_left_causal_select(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>) -> (tensor<1x2x5x8xf32>) {
  %zp = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %scale = "tosa.const"() <{values = dense<0.353553385> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %shq3 = tosa.const_shape {values = dense<[2, 5, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shk3 = tosa.const_shape {values = dense<[2, 8, 7]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shv3 = tosa.const_shape {values = dense<[2, 7, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shs4 = tosa.const_shape {values = dense<[1, 2, 5, 7]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %shs3 = tosa.const_shape {values = dense<[2, 5, 7]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %sho4 = tosa.const_shape {values = dense<[1, 2, 5, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %kt = tosa.transpose %k {perms = array<i32: 0, 1, 3, 2>} : (tensor<1x2x7x8xf32>) -> tensor<1x2x8x7xf32>
  %q3 = tosa.reshape %q, %shq3 : (tensor<1x2x5x8xf32>, !tosa.shape<3>) -> tensor<2x5x8xf32>
  %kt3 = tosa.reshape %kt, %shk3 : (tensor<1x2x8x7xf32>, !tosa.shape<3>) -> tensor<2x8x7xf32>
  %s3 = tosa.matmul %q3, %kt3, %zp, %zp : (tensor<2x5x8xf32>, tensor<2x8x7xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x7xf32>
  %s = tosa.reshape %s3, %shs4 : (tensor<2x5x7xf32>, !tosa.shape<4>) -> tensor<1x2x5x7xf32>
  %iq = "tosa.const"() <{values = dense<[[[[0], [1], [2], [3], [4]]]]> : tensor<1x1x5x1xi32>}> : () -> tensor<1x1x5x1xi32>
  %ik = "tosa.const"() <{values = dense<[[[[0, 1, 2, 3, 4, 5, 6]]]]> : tensor<1x1x1x7xi32>}> : () -> tensor<1x1x1x7xi32>
  %diff = tosa.sub %ik, %iq : (tensor<1x1x1x7xi32>, tensor<1x1x5x1xi32>) -> tensor<1x1x5x7xi32>
  %x0 = tosa.mul %s, %scale, %shift : (tensor<1x2x5x7xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x2x5x7xf32>
  %c0 = "tosa.const"() <{values = dense<0> : tensor<1x1x1x1xi32>}> : () -> tensor<1x1x1x1xi32>
  %hidden = tosa.greater %diff, %c0 : (tensor<1x1x5x7xi32>, tensor<1x1x1x1xi32>) -> tensor<1x1x5x7xi1>
  %ninf = "tosa.const"() <{values = dense<0xFF800000> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %x = tosa.select %hidden, %ninf, %x0 : (tensor<1x1x5x7xi1>, tensor<1x1x1x1xf32>, tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf32>
  %m = tosa.reduce_max %x {axis = 3 : i32} : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x1xf32>
  %d = tosa.sub %x, %m : (tensor<1x2x5x7xf32>, tensor<1x2x5x1xf32>) -> tensor<1x2x5x7xf32>
  %e = tosa.exp %d : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf32>
  %z = tosa.reduce_sum %e {axis = 3 : i32} : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x1xf32>
  %r = tosa.reciprocal %z : (tensor<1x2x5x1xf32>) -> tensor<1x2x5x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<1x2x5x7xf32>, tensor<1x2x5x1xf32>, tensor<1xi8>) -> tensor<1x2x5x7xf32>
  %p3 = tosa.reshape %p, %shs3 : (tensor<1x2x5x7xf32>, !tosa.shape<3>) -> tensor<2x5x7xf32>
  %v3 = tosa.reshape %v, %shv3 : (tensor<1x2x7x8xf32>, !tosa.shape<3>) -> tensor<2x7x8xf32>
  %o3 = tosa.matmul %p3, %v3, %zp, %zp : (tensor<2x5x7xf32>, tensor<2x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x8xf32>
  %o = tosa.reshape %o3, %sho4 : (tensor<2x5x8xf32>, !tosa.shape<4>) -> tensor<1x2x5x8xf32>
  return %o : tensor<1x2x5x8xf32>
}

func.func @raise_tosa_bottom_right_causal_bias(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>) -> (tensor<1x2x5x8xf32>) {
  %zp = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %scale = "tosa.const"() <{values = dense<0.353553385> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %shq3 = tosa.const_shape {values = dense<[2, 5, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shk3 = tosa.const_shape {values = dense<[2, 8, 7]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shv3 = tosa.const_shape {values = dense<[2, 7, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shs4 = tosa.const_shape {values = dense<[1, 2, 5, 7]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %shs3 = tosa.const_shape {values = dense<[2, 5, 7]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %sho4 = tosa.const_shape {values = dense<[1, 2, 5, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %kt = tosa.transpose %k {perms = array<i32: 0, 1, 3, 2>} : (tensor<1x2x7x8xf32>) -> tensor<1x2x8x7xf32>
  %q3 = tosa.reshape %q, %shq3 : (tensor<1x2x5x8xf32>, !tosa.shape<3>) -> tensor<2x5x8xf32>
  %kt3 = tosa.reshape %kt, %shk3 : (tensor<1x2x8x7xf32>, !tosa.shape<3>) -> tensor<2x8x7xf32>
  %s3 = tosa.matmul %q3, %kt3, %zp, %zp : (tensor<2x5x8xf32>, tensor<2x8x7xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x7xf32>
  %s = tosa.reshape %s3, %shs4 : (tensor<2x5x7xf32>, !tosa.shape<4>) -> tensor<1x2x5x7xf32>
  %iq = "tosa.const"() <{values = dense<[[[[0], [1], [2], [3], [4]]]]> : tensor<1x1x5x1xi32>}> : () -> tensor<1x1x5x1xi32>
  %ik = "tosa.const"() <{values = dense<[[[[0, 1, 2, 3, 4, 5, 6]]]]> : tensor<1x1x1x7xi32>}> : () -> tensor<1x1x1x7xi32>
  %diff = tosa.sub %ik, %iq : (tensor<1x1x1x7xi32>, tensor<1x1x5x1xi32>) -> tensor<1x1x5x7xi32>
  %x0 = tosa.mul %s, %scale, %shift : (tensor<1x2x5x7xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x2x5x7xf32>
  %c2 = "tosa.const"() <{values = dense<2> : tensor<1x1x1x1xi32>}> : () -> tensor<1x1x1x1xi32>
  %hidden = tosa.greater %diff, %c2 : (tensor<1x1x5x7xi32>, tensor<1x1x1x1xi32>) -> tensor<1x1x5x7xi1>
  %ninf = "tosa.const"() <{values = dense<0xFF800000> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %zero = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %bias = tosa.select %hidden, %ninf, %zero : (tensor<1x1x5x7xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x5x7xf32>
  %x = tosa.add %x0, %bias : (tensor<1x2x5x7xf32>, tensor<1x1x5x7xf32>) -> tensor<1x2x5x7xf32>
  %m = tosa.reduce_max %x {axis = 3 : i32} : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x1xf32>
  %d = tosa.sub %x, %m : (tensor<1x2x5x7xf32>, tensor<1x2x5x1xf32>) -> tensor<1x2x5x7xf32>
  %e = tosa.exp %d : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf32>
  %z = tosa.reduce_sum %e {axis = 3 : i32} : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x1xf32>
  %r = tosa.reciprocal %z : (tensor<1x2x5x1xf32>) -> tensor<1x2x5x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<1x2x5x7xf32>, tensor<1x2x5x1xf32>, tensor<1xi8>) -> tensor<1x2x5x7xf32>
  %p3 = tosa.reshape %p, %shs3 : (tensor<1x2x5x7xf32>, !tosa.shape<3>) -> tensor<2x5x7xf32>
  %v3 = tosa.reshape %v, %shv3 : (tensor<1x2x7x8xf32>, !tosa.shape<3>) -> tensor<2x7x8xf32>
  %o3 = tosa.matmul %p3, %v3, %zp, %zp : (tensor<2x5x7xf32>, tensor<2x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x8xf32>
  %o = tosa.reshape %o3, %sho4 : (tensor<2x5x8xf32>, !tosa.shape<4>) -> tensor<1x2x5x8xf32>
  return %o : tensor<1x2x5x8xf32>
}

func.func @raise_tosa_padding_bias_argument(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>, %bias: tensor<1x1x1x7xf32>) -> (tensor<1x2x5x8xf32>) {
  %zp = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %scale = "tosa.const"() <{values = dense<0.353553385> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %shq3 = tosa.const_shape {values = dense<[2, 5, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shk3 = tosa.const_shape {values = dense<[2, 8, 7]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shv3 = tosa.const_shape {values = dense<[2, 7, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shs4 = tosa.const_shape {values = dense<[1, 2, 5, 7]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %shs3 = tosa.const_shape {values = dense<[2, 5, 7]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %sho4 = tosa.const_shape {values = dense<[1, 2, 5, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %kt = tosa.transpose %k {perms = array<i32: 0, 1, 3, 2>} : (tensor<1x2x7x8xf32>) -> tensor<1x2x8x7xf32>
  %q3 = tosa.reshape %q, %shq3 : (tensor<1x2x5x8xf32>, !tosa.shape<3>) -> tensor<2x5x8xf32>
  %kt3 = tosa.reshape %kt, %shk3 : (tensor<1x2x8x7xf32>, !tosa.shape<3>) -> tensor<2x8x7xf32>
  %s3 = tosa.matmul %q3, %kt3, %zp, %zp : (tensor<2x5x8xf32>, tensor<2x8x7xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x7xf32>
  %s = tosa.reshape %s3, %shs4 : (tensor<2x5x7xf32>, !tosa.shape<4>) -> tensor<1x2x5x7xf32>
  %x0 = tosa.mul %s, %scale, %shift : (tensor<1x2x5x7xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x2x5x7xf32>
  %x = tosa.add %bias, %x0 : (tensor<1x1x1x7xf32>, tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf32>
  %m = tosa.reduce_max %x {axis = 3 : i32} : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x1xf32>
  %d = tosa.sub %x, %m : (tensor<1x2x5x7xf32>, tensor<1x2x5x1xf32>) -> tensor<1x2x5x7xf32>
  %e = tosa.exp %d : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf32>
  %z = tosa.reduce_sum %e {axis = 3 : i32} : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x1xf32>
  %r = tosa.reciprocal %z : (tensor<1x2x5x1xf32>) -> tensor<1x2x5x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<1x2x5x7xf32>, tensor<1x2x5x1xf32>, tensor<1xi8>) -> tensor<1x2x5x7xf32>
  %p3 = tosa.reshape %p, %shs3 : (tensor<1x2x5x7xf32>, !tosa.shape<3>) -> tensor<2x5x7xf32>
  %v3 = tosa.reshape %v, %shv3 : (tensor<1x2x7x8xf32>, !tosa.shape<3>) -> tensor<2x7x8xf32>
  %o3 = tosa.matmul %p3, %v3, %zp, %zp : (tensor<2x5x7xf32>, tensor<2x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x8xf32>
  %o = tosa.reshape %o3, %sho4 : (tensor<2x5x8xf32>, !tosa.shape<4>) -> tensor<1x2x5x8xf32>
  return %o : tensor<1x2x5x8xf32>
}

func.func @raise_tosa_bool_mask_argument(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>, %keep: tensor<1x2x5x7xi1>) -> (tensor<1x2x5x8xf32>) {
  %zp = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %scale = "tosa.const"() <{values = dense<0.353553385> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %shq3 = tosa.const_shape {values = dense<[2, 5, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shk3 = tosa.const_shape {values = dense<[2, 8, 7]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shv3 = tosa.const_shape {values = dense<[2, 7, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shs4 = tosa.const_shape {values = dense<[1, 2, 5, 7]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %shs3 = tosa.const_shape {values = dense<[2, 5, 7]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %sho4 = tosa.const_shape {values = dense<[1, 2, 5, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %kt = tosa.transpose %k {perms = array<i32: 0, 1, 3, 2>} : (tensor<1x2x7x8xf32>) -> tensor<1x2x8x7xf32>
  %q3 = tosa.reshape %q, %shq3 : (tensor<1x2x5x8xf32>, !tosa.shape<3>) -> tensor<2x5x8xf32>
  %kt3 = tosa.reshape %kt, %shk3 : (tensor<1x2x8x7xf32>, !tosa.shape<3>) -> tensor<2x8x7xf32>
  %s3 = tosa.matmul %q3, %kt3, %zp, %zp : (tensor<2x5x8xf32>, tensor<2x8x7xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x7xf32>
  %s = tosa.reshape %s3, %shs4 : (tensor<2x5x7xf32>, !tosa.shape<4>) -> tensor<1x2x5x7xf32>
  %x0 = tosa.mul %s, %scale, %shift : (tensor<1x2x5x7xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x2x5x7xf32>
  %ninf = "tosa.const"() <{values = dense<0xFF800000> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %x = tosa.select %keep, %x0, %ninf : (tensor<1x2x5x7xi1>, tensor<1x2x5x7xf32>, tensor<1x1x1x1xf32>) -> tensor<1x2x5x7xf32>
  %m = tosa.reduce_max %x {axis = 3 : i32} : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x1xf32>
  %d = tosa.sub %x, %m : (tensor<1x2x5x7xf32>, tensor<1x2x5x1xf32>) -> tensor<1x2x5x7xf32>
  %e = tosa.exp %d : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf32>
  %z = tosa.reduce_sum %e {axis = 3 : i32} : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x1xf32>
  %r = tosa.reciprocal %z : (tensor<1x2x5x1xf32>) -> tensor<1x2x5x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<1x2x5x7xf32>, tensor<1x2x5x1xf32>, tensor<1xi8>) -> tensor<1x2x5x7xf32>
  %p3 = tosa.reshape %p, %shs3 : (tensor<1x2x5x7xf32>, !tosa.shape<3>) -> tensor<2x5x7xf32>
  %v3 = tosa.reshape %v, %shv3 : (tensor<1x2x7x8xf32>, !tosa.shape<3>) -> tensor<2x7x8xf32>
  %o3 = tosa.matmul %p3, %v3, %zp, %zp : (tensor<2x5x7xf32>, tensor<2x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x8xf32>
  %o = tosa.reshape %o3, %sho4 : (tensor<2x5x8xf32>, !tosa.shape<4>) -> tensor<1x2x5x8xf32>
  return %o : tensor<1x2x5x8xf32>
}

func.func @raise_tosa_fully_masked_row_select(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>) -> (tensor<1x2x5x8xf32>) {
  %zp = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %scale = "tosa.const"() <{values = dense<0.353553385> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %shq3 = tosa.const_shape {values = dense<[2, 5, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shk3 = tosa.const_shape {values = dense<[2, 8, 7]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shv3 = tosa.const_shape {values = dense<[2, 7, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shs4 = tosa.const_shape {values = dense<[1, 2, 5, 7]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %shs3 = tosa.const_shape {values = dense<[2, 5, 7]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %sho4 = tosa.const_shape {values = dense<[1, 2, 5, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %kt = tosa.transpose %k {perms = array<i32: 0, 1, 3, 2>} : (tensor<1x2x7x8xf32>) -> tensor<1x2x8x7xf32>
  %q3 = tosa.reshape %q, %shq3 : (tensor<1x2x5x8xf32>, !tosa.shape<3>) -> tensor<2x5x8xf32>
  %kt3 = tosa.reshape %kt, %shk3 : (tensor<1x2x8x7xf32>, !tosa.shape<3>) -> tensor<2x8x7xf32>
  %s3 = tosa.matmul %q3, %kt3, %zp, %zp : (tensor<2x5x8xf32>, tensor<2x8x7xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x7xf32>
  %s = tosa.reshape %s3, %shs4 : (tensor<2x5x7xf32>, !tosa.shape<4>) -> tensor<1x2x5x7xf32>
  %x = tosa.mul %s, %scale, %shift : (tensor<1x2x5x7xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x2x5x7xf32>
  %m = tosa.reduce_max %x {axis = 3 : i32} : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x1xf32>
  %d = tosa.sub %x, %m : (tensor<1x2x5x7xf32>, tensor<1x2x5x1xf32>) -> tensor<1x2x5x7xf32>
  %e = tosa.exp %d : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf32>
  %z = tosa.reduce_sum %e {axis = 3 : i32} : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x1xf32>
  %r = tosa.reciprocal %z : (tensor<1x2x5x1xf32>) -> tensor<1x2x5x1xf32>
  %p0 = tosa.mul %e, %r, %shift : (tensor<1x2x5x7xf32>, tensor<1x2x5x1xf32>, tensor<1xi8>) -> tensor<1x2x5x7xf32>
  %x64 = tosa.cast %x : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf64>
  %ninf64 = "tosa.const"() <{values = dense<0xFFF0000000000000> : tensor<1x1x1x1xf64>}> : () -> tensor<1x1x1x1xf64>
  %isinf = tosa.equal %x64, %ninf64 : (tensor<1x2x5x7xf64>, tensor<1x1x1x1xf64>) -> tensor<1x2x5x7xi1>
  %all = tosa.reduce_all %isinf {axis = 3 : i32} : (tensor<1x2x5x7xi1>) -> tensor<1x2x5x1xi1>
  %zeros = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1x2x5x7xf32>}> : () -> tensor<1x2x5x7xf32>
  %p = tosa.select %all, %zeros, %p0 : (tensor<1x2x5x1xi1>, tensor<1x2x5x7xf32>, tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf32>
  %p3 = tosa.reshape %p, %shs3 : (tensor<1x2x5x7xf32>, !tosa.shape<3>) -> tensor<2x5x7xf32>
  %v3 = tosa.reshape %v, %shv3 : (tensor<1x2x7x8xf32>, !tosa.shape<3>) -> tensor<2x7x8xf32>
  %o3 = tosa.matmul %p3, %v3, %zp, %zp : (tensor<2x5x7xf32>, tensor<2x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x8xf32>
  %o = tosa.reshape %o3, %sho4 : (tensor<2x5x8xf32>, !tosa.shape<4>) -> tensor<1x2x5x8xf32>
  return %o : tensor<1x2x5x8xf32>
}

func.func @raise_tosa_gqa_tile(%q: tensor<1x4x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>) -> tensor<1x4x5x8xf32> {
  %zp = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %scale = "tosa.const"() <{values = dense<0.353553385> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %sh5 = tosa.const_shape {values = dense<[1, 2, 1, 7, 8]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %mul5 = tosa.const_shape {values = dense<[1, 1, 2, 1, 1]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %shk4 = tosa.const_shape {values = dense<[1, 4, 7, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %shq3 = tosa.const_shape {values = dense<[4, 5, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shk3 = tosa.const_shape {values = dense<[4, 8, 7]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shv3 = tosa.const_shape {values = dense<[4, 7, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shs4 = tosa.const_shape {values = dense<[1, 4, 5, 7]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %shs3 = tosa.const_shape {values = dense<[4, 5, 7]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %sho4 = tosa.const_shape {values = dense<[1, 4, 5, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %k5 = tosa.reshape %k, %sh5 : (tensor<1x2x7x8xf32>, !tosa.shape<5>) -> tensor<1x2x1x7x8xf32>
  %kr5 = tosa.tile %k5, %mul5 : (tensor<1x2x1x7x8xf32>, !tosa.shape<5>) -> tensor<1x2x2x7x8xf32>
  %kr = tosa.reshape %kr5, %shk4 : (tensor<1x2x2x7x8xf32>, !tosa.shape<4>) -> tensor<1x4x7x8xf32>
  %kt = tosa.transpose %kr {perms = array<i32: 0, 1, 3, 2>} : (tensor<1x4x7x8xf32>) -> tensor<1x4x8x7xf32>
  %v5 = tosa.reshape %v, %sh5 : (tensor<1x2x7x8xf32>, !tosa.shape<5>) -> tensor<1x2x1x7x8xf32>
  %vr5 = tosa.tile %v5, %mul5 : (tensor<1x2x1x7x8xf32>, !tosa.shape<5>) -> tensor<1x2x2x7x8xf32>
  %q3 = tosa.reshape %q, %shq3 : (tensor<1x4x5x8xf32>, !tosa.shape<3>) -> tensor<4x5x8xf32>
  %kt3 = tosa.reshape %kt, %shk3 : (tensor<1x4x8x7xf32>, !tosa.shape<3>) -> tensor<4x8x7xf32>
  %s3 = tosa.matmul %q3, %kt3, %zp, %zp : (tensor<4x5x8xf32>, tensor<4x8x7xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4x5x7xf32>
  %s = tosa.reshape %s3, %shs4 : (tensor<4x5x7xf32>, !tosa.shape<4>) -> tensor<1x4x5x7xf32>
  %x = tosa.mul %s, %scale, %shift : (tensor<1x4x5x7xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x4x5x7xf32>
  %m = tosa.reduce_max %x {axis = 3 : i32} : (tensor<1x4x5x7xf32>) -> tensor<1x4x5x1xf32>
  %d = tosa.sub %x, %m : (tensor<1x4x5x7xf32>, tensor<1x4x5x1xf32>) -> tensor<1x4x5x7xf32>
  %e = tosa.exp %d : (tensor<1x4x5x7xf32>) -> tensor<1x4x5x7xf32>
  %z = tosa.reduce_sum %e {axis = 3 : i32} : (tensor<1x4x5x7xf32>) -> tensor<1x4x5x1xf32>
  %r = tosa.reciprocal %z : (tensor<1x4x5x1xf32>) -> tensor<1x4x5x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<1x4x5x7xf32>, tensor<1x4x5x1xf32>, tensor<1xi8>) -> tensor<1x4x5x7xf32>
  %p3 = tosa.reshape %p, %shs3 : (tensor<1x4x5x7xf32>, !tosa.shape<3>) -> tensor<4x5x7xf32>
  %v3 = tosa.reshape %vr5, %shv3 : (tensor<1x2x2x7x8xf32>, !tosa.shape<3>) -> tensor<4x7x8xf32>
  %o3 = tosa.matmul %p3, %v3, %zp, %zp : (tensor<4x5x7xf32>, tensor<4x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4x5x8xf32>
  %o = tosa.reshape %o3, %sho4 : (tensor<4x5x8xf32>, !tosa.shape<4>) -> tensor<1x4x5x8xf32>
  return %o : tensor<1x4x5x8xf32>
}
