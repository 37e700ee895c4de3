func.func @causal_gqa(%q: tensor<2x8x37x64xbf16>, %k: tensor<2x2x53x64xbf16>,
                      %v: tensor<2x2x53x32xbf16>) -> tensor<2x8x37x32xbf16> {
  %o = attn.sdpa %q, %k, %v {causal}
      : tensor<2x8x37x64xbf16>, tensor<2x2x53x64xbf16>, tensor<2x2x53x32xbf16> -> tensor<2x8x37x32xbf16>
  return %o : tensor<2x8x37x32xbf16>
}
