// RUN: attn-opt %s --pass-pipeline='builtin.module(attn-cpu-pipeline{vector-bits=0})' --split-input-file | FileCheck %s
// RUN: attn-opt %s --pass-pipeline='builtin.module(attn-cpu-pipeline)' --split-input-file | FileCheck %s --check-prefix=VEC256
// RUN: attn-opt %s --pass-pipeline='builtin.module(attn-cpu-pipeline{vector-bits=512})' --split-input-file | FileCheck %s --check-prefix=VEC512
// RUN: attn-opt %s --pass-pipeline='builtin.module(attn-cpu-pipeline)' --split-input-file | FileCheck %s --check-prefix=LLVM-ONLY
// RUN: attn-opt %s --pass-pipeline='builtin.module(attn-cpu-pipeline{strategy=unfused})' --split-input-file | FileCheck %s --check-prefix=LLVM-ONLY
// RUN: attn-opt %s --pass-pipeline='builtin.module(attn-cpu-pipeline{strategy=split-kv raise=false num-splits=2})' --split-input-file | FileCheck %s --check-prefix=LLVM-ONLY
// RUN: attn-opt %s --pass-pipeline='builtin.module(attn-cpu-pipeline{threads=2})' --split-input-file | FileCheck %s --check-prefix=OMP
// RUN: not attn-opt %s --pass-pipeline='builtin.module(attn-cpu-pipeline{strategy=bogus})' 2>&1 | FileCheck %s --check-prefix=BADOPT

// With threads > 1 the tile loops are OpenMP worksharing loops.
// OMP-LABEL: llvm.func @sdpa_gqa_causal_f16(
//       OMP:   omp.parallel num_threads(
//       OMP:     omp.wsloop schedule(dynamic)

// The pipeline takes attn (or plain upstream linalg/tensor) IR on tensors all
// the way to the LLVM dialect: nothing of attn, linalg, tensor, memref,
// bufferization, scf, cf, arith, math, affine or func is left.

// LLVM-ONLY-NOT: {{[ "](attn|linalg|tensor|memref|bufferization|scf|cf|arith|math|affine|func)\.}}

// An option value the pipeline cannot parse is reported by the pass manager
// with no location (there is no op to attach it to), so it is checked on
// stderr rather than with -verify-diagnostics.
// BADOPT: for the --strategy option: Cannot find option named 'bogus'!
// BADOPT: error: failed to add `attn-cpu-pipeline` with options `strategy=bogus`

// By default (vector-bits=256) the tile computations are register-blocked
// vector code: FMAs on 8 lanes and a polynomial exp; 512 bits give 16 lanes.
// vector-bits=0 keeps scalar loops and libm's exp.
// VEC256-LABEL: llvm.func @sdpa_gqa_causal_f16(
//   VEC256-NOT:   llvm.intr.exp
//       VEC256:   llvm.intr.fma({{.*}}) : (vector<8xf32>, vector<8xf32>, vector<8xf32>) -> vector<8xf32>
//       VEC256:   llvm.return
// VEC512-LABEL: llvm.func @sdpa_gqa_causal_f16(
//       VEC512:   llvm.intr.fma({{.*}}) : (vector<16xf32>, vector<16xf32>, vector<16xf32>) -> vector<16xf32>
//       VEC512:   llvm.return

// CHECK-LABEL: llvm.func @sdpa_gqa_causal_f16(
//       CHECK:   llvm.intr.exp
//       CHECK:   llvm.fptrunc %{{.+}} : f32 to f16
//       CHECK:   llvm.return
func.func @sdpa_gqa_causal_f16(%q: tensor<1x4x16x32xf16>, %k: tensor<1x2x16x32xf16>,
                               %v: tensor<1x2x16x32xf16>) -> tensor<1x4x16x32xf16> {
  %0 = attn.sdpa %q, %k, %v {causal}
      : tensor<1x4x16x32xf16>, tensor<1x2x16x32xf16>, tensor<1x2x16x32xf16>
      -> tensor<1x4x16x32xf16>
  return %0 : tensor<1x4x16x32xf16>
}

// -----

// Dynamic shapes, bf16, every masking variant, softcap, score_mod and lse.
// CHECK-LABEL: llvm.func @sdpa_dynamic_all_options(
//   CHECK-DAG:   llvm.intr.tanh
//   CHECK-DAG:   llvm.intr.log
//   CHECK-DAG:   llvm.sitofp
//       CHECK:   llvm.return
func.func @sdpa_dynamic_all_options(%q: tensor<?x4x?x32xbf16>,
                                    %k: tensor<?x2x?x32xbf16>,
                                    %v: tensor<?x2x?x16xbf16>,
                                    %m: tensor<1x4x?x?xbf16>,
                                    %lens: tensor<?xi32>)
    -> (tensor<?x4x?x16xbf16>, tensor<?x4x?xf32>) {
  %out, %lse = attn.sdpa %q, %k, %v mask(%m : tensor<1x4x?x?xbf16>)
      kv_lens(%lens : tensor<?xi32>)
      {causal, softcap = 30.0 : f32, window = array<i64: 4, 0>} score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %d = arith.subi %j, %i : index
    %di = arith.index_cast %d : index to i64
    %df = arith.sitofp %di : i64 to f32
    %r = arith.addf %s, %df : f32
    attn.yield %r : f32
  } : tensor<?x4x?x32xbf16>, tensor<?x2x?x32xbf16>, tensor<?x2x?x16xbf16>
      -> tensor<?x4x?x16xbf16>, tensor<?x4x?xf32>
  return %out, %lse : tensor<?x4x?x16xbf16>, tensor<?x4x?xf32>
}

// -----

// CHECK-LABEL: llvm.func @mha_dynamic_causal(
//       CHECK:   llvm.return
func.func @mha_dynamic_causal(%x: tensor<?x?x16xf32>, %w: tensor<16x16xf32>)
    -> tensor<?x?x16xf32> {
  %0 = attn.mha %x, %w, %w, %w, %w {num_heads = 2 : i64, causal}
      : tensor<?x?x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
        tensor<16x16xf32>, tensor<16x16xf32> -> tensor<?x?x16xf32>
  return %0 : tensor<?x?x16xf32>
}

// -----

// The decomposed ops, one after the other.
// CHECK-LABEL: llvm.func @decomposed_steps(
//       CHECK:   llvm.return
func.func @decomposed_steps(%x: tensor<2x5x16xf16>, %w: tensor<16x16xf16>,
                            %b: tensor<16xf16>, %m: tensor<2x1x5x5xi1>,
                            %lens: tensor<2xi32>) -> tensor<2x5x16xf16> {
  %q = attn.linear %x, %w, %b : tensor<2x5x16xf16>, tensor<16x16xf16>,
      tensor<16xf16> -> tensor<2x5x16xf16>
  %qh = attn.split_heads %q : tensor<2x5x16xf16> -> tensor<2x2x5x8xf16>
  %s = attn.scores %qh, %qh {softcap = 20.0 : f32}
      : tensor<2x2x5x8xf16>, tensor<2x2x5x8xf16> -> tensor<2x2x5x5xf32>
  %sm = attn.mask %s mask(%m : tensor<2x1x5x5xi1>) kv_lens(%lens : tensor<2xi32>)
      {causal} : tensor<2x2x5x5xf32> -> tensor<2x2x5x5xf32>
  %p = attn.softmax %sm : tensor<2x2x5x5xf32>
  %o = attn.context %p, %qh : tensor<2x2x5x5xf32>, tensor<2x2x5x8xf16>
      -> tensor<2x2x5x8xf16>
  %y = attn.merge_heads %o : tensor<2x2x5x8xf16> -> tensor<2x5x16xf16>
  return %y : tensor<2x5x16xf16>
}

// -----

// Plain upstream linalg on tensors goes through the same pipeline.
// CHECK-LABEL: llvm.func @linalg_matmul(
//       CHECK:   llvm.fmul
//       CHECK:   llvm.fadd
//       CHECK:   llvm.return
func.func @linalg_matmul(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>)
    -> tensor<4x16xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<4x16xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<4x16xf32>)
      -> tensor<4x16xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>)
      outs(%init : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// A returned argument is copied (the ownership-based deallocation clones
// it), and the clone is lowered too.
// CHECK-LABEL: llvm.func @returns_its_argument(
//       CHECK:   llvm.call @malloc
//       CHECK:   "llvm.intr.memcpy"
func.func @returns_its_argument(%a: tensor<2x3xi64>) -> tensor<2x3xi64> {
  return %a : tensor<2x3xi64>
}
