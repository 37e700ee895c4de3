// RUN: attn-opt %s --attn-split-kv="num-splits=-1" -verify-diagnostics -split-input-file

/// Option values attn-split-kv cannot use are an error located on the op the
/// pass runs on (here the module), and the pass fails without rewriting.

// expected-error @below {{attn-split-kv: num-splits must be >= 0 and tile-kv > 0, got -1 and 128}}
module {
  func.func @decode(%q: tensor<1x8x1x16xf16>, %k: tensor<1x2x50x16xf16>, %v: tensor<1x2x50x16xf16>)
      -> tensor<1x8x1x16xf16> {
    %o = attn.sdpa %q, %k, %v {causal}
        : tensor<1x8x1x16xf16>, tensor<1x2x50x16xf16>, tensor<1x2x50x16xf16> -> tensor<1x8x1x16xf16>
    return %o : tensor<1x8x1x16xf16>
  }
}
