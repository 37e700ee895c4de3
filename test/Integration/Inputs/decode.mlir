// Decoding-shaped attention for the split-KV tests.

func.func @decode(%q: tensor<1x8x1x32xf16>, %k: tensor<1x2x517x32xf16>,
                  %v: tensor<1x2x517x32xf16>, %lens: tensor<1xi32>)
    -> (tensor<1x8x1x32xf16>, tensor<1x8x1xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v kv_lens(%lens : tensor<1xi32>) {causal}
      : tensor<1x8x1x32xf16>, tensor<1x2x517x32xf16>, tensor<1x2x517x32xf16>
      -> tensor<1x8x1x32xf16>, tensor<1x8x1xf32>
  return %o, %lse : tensor<1x8x1x32xf16>, tensor<1x8x1xf32>
}

func.func @decode_dynamic(%q: tensor<?x8x?x16xf32>, %k: tensor<?x2x?x16xf32>,
                          %v: tensor<?x2x?x16xf32>, %lens: tensor<?xi32>)
    -> (tensor<?x8x?x16xf32>, tensor<?x8x?xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v kv_lens(%lens : tensor<?xi32>) {causal}
      : tensor<?x8x?x16xf32>, tensor<?x2x?x16xf32>, tensor<?x2x?x16xf32>
      -> tensor<?x8x?x16xf32>, tensor<?x8x?xf32>
  return %o, %lse : tensor<?x8x?x16xf32>, tensor<?x8x?xf32>
}
