// The strategy passes of attn-cpu-pipeline (split-kv, vector-bits > 0) and
// the transform script Inputs/split-kv-strategy.mlir, which drives the same
// core functions through transform.attn.*, give the same IR.
// RUN: attn-opt %s --pass-pipeline='builtin.module(func.func(attn-decompose-mha,attn-fuse,attn-pack-gqa,attn-split-kv{num-splits=3 tile-kv=16 static-blocks=true},attn-lower-unfused,canonicalize,cse,attn-vectorize{vector-bits=256},canonicalize,cse))' -o %t.passes.mlir
// RUN: attn-opt %s --transform-preload-library=transform-library-paths=%S/Inputs/split-kv-strategy.mlir --transform-interpreter -o %t.script.mlir
// RUN: diff %t.passes.mlir %t.script.mlir
// RUN: FileCheck %s --input-file=%t.script.mlir
// The pass list above is the strategy section of attn-cpu-pipeline.
// RUN: attn-opt %s --pass-pipeline='builtin.module(attn-cpu-pipeline{strategy=split-kv num-splits=3 tile-kv=16 vector-bits=256})' --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=PIPELINE

///----------------------------------------------------------------------------
/// IN:  attn.sdpa of a decoding step (one query, grouped-query heads, Lk = 100
///      not a multiple of tile-kv = 16).
/// OUT: the same IR from the pass list and from the script: the 8 query
///      heads packed as 4 rows of each of the 2 K/V heads (attn-pack-gqa),
///      an scf.forall over 3 key partitions of 48 keys (whole 16-key blocks;
///      the last block, 4 keys, padded),
///      vector code in the blocks, the log-sum-exp combine.
/// Why: a transform script must be able to reproduce attn-cpu-pipeline's
///      strategy (no transform op lagging its pass).
///----------------------------------------------------------------------------

// PIPELINE:      attn-decompose-mha,
// PIPELINE-NEXT: attn-fuse{report-refusals=false},
// PIPELINE-NEXT: attn-pack-gqa{max-rows=16 report-refusals=false},
// PIPELINE-NEXT: attn-split-kv{num-splits=3 static-blocks=true tile-kv=16},
// PIPELINE-NEXT: attn-lower-unfused,
// PIPELINE-NEXT: canonicalize{
// PIPELINE-NEXT: cse,
// PIPELINE-NEXT: attn-vectorize{report=false vector-bits=256},
// PIPELINE-NEXT: canonicalize{
// PIPELINE-NEXT: cse
// PIPELINE-NEXT: ),
// PIPELINE-NEXT: one-shot-bufferize

// CHECK-LABEL: func @decode_gqa
//       CHECK:   scf.forall (%[[SPLIT:.+]]) in (3)
//       CHECK:     arith.muli %[[SPLIT]], %c48
//       CHECK:     scf.for {{.*}} -> (tensor<1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4x32xf32>)
//       CHECK:       tensor.pad
//       CHECK:       vector.multi_reduction <maxnumf>
//   CHECK-NOT:   attn.sdpa
func.func @decode_gqa(%q: tensor<1x8x1x32xf32>, %k: tensor<1x2x100x32xf32>,
                      %v: tensor<1x2x100x32xf32>) -> tensor<1x8x1x32xf32> {
  %o = attn.sdpa %q, %k, %v
      : tensor<1x8x1x32xf32>, tensor<1x2x100x32xf32>, tensor<1x2x100x32xf32> -> tensor<1x8x1x32xf32>
  return %o : tensor<1x8x1x32xf32>
}
