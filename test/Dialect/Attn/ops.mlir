// RUN: attn-opt %s | FileCheck %s
// Verify the printed output can be parsed.
// RUN: attn-opt %s | attn-opt | FileCheck %s
// Verify the generic form can be parsed.
// RUN: attn-opt -mlir-print-op-generic %s | attn-opt | FileCheck %s

//===----------------------------------------------------------------------===//
// attn.mha
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func @mha
//  CHECK-SAME:   %[[X:[a-zA-Z0-9_]+]]: tensor<1x5x16xf32>
//  CHECK-SAME:   %[[WQ:[a-zA-Z0-9_]+]]: tensor<16x16xf32>
//  CHECK-SAME:   %[[WK:[a-zA-Z0-9_]+]]: tensor<16x16xf32>
//  CHECK-SAME:   %[[WV:[a-zA-Z0-9_]+]]: tensor<16x16xf32>
//  CHECK-SAME:   %[[WO:[a-zA-Z0-9_]+]]: tensor<16x16xf32>
//       CHECK:   attn.mha %[[X]], %[[WQ]], %[[WK]], %[[WV]], %[[WO]] {num_heads = 2 : i64}
//  CHECK-SAME:     : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
func.func @mha(%x: tensor<1x5x16xf32>, %wq: tensor<16x16xf32>,
               %wk: tensor<16x16xf32>, %wv: tensor<16x16xf32>,
               %wo: tensor<16x16xf32>) -> tensor<1x5x16xf32> {
  %0 = attn.mha %x, %wq, %wk, %wv, %wo {num_heads = 2 : i64}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
        tensor<16x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return %0 : tensor<1x5x16xf32>
}

// GQA (Hq = 4, Hkv = 2, D = 4), explicit scale, causal, dynamic B and L,
// Dv = 8 != D and an output width E' = 12 != E.
// CHECK-LABEL: func @mha_all_attributes
//       CHECK:   attn.mha %{{.*}} {causal, num_heads = 4 : i64, num_kv_heads = 2 : i64, scale = 2.500000e-01 : f32}
//  CHECK-SAME:     : tensor<?x?x16xf16>, tensor<16x16xf16>, tensor<16x8xf16>, tensor<16x16xf16>, tensor<32x12xf16> -> tensor<?x?x12xf16>
func.func @mha_all_attributes(%x: tensor<?x?x16xf16>, %wq: tensor<16x16xf16>,
                              %wk: tensor<16x8xf16>, %wv: tensor<16x16xf16>,
                              %wo: tensor<32x12xf16>) -> tensor<?x?x12xf16> {
  %0 = attn.mha %x, %wq, %wk, %wv, %wo
      {num_heads = 4 : i64, num_kv_heads = 2 : i64, scale = 0.25 : f32, causal}
      : tensor<?x?x16xf16>, tensor<16x16xf16>, tensor<16x8xf16>,
        tensor<16x16xf16>, tensor<32x12xf16> -> tensor<?x?x12xf16>
  return %0 : tensor<?x?x12xf16>
}

//===----------------------------------------------------------------------===//
// attn.linear
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func @linear_rank3
//  CHECK-SAME:   %[[X:[a-zA-Z0-9_]+]]: tensor<?x5x16xf32>
//  CHECK-SAME:   %[[W:[a-zA-Z0-9_]+]]: tensor<16x8xf32>
//       CHECK:   attn.linear %[[X]], %[[W]] : tensor<?x5x16xf32>, tensor<16x8xf32> -> tensor<?x5x8xf32>
func.func @linear_rank3(%x: tensor<?x5x16xf32>, %w: tensor<16x8xf32>)
    -> tensor<?x5x8xf32> {
  %0 = attn.linear %x, %w : tensor<?x5x16xf32>, tensor<16x8xf32>
      -> tensor<?x5x8xf32>
  return %0 : tensor<?x5x8xf32>
}

// CHECK-LABEL: func @linear_rank2_bias
//  CHECK-SAME:   %[[X:[a-zA-Z0-9_]+]]: tensor<5x16xbf16>
//  CHECK-SAME:   %[[W:[a-zA-Z0-9_]+]]: tensor<16x8xbf16>
//  CHECK-SAME:   %[[B:[a-zA-Z0-9_]+]]: tensor<8xbf16>
//       CHECK:   attn.linear %[[X]], %[[W]], %[[B]] : tensor<5x16xbf16>, tensor<16x8xbf16>, tensor<8xbf16> -> tensor<5x8xbf16>
func.func @linear_rank2_bias(%x: tensor<5x16xbf16>, %w: tensor<16x8xbf16>,
                             %b: tensor<8xbf16>) -> tensor<5x8xbf16> {
  %0 = attn.linear %x, %w, %b : tensor<5x16xbf16>, tensor<16x8xbf16>,
      tensor<8xbf16> -> tensor<5x8xbf16>
  return %0 : tensor<5x8xbf16>
}

//===----------------------------------------------------------------------===//
// attn.split_heads / attn.merge_heads
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func @split_merge_heads
//  CHECK-SAME:   %[[X:[a-zA-Z0-9_]+]]: tensor<?x?x16xf32>
//       CHECK:   %[[H:.+]] = attn.split_heads %[[X]] : tensor<?x?x16xf32> -> tensor<?x2x?x8xf32>
//       CHECK:   attn.merge_heads %[[H]] : tensor<?x2x?x8xf32> -> tensor<?x?x16xf32>
func.func @split_merge_heads(%x: tensor<?x?x16xf32>) -> tensor<?x?x16xf32> {
  %0 = attn.split_heads %x : tensor<?x?x16xf32> -> tensor<?x2x?x8xf32>
  %1 = attn.merge_heads %0 : tensor<?x2x?x8xf32> -> tensor<?x?x16xf32>
  return %1 : tensor<?x?x16xf32>
}

//===----------------------------------------------------------------------===//
// attn.scores
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func @scores
//  CHECK-SAME:   %[[Q:[a-zA-Z0-9_]+]]: tensor<1x8x128x64xf16>
//  CHECK-SAME:   %[[K:[a-zA-Z0-9_]+]]: tensor<1x2x256x64xf16>
//       CHECK:   attn.scores %[[Q]], %[[K]] {scale = 1.250000e-01 : f32}
//  CHECK-SAME:     : tensor<1x8x128x64xf16>, tensor<1x2x256x64xf16> -> tensor<1x8x128x256xf32>
func.func @scores(%q: tensor<1x8x128x64xf16>, %k: tensor<1x2x256x64xf16>)
    -> tensor<1x8x128x256xf32> {
  %0 = attn.scores %q, %k {scale = 0.125 : f32}
      : tensor<1x8x128x64xf16>, tensor<1x2x256x64xf16>
      -> tensor<1x8x128x256xf32>
  return %0 : tensor<1x8x128x256xf32>
}

// No scale (the default 1/sqrt(D)), a softcap, and the result in the query
// element type.
// CHECK-LABEL: func @scores_softcap
//       CHECK:   attn.scores %{{.*}}, %{{.*}} {softcap = 3.000000e+01 : f32}
//  CHECK-SAME:     : tensor<2x4x?x16xbf16>, tensor<2x4x?x16xbf16> -> tensor<2x4x?x?xbf16>
func.func @scores_softcap(%q: tensor<2x4x?x16xbf16>, %k: tensor<2x4x?x16xbf16>)
    -> tensor<2x4x?x?xbf16> {
  %0 = attn.scores %q, %k {softcap = 30.0 : f32}
      : tensor<2x4x?x16xbf16>, tensor<2x4x?x16xbf16> -> tensor<2x4x?x?xbf16>
  return %0 : tensor<2x4x?x?xbf16>
}

//===----------------------------------------------------------------------===//
// attn.mask
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func @mask_bool
//  CHECK-SAME:   %[[S:[a-zA-Z0-9_]+]]: tensor<2x4x16x16xf32>
//  CHECK-SAME:   %[[M:[a-zA-Z0-9_]+]]: tensor<2x4x16x16xi1>
//       CHECK:   attn.mask %[[S]] mask(%[[M]] : tensor<2x4x16x16xi1>) : tensor<2x4x16x16xf32> -> tensor<2x4x16x16xf32>
func.func @mask_bool(%s: tensor<2x4x16x16xf32>, %m: tensor<2x4x16x16xi1>)
    -> tensor<2x4x16x16xf32> {
  %0 = attn.mask %s mask(%m : tensor<2x4x16x16xi1>)
      : tensor<2x4x16x16xf32> -> tensor<2x4x16x16xf32>
  return %0 : tensor<2x4x16x16xf32>
}

// CHECK-LABEL: func @mask_float_broadcast
//  CHECK-SAME:   %[[S:[a-zA-Z0-9_]+]]: tensor<2x4x16x32xf16>
//  CHECK-SAME:   %[[M:[a-zA-Z0-9_]+]]: tensor<1x1x16x32xf16>
//       CHECK:   attn.mask %[[S]] mask(%[[M]] : tensor<1x1x16x32xf16>) : tensor<2x4x16x32xf16> -> tensor<2x4x16x32xf16>
func.func @mask_float_broadcast(%s: tensor<2x4x16x32xf16>,
                                %m: tensor<1x1x16x32xf16>)
    -> tensor<2x4x16x32xf16> {
  %0 = attn.mask %s mask(%m : tensor<1x1x16x32xf16>)
      : tensor<2x4x16x32xf16> -> tensor<2x4x16x32xf16>
  return %0 : tensor<2x4x16x32xf16>
}

// CHECK-LABEL: func @mask_kv_lens_causal
//  CHECK-SAME:   %[[S:[a-zA-Z0-9_]+]]: tensor<?x4x?x?xf32>
//  CHECK-SAME:   %[[LENS:[a-zA-Z0-9_]+]]: tensor<?xi32>
//       CHECK:   attn.mask %[[S]] kv_lens(%[[LENS]] : tensor<?xi32>) {causal} : tensor<?x4x?x?xf32> -> tensor<?x4x?x?xf32>
func.func @mask_kv_lens_causal(%s: tensor<?x4x?x?xf32>, %lens: tensor<?xi32>)
    -> tensor<?x4x?x?xf32> {
  %0 = attn.mask %s kv_lens(%lens : tensor<?xi32>) {causal}
      : tensor<?x4x?x?xf32> -> tensor<?x4x?x?xf32>
  return %0 : tensor<?x4x?x?xf32>
}

// A window shifted entirely into the future ([-2, 4]: keys i'+2 .. i'+4).
// CHECK-LABEL: func @mask_window
//       CHECK:   attn.mask %{{.*}} {window = array<i64: -2, 4>} : tensor<1x1x8x8xf32> -> tensor<1x1x8x8xf32>
func.func @mask_window(%s: tensor<1x1x8x8xf32>) -> tensor<1x1x8x8xf32> {
  %0 = attn.mask %s {window = array<i64: -2, 4>}
      : tensor<1x1x8x8xf32> -> tensor<1x1x8x8xf32>
  return %0 : tensor<1x1x8x8xf32>
}

// Every optional piece at once.
// CHECK-LABEL: func @mask_all
//  CHECK-SAME:   %[[S:[a-zA-Z0-9_]+]]: tensor<2x4x8x8xf32>
//  CHECK-SAME:   %[[M:[a-zA-Z0-9_]+]]: tensor<2x1x8x8xi1>
//  CHECK-SAME:   %[[LENS:[a-zA-Z0-9_]+]]: tensor<2xi32>
//       CHECK:   attn.mask %[[S]] mask(%[[M]] : tensor<2x1x8x8xi1>) kv_lens(%[[LENS]] : tensor<2xi32>) {causal, window = array<i64: 3, 0>}
func.func @mask_all(%s: tensor<2x4x8x8xf32>, %m: tensor<2x1x8x8xi1>,
                    %lens: tensor<2xi32>) -> tensor<2x4x8x8xf32> {
  %0 = attn.mask %s mask(%m : tensor<2x1x8x8xi1>)
      kv_lens(%lens : tensor<2xi32>) {causal, window = array<i64: 3, 0>}
      : tensor<2x4x8x8xf32> -> tensor<2x4x8x8xf32>
  return %0 : tensor<2x4x8x8xf32>
}

//===----------------------------------------------------------------------===//
// attn.softmax
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func @softmax
//  CHECK-SAME:   %[[X2:[a-zA-Z0-9_]+]]: tensor<4x?xf32>
//  CHECK-SAME:   %[[X4:[a-zA-Z0-9_]+]]: tensor<1x2x5x5xbf16>
//       CHECK:   attn.softmax %[[X2]] : tensor<4x?xf32>
//       CHECK:   attn.softmax %[[X4]] : tensor<1x2x5x5xbf16>
func.func @softmax(%x2: tensor<4x?xf32>, %x4: tensor<1x2x5x5xbf16>)
    -> (tensor<4x?xf32>, tensor<1x2x5x5xbf16>) {
  %0 = attn.softmax %x2 : tensor<4x?xf32>
  %1 = attn.softmax %x4 : tensor<1x2x5x5xbf16>
  return %0, %1 : tensor<4x?xf32>, tensor<1x2x5x5xbf16>
}

//===----------------------------------------------------------------------===//
// attn.context
//===----------------------------------------------------------------------===//

// f32 probabilities, f16 values, GQA (Hq = 8, Hkv = 2).
// CHECK-LABEL: func @context_gqa
//  CHECK-SAME:   %[[P:[a-zA-Z0-9_]+]]: tensor<1x8x5x7xf32>
//  CHECK-SAME:   %[[V:[a-zA-Z0-9_]+]]: tensor<1x2x7x16xf16>
//       CHECK:   attn.context %[[P]], %[[V]] : tensor<1x8x5x7xf32>, tensor<1x2x7x16xf16> -> tensor<1x8x5x16xf16>
func.func @context_gqa(%p: tensor<1x8x5x7xf32>, %v: tensor<1x2x7x16xf16>)
    -> tensor<1x8x5x16xf16> {
  %0 = attn.context %p, %v : tensor<1x8x5x7xf32>, tensor<1x2x7x16xf16>
      -> tensor<1x8x5x16xf16>
  return %0 : tensor<1x8x5x16xf16>
}

//===----------------------------------------------------------------------===//
// attn.sdpa
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func @sdpa
//  CHECK-SAME:   %[[Q:[a-zA-Z0-9_]+]]: tensor<1x4x16x32xf32>
//  CHECK-SAME:   %[[K:[a-zA-Z0-9_]+]]: tensor<1x4x16x32xf32>
//  CHECK-SAME:   %[[V:[a-zA-Z0-9_]+]]: tensor<1x4x16x32xf32>
//       CHECK:   attn.sdpa %[[Q]], %[[K]], %[[V]] : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32> -> tensor<1x4x16x32xf32>
func.func @sdpa(%q: tensor<1x4x16x32xf32>, %k: tensor<1x4x16x32xf32>,
                %v: tensor<1x4x16x32xf32>) -> tensor<1x4x16x32xf32> {
  %0 = attn.sdpa %q, %k, %v
      : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return %0 : tensor<1x4x16x32xf32>
}

// CHECK-LABEL: func @sdpa_lse
//       CHECK:   %[[OUT:.+]], %[[LSE:.+]] = attn.sdpa
//  CHECK-SAME:     -> tensor<1x4x16x32xf32>, tensor<1x4x16xf32>
//       CHECK:   return %[[OUT]], %[[LSE]]
func.func @sdpa_lse(%q: tensor<1x4x16x32xf32>, %k: tensor<1x4x16x32xf32>,
                    %v: tensor<1x4x16x32xf32>)
    -> (tensor<1x4x16x32xf32>, tensor<1x4x16xf32>) {
  %out, %lse = attn.sdpa %q, %k, %v
      : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>, tensor<1x4x16xf32>
  return %out, %lse : tensor<1x4x16x32xf32>, tensor<1x4x16xf32>
}

// CHECK-LABEL: func @sdpa_all_options
//  CHECK-SAME:   %[[Q:[a-zA-Z0-9_]+]]: tensor<2x4x8x16xf32>
//  CHECK-SAME:   %[[K:[a-zA-Z0-9_]+]]: tensor<2x4x12x16xf32>
//  CHECK-SAME:   %[[V:[a-zA-Z0-9_]+]]: tensor<2x4x12x16xf32>
//  CHECK-SAME:   %[[M:[a-zA-Z0-9_]+]]: tensor<1x4x8x12xf32>
//  CHECK-SAME:   %[[LENS:[a-zA-Z0-9_]+]]: tensor<2xi32>
//       CHECK:   attn.sdpa %[[Q]], %[[K]], %[[V]] mask(%[[M]] : tensor<1x4x8x12xf32>) kv_lens(%[[LENS]] : tensor<2xi32>)
//  CHECK-SAME:     {causal, scale = 5.000000e-01 : f32, softcap = 5.000000e+01 : f32, window = array<i64: 4, 0>}
//  CHECK-SAME:     : tensor<2x4x8x16xf32>, tensor<2x4x12x16xf32>, tensor<2x4x12x16xf32> -> tensor<2x4x8x16xf32>
func.func @sdpa_all_options(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x12x16xf32>,
                            %v: tensor<2x4x12x16xf32>,
                            %m: tensor<1x4x8x12xf32>, %lens: tensor<2xi32>)
    -> tensor<2x4x8x16xf32> {
  %0 = attn.sdpa %q, %k, %v mask(%m : tensor<1x4x8x12xf32>)
      kv_lens(%lens : tensor<2xi32>)
      {causal, scale = 0.5 : f32, window = array<i64: 4, 0>, softcap = 50.0 : f32}
      : tensor<2x4x8x16xf32>, tensor<2x4x12x16xf32>, tensor<2x4x12x16xf32>
      -> tensor<2x4x8x16xf32>
  return %0 : tensor<2x4x8x16xf32>
}

// CHECK-LABEL: func @sdpa_bf16_bool_mask
//       CHECK:   attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} mask(%{{.*}} : tensor<1x1x8x8xi1>)
//  CHECK-SAME:     : tensor<1x2x8x16xbf16>, tensor<1x2x8x16xbf16>, tensor<1x2x8x16xbf16> -> tensor<1x2x8x16xbf16>
func.func @sdpa_bf16_bool_mask(%q: tensor<1x2x8x16xbf16>,
                               %k: tensor<1x2x8x16xbf16>,
                               %v: tensor<1x2x8x16xbf16>,
                               %m: tensor<1x1x8x8xi1>)
    -> tensor<1x2x8x16xbf16> {
  %0 = attn.sdpa %q, %k, %v mask(%m : tensor<1x1x8x8xi1>)
      : tensor<1x2x8x16xbf16>, tensor<1x2x8x16xbf16>, tensor<1x2x8x16xbf16>
      -> tensor<1x2x8x16xbf16>
  return %0 : tensor<1x2x8x16xbf16>
}

// Grouped-query heads (Hq = 8, Hkv = 2) and Dk = 64 != Dv = 32.
// CHECK-LABEL: func @sdpa_gqa_dv
//       CHECK:   attn.sdpa
//  CHECK-SAME:     : tensor<1x8x16x64xf16>, tensor<1x2x32x64xf16>, tensor<1x2x32x32xf16> -> tensor<1x8x16x32xf16>
func.func @sdpa_gqa_dv(%q: tensor<1x8x16x64xf16>, %k: tensor<1x2x32x64xf16>,
                       %v: tensor<1x2x32x32xf16>) -> tensor<1x8x16x32xf16> {
  %0 = attn.sdpa %q, %k, %v
      : tensor<1x8x16x64xf16>, tensor<1x2x32x64xf16>, tensor<1x2x32x32xf16>
      -> tensor<1x8x16x32xf16>
  return %0 : tensor<1x8x16x32xf16>
}

// Dynamic batch and sequence lengths, with key padding and the lse.
// CHECK-LABEL: func @sdpa_dynamic
//  CHECK-SAME:   %[[LENS:[a-zA-Z0-9_]+]]: tensor<?xi32>
//       CHECK:   attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} kv_lens(%[[LENS]] : tensor<?xi32>) {causal, scale = 1.250000e-01 : f32}
//  CHECK-SAME:     : tensor<?x8x?x64xf32>, tensor<?x2x?x64xf32>, tensor<?x2x?x64xf32> -> tensor<?x8x?x64xf32>, tensor<?x8x?xf32>
func.func @sdpa_dynamic(%q: tensor<?x8x?x64xf32>, %k: tensor<?x2x?x64xf32>,
                        %v: tensor<?x2x?x64xf32>, %lens: tensor<?xi32>)
    -> (tensor<?x8x?x64xf32>, tensor<?x8x?xf32>) {
  %out, %lse = attn.sdpa %q, %k, %v kv_lens(%lens : tensor<?xi32>)
      {causal, scale = 0.125 : f32}
      : tensor<?x8x?x64xf32>, tensor<?x2x?x64xf32>, tensor<?x2x?x64xf32>
      -> tensor<?x8x?x64xf32>, tensor<?x8x?xf32>
  return %out, %lse : tensor<?x8x?x64xf32>, tensor<?x8x?xf32>
}

// ALiBi-like score modifier: s + slope * (kv_idx - q_idx).
// CHECK-LABEL: func @sdpa_score_mod
//       CHECK:   attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} score_mod {
//       CHECK:   ^bb0(%[[S:.+]]: f32, %[[B:.+]]: index, %[[H:.+]]: index, %[[I:.+]]: index, %[[J:.+]]: index):
//       CHECK:     %[[D:.+]] = arith.subi %[[J]], %[[I]] : index
//       CHECK:     %[[DI:.+]] = arith.index_cast %[[D]] : index to i64
//       CHECK:     %[[DF:.+]] = arith.sitofp %[[DI]] : i64 to f32
//       CHECK:     %[[SLOPE:.+]] = arith.constant 2.500000e-01 : f32
//       CHECK:     %[[BIAS:.+]] = arith.mulf %[[DF]], %[[SLOPE]] : f32
//       CHECK:     %[[R:.+]] = arith.addf %[[S]], %[[BIAS]] : f32
//       CHECK:     attn.yield %[[R]] : f32
//       CHECK:   } : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32> -> tensor<1x4x16x32xf32>
func.func @sdpa_score_mod(%q: tensor<1x4x16x32xf32>, %k: tensor<1x4x16x32xf32>,
                          %v: tensor<1x4x16x32xf32>) -> tensor<1x4x16x32xf32> {
  %0 = attn.sdpa %q, %k, %v score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %d = arith.subi %j, %i : index
    %di = arith.index_cast %d : index to i64
    %df = arith.sitofp %di : i64 to f32
    %slope = arith.constant 0.25 : f32
    %bias = arith.mulf %df, %slope : f32
    %r = arith.addf %s, %bias : f32
    attn.yield %r : f32
  } : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return %0 : tensor<1x4x16x32xf32>
}

// A score modifier together with the other optional pieces and the lse: the
// region comes after the attribute dictionary.
// CHECK-LABEL: func @sdpa_score_mod_lse
//       CHECK:   attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} kv_lens(%{{.*}} : tensor<1xi32>) {causal} score_mod {
//       CHECK:     attn.yield %{{.*}} : f32
//       CHECK:   } : {{.*}} -> tensor<1x4x16x32xf32>, tensor<1x4x16xf32>
func.func @sdpa_score_mod_lse(%q: tensor<1x4x16x32xf32>,
                              %k: tensor<1x4x16x32xf32>,
                              %v: tensor<1x4x16x32xf32>, %lens: tensor<1xi32>)
    -> (tensor<1x4x16x32xf32>, tensor<1x4x16xf32>) {
  %out, %lse = attn.sdpa %q, %k, %v kv_lens(%lens : tensor<1xi32>) {causal}
      score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    attn.yield %s : f32
  } : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>, tensor<1x4x16xf32>
  return %out, %lse : tensor<1x4x16x32xf32>, tensor<1x4x16xf32>
}

// A tile of a larger attention: four operands place the queries, six also
// place the keys (key j is key j0 + j of Lk_total keys).
// CHECK-LABEL: func @sdpa_tile_origin_queries
//  CHECK-SAME:   %[[B0:[a-z0-9_]+]]: index, %[[H0:[a-z0-9_]+]]: index, %[[I0:[a-z0-9_]+]]: index, %[[LQ:[a-z0-9_]+]]: index
//       CHECK:   attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} tile_origin(%[[B0]], %[[H0]], %[[I0]], %[[LQ]]) {causal} :
func.func @sdpa_tile_origin_queries(%q: tensor<1x2x4x8xf32>,
                                    %k: tensor<1x2x6x8xf32>,
                                    %b0: index, %h0: index, %i0: index,
                                    %lq: index) -> tensor<1x2x4x8xf32> {
  %0 = attn.sdpa %q, %k, %k tile_origin(%b0, %h0, %i0, %lq) {causal}
      : tensor<1x2x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>
      -> tensor<1x2x4x8xf32>
  return %0 : tensor<1x2x4x8xf32>
}

// CHECK-LABEL: func @sdpa_tile_origin_keys
//  CHECK-SAME:   %[[B0:[a-z0-9_]+]]: index, %[[H0:[a-z0-9_]+]]: index, %[[I0:[a-z0-9_]+]]: index, %[[LQ:[a-z0-9_]+]]: index, %[[J0:[a-z0-9_]+]]: index, %[[LK:[a-z0-9_]+]]: index
//       CHECK:   attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} kv_lens(%{{.*}} : tensor<1xi32>) tile_origin(%[[B0]], %[[H0]], %[[I0]], %[[LQ]], %[[J0]], %[[LK]]) {causal} :
//  CHECK-SAME:   -> tensor<1x2x4x8xf32>, tensor<1x2x4xf32>
func.func @sdpa_tile_origin_keys(%q: tensor<1x2x4x8xf32>,
                                 %k: tensor<1x2x6x8xf32>,
                                 %lens: tensor<1xi32>,
                                 %b0: index, %h0: index, %i0: index,
                                 %lq: index, %j0: index, %lk: index)
    -> (tensor<1x2x4x8xf32>, tensor<1x2x4xf32>) {
  %out, %lse = attn.sdpa %q, %k, %k kv_lens(%lens : tensor<1xi32>)
      tile_origin(%b0, %h0, %i0, %lq, %j0, %lk) {causal}
      : tensor<1x2x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>
      -> tensor<1x2x4x8xf32>, tensor<1x2x4xf32>
  return %out, %lse : tensor<1x2x4x8xf32>, tensor<1x2x4xf32>
}
