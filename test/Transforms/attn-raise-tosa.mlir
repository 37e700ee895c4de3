// RUN: attn-opt %s --attn-raise-tosa --split-input-file | FileCheck %s
// RUN: attn-opt %s --attn-raise-tosa="report-refusals=true" --split-input-file -verify-diagnostics > /dev/null

///----------------------------------------------------------------------------
/// IN:  attention written in TOSA as torch-mlir emits it: Q·Kᵀ and P·V as
///      tosa.matmul on heads collapsed by tosa.reshape, K transposed by
///      tosa.transpose, a constant scale by tosa.mul on the scores or on Q
///      and K, softmax written out (reduce_max, sub, exp, reduce_sum,
///      reciprocal, mul), torch's fully-masked-row select, additive and
///      boolean masks (from arguments or computed from constants), GQA K/V
///      repeated by tosa.tile.
/// OUT: the upstream tosa-to-linalg passes lower it and attn-raise-linalg,
///      the one recogniser, raises it: one attn.sdpa; compile-time masks
///      that are bands become causal or window, other masks the mask
///      operand; GQA tiles are indexed, not copied; any other function of
///      the scores (tanh, s·s) becomes the score_mod; a float tosa.mul's
///      shift is irrelevant and ignored.
/// Why: raising changes results only by float reassociation, so anything
///      that is not exactly attention stays as it is, in linalg
///      (@negative_ cases). Attention in a form the raising does not handle
///      yet (a runtime scale, dynamic shapes, a batch broadcast, two mask
///      tensors) stays as it is too (@unsupported_ cases). Both, with
///      report-refusals=true, get a remark from attn-raise-linalg naming
///      why; TOSA the upstream passes cannot lower is an error
///      (attn-raise-tosa-invalid.mlir).
///----------------------------------------------------------------------------

// CHECK-LABEL: func @raise_tosa_heads_collapsed_scale_on_scores
//  CHECK-SAME:   %[[Q:[a-zA-Z0-9]+]]: tensor<1x2x5x8xf32>, %[[K:[a-zA-Z0-9]+]]: tensor<1x2x7x8xf32>, %[[V:[a-zA-Z0-9]+]]: tensor<1x2x7x8xf32>
//       CHECK:   %[[O:.+]] = attn.sdpa %[[Q]], %[[K]], %[[V]] {scale = 0.353553385 : f32} : tensor<1x2x5x8xf32>, tensor<1x2x7x8xf32>, tensor<1x2x7x8xf32> -> tensor<1x2x5x8xf32>
//   CHECK-NOT:   tosa.matmul
//   CHECK-NOT:   tosa.exp
//       CHECK:   return %[[O]]
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

// -----

// CHECK-LABEL: func @raise_tosa_rank3_scale_on_q_and_k
//  CHECK-SAME:   %[[Q:[a-zA-Z0-9]+]]: tensor<2x5x8xf32>, %[[K:[a-zA-Z0-9]+]]: tensor<2x7x8xf32>, %[[V:[a-zA-Z0-9]+]]: tensor<2x7x8xf32>
//   CHECK-DAG:   %[[Q4:.+]] = tensor.expand_shape %[[Q]] {{\[}}[0, 1], [2], [3]] output_shape [1, 2, 5, 8]
//   CHECK-DAG:   %[[K4:.+]] = tensor.expand_shape %[[K]] {{\[}}[0, 1], [2], [3]] output_shape [1, 2, 7, 8]
//   CHECK-DAG:   %[[V4:.+]] = tensor.expand_shape %[[V]] {{\[}}[0, 1], [2], [3]] output_shape [1, 2, 7, 8]
//       CHECK:   %[[O4:.+]] = attn.sdpa %[[Q4]], %[[K4]], %[[V4]] {scale = 0.353553{{[0-9]+}} : f32}
//       CHECK:   %[[O:.+]] = tensor.collapse_shape %[[O4]] {{\[}}[0, 1], [2], [3]]
//   CHECK-NOT:   tosa.matmul
//       CHECK:   return %[[O]]
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

// -----

// CHECK-LABEL: func @raise_tosa_top_left_causal_select
//       CHECK:   attn.sdpa %{{.+}}, %{{.+}}, %{{.+}} {scale = 0.353553385 : f32, window = array<i64: 12, -2>}
//   CHECK-NOT:   tosa.select
//   CHECK-NOT:   tosa.matmul
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

// -----

// CHECK-LABEL: func @raise_tosa_bottom_right_causal_bias
//       CHECK:   attn.sdpa %{{.+}}, %{{.+}}, %{{.+}} {causal, scale = 0.353553385 : f32}
//   CHECK-NOT:   tosa.add
//   CHECK-NOT:   tosa.matmul
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

// -----

// CHECK-LABEL: func @raise_tosa_padding_bias_argument
//  CHECK-SAME:   %[[BIAS:[a-zA-Z0-9]+]]: tensor<1x1x1x7xf32>
//       CHECK:   %[[M:.+]] = linalg.generic
//  CHECK-SAME:     ins(%[[BIAS]] : tensor<1x1x1x7xf32>) outs(%{{.+}} : tensor<1x1x5x7xf32>)
//       CHECK:   attn.sdpa %{{.+}}, %{{.+}}, %{{.+}} mask(%[[M]] : tensor<1x1x5x7xf32>) {scale = 0.353553385 : f32}
//   CHECK-NOT:   tosa.matmul
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

// -----

// CHECK-LABEL: func @raise_tosa_bool_mask_argument
//  CHECK-SAME:   %[[KEEP:[a-zA-Z0-9]+]]: tensor<1x2x5x7xi1>
//       CHECK:   attn.sdpa %{{.+}}, %{{.+}}, %{{.+}} mask(%[[KEEP]] : tensor<1x2x5x7xi1>) {scale = 0.353553385 : f32}
//   CHECK-NOT:   tosa.select
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

// -----

// CHECK-LABEL: func @raise_tosa_fully_masked_row_select
//       CHECK:   attn.sdpa
//   CHECK-NOT:   tosa.reduce_all
//   CHECK-NOT:   tosa.select
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

// -----

// CHECK-LABEL: func @raise_tosa_gqa_tile
//  CHECK-SAME:   %[[Q:[a-zA-Z0-9]+]]: tensor<1x4x5x8xf32>, %[[K:[a-zA-Z0-9]+]]: tensor<1x2x7x8xf32>, %[[V:[a-zA-Z0-9]+]]: tensor<1x2x7x8xf32>
//       CHECK:   %[[O:.+]] = attn.sdpa %[[Q]], %[[K]], %[[V]] {scale = 0.353553385 : f32} : tensor<1x4x5x8xf32>, tensor<1x2x7x8xf32>, tensor<1x2x7x8xf32> -> tensor<1x4x5x8xf32>
//   CHECK-NOT:   tosa.tile
//       CHECK:   return %[[O]]
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

// -----

// CHECK-LABEL: func @negative_softmax_other_axis
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @negative_softmax_other_axis(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>) -> (tensor<1x2x5x8xf32>) {
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
  // expected-remark @below {{attn-raise-linalg: not raised: the row maximum is reshaped unexpectedly}}
  %m = tosa.reduce_max %x {axis = 2 : i32} : (tensor<1x2x5x7xf32>) -> tensor<1x2x1x7xf32>
  %d = tosa.sub %x, %m : (tensor<1x2x5x7xf32>, tensor<1x2x1x7xf32>) -> tensor<1x2x5x7xf32>
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

// -----

// CHECK-LABEL: func @negative_row_sum_other_axis
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @negative_row_sum_other_axis(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>) -> (tensor<1x2x5x8xf32>) {
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
  // expected-remark @below {{attn-raise-linalg: not raised: the contraction reading this softmax is not a P·V contraction the raising recognises}}
  %m = tosa.reduce_max %x {axis = 3 : i32} : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x1xf32>
  %d = tosa.sub %x, %m : (tensor<1x2x5x7xf32>, tensor<1x2x5x1xf32>) -> tensor<1x2x5x7xf32>
  %e = tosa.exp %d : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf32>
  %z = tosa.reduce_sum %e {axis = 2 : i32} : (tensor<1x2x5x7xf32>) -> tensor<1x2x1x7xf32>
  %r = tosa.reciprocal %z : (tensor<1x2x1x7xf32>) -> tensor<1x2x1x7xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<1x2x5x7xf32>, tensor<1x2x1x7xf32>, tensor<1xi8>) -> tensor<1x2x5x7xf32>
  %p3 = tosa.reshape %p, %shs3 : (tensor<1x2x5x7xf32>, !tosa.shape<3>) -> tensor<2x5x7xf32>
  %v3 = tosa.reshape %v, %shv3 : (tensor<1x2x7x8xf32>, !tosa.shape<3>) -> tensor<2x7x8xf32>
  // expected-note @below {{the contraction}}
  %o3 = tosa.matmul %p3, %v3, %zp, %zp : (tensor<2x5x7xf32>, tensor<2x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x8xf32>
  %o = tosa.reshape %o3, %sho4 : (tensor<2x5x8xf32>, !tosa.shape<4>) -> tensor<1x2x5x8xf32>
  return %o : tensor<1x2x5x8xf32>
}

// -----

// CHECK-LABEL: func @negative_row_max_not_reduce_max
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @negative_row_max_not_reduce_max(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>) -> (tensor<1x2x5x8xf32>) {
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
  // expected-remark @below {{attn-raise-linalg: not raised: the row maximum reduction body is not a maximum}}
  %m = tosa.reduce_min %x {axis = 3 : i32} : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x1xf32>
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

// -----

// CHECK-LABEL: func @negative_exponentials_other_user
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @negative_exponentials_other_user(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>) -> (tensor<1x2x5x8xf32>, tensor<1x2x5x7xf32>) {
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
  // expected-remark @below {{attn-raise-linalg: not raised: the exponentials have another user, so they must stay materialised}}
  %e = tosa.exp %d : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf32>
  %z = tosa.reduce_sum %e {axis = 3 : i32} : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x1xf32>
  %r = tosa.reciprocal %z : (tensor<1x2x5x1xf32>) -> tensor<1x2x5x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<1x2x5x7xf32>, tensor<1x2x5x1xf32>, tensor<1xi8>) -> tensor<1x2x5x7xf32>
  %p3 = tosa.reshape %p, %shs3 : (tensor<1x2x5x7xf32>, !tosa.shape<3>) -> tensor<2x5x7xf32>
  %v3 = tosa.reshape %v, %shv3 : (tensor<1x2x7x8xf32>, !tosa.shape<3>) -> tensor<2x7x8xf32>
  %o3 = tosa.matmul %p3, %v3, %zp, %zp : (tensor<2x5x7xf32>, tensor<2x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x8xf32>
  %o = tosa.reshape %o3, %sho4 : (tensor<2x5x8xf32>, !tosa.shape<4>) -> tensor<1x2x5x8xf32>
  return %o, %e : tensor<1x2x5x8xf32>, tensor<1x2x5x7xf32>
}

// -----

// Limitation: a uniform scale known only at run time; attn.sdpa takes its
// scale as a compile-time attribute. Left unraised; the user gets the remark
// below with report-refusals=true.
// CHECK-LABEL: func @unsupported_scale_not_constant
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @unsupported_scale_not_constant(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>, %c: tensor<1x1x1x1xf32>) -> (tensor<1x2x5x8xf32>) {
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
  // expected-remark @below {{attn-raise-linalg: not raised: the score function reads a value that is not a compile-time constant}}
  %x = tosa.mul %s, %c, %shift : (tensor<1x2x5x7xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x2x5x7xf32>
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

// -----

// CHECK-LABEL: func @negative_scale_not_uniform
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @negative_scale_not_uniform(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>) -> (tensor<1x2x5x8xf32>) {
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
  %cs = "tosa.const"() <{values = dense<[[[[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0]]]]> : tensor<1x1x1x7xf32>}> : () -> tensor<1x1x1x7xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: the score function reads a tensor, which a score_mod cannot capture}}
  %x = tosa.mul %s, %cs, %shift : (tensor<1x2x5x7xf32>, tensor<1x1x1x7xf32>, tensor<1xi8>) -> tensor<1x2x5x7xf32>
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

// -----

// CHECK-LABEL: func @raise_tosa_scale_shift_ignored
//       CHECK:   attn.sdpa
//   CHECK-NOT:   linalg.batch_matmul
func.func @raise_tosa_scale_shift_ignored(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>, %sh: tensor<1xi8>) -> (tensor<1x2x5x8xf32>) {
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
  %x = tosa.mul %s, %scale, %sh : (tensor<1x2x5x7xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x2x5x7xf32>
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

// -----

// CHECK-LABEL: func @raise_tosa_softmax_shift_ignored
//       CHECK:   attn.sdpa
//   CHECK-NOT:   linalg.batch_matmul
func.func @raise_tosa_softmax_shift_ignored(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>, %sh: tensor<1xi8>) -> (tensor<1x2x5x8xf32>) {
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
  %p = tosa.mul %e, %r, %sh : (tensor<1x2x5x7xf32>, tensor<1x2x5x1xf32>, tensor<1xi8>) -> tensor<1x2x5x7xf32>
  %p3 = tosa.reshape %p, %shs3 : (tensor<1x2x5x7xf32>, !tosa.shape<3>) -> tensor<2x5x7xf32>
  %v3 = tosa.reshape %v, %shv3 : (tensor<1x2x7x8xf32>, !tosa.shape<3>) -> tensor<2x7x8xf32>
  %o3 = tosa.matmul %p3, %v3, %zp, %zp : (tensor<2x5x7xf32>, tensor<2x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x8xf32>
  %o = tosa.reshape %o3, %sho4 : (tensor<2x5x8xf32>, !tosa.shape<4>) -> tensor<1x2x5x8xf32>
  return %o : tensor<1x2x5x8xf32>
}

// -----

// CHECK-LABEL: func @negative_scale_after_mask
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @negative_scale_after_mask(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>, %bias: tensor<1x2x5x7xf32>) -> (tensor<1x2x5x8xf32>) {
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
  // expected-remark @below {{attn-raise-linalg: not raised: the score function reads a tensor, which a score_mod cannot capture}}
  %x0 = tosa.add %s, %bias : (tensor<1x2x5x7xf32>, tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf32>
  %x = tosa.mul %x0, %scale, %shift : (tensor<1x2x5x7xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x2x5x7xf32>
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

// -----

// CHECK-LABEL: func @negative_masked_fill_not_ninf
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @negative_masked_fill_not_ninf(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>, %keep: tensor<1x2x5x7xi1>) -> (tensor<1x2x5x8xf32>) {
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
  %big = "tosa.const"() <{values = dense<-1.000000e+04> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: the masked scores are filled with another value than -inf}}
  %x = tosa.select %keep, %x0, %big : (tensor<1x2x5x7xi1>, tensor<1x2x5x7xf32>, tensor<1x1x1x1xf32>) -> tensor<1x2x5x7xf32>
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

// -----

// Limitation: two additive mask tensors; attn.sdpa takes one mask operand and
// the raising does not combine them. Left unraised; the user gets the remark
// below with report-refusals=true.
// CHECK-LABEL: func @unsupported_two_mask_tensors
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @unsupported_two_mask_tensors(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>, %b1: tensor<1x2x5x7xf32>, %b2: tensor<1x2x5x7xf32>) -> (tensor<1x2x5x8xf32>) {
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
  // expected-remark @below {{attn-raise-linalg: not raised: more than one mask tensor}}
  %x1 = tosa.add %x0, %b1 : (tensor<1x2x5x7xf32>, tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf32>
  %x = tosa.add %x1, %b2 : (tensor<1x2x5x7xf32>, tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf32>
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

// -----

// CHECK-LABEL: func @negative_dropout
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @negative_dropout(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>, %keep: tensor<1x2x5x7xf32>) -> (tensor<1x2x5x8xf32>) {
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
  // expected-remark @below {{attn-raise-linalg: not raised: the contraction reading this softmax is not a P·V contraction the raising recognises}}
  %m = tosa.reduce_max %x {axis = 3 : i32} : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x1xf32>
  %d = tosa.sub %x, %m : (tensor<1x2x5x7xf32>, tensor<1x2x5x1xf32>) -> tensor<1x2x5x7xf32>
  %e = tosa.exp %d : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf32>
  %z = tosa.reduce_sum %e {axis = 3 : i32} : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x1xf32>
  %r = tosa.reciprocal %z : (tensor<1x2x5x1xf32>) -> tensor<1x2x5x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<1x2x5x7xf32>, tensor<1x2x5x1xf32>, tensor<1xi8>) -> tensor<1x2x5x7xf32>
  %pd = tosa.mul %p, %keep, %shift : (tensor<1x2x5x7xf32>, tensor<1x2x5x7xf32>, tensor<1xi8>) -> tensor<1x2x5x7xf32>
  %p3 = tosa.reshape %pd, %shs3 : (tensor<1x2x5x7xf32>, !tosa.shape<3>) -> tensor<2x5x7xf32>
  %v3 = tosa.reshape %v, %shv3 : (tensor<1x2x7x8xf32>, !tosa.shape<3>) -> tensor<2x7x8xf32>
  // expected-note @below {{the contraction}}
  %o3 = tosa.matmul %p3, %v3, %zp, %zp : (tensor<2x5x7xf32>, tensor<2x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x8xf32>
  %o = tosa.reshape %o3, %sho4 : (tensor<2x5x8xf32>, !tosa.shape<4>) -> tensor<1x2x5x8xf32>
  return %o : tensor<1x2x5x8xf32>
}

// -----

// Limitation: tanh of the scaled scores is attn.sdpa's softcap with cap 1,
// but the raising does not recognise soft-capping yet. Left unraised; the
// user gets the remark below with report-refusals=true.
// CHECK-LABEL: func @raise_tosa_scores_through_tanh
//       CHECK:   attn.sdpa
//   CHECK-NOT:   linalg.batch_matmul
func.func @raise_tosa_scores_through_tanh(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>) -> (tensor<1x2x5x8xf32>) {
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
  %x = tosa.tanh %x0 : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf32>
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

// -----

// s·c + s: the step adding the scaled scores to the scores reads two values
// computed from them (the score function is a DAG of steps); the score_mod
// computes it.
// CHECK-LABEL: func @scores_added_to_scores
//       CHECK:   attn.sdpa {{.*}} score_mod {
//       CHECK:   ^bb0(%[[S:.+]]: f32, %{{.+}}: index, %{{.+}}: index, %{{.+}}: index, %{{.+}}: index):
//       CHECK:     %[[X:.+]] = arith.mulf %[[S]], %{{.+}} : f32
//       CHECK:     %[[Y:.+]] = arith.addf %[[X]], %[[S]] : f32
//       CHECK:     attn.yield %[[Y]] : f32
//   CHECK-NOT:   linalg.batch_matmul
func.func @scores_added_to_scores(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>) -> (tensor<1x2x5x8xf32>) {
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
  %x = tosa.add %x0, %s : (tensor<1x2x5x7xf32>, tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf32>
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

// -----

// CHECK-LABEL: func @negative_exp_not_of_difference
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @negative_exp_not_of_difference(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>) -> (tensor<1x2x5x8xf32>) {
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
  // expected-remark @below {{attn-raise-linalg: not raised: the exponential is not exp(x - row max of x)}}
  %e = tosa.exp %x : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf32>
  %z = tosa.reduce_sum %e {axis = 3 : i32} : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x1xf32>
  %r = tosa.reciprocal %z : (tensor<1x2x5x1xf32>) -> tensor<1x2x5x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<1x2x5x7xf32>, tensor<1x2x5x1xf32>, tensor<1xi8>) -> tensor<1x2x5x7xf32>
  %p3 = tosa.reshape %p, %shs3 : (tensor<1x2x5x7xf32>, !tosa.shape<3>) -> tensor<2x5x7xf32>
  %v3 = tosa.reshape %v, %shv3 : (tensor<1x2x7x8xf32>, !tosa.shape<3>) -> tensor<2x7x8xf32>
  %o3 = tosa.matmul %p3, %v3, %zp, %zp : (tensor<2x5x7xf32>, tensor<2x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x8xf32>
  %o = tosa.reshape %o3, %sho4 : (tensor<2x5x8xf32>, !tosa.shape<4>) -> tensor<1x2x5x8xf32>
  return %o : tensor<1x2x5x8xf32>
}

// -----

// CHECK-LABEL: func @negative_max_of_other_scores
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @negative_max_of_other_scores(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>, %other: tensor<1x2x5x7xf32>) -> (tensor<1x2x5x8xf32>) {
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
  %m = tosa.reduce_max %other {axis = 3 : i32} : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x1xf32>
  %d = tosa.sub %x, %m : (tensor<1x2x5x7xf32>, tensor<1x2x5x1xf32>) -> tensor<1x2x5x7xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: the subtracted row maximum is not that of the exponentiated scores}}
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

// -----

// CHECK-LABEL: func @negative_normaliser_not_row_sum
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @negative_normaliser_not_row_sum(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>, %other: tensor<1x2x5x7xf32>) -> (tensor<1x2x5x8xf32>) {
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
  %z = tosa.reduce_sum %other {axis = 3 : i32} : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x1xf32>
  %r = tosa.reciprocal %z : (tensor<1x2x5x1xf32>) -> tensor<1x2x5x1xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: the softmax normaliser is not the row sum of its exponentials}}
  %p = tosa.mul %e, %r, %shift : (tensor<1x2x5x7xf32>, tensor<1x2x5x1xf32>, tensor<1xi8>) -> tensor<1x2x5x7xf32>
  %p3 = tosa.reshape %p, %shs3 : (tensor<1x2x5x7xf32>, !tosa.shape<3>) -> tensor<2x5x7xf32>
  %v3 = tosa.reshape %v, %shv3 : (tensor<1x2x7x8xf32>, !tosa.shape<3>) -> tensor<2x7x8xf32>
  %o3 = tosa.matmul %p3, %v3, %zp, %zp : (tensor<2x5x7xf32>, tensor<2x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x8xf32>
  %o = tosa.reshape %o3, %sho4 : (tensor<2x5x8xf32>, !tosa.shape<4>) -> tensor<1x2x5x8xf32>
  return %o : tensor<1x2x5x8xf32>
}

// -----

// CHECK-LABEL: func @negative_softmax_input_not_qk
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
func.func @negative_softmax_input_not_qk(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>, %sarg: tensor<2x5x7xf32>) -> (tensor<1x2x5x8xf32>) {
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
  // expected-remark @below {{attn-raise-linalg: not raised: the softmax input is not computed from a Q·Kᵀ contraction}}
  %x = tosa.reshape %sarg, %shs4 : (tensor<2x5x7xf32>, !tosa.shape<4>) -> tensor<1x2x5x7xf32>
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

// -----

// CHECK-LABEL: func @negative_masks_leave_no_key
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @negative_masks_leave_no_key(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>) -> (tensor<1x2x5x8xf32>) {
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
  %after = tosa.greater %diff, %c2 : (tensor<1x1x5x7xi32>, tensor<1x1x1x1xi32>) -> tensor<1x1x5x7xi1>
  %upto = tosa.greater_equal %c2, %diff : (tensor<1x1x1x1xi32>, tensor<1x1x5x7xi32>) -> tensor<1x1x5x7xi1>
  %ninf = "tosa.const"() <{values = dense<0xFF800000> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %x1 = tosa.select %after, %ninf, %x0 : (tensor<1x1x5x7xi1>, tensor<1x1x1x1xf32>, tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf32>
  %x = tosa.select %upto, %ninf, %x1 : (tensor<1x1x5x7xi1>, tensor<1x1x1x1xf32>, tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf32>
  %m = tosa.reduce_max %x {axis = 3 : i32} : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x1xf32>
  %d = tosa.sub %x, %m : (tensor<1x2x5x7xf32>, tensor<1x2x5x1xf32>) -> tensor<1x2x5x7xf32>
  %e = tosa.exp %d : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf32>
  %z = tosa.reduce_sum %e {axis = 3 : i32} : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x1xf32>
  %r = tosa.reciprocal %z : (tensor<1x2x5x1xf32>) -> tensor<1x2x5x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<1x2x5x7xf32>, tensor<1x2x5x1xf32>, tensor<1xi8>) -> tensor<1x2x5x7xf32>
  %p3 = tosa.reshape %p, %shs3 : (tensor<1x2x5x7xf32>, !tosa.shape<3>) -> tensor<2x5x7xf32>
  %v3 = tosa.reshape %v, %shv3 : (tensor<1x2x7x8xf32>, !tosa.shape<3>) -> tensor<2x7x8xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: the masks leave no key visible}}
  %o3 = tosa.matmul %p3, %v3, %zp, %zp : (tensor<2x5x7xf32>, tensor<2x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x8xf32>
  %o = tosa.reshape %o3, %sho4 : (tensor<2x5x8xf32>, !tosa.shape<4>) -> tensor<1x2x5x8xf32>
  return %o : tensor<1x2x5x8xf32>
}

// -----

// f16 attention computing its scores and probabilities in f16: raised to the
// f16 attn.sdpa, which keeps them in f32 (the low-precision contract: the
// raised op omits the original's roundings, never adds one).
// CHECK-LABEL: func @raise_tosa_scores_f16_low_precision
//       CHECK:   attn.sdpa {{.*}} -> tensor<{{.*}}xf16>
//   CHECK-NOT:   math.exp
func.func @raise_tosa_scores_f16_low_precision(%q: tensor<1x2x5x8xf16>, %k: tensor<1x2x7x8xf16>, %v: tensor<1x2x7x8xf16>) -> (tensor<1x2x5x8xf16>) {
  %zp = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf16>}> : () -> tensor<1xf16>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %scale = "tosa.const"() <{values = dense<0.353553385> : tensor<1x1x1x1xf16>}> : () -> tensor<1x1x1x1xf16>
  %shq3 = tosa.const_shape {values = dense<[2, 5, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shk3 = tosa.const_shape {values = dense<[2, 8, 7]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shv3 = tosa.const_shape {values = dense<[2, 7, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shs4 = tosa.const_shape {values = dense<[1, 2, 5, 7]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %shs3 = tosa.const_shape {values = dense<[2, 5, 7]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %sho4 = tosa.const_shape {values = dense<[1, 2, 5, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %kt = tosa.transpose %k {perms = array<i32: 0, 1, 3, 2>} : (tensor<1x2x7x8xf16>) -> tensor<1x2x8x7xf16>
  %q3 = tosa.reshape %q, %shq3 : (tensor<1x2x5x8xf16>, !tosa.shape<3>) -> tensor<2x5x8xf16>
  %kt3 = tosa.reshape %kt, %shk3 : (tensor<1x2x8x7xf16>, !tosa.shape<3>) -> tensor<2x8x7xf16>
  %s3 = tosa.matmul %q3, %kt3, %zp, %zp : (tensor<2x5x8xf16>, tensor<2x8x7xf16>, tensor<1xf16>, tensor<1xf16>) -> tensor<2x5x7xf16>
  %s = tosa.reshape %s3, %shs4 : (tensor<2x5x7xf16>, !tosa.shape<4>) -> tensor<1x2x5x7xf16>
  %x = tosa.mul %s, %scale, %shift : (tensor<1x2x5x7xf16>, tensor<1x1x1x1xf16>, tensor<1xi8>) -> tensor<1x2x5x7xf16>
  %m = tosa.reduce_max %x {axis = 3 : i32} : (tensor<1x2x5x7xf16>) -> tensor<1x2x5x1xf16>
  %d = tosa.sub %x, %m : (tensor<1x2x5x7xf16>, tensor<1x2x5x1xf16>) -> tensor<1x2x5x7xf16>
  %e = tosa.exp %d : (tensor<1x2x5x7xf16>) -> tensor<1x2x5x7xf16>
  %z = tosa.reduce_sum %e {axis = 3 : i32} : (tensor<1x2x5x7xf16>) -> tensor<1x2x5x1xf16>
  %r = tosa.reciprocal %z : (tensor<1x2x5x1xf16>) -> tensor<1x2x5x1xf16>
  %p = tosa.mul %e, %r, %shift : (tensor<1x2x5x7xf16>, tensor<1x2x5x1xf16>, tensor<1xi8>) -> tensor<1x2x5x7xf16>
  %p3 = tosa.reshape %p, %shs3 : (tensor<1x2x5x7xf16>, !tosa.shape<3>) -> tensor<2x5x7xf16>
  %v3 = tosa.reshape %v, %shv3 : (tensor<1x2x7x8xf16>, !tosa.shape<3>) -> tensor<2x7x8xf16>
  %o3 = tosa.matmul %p3, %v3, %zp, %zp : (tensor<2x5x7xf16>, tensor<2x7x8xf16>, tensor<1xf16>, tensor<1xf16>) -> tensor<2x5x8xf16>
  %o = tosa.reshape %o3, %sho4 : (tensor<2x5x8xf16>, !tosa.shape<4>) -> tensor<1x2x5x8xf16>
  return %o : tensor<1x2x5x8xf16>
}

// -----

// Limitation: dynamic shapes on rank-3 scores (heads folded into a dynamic
// batch); the raising handles dynamic sizes on [B, H, Lq, Lk] only. Left
// unraised; the user gets the remark below with report-refusals=true.
// CHECK-LABEL: func @unsupported_dynamic_shapes
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @unsupported_dynamic_shapes(%q: tensor<?x5x8xf32>, %kt: tensor<?x8x7xf32>, %v: tensor<?x7x8xf32>) -> tensor<?x5x8xf32> {
  %zp = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %s = tosa.matmul %q, %kt, %zp, %zp : (tensor<?x5x8xf32>, tensor<?x8x7xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x5x7xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: this softmax of a contraction's result has dynamic shapes, and the chain around it is not one the raising follows with dynamic sizes}}
  %m = tosa.reduce_max %s {axis = 2 : i32} : (tensor<?x5x7xf32>) -> tensor<?x5x1xf32>
  %d = tosa.sub %s, %m : (tensor<?x5x7xf32>, tensor<?x5x1xf32>) -> tensor<?x5x7xf32>
  %e = tosa.exp %d : (tensor<?x5x7xf32>) -> tensor<?x5x7xf32>
  %z = tosa.reduce_sum %e {axis = 2 : i32} : (tensor<?x5x7xf32>) -> tensor<?x5x1xf32>
  %r = tosa.reciprocal %z : (tensor<?x5x1xf32>) -> tensor<?x5x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<?x5x7xf32>, tensor<?x5x1xf32>, tensor<1xi8>) -> tensor<?x5x7xf32>
  %o = tosa.matmul %p, %v, %zp, %zp : (tensor<?x5x7xf32>, tensor<?x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x5x8xf32>
  return %o : tensor<?x5x8xf32>
}

// -----

// Limitation: the row sum computed as a product with a column of ones, a
// spelling the matcher does not know. Left unraised; the user gets the remark
// below with report-refusals=true.
// CHECK-LABEL: func @unsupported_row_sum_by_matmul
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @unsupported_row_sum_by_matmul(%q: tensor<2x5x8xf32>, %kt: tensor<2x8x7xf32>, %v: tensor<2x7x8xf32>) -> tensor<2x5x8xf32> {
  %zp = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %s = tosa.matmul %q, %kt, %zp, %zp : (tensor<2x5x8xf32>, tensor<2x8x7xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x7xf32>
  %m = tosa.reduce_max %s {axis = 2 : i32} : (tensor<2x5x7xf32>) -> tensor<2x5x1xf32>
  %d = tosa.sub %s, %m : (tensor<2x5x7xf32>, tensor<2x5x1xf32>) -> tensor<2x5x7xf32>
  %e = tosa.exp %d : (tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %ones = "tosa.const"() <{values = dense<1.000000e+00> : tensor<2x7x1xf32>}> : () -> tensor<2x7x1xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: the row sum is not a row reduction}}
  %z = tosa.matmul %e, %ones, %zp, %zp : (tensor<2x5x7xf32>, tensor<2x7x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x1xf32>
  %r = tosa.reciprocal %z : (tensor<2x5x1xf32>) -> tensor<2x5x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<2x5x7xf32>, tensor<2x5x1xf32>, tensor<1xi8>) -> tensor<2x5x7xf32>
  %o = tosa.matmul %p, %v, %zp, %zp : (tensor<2x5x7xf32>, tensor<2x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x8xf32>
  return %o : tensor<2x5x8xf32>
}

// -----

// Limitation: scores shared by the batch; the normalisation broadcasts them
// to it. This is attention with Q and K broadcast over the batch, which the
// raising does not handle yet. Left unraised; the user gets the remark below
// with report-refusals=true.
// CHECK-LABEL: func @unsupported_probs_broadcast_over_batch
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @unsupported_probs_broadcast_over_batch(%q: tensor<1x5x8xf32>, %kt: tensor<1x8x7xf32>, %v: tensor<2x7x8xf32>) -> tensor<2x5x8xf32> {
  %zp = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %s = tosa.matmul %q, %kt, %zp, %zp : (tensor<1x5x8xf32>, tensor<1x8x7xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x5x7xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: the contraction reading this softmax is not a P·V contraction the raising recognises}}
  %m = tosa.reduce_max %s {axis = 2 : i32} : (tensor<1x5x7xf32>) -> tensor<1x5x1xf32>
  %d = tosa.sub %s, %m : (tensor<1x5x7xf32>, tensor<1x5x1xf32>) -> tensor<1x5x7xf32>
  %e = tosa.exp %d : (tensor<1x5x7xf32>) -> tensor<1x5x7xf32>
  %z = tosa.reduce_sum %e {axis = 2 : i32} : (tensor<1x5x7xf32>) -> tensor<1x5x1xf32>
  %mult = tosa.const_shape {values = dense<[2, 1, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %zb = tosa.tile %z, %mult : (tensor<1x5x1xf32>, !tosa.shape<3>) -> tensor<2x5x1xf32>
  %r = tosa.reciprocal %zb : (tensor<2x5x1xf32>) -> tensor<2x5x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<1x5x7xf32>, tensor<2x5x1xf32>, tensor<1xi8>) -> tensor<2x5x7xf32>
  // expected-note @below {{the contraction}}
  %o = tosa.matmul %p, %v, %zp, %zp : (tensor<2x5x7xf32>, tensor<2x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x8xf32>
  return %o : tensor<2x5x8xf32>
}

// -----

// torch's fully-masked-row wrapper, but its test reads the unscaled scores.
// CHECK-LABEL: func @negative_masked_row_test_on_unscaled_scores
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @negative_masked_row_test_on_unscaled_scores(%q: tensor<2x5x8xf32>, %kt: tensor<2x8x7xf32>, %v: tensor<2x7x8xf32>) -> tensor<2x5x8xf32> {
  %zp = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %s = tosa.matmul %q, %kt, %zp, %zp : (tensor<2x5x8xf32>, tensor<2x8x7xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x7xf32>
  %scale = "tosa.const"() <{values = dense<0.353553385> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
  %x = tosa.mul %s, %scale, %shift : (tensor<2x5x7xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<2x5x7xf32>
  %m = tosa.reduce_max %x {axis = 2 : i32} : (tensor<2x5x7xf32>) -> tensor<2x5x1xf32>
  %d = tosa.sub %x, %m : (tensor<2x5x7xf32>, tensor<2x5x1xf32>) -> tensor<2x5x7xf32>
  %e = tosa.exp %d : (tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %z = tosa.reduce_sum %e {axis = 2 : i32} : (tensor<2x5x7xf32>) -> tensor<2x5x1xf32>
  %r = tosa.reciprocal %z : (tensor<2x5x1xf32>) -> tensor<2x5x1xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: the fully-masked-row test reads other scores than the softmax}}
  %p = tosa.mul %e, %r, %shift : (tensor<2x5x7xf32>, tensor<2x5x1xf32>, tensor<1xi8>) -> tensor<2x5x7xf32>
  %ninf = "tosa.const"() <{values = dense<0xFF800000> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
  %isinf = tosa.equal %s, %ninf : (tensor<2x5x7xf32>, tensor<1x1x1xf32>) -> tensor<2x5x7xi1>
  %all = tosa.reduce_all %isinf {axis = 2 : i32} : (tensor<2x5x7xi1>) -> tensor<2x5x1xi1>
  %zero = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
  %pw = tosa.select %all, %zero, %p : (tensor<2x5x1xi1>, tensor<1x1x1xf32>, tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %o = tosa.matmul %pw, %v, %zp, %zp : (tensor<2x5x7xf32>, tensor<2x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x8xf32>
  return %o : tensor<2x5x8xf32>
}

// -----

// Limitation: scores shared by the batch; a per-batch bias broadcasts them to
// it. This is attention with Q and K broadcast over the batch, which the
// raising does not handle yet. Left unraised; the user gets the remark below
// with report-refusals=true.
// CHECK-LABEL: func @unsupported_mask_broadcasts_scores
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @unsupported_mask_broadcasts_scores(%q: tensor<1x5x8xf32>, %kt: tensor<1x8x7xf32>, %v: tensor<2x7x8xf32>, %bias: tensor<2x5x7xf32>) -> tensor<2x5x8xf32> {
  %zp = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %s = tosa.matmul %q, %kt, %zp, %zp : (tensor<1x5x8xf32>, tensor<1x8x7xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x5x7xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: the softmax input is not computed from a Q·Kᵀ contraction}}
  %x = tosa.add %s, %bias : (tensor<1x5x7xf32>, tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %m = tosa.reduce_max %x {axis = 2 : i32} : (tensor<2x5x7xf32>) -> tensor<2x5x1xf32>
  %d = tosa.sub %x, %m : (tensor<2x5x7xf32>, tensor<2x5x1xf32>) -> tensor<2x5x7xf32>
  %e = tosa.exp %d : (tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %z = tosa.reduce_sum %e {axis = 2 : i32} : (tensor<2x5x7xf32>) -> tensor<2x5x1xf32>
  %r = tosa.reciprocal %z : (tensor<2x5x1xf32>) -> tensor<2x5x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<2x5x7xf32>, tensor<2x5x1xf32>, tensor<1xi8>) -> tensor<2x5x7xf32>
  %o = tosa.matmul %p, %v, %zp, %zp : (tensor<2x5x7xf32>, tensor<2x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x8xf32>
  return %o : tensor<2x5x8xf32>
}

// -----

// CHECK-LABEL: func @raise_tosa_scores_squared
//       CHECK:   attn.sdpa
//   CHECK-NOT:   linalg.batch_matmul
func.func @raise_tosa_scores_squared(%q: tensor<2x5x8xf32>, %kt: tensor<2x8x7xf32>, %v: tensor<2x7x8xf32>) -> tensor<2x5x8xf32> {
  %zp = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %s = tosa.matmul %q, %kt, %zp, %zp : (tensor<2x5x8xf32>, tensor<2x8x7xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x7xf32>
  %x = tosa.mul %s, %s, %shift : (tensor<2x5x7xf32>, tensor<2x5x7xf32>, tensor<1xi8>) -> tensor<2x5x7xf32>
  %m = tosa.reduce_max %x {axis = 2 : i32} : (tensor<2x5x7xf32>) -> tensor<2x5x1xf32>
  %d = tosa.sub %x, %m : (tensor<2x5x7xf32>, tensor<2x5x1xf32>) -> tensor<2x5x7xf32>
  %e = tosa.exp %d : (tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %z = tosa.reduce_sum %e {axis = 2 : i32} : (tensor<2x5x7xf32>) -> tensor<2x5x1xf32>
  %r = tosa.reciprocal %z : (tensor<2x5x1xf32>) -> tensor<2x5x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<2x5x7xf32>, tensor<2x5x1xf32>, tensor<1xi8>) -> tensor<2x5x7xf32>
  %o = tosa.matmul %p, %v, %zp, %zp : (tensor<2x5x7xf32>, tensor<2x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x8xf32>
  return %o : tensor<2x5x8xf32>
}

// -----

// leaky_relu(scores): the condition and both select operands are computed
// from the scores, in three steps; the score_mod computes it.
// CHECK-LABEL: func @leaky_relu_select
//       CHECK:   attn.sdpa {{.*}} score_mod {
//       CHECK:   ^bb0(%[[S:.+]]: f32, %{{.+}}: index, %{{.+}}: index, %{{.+}}: index, %{{.+}}: index):
//   CHECK-DAG:     %[[POS:.+]] = arith.cmpf ogt, %[[S]], %{{.+}} : f32
//   CHECK-DAG:     %[[LEAK:.+]] = arith.mulf %[[S]], %{{.+}} : f32
//       CHECK:     %[[R:.+]] = arith.select %[[POS]], %[[S]], %[[LEAK]] : f32
//       CHECK:     attn.yield %[[R]] : f32
//   CHECK-NOT:   linalg.batch_matmul
func.func @leaky_relu_select(%q: tensor<2x5x8xf32>, %kt: tensor<2x8x7xf32>, %v: tensor<2x7x8xf32>) -> tensor<2x5x8xf32> {
  %zp = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %s = tosa.matmul %q, %kt, %zp, %zp : (tensor<2x5x8xf32>, tensor<2x8x7xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x7xf32>
  %zero = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
  %slope = "tosa.const"() <{values = dense<0.00999999977> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
  %pos = tosa.greater %s, %zero : (tensor<2x5x7xf32>, tensor<1x1x1xf32>) -> tensor<2x5x7xi1>
  %leak = tosa.mul %s, %slope, %shift : (tensor<2x5x7xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<2x5x7xf32>
  %x = tosa.select %pos, %s, %leak : (tensor<2x5x7xi1>, tensor<2x5x7xf32>, tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %m = tosa.reduce_max %x {axis = 2 : i32} : (tensor<2x5x7xf32>) -> tensor<2x5x1xf32>
  %d = tosa.sub %x, %m : (tensor<2x5x7xf32>, tensor<2x5x1xf32>) -> tensor<2x5x7xf32>
  %e = tosa.exp %d : (tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %z = tosa.reduce_sum %e {axis = 2 : i32} : (tensor<2x5x7xf32>) -> tensor<2x5x1xf32>
  %r = tosa.reciprocal %z : (tensor<2x5x1xf32>) -> tensor<2x5x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<2x5x7xf32>, tensor<2x5x1xf32>, tensor<1xi8>) -> tensor<2x5x7xf32>
  %o = tosa.matmul %p, %v, %zp, %zp : (tensor<2x5x7xf32>, tensor<2x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x8xf32>
  return %o : tensor<2x5x8xf32>
}

// -----

// Q·Kᵀ in f16 accumulated in f32, V in f32.
// CHECK-LABEL: func @negative_mixed_element_types
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @negative_mixed_element_types(%q: tensor<2x5x8xf16>, %kt: tensor<2x8x7xf16>, %v: tensor<2x7x8xf32>) -> tensor<2x5x8xf32> {
  %zp = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %zph = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf16>}> : () -> tensor<1xf16>
  %s = tosa.matmul %q, %kt, %zph, %zph : (tensor<2x5x8xf16>, tensor<2x8x7xf16>, tensor<1xf16>, tensor<1xf16>) -> tensor<2x5x7xf32>
  %m = tosa.reduce_max %s {axis = 2 : i32} : (tensor<2x5x7xf32>) -> tensor<2x5x1xf32>
  %d = tosa.sub %s, %m : (tensor<2x5x7xf32>, tensor<2x5x1xf32>) -> tensor<2x5x7xf32>
  %e = tosa.exp %d : (tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %z = tosa.reduce_sum %e {axis = 2 : i32} : (tensor<2x5x7xf32>) -> tensor<2x5x1xf32>
  %r = tosa.reciprocal %z : (tensor<2x5x1xf32>) -> tensor<2x5x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<2x5x7xf32>, tensor<2x5x1xf32>, tensor<1xi8>) -> tensor<2x5x7xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: mixed element types (query 'f16', key 'f16', value 'f32', output 'f32') would change numerics}}
  %o = tosa.matmul %p, %v, %zp, %zp : (tensor<2x5x7xf32>, tensor<2x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x8xf32>
  return %o : tensor<2x5x8xf32>
}

// -----

// Limitation: the softmax is computed outside the scf.if that holds P·V; the
// raising only matches an attention within one block. Left unraised; the user
// gets the remark below with report-refusals=true.
// CHECK-LABEL: func @unsupported_pv_in_another_block
//   CHECK-NOT:   attn.
//       CHECK:   linalg.batch_matmul
//       CHECK:   linalg.batch_matmul
func.func @unsupported_pv_in_another_block(%q: tensor<2x5x8xf32>, %kt: tensor<2x8x7xf32>, %v: tensor<2x7x8xf32>, %use: i1) -> tensor<2x5x8xf32> {
  %zp = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %s = tosa.matmul %q, %kt, %zp, %zp : (tensor<2x5x8xf32>, tensor<2x8x7xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x7xf32>
  %m = tosa.reduce_max %s {axis = 2 : i32} : (tensor<2x5x7xf32>) -> tensor<2x5x1xf32>
  %d = tosa.sub %s, %m : (tensor<2x5x7xf32>, tensor<2x5x1xf32>) -> tensor<2x5x7xf32>
  %e = tosa.exp %d : (tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %z = tosa.reduce_sum %e {axis = 2 : i32} : (tensor<2x5x7xf32>) -> tensor<2x5x1xf32>
  %r = tosa.reciprocal %z : (tensor<2x5x1xf32>) -> tensor<2x5x1xf32>
  // expected-remark @below {{attn-raise-linalg: not raised: the attention spans several blocks}}
  %p = tosa.mul %e, %r, %shift : (tensor<2x5x7xf32>, tensor<2x5x1xf32>, tensor<1xi8>) -> tensor<2x5x7xf32>
  %o = scf.if %use -> (tensor<2x5x8xf32>) {
    %pv = tosa.matmul %p, %v, %zp, %zp : (tensor<2x5x7xf32>, tensor<2x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x8xf32>
    scf.yield %pv : tensor<2x5x8xf32>
  } else {
    %zeros = "tosa.const"() <{values = dense<0.000000e+00> : tensor<2x5x8xf32>}> : () -> tensor<2x5x8xf32>
    scf.yield %zeros : tensor<2x5x8xf32>
  }
  return %o : tensor<2x5x8xf32>
}

// -----

// Limitation: a bias whose batch size is only known at run time; the raising
// handles static mask shapes only. Left unraised; the user gets the remark
// below with report-refusals=true.
// CHECK-LABEL: func @raise_tosa_mask_dynamic_shape
//       CHECK:   attn.sdpa
//   CHECK-NOT:   linalg.batch_matmul
func.func @raise_tosa_mask_dynamic_shape(%q: tensor<2x5x8xf32>, %kt: tensor<2x8x7xf32>, %v: tensor<2x7x8xf32>, %bias: tensor<?x5x7xf32>) -> tensor<2x5x8xf32> {
  %zp = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %s = tosa.matmul %q, %kt, %zp, %zp : (tensor<2x5x8xf32>, tensor<2x8x7xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x7xf32>
  %x = tosa.add %s, %bias : (tensor<2x5x7xf32>, tensor<?x5x7xf32>) -> tensor<2x5x7xf32>
  %m = tosa.reduce_max %x {axis = 2 : i32} : (tensor<2x5x7xf32>) -> tensor<2x5x1xf32>
  %d = tosa.sub %x, %m : (tensor<2x5x7xf32>, tensor<2x5x1xf32>) -> tensor<2x5x7xf32>
  %e = tosa.exp %d : (tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %z = tosa.reduce_sum %e {axis = 2 : i32} : (tensor<2x5x7xf32>) -> tensor<2x5x1xf32>
  %r = tosa.reciprocal %z : (tensor<2x5x1xf32>) -> tensor<2x5x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<2x5x7xf32>, tensor<2x5x1xf32>, tensor<1xi8>) -> tensor<2x5x7xf32>
  %o = tosa.matmul %p, %v, %zp, %zp : (tensor<2x5x7xf32>, tensor<2x7x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x8xf32>
  return %o : tensor<2x5x8xf32>
}
