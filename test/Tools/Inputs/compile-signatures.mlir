// Signatures that attn-compile exports: f16 with an i1 mask, a scalar
// argument and result, sizes derived through tensor.dim and tensor.empty,
// and a private helper that is not exported.

func.func @masked_f16(%q: tensor<1x2x5x8xf16>, %k: tensor<1x2x7x8xf16>,
                      %v: tensor<1x2x7x8xf16>, %m: tensor<1x1x5x7xi1>)
    -> tensor<1x2x5x8xf16> {
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<1x1x5x7xi1>)
      : tensor<1x2x5x8xf16>, tensor<1x2x7x8xf16>, tensor<1x2x7x8xf16>
      -> tensor<1x2x5x8xf16>
  return %o : tensor<1x2x5x8xf16>
}

func.func @scaled_sum(%x: tensor<4xf64>, %s: f64) -> (f64, tensor<4xf64>) {
  %e = call @first(%x) : (tensor<4xf64>) -> f64
  %r = arith.mulf %e, %s : f64
  return %r, %x : f64, tensor<4xf64>
}

func.func @matmul_dyn(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = tensor.dim %a, %c0 : tensor<?x?xf32>
  %n = tensor.dim %b, %c1 : tensor<?x?xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty(%m, %n) : tensor<?x?xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<?x?xf32>) -> tensor<?x?xf32>
  %r = linalg.matmul ins(%a, %b : tensor<?x?xf32>, tensor<?x?xf32>)
                     outs(%f : tensor<?x?xf32>) -> tensor<?x?xf32>
  %c = tensor.cast %r : tensor<?x?xf32> to tensor<?x?xf32>
  return %c : tensor<?x?xf32>
}

func.func private @first(%x: tensor<4xf64>) -> f64 {
  %c0 = arith.constant 0 : index
  %e = tensor.extract %x[%c0] : tensor<4xf64>
  return %e : f64
}
