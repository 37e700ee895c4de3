// RUN: attn-opt %s --attn-raise-tosa --split-input-file -verify-diagnostics

// attn-raise-tosa lowers TOSA with the upstream tosa-to-linalg passes; what
// they cannot lower fails the pass with their error, located on the op.


func.func @negative_zero_point_not_constant(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>, %zq: tensor<1xf32>) -> (tensor<1x2x5x8xf32>) {
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
  // expected-error @below {{failed to legalize operation 'tosa.matmul'}}
  %s3 = tosa.matmul %q3, %kt3, %zq, %zp : (tensor<2x5x8xf32>, tensor<2x8x7xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x7xf32>
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

