// Sizes for attn-run-limits.test.
func.func @billion(%q: tensor<1x8x1000000000x64xf32>, %k: tensor<1x8x1000000000x64xf32>, %v: tensor<1x8x1000000000x64xf32>) -> tensor<1x8x1000000000x64xf32> {
  %0 = attn.sdpa %q, %k, %v : tensor<1x8x1000000000x64xf32>, tensor<1x8x1000000000x64xf32>, tensor<1x8x1000000000x64xf32> -> tensor<1x8x1000000000x64xf32>
  return %0 : tensor<1x8x1000000000x64xf32>
}

func.func @small(%q: tensor<1x2x32x16xf32>, %k: tensor<1x2x32x16xf32>, %v: tensor<1x2x32x16xf32>) -> tensor<1x2x32x16xf32> {
  %0 = attn.sdpa %q, %k, %v : tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32> -> tensor<1x2x32x16xf32>
  return %0 : tensor<1x2x32x16xf32>
}
