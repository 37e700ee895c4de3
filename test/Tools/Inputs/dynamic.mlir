func.func @dyn(%q: tensor<?x2x?x8xf32>, %k: tensor<?x2x?x8xf32>, %v: tensor<?x2x?x8xf32>) -> tensor<?x2x?x8xf32> {
  %o = attn.sdpa %q, %k, %v : tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32> -> tensor<?x2x?x8xf32>
  return %o : tensor<?x2x?x8xf32>
}
func.func @scalar(%s: f32) -> f32 {
  return %s : f32
}
func.func @dyn_mask(%q: tensor<2x2x3x8xf32>, %m: tensor<?x1x3x3xi1>) -> tensor<2x2x3x8xf32> {
  %o = attn.sdpa %q, %q, %q mask(%m : tensor<?x1x3x3xi1>) : tensor<2x2x3x8xf32>, tensor<2x2x3x8xf32>, tensor<2x2x3x8xf32> -> tensor<2x2x3x8xf32>
  return %o : tensor<2x2x3x8xf32>
}
