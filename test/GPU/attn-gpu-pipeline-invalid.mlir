// REQUIRES: cuda-toolkit
// RUN: attn-opt %s --pass-pipeline='builtin.module(attn-gpu-pipeline{chip=sm_80})' --split-input-file -verify-diagnostics

/// What attn-gpu-pipeline refuses, located at the attention.

// Limitation: a block's tiles must fit in 48 KiB of shared memory (here
// head size 512 with the default 32-query tiles).
func.func @unsupported_shared_memory(%q: tensor<1x1x32x512xf32>, %k: tensor<1x1x32x512xf32>,
                                     %v: tensor<1x1x32x512xf32>) -> tensor<1x1x32x512xf32> {
  // expected-error @below {{attn-gpu-promote-allocs: the block's buffers need}}
  %o = attn.sdpa %q, %k, %v
      : tensor<1x1x32x512xf32>, tensor<1x1x32x512xf32>, tensor<1x1x32x512xf32> -> tensor<1x1x32x512xf32>
  return %o : tensor<1x1x32x512xf32>
}
