// Non-causal scaled-dot-product attention, B1 H8 L1024 D64, f32: a shape of
// the benchmark (scripts/bench.sh), for timing one configuration by hand:
//   build/bin/attn-run examples/sdpa_h8_l1024.mlir --entry=sdpa --bench
//   build/bin/attn-run examples/sdpa_h8_l1024.mlir --entry=sdpa --check
func.func @sdpa(%q: tensor<1x8x1024x64xf32>, %k: tensor<1x8x1024x64xf32>,
                %v: tensor<1x8x1024x64xf32>) -> tensor<1x8x1024x64xf32> {
  %o = attn.sdpa %q, %k, %v
      : tensor<1x8x1024x64xf32>, tensor<1x8x1024x64xf32>, tensor<1x8x1024x64xf32>
      -> tensor<1x8x1024x64xf32>
  return %o : tensor<1x8x1024x64xf32>
}
