// Inputs of nan-inf.test: one head, 4 queries, 6 keys, an additive mask.
func.func @f(%q: tensor<1x1x4x4xf32>, %k: tensor<1x1x6x4xf32>, %v: tensor<1x1x6x4xf32>, %m: tensor<1x1x4x6xf32>) -> tensor<1x1x4x4xf32> {
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<1x1x4x6xf32>) : tensor<1x1x4x4xf32>, tensor<1x1x6x4xf32>, tensor<1x1x6x4xf32> -> tensor<1x1x4x4xf32>
  return %o : tensor<1x1x4x4xf32>
}
