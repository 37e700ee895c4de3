// RUN: attn-opt %s --attn-distribute-ring --split-input-file -verify-diagnostics
// RUN: not attn-opt %s --attn-distribute-ring=communicator=self 2>&1 | FileCheck %s --check-prefix=OPTION
// OPTION: error: attn-distribute-ring: communicator must be world or argument, got 'self'

// expected-error @+1 {{attn-distribute-ring: cannot distribute 'extra_op': the body must be one 'attn.sdpa' and the return; found 'arith.addf'}}
func.func @extra_op(%q: tensor<1x2x32x16xf32>, %k: tensor<1x2x32x16xf32>,
                    %v: tensor<1x2x32x16xf32>) -> tensor<1x2x32x16xf32> {
  %o = attn.sdpa %q, %k, %v : tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32>,
      tensor<1x2x32x16xf32> -> tensor<1x2x32x16xf32>
  %r = arith.addf %o, %o : tensor<1x2x32x16xf32>
  return %r : tensor<1x2x32x16xf32>
}

// -----

// expected-error @+1 {{cannot distribute 'self_attention': argument #0 is used twice; each operand needs its own argument}}
func.func @self_attention(%x: tensor<1x2x32x16xf32>, %v: tensor<1x2x32x16xf32>)
    -> tensor<1x2x32x16xf32> {
  %o = attn.sdpa %x, %x, %v : tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32>,
      tensor<1x2x32x16xf32> -> tensor<1x2x32x16xf32>
  return %o : tensor<1x2x32x16xf32>
}

// -----

// expected-error @+1 {{cannot distribute 'unused_argument': argument #3 is not an operand of 'attn.sdpa'}}
func.func @unused_argument(%q: tensor<1x2x32x16xf32>, %k: tensor<1x2x32x16xf32>,
                           %v: tensor<1x2x32x16xf32>, %x: tensor<4xf32>)
    -> tensor<1x2x32x16xf32> {
  %o = attn.sdpa %q, %k, %v : tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32>,
      tensor<1x2x32x16xf32> -> tensor<1x2x32x16xf32>
  return %o : tensor<1x2x32x16xf32>
}

// -----

// expected-error @+1 {{cannot distribute 'already_a_tile': the 'attn.sdpa' is already a tile (it has a tile_origin)}}
func.func @already_a_tile(%q: tensor<1x2x32x16xf32>, %k: tensor<1x2x32x16xf32>,
                          %v: tensor<1x2x32x16xf32>, %i: index)
    -> tensor<1x2x32x16xf32> {
  %o = attn.sdpa %q, %k, %v tile_origin(%i, %i, %i, %i) : tensor<1x2x32x16xf32>,
      tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32> -> tensor<1x2x32x16xf32>
  return %o : tensor<1x2x32x16xf32>
}
