// Causal scaled-dot-product attention with fewer queries than keys: 6 new
// queries attend to a 10-token context (Lq = 6, Lk = 10), 4 query heads
// sharing 2 key/value heads (grouped-query attention), head size 8.
//
// Causality is bottom-right aligned: query i sits at position i + Lk - Lq,
// so the last query sees every key and the first sees keys 0..4.
//
// Run it on seeded random inputs and compare with the float64 reference:
//   build/bin/attn-run examples/causal_sdpa.mlir --entry=causal_decode --check

func.func @causal_decode(%q: tensor<1x4x6x8xf32>, %k: tensor<1x2x10x8xf32>,
                         %v: tensor<1x2x10x8xf32>)
    -> (tensor<1x4x6x8xf32>, tensor<1x4x6xf32>) {
  %out, %lse = attn.sdpa %q, %k, %v {causal}
      : tensor<1x4x6x8xf32>, tensor<1x2x10x8xf32>, tensor<1x2x10x8xf32>
      -> tensor<1x4x6x8xf32>, tensor<1x4x6xf32>
  return %out, %lse : tensor<1x4x6x8xf32>, tensor<1x4x6xf32>
}
