// The strategy passes of attn-cpu-pipeline (flash, vector-bits > 0) and the
// transform script Inputs/flash-strategy.mlir, which drives the same core
// functions through transform.attn.*, give the same IR.
// RUN: attn-opt %s --pass-pipeline='builtin.module(func.func(attn-decompose-mha,attn-fuse,attn-pack-gqa,attn-tile-flash{tile-q=8 tile-kv=16 static-blocks=true},attn-lower-unfused,canonicalize,cse,attn-vectorize{vector-bits=256},canonicalize,cse))' -o %t.passes.mlir
// RUN: attn-opt %s --transform-preload-library=transform-library-paths=%S/Inputs/flash-strategy.mlir --transform-interpreter -o %t.script.mlir
// RUN: diff %t.passes.mlir %t.script.mlir
// RUN: FileCheck %s --input-file=%t.script.mlir
// The pass list above is the strategy section of attn-cpu-pipeline.
// RUN: attn-opt %s --pass-pipeline='builtin.module(attn-cpu-pipeline{tile-q=8 tile-kv=16 vector-bits=256})' --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=PIPELINE

///----------------------------------------------------------------------------
/// IN:  attn.sdpa (causal, grouped-query heads, Lq = 20 not a multiple of
///      tile-q = 8).
/// OUT: the same IR from the pass list and from the script: an scf.forall
///      of query tiles padded to 8 rows, key-block loops, FMA register
///      blocks.
/// Why: a transform script must be able to reproduce attn-cpu-pipeline's
///      strategy (no transform op lagging its pass).
///----------------------------------------------------------------------------

// PIPELINE:      attn-decompose-mha,
// PIPELINE-NEXT: attn-fuse{report-refusals=false},
// PIPELINE-NEXT: attn-pack-gqa{max-rows=16 report-refusals=false},
// PIPELINE-NEXT: attn-tile-flash{gpu-blocks=false report=false static-blocks=true tile-kv=16 tile-q=8},
// PIPELINE-NEXT: attn-lower-unfused,
// PIPELINE-NEXT: canonicalize{
// PIPELINE-NEXT: cse,
// PIPELINE-NEXT: attn-vectorize{report=false vector-bits=256},
// PIPELINE-NEXT: canonicalize{
// PIPELINE-NEXT: cse
// PIPELINE-NEXT: ),
// PIPELINE-NEXT: one-shot-bufferize

// CHECK-LABEL: func @causal_gqa
//       CHECK:   scf.forall ({{.*}}) = (0, 0) to (4, 20) step (1, 8)
//       CHECK:     tensor.pad
//       CHECK:     } : tensor<1x1x?x16xf32> to tensor<1x1x8x16xf32>
//       CHECK:     scf.for {{.*}} -> (tensor<1x1x8xf32>, tensor<1x1x8xf32>, tensor<1x1x8x16xf32>)
//       CHECK:       vector.fma {{.*}} : vector<4x16xf32>
//   CHECK-NOT:   attn.sdpa
func.func @causal_gqa(%q: tensor<1x4x20x16xf32>, %k: tensor<1x2x40x16xf32>,
                      %v: tensor<1x2x40x16xf32>) -> tensor<1x4x20x16xf32> {
  %o = attn.sdpa %q, %k, %v {causal}
      : tensor<1x4x20x16xf32>, tensor<1x2x40x16xf32>, tensor<1x2x40x16xf32> -> tensor<1x4x20x16xf32>
  return %o : tensor<1x4x20x16xf32>
}
