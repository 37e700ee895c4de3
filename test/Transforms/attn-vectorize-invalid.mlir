// RUN: attn-opt %s --attn-vectorize="vector-bits=32" -verify-diagnostics -split-input-file

/// A register width attn-vectorize does not know is an error located on the
/// op the pass runs on (here the module), and the pass fails without
/// rewriting.

// expected-error @below {{attn-vectorize: vector-bits must be 0, 128, 256 or 512, got 32}}
module {
  func.func @exp_block(%x: tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> {
    %e = tensor.empty() : tensor<1x1x4x16xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(b, h, i, j) -> (b, h, i, j)>, affine_map<(b, h, i, j) -> (b, h, i, j)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x1x4x16xf32>) outs(%e : tensor<1x1x4x16xf32>) {
    ^bb0(%a: f32, %c: f32):
      %y = math.exp %a : f32
      linalg.yield %y : f32
    } -> tensor<1x1x4x16xf32>
    return %r : tensor<1x1x4x16xf32>
  }
}
