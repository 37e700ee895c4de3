func.func @causal_gqa(%q: tensor<2x8x37x64xf16>, %k: tensor<2x2x53x64xf16>,
                      %v: tensor<2x2x53x32xf16>) -> tensor<2x8x37x32xf16> {
  %o = attn.sdpa %q, %k, %v {causal}
      : tensor<2x8x37x64xf16>, tensor<2x2x53x64xf16>, tensor<2x2x53x32xf16> -> tensor<2x8x37x32xf16>
  return %o : tensor<2x8x37x32xf16>
}
