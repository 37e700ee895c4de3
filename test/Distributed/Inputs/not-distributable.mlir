func.func @extra_op(%q: tensor<1x2x32x16xf32>, %k: tensor<1x2x32x16xf32>,
                    %v: tensor<1x2x32x16xf32>) -> tensor<1x2x32x16xf32> {
  %o = attn.sdpa %q, %k, %v : tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32>,
      tensor<1x2x32x16xf32> -> tensor<1x2x32x16xf32>
  %r = arith.addf %o, %o : tensor<1x2x32x16xf32>
  return %r : tensor<1x2x32x16xf32>
}
