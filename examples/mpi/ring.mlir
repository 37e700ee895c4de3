// Causal grouped-query attention over a sequence of 301 tokens, for
// attn-compile --distributed=ring (examples/mpi/ring.c calls it on every
// MPI rank with the rank's rows).
func.func @ring_attention(%q: tensor<1x8x301x32xf32>, %k: tensor<1x2x301x32xf32>,
                          %v: tensor<1x2x301x32xf32>)
    -> (tensor<1x8x301x32xf32>, tensor<1x8x301xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v {causal}
      : tensor<1x8x301x32xf32>, tensor<1x2x301x32xf32>, tensor<1x2x301x32xf32>
      -> tensor<1x8x301x32xf32>, tensor<1x8x301xf32>
  return %o, %lse : tensor<1x8x301x32xf32>, tensor<1x8x301xf32>
}
