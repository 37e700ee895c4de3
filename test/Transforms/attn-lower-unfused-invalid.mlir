// RUN: attn-opt %s --attn-lower-unfused --split-input-file --verify-diagnostics

// The unfused strategy materialises the [B, Hq, Lq, Lk] f32 scores: when
// their byte size overflows int64 (here 8·10^9·10^9·4 bytes) the allocation
// size would wrap, so the pass refuses the op instead of lowering it.
func.func @negative_scores_overflow(%q: tensor<1x8x1000000000x64xf32>,
                                    %k: tensor<1x8x1000000000x64xf32>)
    -> tensor<1x8x1000000000x64xf32> {
  // expected-error @below {{attn-lower-unfused: the [B, Hq, Lq, Lk] scores of this op would have 2^63 bytes or more; use the flash strategy, which never materialises them}}
  %o = attn.sdpa %q, %k, %k : tensor<1x8x1000000000x64xf32>, tensor<1x8x1000000000x64xf32>, tensor<1x8x1000000000x64xf32> -> tensor<1x8x1000000000x64xf32>
  return %o : tensor<1x8x1000000000x64xf32>
}
