// RUN: attn-opt %s --attn-tile-flash="tile-q=0" -verify-diagnostics -split-input-file

/// Tile sizes attn-tile-flash cannot use are an error located on the op the
/// pass runs on (here the module), and the pass fails without rewriting.

// expected-error @below {{attn-tile-flash: tile-q and tile-kv must be > 0, got 0 and 128}}
module {
  func.func @causal(%q: tensor<1x1x5x8xf32>, %k: tensor<1x1x7x8xf32>, %v: tensor<1x1x7x8xf32>)
      -> tensor<1x1x5x8xf32> {
    %o = attn.sdpa %q, %k, %v {causal}
        : tensor<1x1x5x8xf32>, tensor<1x1x7x8xf32>, tensor<1x1x7x8xf32> -> tensor<1x1x5x8xf32>
    return %o : tensor<1x1x5x8xf32>
  }
}
