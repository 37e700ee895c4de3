// Every attn.sdpa variant, JIT-compiled through attn-cpu-pipeline and
// compared with the float64 reference on seeded random data. Sizes are not
// multiples of 8 and Lq != Lk wherever the variant allows it.

// RUN: attn-run %s --entry=plain --seed=1 --check | FileCheck %s
// RUN: attn-run %s --entry=causal_lq_lt_lk --seed=2 --check | FileCheck %s
// RUN: attn-run %s --entry=causal_lq_gt_lk --seed=3 --check | FileCheck %s --check-prefixes=CHECK,MASKED-ROWS
// RUN: attn-run %s --entry=window --seed=4 --check | FileCheck %s
// RUN: attn-run %s --entry=window_shifted --seed=5 --check | FileCheck %s
// RUN: attn-run %s --entry=bool_mask --seed=6 --check | FileCheck %s
// RUN: attn-run %s --entry=float_bias_broadcast --seed=7 --check | FileCheck %s
// RUN: attn-run %s --entry=kv_lens --seed=8 --check | FileCheck %s
// RUN: attn-run %s --entry=gqa --seed=9 --check | FileCheck %s
// RUN: attn-run %s --entry=mqa_dk_ne_dv --seed=10 --check | FileCheck %s
// RUN: attn-run %s --entry=softcap --seed=11 --check | FileCheck %s
// RUN: attn-run %s --entry=alibi_score_mod --seed=12 --check | FileCheck %s
// RUN: attn-run %s --entry=large_scores --seed=13 --check | FileCheck %s
// RUN: attn-run %s --entry=everything --seed=14 --check | FileCheck %s

// CHECK-NOT: FAIL
// Rows whose keys are all invisible print exactly 0 and an lse of -inf.
// MASKED-ROWS: [0, 0, 0, :] 0.000000 0.000000 0.000000
// MASKED-ROWS: [0, 0, :] -inf -inf -inf -inf -inf -inf {{[-0-9]}}
// CHECK: result #0: relative error {{.*}}: PASS
// CHECK-NOT: FAIL

func.func @plain(%q: tensor<2x3x13x8xf32>, %k: tensor<2x3x21x8xf32>,
                 %v: tensor<2x3x21x8xf32>) -> tensor<2x3x13x8xf32> {
  %o = attn.sdpa %q, %k, %v
      : tensor<2x3x13x8xf32>, tensor<2x3x21x8xf32>, tensor<2x3x21x8xf32>
      -> tensor<2x3x13x8xf32>
  return %o : tensor<2x3x13x8xf32>
}

func.func @causal_lq_lt_lk(%q: tensor<1x2x7x16xf32>, %k: tensor<1x2x19x16xf32>,
                           %v: tensor<1x2x19x16xf32>)
    -> (tensor<1x2x7x16xf32>, tensor<1x2x7xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v {causal}
      : tensor<1x2x7x16xf32>, tensor<1x2x19x16xf32>, tensor<1x2x19x16xf32>
      -> tensor<1x2x7x16xf32>, tensor<1x2x7xf32>
  return %o, %lse : tensor<1x2x7x16xf32>, tensor<1x2x7xf32>
}

// Lq > Lk: the first Lq - Lk = 6 queries sit before the first key and see
// nothing.
func.func @causal_lq_gt_lk(%q: tensor<1x2x17x8xf32>, %k: tensor<1x2x11x8xf32>,
                           %v: tensor<1x2x11x8xf32>)
    -> (tensor<1x2x17x8xf32>, tensor<1x2x17xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v {causal}
      : tensor<1x2x17x8xf32>, tensor<1x2x11x8xf32>, tensor<1x2x11x8xf32>
      -> tensor<1x2x17x8xf32>, tensor<1x2x17xf32>
  return %o, %lse : tensor<1x2x17x8xf32>, tensor<1x2x17xf32>
}

func.func @window(%q: tensor<1x2x23x8xf32>, %k: tensor<1x2x23x8xf32>,
                  %v: tensor<1x2x23x8xf32>) -> tensor<1x2x23x8xf32> {
  %o = attn.sdpa %q, %k, %v {window = array<i64: 5, 2>}
      : tensor<1x2x23x8xf32>, tensor<1x2x23x8xf32>, tensor<1x2x23x8xf32>
      -> tensor<1x2x23x8xf32>
  return %o : tensor<1x2x23x8xf32>
}

// PyTorch's top-left causal mask for Lq = 5, Lk = 12: j <= i, i.e. a window
// [unbounded, Lq - Lk = -7] in bottom-right coordinates.
func.func @window_shifted(%q: tensor<1x1x5x8xf32>, %k: tensor<1x1x12x8xf32>,
                          %v: tensor<1x1x12x8xf32>) -> tensor<1x1x5x8xf32> {
  %o = attn.sdpa %q, %k, %v {window = array<i64: 1000000, -7>}
      : tensor<1x1x5x8xf32>, tensor<1x1x12x8xf32>, tensor<1x1x12x8xf32>
      -> tensor<1x1x5x8xf32>
  return %o : tensor<1x1x5x8xf32>
}

func.func @bool_mask(%q: tensor<2x2x9x8xf32>, %k: tensor<2x2x14x8xf32>,
                     %v: tensor<2x2x14x8xf32>, %m: tensor<2x1x9x14xi1>)
    -> tensor<2x2x9x8xf32> {
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<2x1x9x14xi1>)
      : tensor<2x2x9x8xf32>, tensor<2x2x14x8xf32>, tensor<2x2x14x8xf32>
      -> tensor<2x2x9x8xf32>
  return %o : tensor<2x2x9x8xf32>
}

func.func @float_bias_broadcast(%q: tensor<2x3x9x8xf32>, %k: tensor<2x3x14x8xf32>,
                                %v: tensor<2x3x14x8xf32>,
                                %bias: tensor<1x3x9x14xf32>)
    -> tensor<2x3x9x8xf32> {
  %o = attn.sdpa %q, %k, %v mask(%bias : tensor<1x3x9x14xf32>)
      : tensor<2x3x9x8xf32>, tensor<2x3x14x8xf32>, tensor<2x3x14x8xf32>
      -> tensor<2x3x9x8xf32>
  return %o : tensor<2x3x9x8xf32>
}

func.func @kv_lens(%q: tensor<3x2x6x8xf32>, %k: tensor<3x2x15x8xf32>,
                   %v: tensor<3x2x15x8xf32>, %lens: tensor<3xi32>)
    -> (tensor<3x2x6x8xf32>, tensor<3x2x6xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v kv_lens(%lens : tensor<3xi32>)
      : tensor<3x2x6x8xf32>, tensor<3x2x15x8xf32>, tensor<3x2x15x8xf32>
      -> tensor<3x2x6x8xf32>, tensor<3x2x6xf32>
  return %o, %lse : tensor<3x2x6x8xf32>, tensor<3x2x6xf32>
}

func.func @gqa(%q: tensor<1x8x11x8xf32>, %k: tensor<1x2x13x8xf32>,
               %v: tensor<1x2x13x8xf32>) -> tensor<1x8x11x8xf32> {
  %o = attn.sdpa %q, %k, %v {causal}
      : tensor<1x8x11x8xf32>, tensor<1x2x13x8xf32>, tensor<1x2x13x8xf32>
      -> tensor<1x8x11x8xf32>
  return %o : tensor<1x8x11x8xf32>
}

func.func @mqa_dk_ne_dv(%q: tensor<2x4x5x12xf32>, %k: tensor<2x1x9x12xf32>,
                        %v: tensor<2x1x9x20xf32>) -> tensor<2x4x5x20xf32> {
  %o = attn.sdpa %q, %k, %v {scale = 0.3 : f32}
      : tensor<2x4x5x12xf32>, tensor<2x1x9x12xf32>, tensor<2x1x9x20xf32>
      -> tensor<2x4x5x20xf32>
  return %o : tensor<2x4x5x20xf32>
}

func.func @softcap(%q: tensor<1x2x10x8xf32>, %k: tensor<1x2x10x8xf32>,
                   %v: tensor<1x2x10x8xf32>) -> tensor<1x2x10x8xf32> {
  %o = attn.sdpa %q, %k, %v {scale = 8.0 : f32, softcap = 5.0 : f32}
      : tensor<1x2x10x8xf32>, tensor<1x2x10x8xf32>, tensor<1x2x10x8xf32>
      -> tensor<1x2x10x8xf32>
  return %o : tensor<1x2x10x8xf32>
}

// ALiBi: score + slope(h) * (j - i'), slope(h) = 2^(-8 (h + 1) / H).
func.func @alibi_score_mod(%q: tensor<1x4x9x8xf32>, %k: tensor<1x4x9x8xf32>,
                           %v: tensor<1x4x9x8xf32>) -> tensor<1x4x9x8xf32> {
  %o = attn.sdpa %q, %k, %v {causal} score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %c1 = arith.constant 1 : index
    %hp1 = arith.addi %h, %c1 : index
    %hi = arith.index_cast %hp1 : index to i64
    %hf = arith.sitofp %hi : i64 to f32
    %m = arith.constant -2.0 : f32
    %e = arith.mulf %hf, %m : f32
    %slope = math.exp2 %e : f32
    %d = arith.subi %j, %i : index
    %di = arith.index_cast %d : index to i64
    %df = arith.sitofp %di : i64 to f32
    %bias = arith.mulf %slope, %df : f32
    %r = arith.addf %s, %bias : f32
    attn.yield %r : f32
  } : tensor<1x4x9x8xf32>, tensor<1x4x9x8xf32>, tensor<1x4x9x8xf32>
      -> tensor<1x4x9x8xf32>
  return %o : tensor<1x4x9x8xf32>
}

// Scores of magnitude ~1e4: a naive exp overflows to inf, the max-subtracted
// softmax does not.
func.func @large_scores(%q: tensor<1x2x7x8xf32>, %k: tensor<1x2x12x8xf32>,
                        %v: tensor<1x2x12x8xf32>)
    -> (tensor<1x2x7x8xf32>, tensor<1x2x7xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v {scale = 5000.0 : f32}
      : tensor<1x2x7x8xf32>, tensor<1x2x12x8xf32>, tensor<1x2x12x8xf32>
      -> tensor<1x2x7x8xf32>, tensor<1x2x7xf32>
  return %o, %lse : tensor<1x2x7x8xf32>, tensor<1x2x7xf32>
}

// All at once: GQA, Dk != Dv, float bias, causal, window, kv_lens, softcap,
// score_mod, lse.
func.func @everything(%q: tensor<2x4x9x8xf32>, %k: tensor<2x2x13x8xf32>,
                      %v: tensor<2x2x13x6xf32>, %bias: tensor<2x1x9x13xf32>,
                      %lens: tensor<2xi32>)
    -> (tensor<2x4x9x6xf32>, tensor<2x4x9xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v mask(%bias : tensor<2x1x9x13xf32>)
      kv_lens(%lens : tensor<2xi32>)
      {causal, window = array<i64: 6, 0>, softcap = 2.5 : f32} score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %hi = arith.index_cast %h : index to i32
    %hf = arith.sitofp %hi : i32 to f32
    %c = arith.constant 0.125 : f32
    %t = arith.mulf %hf, %c : f32
    %r = arith.subf %s, %t : f32
    attn.yield %r : f32
  } : tensor<2x4x9x8xf32>, tensor<2x2x13x8xf32>, tensor<2x2x13x6xf32>
      -> tensor<2x4x9x6xf32>, tensor<2x4x9xf32>
  return %o, %lse : tensor<2x4x9x6xf32>, tensor<2x4x9xf32>
}
