// RUN: attn-opt %s -split-input-file -verify-diagnostics

// One case per diagnostic of lib/Dialect/Attn/IR/AttnOps.cpp, in the order of
// that file, then the ODS-generated type and region constraints. Each case
// starts from a valid op and breaks exactly one constraint.

//===----------------------------------------------------------------------===//
// attn.mha
//===----------------------------------------------------------------------===//

func.func @mha_dynamic_embedding(%x: tensor<1x5x?xf32>, %w: tensor<16x16xf32>) {
  // expected-error @below {{'attn.mha' op C3: the embedding size of input must be static}}
  %0 = attn.mha %x, %w, %w, %w, %w {num_heads = 2 : i64}
      : tensor<1x5x?xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
        tensor<16x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return
}

// -----

func.func @mha_dynamic_wq(%x: tensor<1x5x16xf32>, %wq: tensor<16x?xf32>,
                          %w: tensor<16x16xf32>) {
  // expected-error @below {{'attn.mha' op C3: the shape of wq must be static}}
  %0 = attn.mha %x, %wq, %w, %w, %w {num_heads = 2 : i64}
      : tensor<1x5x16xf32>, tensor<16x?xf32>, tensor<16x16xf32>,
        tensor<16x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return
}

// -----

func.func @mha_dynamic_wk(%x: tensor<1x5x16xf32>, %wk: tensor<?x16xf32>,
                          %w: tensor<16x16xf32>) {
  // expected-error @below {{'attn.mha' op C3: the shape of wk must be static}}
  %0 = attn.mha %x, %w, %wk, %w, %w {num_heads = 2 : i64}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<?x16xf32>,
        tensor<16x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return
}

// -----

func.func @mha_dynamic_wv(%x: tensor<1x5x16xf32>, %wv: tensor<16x?xf32>,
                          %w: tensor<16x16xf32>) {
  // expected-error @below {{'attn.mha' op C3: the shape of wv must be static}}
  %0 = attn.mha %x, %w, %w, %wv, %w {num_heads = 2 : i64}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
        tensor<16x?xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return
}

// -----

func.func @mha_dynamic_wo(%x: tensor<1x5x16xf32>, %wo: tensor<?x16xf32>,
                          %w: tensor<16x16xf32>) {
  // expected-error @below {{'attn.mha' op C3: the shape of wo must be static}}
  %0 = attn.mha %x, %w, %w, %w, %wo {num_heads = 2 : i64}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
        tensor<16x16xf32>, tensor<?x16xf32> -> tensor<1x5x16xf32>
  return
}

// -----

func.func @mha_zero_heads(%x: tensor<1x5x16xf32>, %w: tensor<16x16xf32>) {
  // expected-error @below {{'attn.mha' op C2: num_heads (0) and num_kv_heads (0) must be > 0}}
  %0 = attn.mha %x, %w, %w, %w, %w {num_heads = 0 : i64}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
        tensor<16x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return
}

// -----

func.func @mha_negative_kv_heads(%x: tensor<1x5x16xf32>, %w: tensor<16x16xf32>) {
  // expected-error @below {{'attn.mha' op C2: num_heads (2) and num_kv_heads (-1) must be > 0}}
  %0 = attn.mha %x, %w, %w, %w, %w {num_heads = 2 : i64, num_kv_heads = -1 : i64}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
        tensor<16x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return
}

// -----

func.func @mha_head_ratio(%x: tensor<1x5x16xf32>, %w: tensor<16x16xf32>) {
  // expected-error @below {{'attn.mha' op C2: number of query heads (4) is not a positive multiple of the number of key/value heads (3)}}
  %0 = attn.mha %x, %w, %w, %w, %w {num_heads = 4 : i64, num_kv_heads = 3 : i64}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
        tensor<16x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return
}

// -----

func.func @mha_wq_rows(%x: tensor<1x5x16xf32>, %wq: tensor<8x16xf32>,
                       %w: tensor<16x16xf32>) {
  // expected-error @below {{'attn.mha' op C1: rows of wq (8) do not match the embedding size of input (16)}}
  %0 = attn.mha %x, %wq, %w, %w, %w {num_heads = 2 : i64}
      : tensor<1x5x16xf32>, tensor<8x16xf32>, tensor<16x16xf32>,
        tensor<16x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return
}

// -----

func.func @mha_wk_rows(%x: tensor<1x5x16xf32>, %wk: tensor<8x16xf32>,
                       %w: tensor<16x16xf32>) {
  // expected-error @below {{'attn.mha' op C1: rows of wk (8) do not match the embedding size of input (16)}}
  %0 = attn.mha %x, %w, %wk, %w, %w {num_heads = 2 : i64}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<8x16xf32>,
        tensor<16x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return
}

// -----

func.func @mha_wv_rows(%x: tensor<1x5x16xf32>, %wv: tensor<8x16xf32>,
                       %w: tensor<16x16xf32>) {
  // expected-error @below {{'attn.mha' op C1: rows of wv (8) do not match the embedding size of input (16)}}
  %0 = attn.mha %x, %w, %w, %wv, %w {num_heads = 2 : i64}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
        tensor<8x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return
}

// -----

func.func @mha_wq_columns(%x: tensor<1x5x16xf32>, %wq: tensor<16x15xf32>,
                          %w: tensor<16x16xf32>) {
  // expected-error @below {{'attn.mha' op C3: columns of wq (15) do not divide into 2 heads}}
  %0 = attn.mha %x, %wq, %w, %w, %w {num_heads = 2 : i64}
      : tensor<1x5x16xf32>, tensor<16x15xf32>, tensor<16x16xf32>,
        tensor<16x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return
}

// -----

// GQA with Hkv = 2 and D = 4 needs 8 columns in wk, not 16.
func.func @mha_wk_columns(%x: tensor<1x5x16xf32>, %w: tensor<16x16xf32>) {
  // expected-error @below {{'attn.mha' op C3: columns of wk (16) must be 2 heads of size 4}}
  %0 = attn.mha %x, %w, %w, %w, %w {num_heads = 4 : i64, num_kv_heads = 2 : i64}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
        tensor<16x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return
}

// -----

func.func @mha_wv_columns(%x: tensor<1x5x16xf32>, %wv: tensor<16x15xf32>,
                          %w: tensor<16x16xf32>) {
  // expected-error @below {{'attn.mha' op C3: columns of wv (15) do not divide into 2 heads}}
  %0 = attn.mha %x, %w, %w, %wv, %w {num_heads = 2 : i64}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
        tensor<16x15xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return
}

// -----

func.func @mha_wo_rows(%x: tensor<1x5x16xf32>, %wo: tensor<8x16xf32>,
                       %w: tensor<16x16xf32>) {
  // expected-error @below {{'attn.mha' op C1: rows of wo (8) must be 2 heads of size 8}}
  %0 = attn.mha %x, %w, %w, %w, %wo {num_heads = 2 : i64}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
        tensor<16x16xf32>, tensor<8x16xf32> -> tensor<1x5x16xf32>
  return
}

// -----

func.func @mha_result_batch(%x: tensor<1x5x16xf32>, %w: tensor<16x16xf32>) {
  // expected-error @below {{'attn.mha' op C1: batch size of the result (2) does not match input (1)}}
  %0 = attn.mha %x, %w, %w, %w, %w {num_heads = 2 : i64}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
        tensor<16x16xf32>, tensor<16x16xf32> -> tensor<2x5x16xf32>
  return
}

// -----

func.func @mha_result_length(%x: tensor<1x5x16xf32>, %w: tensor<16x16xf32>) {
  // expected-error @below {{'attn.mha' op C1: sequence length of the result (6) does not match input (5)}}
  %0 = attn.mha %x, %w, %w, %w, %w {num_heads = 2 : i64}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
        tensor<16x16xf32>, tensor<16x16xf32> -> tensor<1x6x16xf32>
  return
}

// -----

func.func @mha_result_features(%x: tensor<1x5x16xf32>, %w: tensor<16x16xf32>,
                               %wo: tensor<16x12xf32>) {
  // expected-error @below {{'attn.mha' op C1: feature size of the result (16) does not match the columns of wo (12)}}
  %0 = attn.mha %x, %w, %w, %w, %wo {num_heads = 2 : i64}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
        tensor<16x16xf32>, tensor<16x12xf32> -> tensor<1x5x16xf32>
  return
}

// -----

func.func @mha_scale_inf(%x: tensor<1x5x16xf32>, %w: tensor<16x16xf32>) {
  // expected-error @below {{'attn.mha' op C4: scale must be finite}}
  %0 = attn.mha %x, %w, %w, %w, %w {num_heads = 2 : i64, scale = 0x7F800000 : f32}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
        tensor<16x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return
}

// -----

func.func @mha_element_types(%x: tensor<1x5x16xf16>, %w: tensor<16x16xf32>) {
  // expected-error @below {{'attn.mha' op failed to verify that all of {input, wq, wk, wv, wo, result} have same element type}}
  %0 = attn.mha %x, %w, %w, %w, %w {num_heads = 2 : i64}
      : tensor<1x5x16xf16>, tensor<16x16xf32>, tensor<16x16xf32>,
        tensor<16x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return
}

// -----

func.func @mha_missing_num_heads(%x: tensor<1x5x16xf32>, %w: tensor<16x16xf32>) {
  // expected-error @below {{'attn.mha' op requires attribute 'num_heads'}}
  %0 = attn.mha %x, %w, %w, %w, %w
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
        tensor<16x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return
}

//===----------------------------------------------------------------------===//
// attn.linear
//===----------------------------------------------------------------------===//

// -----

func.func @linear_rank4(%x: tensor<1x2x5x16xf32>, %w: tensor<16x8xf32>) {
  // expected-error @below {{'attn.linear' op C1: input must have rank 2 or 3, got 4}}
  %0 = attn.linear %x, %w : tensor<1x2x5x16xf32>, tensor<16x8xf32>
      -> tensor<1x2x5x8xf32>
  return
}

// -----

func.func @linear_contraction(%x: tensor<1x5x16xf32>, %w: tensor<12x8xf32>) {
  // expected-error @below {{'attn.linear' op C2: contraction size of weight (12) does not match input (16)}}
  %0 = attn.linear %x, %w : tensor<1x5x16xf32>, tensor<12x8xf32>
      -> tensor<1x5x8xf32>
  return
}

// -----

func.func @linear_bias_rank(%x: tensor<1x5x16xf32>, %w: tensor<16x8xf32>,
                            %b: tensor<1x8xf32>) {
  // expected-error @below {{'attn.linear' op C3: bias must have rank 1, got 2}}
  %0 = attn.linear %x, %w, %b : tensor<1x5x16xf32>, tensor<16x8xf32>,
      tensor<1x8xf32> -> tensor<1x5x8xf32>
  return
}

// -----

func.func @linear_bias_element_type(%x: tensor<1x5x16xf32>, %w: tensor<16x8xf32>,
                                    %b: tensor<8xf16>) {
  // expected-error @below {{'attn.linear' op C3: bias element type 'f16' does not match input element type 'f32'}}
  %0 = attn.linear %x, %w, %b : tensor<1x5x16xf32>, tensor<16x8xf32>,
      tensor<8xf16> -> tensor<1x5x8xf32>
  return
}

// -----

func.func @linear_bias_size(%x: tensor<1x5x16xf32>, %w: tensor<16x8xf32>,
                            %b: tensor<4xf32>) {
  // expected-error @below {{'attn.linear' op C3: size of bias (4) does not match the columns of weight (8)}}
  %0 = attn.linear %x, %w, %b : tensor<1x5x16xf32>, tensor<16x8xf32>,
      tensor<4xf32> -> tensor<1x5x8xf32>
  return
}

// -----

func.func @linear_result_rank(%x: tensor<1x5x16xf32>, %w: tensor<16x8xf32>) {
  // expected-error @below {{'attn.linear' op C4: result must have rank 3, got 2}}
  %0 = attn.linear %x, %w : tensor<1x5x16xf32>, tensor<16x8xf32>
      -> tensor<5x8xf32>
  return
}

// -----

func.func @linear_result_leading_dim(%x: tensor<1x5x16xf32>, %w: tensor<16x8xf32>) {
  // expected-error @below {{'attn.linear' op C4: dimension 1 of the result (4) does not match input (5)}}
  %0 = attn.linear %x, %w : tensor<1x5x16xf32>, tensor<16x8xf32>
      -> tensor<1x4x8xf32>
  return
}

// -----

func.func @linear_result_last_dim(%x: tensor<5x16xf32>, %w: tensor<16x8xf32>) {
  // expected-error @below {{'attn.linear' op C4: last dimension of the result (16) does not match the columns of weight (8)}}
  %0 = attn.linear %x, %w : tensor<5x16xf32>, tensor<16x8xf32>
      -> tensor<5x16xf32>
  return
}

// -----

func.func @linear_element_types(%x: tensor<5x16xf16>, %w: tensor<16x8xf32>) {
  // expected-error @below {{'attn.linear' op failed to verify that all of {input, weight, result} have same element type}}
  %0 = attn.linear %x, %w : tensor<5x16xf16>, tensor<16x8xf32>
      -> tensor<5x8xf32>
  return
}

// -----

func.func @linear_i32_input(%x: tensor<5x16xi32>, %w: tensor<16x8xi32>) {
  // expected-error @below {{'attn.linear' op operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<5x16xi32>'}}
  %0 = attn.linear %x, %w : tensor<5x16xi32>, tensor<16x8xi32>
      -> tensor<5x8xi32>
  return
}

//===----------------------------------------------------------------------===//
// attn.split_heads / attn.merge_heads
//===----------------------------------------------------------------------===//

// -----

func.func @split_heads_batch(%x: tensor<1x5x16xf32>) {
  // expected-error @below {{'attn.split_heads' op C1: batch size of the result (2) does not match input (1)}}
  %0 = attn.split_heads %x : tensor<1x5x16xf32> -> tensor<2x2x5x8xf32>
  return
}

// -----

func.func @split_heads_length(%x: tensor<1x5x16xf32>) {
  // expected-error @below {{'attn.split_heads' op C1: sequence length of the result (4) does not match input (5)}}
  %0 = attn.split_heads %x : tensor<1x5x16xf32> -> tensor<1x2x4x8xf32>
  return
}

// -----

func.func @split_heads_dynamic_heads(%x: tensor<1x5x16xf32>) {
  // expected-error @below {{'attn.split_heads' op C2: the number of heads must be static}}
  %0 = attn.split_heads %x : tensor<1x5x16xf32> -> tensor<1x?x5x8xf32>
  return
}

// -----

func.func @split_heads_dynamic_head_size(%x: tensor<1x5x16xf32>) {
  // expected-error @below {{'attn.split_heads' op C2: the head size must be static}}
  %0 = attn.split_heads %x : tensor<1x5x16xf32> -> tensor<1x2x5x?xf32>
  return
}

// -----

func.func @split_heads_dynamic_features(%x: tensor<1x5x?xf32>) {
  // expected-error @below {{'attn.split_heads' op C2: the feature size must be static}}
  %0 = attn.split_heads %x : tensor<1x5x?xf32> -> tensor<1x2x5x8xf32>
  return
}

// -----

func.func @split_heads_features(%x: tensor<1x5x16xf32>) {
  // expected-error @below {{'attn.split_heads' op C2: feature size of input (16) is not heads x head size (2 x 4)}}
  %0 = attn.split_heads %x : tensor<1x5x16xf32> -> tensor<1x2x5x4xf32>
  return
}

// -----

func.func @split_heads_element_types(%x: tensor<1x5x16xf32>) {
  // expected-error @below {{'attn.split_heads' op failed to verify that all of {input, result} have same element type}}
  %0 = attn.split_heads %x : tensor<1x5x16xf32> -> tensor<1x2x5x8xf16>
  return
}

// -----

func.func @merge_heads_batch(%x: tensor<1x2x5x8xf32>) {
  // expected-error @below {{'attn.merge_heads' op C1: batch size of input (1) does not match the result (2)}}
  %0 = attn.merge_heads %x : tensor<1x2x5x8xf32> -> tensor<2x5x16xf32>
  return
}

// -----

func.func @merge_heads_length(%x: tensor<1x2x5x8xf32>) {
  // expected-error @below {{'attn.merge_heads' op C1: sequence length of input (5) does not match the result (6)}}
  %0 = attn.merge_heads %x : tensor<1x2x5x8xf32> -> tensor<1x6x16xf32>
  return
}

// -----

func.func @merge_heads_dynamic_heads(%x: tensor<1x?x5x8xf32>) {
  // expected-error @below {{'attn.merge_heads' op C2: the number of heads must be static}}
  %0 = attn.merge_heads %x : tensor<1x?x5x8xf32> -> tensor<1x5x16xf32>
  return
}

// -----

func.func @merge_heads_features(%x: tensor<1x2x5x8xf32>) {
  // expected-error @below {{'attn.merge_heads' op C2: feature size of the result (12) is not heads x head size (2 x 8)}}
  %0 = attn.merge_heads %x : tensor<1x2x5x8xf32> -> tensor<1x5x12xf32>
  return
}

// -----

func.func @merge_heads_rank(%x: tensor<2x5x8xf32>) {
  // expected-error @below {{'attn.merge_heads' op operand #0 must be 4D tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<2x5x8xf32>'}}
  %0 = attn.merge_heads %x : tensor<2x5x8xf32> -> tensor<2x5x8xf32>
  return
}

//===----------------------------------------------------------------------===//
// attn.scores
//===----------------------------------------------------------------------===//

// -----

func.func @scores_dynamic_query_heads(%q: tensor<1x?x5x8xf32>, %k: tensor<1x2x7x8xf32>) {
  // expected-error @below {{'attn.scores' op C2: the number of query heads must be static}}
  %0 = attn.scores %q, %k : tensor<1x?x5x8xf32>, tensor<1x2x7x8xf32>
      -> tensor<1x?x5x7xf32>
  return
}

// -----

func.func @scores_dynamic_key_heads(%q: tensor<1x2x5x8xf32>, %k: tensor<1x?x7x8xf32>) {
  // expected-error @below {{'attn.scores' op C2: the number of key heads must be static}}
  %0 = attn.scores %q, %k : tensor<1x2x5x8xf32>, tensor<1x?x7x8xf32>
      -> tensor<1x2x5x7xf32>
  return
}

// -----

func.func @scores_dynamic_head_size(%q: tensor<1x2x5x?xf32>, %k: tensor<1x2x7x8xf32>) {
  // expected-error @below {{'attn.scores' op C2: the head size must be static}}
  %0 = attn.scores %q, %k : tensor<1x2x5x?xf32>, tensor<1x2x7x8xf32>
      -> tensor<1x2x5x7xf32>
  return
}

// -----

func.func @scores_head_ratio(%q: tensor<1x4x5x8xf32>, %k: tensor<1x3x7x8xf32>) {
  // expected-error @below {{'attn.scores' op C2: number of query heads (4) is not a positive multiple of the number of key/value heads (3)}}
  %0 = attn.scores %q, %k : tensor<1x4x5x8xf32>, tensor<1x3x7x8xf32>
      -> tensor<1x4x5x7xf32>
  return
}

// -----

func.func @scores_key_batch(%q: tensor<1x2x5x8xf32>, %k: tensor<2x2x7x8xf32>) {
  // expected-error @below {{'attn.scores' op C1: batch size of key (2) does not match query (1)}}
  %0 = attn.scores %q, %k : tensor<1x2x5x8xf32>, tensor<2x2x7x8xf32>
      -> tensor<1x2x5x7xf32>
  return
}

// -----

func.func @scores_key_head_size(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x16xf32>) {
  // expected-error @below {{'attn.scores' op C1: head size of key (16) does not match query (8)}}
  %0 = attn.scores %q, %k : tensor<1x2x5x8xf32>, tensor<1x2x7x16xf32>
      -> tensor<1x2x5x7xf32>
  return
}

// -----

func.func @scores_result_batch(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>) {
  // expected-error @below {{'attn.scores' op C1: batch size of the result (3) does not match query (1)}}
  %0 = attn.scores %q, %k : tensor<1x2x5x8xf32>, tensor<1x2x7x8xf32>
      -> tensor<3x2x5x7xf32>
  return
}

// -----

func.func @scores_result_heads(%q: tensor<1x4x5x8xf32>, %k: tensor<1x2x7x8xf32>) {
  // expected-error @below {{'attn.scores' op C1: head count of the result (2) does not match query (4)}}
  %0 = attn.scores %q, %k : tensor<1x4x5x8xf32>, tensor<1x2x7x8xf32>
      -> tensor<1x2x5x7xf32>
  return
}

// -----

func.func @scores_result_query_length(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>) {
  // expected-error @below {{'attn.scores' op C1: query length of the result (7) does not match query (5)}}
  %0 = attn.scores %q, %k : tensor<1x2x5x8xf32>, tensor<1x2x7x8xf32>
      -> tensor<1x2x7x7xf32>
  return
}

// -----

func.func @scores_result_key_length(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>) {
  // expected-error @below {{'attn.scores' op C1: key length of the result (5) does not match key (7)}}
  %0 = attn.scores %q, %k : tensor<1x2x5x8xf32>, tensor<1x2x7x8xf32>
      -> tensor<1x2x5x5xf32>
  return
}

// -----

func.func @scores_result_element_type(%q: tensor<1x2x5x8xf16>, %k: tensor<1x2x7x8xf16>) {
  // expected-error @below {{'attn.scores' op C3: result element type 'bf16' must be f32 or the query element type 'f16'}}
  %0 = attn.scores %q, %k : tensor<1x2x5x8xf16>, tensor<1x2x7x8xf16>
      -> tensor<1x2x5x7xbf16>
  return
}

// -----

func.func @scores_scale_nan(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>) {
  // expected-error @below {{'attn.scores' op C4: scale must be finite}}
  %0 = attn.scores %q, %k {scale = 0x7FC00000 : f32}
      : tensor<1x2x5x8xf32>, tensor<1x2x7x8xf32> -> tensor<1x2x5x7xf32>
  return
}

// -----

func.func @scores_softcap_zero(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>) {
  // expected-error @below {{'attn.scores' op C4: softcap must be finite and > 0, got 0}}
  %0 = attn.scores %q, %k {softcap = 0.0 : f32}
      : tensor<1x2x5x8xf32>, tensor<1x2x7x8xf32> -> tensor<1x2x5x7xf32>
  return
}

// -----

func.func @scores_softcap_negative(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x7x8xf32>) {
  // expected-error @below {{'attn.scores' op C4: softcap must be finite and > 0, got -3}}
  %0 = attn.scores %q, %k {softcap = -3.0 : f32}
      : tensor<1x2x5x8xf32>, tensor<1x2x7x8xf32> -> tensor<1x2x5x7xf32>
  return
}

// -----

func.func @scores_element_types(%q: tensor<1x2x5x8xf16>, %k: tensor<1x2x7x8xf32>) {
  // expected-error @below {{'attn.scores' op failed to verify that all of {query, key} have same element type}}
  %0 = attn.scores %q, %k : tensor<1x2x5x8xf16>, tensor<1x2x7x8xf32>
      -> tensor<1x2x5x7xf32>
  return
}

//===----------------------------------------------------------------------===//
// attn.mask
//===----------------------------------------------------------------------===//

// -----

func.func @mask_batch(%s: tensor<2x4x8x8xf32>, %m: tensor<3x4x8x8xi1>) {
  // expected-error @below {{'attn.mask' op C2: batch size of mask (3) does not match the scores (2)}}
  %0 = attn.mask %s mask(%m : tensor<3x4x8x8xi1>)
      : tensor<2x4x8x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @mask_heads(%s: tensor<2x4x8x8xf32>, %m: tensor<2x2x8x8xf32>) {
  // expected-error @below {{'attn.mask' op C2: head count of mask (2) does not match the scores (4)}}
  %0 = attn.mask %s mask(%m : tensor<2x2x8x8xf32>)
      : tensor<2x4x8x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

// A unit query dimension does not broadcast: only B and H do.
func.func @mask_query_length(%s: tensor<2x4x8x8xf32>, %m: tensor<1x1x1x8xi1>) {
  // expected-error @below {{'attn.mask' op C2: query length of mask (1) does not match the scores (8)}}
  %0 = attn.mask %s mask(%m : tensor<1x1x1x8xi1>)
      : tensor<2x4x8x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @mask_key_length(%s: tensor<2x4x8x8xf32>, %m: tensor<1x1x8x9xi1>) {
  // expected-error @below {{'attn.mask' op C2: key length of mask (9) does not match the scores (8)}}
  %0 = attn.mask %s mask(%m : tensor<1x1x8x9xi1>)
      : tensor<2x4x8x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @mask_kv_lens_batch(%s: tensor<2x4x8x8xf32>, %lens: tensor<3xi32>) {
  // expected-error @below {{'attn.mask' op C3: batch size of kv_lens (3) does not match the scores (2)}}
  %0 = attn.mask %s kv_lens(%lens : tensor<3xi32>)
      : tensor<2x4x8x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @mask_window_size(%s: tensor<2x4x8x8xf32>) {
  // expected-error @below {{'attn.mask' op C4: window must have 2 elements [left, right], got 3}}
  %0 = attn.mask %s {window = array<i64: 1, 2, 3>}
      : tensor<2x4x8x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @mask_window_empty(%s: tensor<2x4x8x8xf32>) {
  // expected-error @below {{'attn.mask' op C4: window [-3, 2] is empty (left + right must be >= 0)}}
  %0 = attn.mask %s {window = array<i64: -3, 2>}
      : tensor<2x4x8x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

// left + right overflows int64; both sides negative, so the window is empty.
func.func @mask_window_overflow(%s: tensor<2x4x8x8xf32>) {
  // expected-error @below {{'attn.mask' op C4: window [-9223372036854775808, -1] is empty (left + right must be >= 0)}}
  %0 = attn.mask %s {window = array<i64: -9223372036854775808, -1>}
      : tensor<2x4x8x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @mask_rank(%s: tensor<2x4x8x8xf32>, %m: tensor<8x8xi1>) {
  // expected-error @below {{'attn.mask' op operand #1 must be 4D tensor of 1-bit signless integer or 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<8x8xi1>'}}
  %0 = attn.mask %s mask(%m : tensor<8x8xi1>)
      : tensor<2x4x8x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @mask_i8(%s: tensor<2x4x8x8xf32>, %m: tensor<2x4x8x8xi8>) {
  // expected-error @below {{'attn.mask' op operand #1 must be 4D tensor of 1-bit signless integer or 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<2x4x8x8xi8>'}}
  %0 = attn.mask %s mask(%m : tensor<2x4x8x8xi8>)
      : tensor<2x4x8x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @mask_kv_lens_i64(%s: tensor<2x4x8x8xf32>, %lens: tensor<2xi64>) {
  // expected-error @below {{'attn.mask' op operand #1 must be 1D tensor of 32-bit signless integer values, but got 'tensor<2xi64>'}}
  %0 = attn.mask %s kv_lens(%lens : tensor<2xi64>)
      : tensor<2x4x8x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @mask_result_type(%s: tensor<2x4x8x8xf32>) {
  // expected-error @below {{'attn.mask' op failed to verify that all of {scores, result} have same type}}
  %0 = attn.mask %s {causal} : tensor<2x4x8x8xf32> -> tensor<2x4x8x8xf16>
  return
}

//===----------------------------------------------------------------------===//
// attn.softmax
//===----------------------------------------------------------------------===//

// -----

func.func @softmax_rank0(%x: tensor<f32>) {
  // expected-error @below {{'attn.softmax' op C1: input must have rank >= 1}}
  %0 = attn.softmax %x : tensor<f32>
  return
}

// -----

func.func @softmax_i32(%x: tensor<4x8xi32>) {
  // expected-error @below {{'attn.softmax' op operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<4x8xi32>'}}
  %0 = attn.softmax %x : tensor<4x8xi32>
  return
}

// -----

func.func @softmax_result_type(%x: tensor<4x8xf32>) {
  // expected-error @below {{'attn.softmax' op requires the same type for all operands and results}}
  %0 = "attn.softmax"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf16>
  return
}

//===----------------------------------------------------------------------===//
// attn.context
//===----------------------------------------------------------------------===//

// -----

func.func @context_dynamic_query_heads(%p: tensor<1x?x5x7xf32>, %v: tensor<1x2x7x8xf32>) {
  // expected-error @below {{'attn.context' op C2: the number of query heads must be static}}
  %0 = attn.context %p, %v : tensor<1x?x5x7xf32>, tensor<1x2x7x8xf32>
      -> tensor<1x?x5x8xf32>
  return
}

// -----

func.func @context_dynamic_value_heads(%p: tensor<1x2x5x7xf32>, %v: tensor<1x?x7x8xf32>) {
  // expected-error @below {{'attn.context' op C2: the number of value heads must be static}}
  %0 = attn.context %p, %v : tensor<1x2x5x7xf32>, tensor<1x?x7x8xf32>
      -> tensor<1x2x5x8xf32>
  return
}

// -----

func.func @context_dynamic_head_size(%p: tensor<1x2x5x7xf32>, %v: tensor<1x2x7x?xf32>) {
  // expected-error @below {{'attn.context' op C2: the value head size must be static}}
  %0 = attn.context %p, %v : tensor<1x2x5x7xf32>, tensor<1x2x7x?xf32>
      -> tensor<1x2x5x8xf32>
  return
}

// -----

func.func @context_head_ratio(%p: tensor<1x2x5x7xf32>, %v: tensor<1x4x7x8xf32>) {
  // expected-error @below {{'attn.context' op C2: number of query heads (2) is not a positive multiple of the number of key/value heads (4)}}
  %0 = attn.context %p, %v : tensor<1x2x5x7xf32>, tensor<1x4x7x8xf32>
      -> tensor<1x2x5x8xf32>
  return
}

// -----

func.func @context_value_batch(%p: tensor<1x2x5x7xf32>, %v: tensor<2x2x7x8xf32>) {
  // expected-error @below {{'attn.context' op C1: batch size of value (2) does not match probs (1)}}
  %0 = attn.context %p, %v : tensor<1x2x5x7xf32>, tensor<2x2x7x8xf32>
      -> tensor<1x2x5x8xf32>
  return
}

// -----

func.func @context_value_length(%p: tensor<1x2x5x7xf32>, %v: tensor<1x2x6x8xf32>) {
  // expected-error @below {{'attn.context' op C1: key length of value (6) does not match probs (7)}}
  %0 = attn.context %p, %v : tensor<1x2x5x7xf32>, tensor<1x2x6x8xf32>
      -> tensor<1x2x5x8xf32>
  return
}

// -----

func.func @context_result_batch(%p: tensor<1x2x5x7xf32>, %v: tensor<1x2x7x8xf32>) {
  // expected-error @below {{'attn.context' op C1: batch size of the result (2) does not match probs (1)}}
  %0 = attn.context %p, %v : tensor<1x2x5x7xf32>, tensor<1x2x7x8xf32>
      -> tensor<2x2x5x8xf32>
  return
}

// -----

func.func @context_result_heads(%p: tensor<1x2x5x7xf32>, %v: tensor<1x2x7x8xf32>) {
  // expected-error @below {{'attn.context' op C1: head count of the result (4) does not match probs (2)}}
  %0 = attn.context %p, %v : tensor<1x2x5x7xf32>, tensor<1x2x7x8xf32>
      -> tensor<1x4x5x8xf32>
  return
}

// -----

func.func @context_result_query_length(%p: tensor<1x2x5x7xf32>, %v: tensor<1x2x7x8xf32>) {
  // expected-error @below {{'attn.context' op C1: query length of the result (7) does not match probs (5)}}
  %0 = attn.context %p, %v : tensor<1x2x5x7xf32>, tensor<1x2x7x8xf32>
      -> tensor<1x2x7x8xf32>
  return
}

// -----

func.func @context_result_head_size(%p: tensor<1x2x5x7xf32>, %v: tensor<1x2x7x8xf32>) {
  // expected-error @below {{'attn.context' op C1: head size of the result (16) does not match value (8)}}
  %0 = attn.context %p, %v : tensor<1x2x5x7xf32>, tensor<1x2x7x8xf32>
      -> tensor<1x2x5x16xf32>
  return
}

// -----

func.func @context_result_element_type(%p: tensor<1x2x5x7xf32>, %v: tensor<1x2x7x8xf16>) {
  // expected-error @below {{'attn.context' op C1: result element type 'f32' does not match value element type 'f16'}}
  %0 = attn.context %p, %v : tensor<1x2x5x7xf32>, tensor<1x2x7x8xf16>
      -> tensor<1x2x5x8xf32>
  return
}

//===----------------------------------------------------------------------===//
// attn.sdpa
//===----------------------------------------------------------------------===//

// -----

func.func @sdpa_input_element_types(%q: tensor<1x4x16x32xf32>, %k: tensor<1x4x16x32xf16>) {
  // expected-error @below {{'attn.sdpa' op C1: query, key and value must have the same element type, got 'f32', 'f16' and 'f32'}}
  %0 = attn.sdpa %q, %k, %q
      : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf16>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_out_element_type(%q: tensor<1x4x16x32xf16>) {
  // expected-error @below {{'attn.sdpa' op C1: out element type 'f32' does not match query element type 'f16'}}
  %0 = attn.sdpa %q, %q, %q
      : tensor<1x4x16x32xf16>, tensor<1x4x16x32xf16>, tensor<1x4x16x32xf16>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_dynamic_query_heads(%q: tensor<1x?x16x32xf32>, %kv: tensor<1x4x16x32xf32>) {
  // expected-error @below {{'attn.sdpa' op C3: the number of query heads must be static}}
  %0 = attn.sdpa %q, %kv, %kv
      : tensor<1x?x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x?x16x32xf32>
  return
}

// -----

func.func @sdpa_dynamic_key_heads(%q: tensor<1x4x16x32xf32>, %k: tensor<1x?x16x32xf32>) {
  // expected-error @below {{'attn.sdpa' op C3: the number of key heads must be static}}
  %0 = attn.sdpa %q, %k, %q
      : tensor<1x4x16x32xf32>, tensor<1x?x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_dynamic_value_heads(%q: tensor<1x4x16x32xf32>, %v: tensor<1x?x16x32xf32>) {
  // expected-error @below {{'attn.sdpa' op C3: the number of value heads must be static}}
  %0 = attn.sdpa %q, %q, %v
      : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x?x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_dynamic_head_size(%q: tensor<1x4x16x?xf32>, %kv: tensor<1x4x16x32xf32>) {
  // expected-error @below {{'attn.sdpa' op C3: the head size must be static}}
  %0 = attn.sdpa %q, %kv, %kv
      : tensor<1x4x16x?xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_dynamic_value_head_size(%q: tensor<1x4x16x32xf32>, %v: tensor<1x4x16x?xf32>) {
  // expected-error @below {{'attn.sdpa' op C3: the value head size must be static}}
  %0 = attn.sdpa %q, %q, %v
      : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x?xf32>
      -> tensor<1x4x16x?xf32>
  return
}

// -----

func.func @sdpa_key_value_heads(%q: tensor<1x4x16x32xf32>, %k: tensor<1x2x16x32xf32>) {
  // expected-error @below {{'attn.sdpa' op C3: value has 4 heads but key has 2}}
  %0 = attn.sdpa %q, %k, %q
      : tensor<1x4x16x32xf32>, tensor<1x2x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_head_ratio(%q: tensor<1x4x16x32xf32>, %kv: tensor<1x3x16x32xf32>) {
  // expected-error @below {{'attn.sdpa' op C3: number of query heads (4) is not a positive multiple of the number of key/value heads (3)}}
  %0 = attn.sdpa %q, %kv, %kv
      : tensor<1x4x16x32xf32>, tensor<1x3x16x32xf32>, tensor<1x3x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_zero_query_heads(%q: tensor<1x0x16x32xf32>, %kv: tensor<1x2x16x32xf32>) {
  // expected-error @below {{'attn.sdpa' op C3: number of query heads (0) is not a positive multiple of the number of key/value heads (2)}}
  %0 = attn.sdpa %q, %kv, %kv
      : tensor<1x0x16x32xf32>, tensor<1x2x16x32xf32>, tensor<1x2x16x32xf32>
      -> tensor<1x0x16x32xf32>
  return
}

// -----

func.func @sdpa_key_batch(%q: tensor<1x4x16x32xf32>, %k: tensor<2x4x16x32xf32>) {
  // expected-error @below {{'attn.sdpa' op C2: batch size of key (2) does not match query (1)}}
  %0 = attn.sdpa %q, %k, %q
      : tensor<1x4x16x32xf32>, tensor<2x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_value_batch(%q: tensor<1x4x16x32xf32>, %v: tensor<2x4x16x32xf32>) {
  // expected-error @below {{'attn.sdpa' op C2: batch size of value (2) does not match query (1)}}
  %0 = attn.sdpa %q, %q, %v
      : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<2x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_key_head_size(%q: tensor<1x4x16x32xf32>, %k: tensor<1x4x16x64xf32>) {
  // expected-error @below {{'attn.sdpa' op C4: head size of key (64) does not match query (32)}}
  %0 = attn.sdpa %q, %k, %q
      : tensor<1x4x16x32xf32>, tensor<1x4x16x64xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_value_length(%q: tensor<1x4x16x32xf32>, %k: tensor<1x4x8x32xf32>,
                             %v: tensor<1x4x9x32xf32>) {
  // expected-error @below {{'attn.sdpa' op C5: sequence length of value (9) does not match key (8)}}
  %0 = attn.sdpa %q, %k, %v
      : tensor<1x4x16x32xf32>, tensor<1x4x8x32xf32>, tensor<1x4x9x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_out_batch(%q: tensor<1x4x16x32xf32>) {
  // expected-error @below {{'attn.sdpa' op C2: batch size of out (2) does not match query (1)}}
  %0 = attn.sdpa %q, %q, %q
      : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<2x4x16x32xf32>
  return
}

// -----

func.func @sdpa_out_heads(%q: tensor<1x4x16x32xf32>) {
  // expected-error @below {{'attn.sdpa' op C6: head count of out (2) does not match query (4)}}
  %0 = attn.sdpa %q, %q, %q
      : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x2x16x32xf32>
  return
}

// -----

func.func @sdpa_out_query_length(%q: tensor<1x4x16x32xf32>, %kv: tensor<1x4x8x32xf32>) {
  // expected-error @below {{'attn.sdpa' op C6: query length of out (8) does not match query (16)}}
  %0 = attn.sdpa %q, %kv, %kv
      : tensor<1x4x16x32xf32>, tensor<1x4x8x32xf32>, tensor<1x4x8x32xf32>
      -> tensor<1x4x8x32xf32>
  return
}

// -----

// The output head size is Dv (16), not D (32).
func.func @sdpa_out_head_size(%q: tensor<1x4x16x32xf32>, %v: tensor<1x4x16x16xf32>) {
  // expected-error @below {{'attn.sdpa' op C6: head size of out (32) does not match value (16)}}
  %0 = attn.sdpa %q, %q, %v
      : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x16xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_mask_batch(%q: tensor<2x4x16x32xf32>, %m: tensor<3x1x16x16xi1>) {
  // expected-error @below {{'attn.sdpa' op C7: batch size of mask (3) does not match the scores (2)}}
  %0 = attn.sdpa %q, %q, %q mask(%m : tensor<3x1x16x16xi1>)
      : tensor<2x4x16x32xf32>, tensor<2x4x16x32xf32>, tensor<2x4x16x32xf32>
      -> tensor<2x4x16x32xf32>
  return
}

// -----

// The mask has Hq heads, not Hkv.
func.func @sdpa_mask_heads(%q: tensor<2x4x16x32xf32>, %kv: tensor<2x2x16x32xf32>,
                           %m: tensor<2x2x16x16xf32>) {
  // expected-error @below {{'attn.sdpa' op C7: head count of mask (2) does not match the scores (4)}}
  %0 = attn.sdpa %q, %kv, %kv mask(%m : tensor<2x2x16x16xf32>)
      : tensor<2x4x16x32xf32>, tensor<2x2x16x32xf32>, tensor<2x2x16x32xf32>
      -> tensor<2x4x16x32xf32>
  return
}

// -----

func.func @sdpa_mask_query_length(%q: tensor<2x4x16x32xf32>, %kv: tensor<2x4x8x32xf32>,
                                  %m: tensor<1x1x8x8xi1>) {
  // expected-error @below {{'attn.sdpa' op C7: query length of mask (8) does not match the scores (16)}}
  %0 = attn.sdpa %q, %kv, %kv mask(%m : tensor<1x1x8x8xi1>)
      : tensor<2x4x16x32xf32>, tensor<2x4x8x32xf32>, tensor<2x4x8x32xf32>
      -> tensor<2x4x16x32xf32>
  return
}

// -----

func.func @sdpa_mask_key_length(%q: tensor<2x4x16x32xf32>, %kv: tensor<2x4x8x32xf32>,
                                %m: tensor<1x1x16x16xi1>) {
  // expected-error @below {{'attn.sdpa' op C7: key length of mask (16) does not match the scores (8)}}
  %0 = attn.sdpa %q, %kv, %kv mask(%m : tensor<1x1x16x16xi1>)
      : tensor<2x4x16x32xf32>, tensor<2x4x8x32xf32>, tensor<2x4x8x32xf32>
      -> tensor<2x4x16x32xf32>
  return
}

// -----

func.func @sdpa_kv_lens_batch(%q: tensor<2x4x16x32xf32>, %lens: tensor<1xi32>) {
  // expected-error @below {{'attn.sdpa' op C8: batch size of kv_lens (1) does not match the scores (2)}}
  %0 = attn.sdpa %q, %q, %q kv_lens(%lens : tensor<1xi32>)
      : tensor<2x4x16x32xf32>, tensor<2x4x16x32xf32>, tensor<2x4x16x32xf32>
      -> tensor<2x4x16x32xf32>
  return
}

// -----

func.func @sdpa_scale_inf(%q: tensor<1x4x16x32xf32>) {
  // expected-error @below {{'attn.sdpa' op C9: scale must be finite}}
  %0 = attn.sdpa %q, %q, %q {scale = 0xFF800000 : f32}
      : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_softcap_inf(%q: tensor<1x4x16x32xf32>) {
  // expected-error @below {{'attn.sdpa' op C9: softcap must be finite and > 0, got INF}}
  %0 = attn.sdpa %q, %q, %q {softcap = 0x7F800000 : f32}
      : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_window_size(%q: tensor<1x4x16x32xf32>) {
  // expected-error @below {{'attn.sdpa' op C10: window must have 2 elements [left, right], got 1}}
  %0 = attn.sdpa %q, %q, %q {window = array<i64: 4>}
      : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_window_empty(%q: tensor<1x4x16x32xf32>) {
  // expected-error @below {{'attn.sdpa' op C10: window [2, -5] is empty (left + right must be >= 0)}}
  %0 = attn.sdpa %q, %q, %q {window = array<i64: 2, -5>}
      : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_lse_batch(%q: tensor<1x4x16x32xf32>) {
  // expected-error @below {{'attn.sdpa' op C11: batch size of lse (2) does not match query (1)}}
  %0:2 = attn.sdpa %q, %q, %q
      : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>, tensor<2x4x16xf32>
  return
}

// -----

func.func @sdpa_lse_heads(%q: tensor<1x4x16x32xf32>) {
  // expected-error @below {{'attn.sdpa' op C11: head count of lse (1) does not match query (4)}}
  %0:2 = attn.sdpa %q, %q, %q
      : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>, tensor<1x1x16xf32>
  return
}

// -----

func.func @sdpa_lse_query_length(%q: tensor<1x4x16x32xf32>) {
  // expected-error @below {{'attn.sdpa' op C11: query length of lse (32) does not match query (16)}}
  %0:2 = attn.sdpa %q, %q, %q
      : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>, tensor<1x4x32xf32>
  return
}

// -----

func.func @sdpa_score_mod_block_arguments(%q: tensor<1x4x16x32xf32>) {
  // expected-error @below {{'attn.sdpa' op C12: score_mod block must have arguments (f32, index, index, index, index), got ('f32', 'index', 'index', 'index')}}
  %0 = attn.sdpa %q, %q, %q score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index):
    attn.yield %s : f32
  } : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_score_mod_block_argument_type(%q: tensor<1x4x16x32xf16>) {
  // expected-error @below {{'attn.sdpa' op C12: score_mod block must have arguments (f32, index, index, index, index), got ('f16', 'index', 'index', 'index', 'index')}}
  %0 = attn.sdpa %q, %q, %q score_mod {
  ^bb0(%s: f16, %b: index, %h: index, %i: index, %j: index):
    attn.yield %s : f16
  } : tensor<1x4x16x32xf16>, tensor<1x4x16x32xf16>, tensor<1x4x16x32xf16>
      -> tensor<1x4x16x32xf16>
  return
}

// -----

// llvm.unreachable is a terminator with no parent constraint of its own.
func.func @sdpa_score_mod_terminator(%q: tensor<1x4x16x32xf32>) {
  // expected-error @below {{'attn.sdpa' op C12: score_mod must be terminated by attn.yield}}
  %0 = attn.sdpa %q, %q, %q score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    llvm.unreachable
  } : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_score_mod_yield_count(%q: tensor<1x4x16x32xf32>) {
  %0 = attn.sdpa %q, %q, %q score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    // expected-error @below {{'attn.yield' op C12: must yield exactly one f32 score, got ('f32', 'f32')}}
    attn.yield %s, %s : f32, f32
  } : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_score_mod_yield_none(%q: tensor<1x4x16x32xf32>) {
  %0 = attn.sdpa %q, %q, %q score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    // expected-error @below {{'attn.yield' op C12: must yield exactly one f32 score, got ()}}
    attn.yield
  } : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_score_mod_yield_type(%q: tensor<1x4x16x32xf32>) {
  %0 = attn.sdpa %q, %q, %q score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %e = arith.extf %s : f32 to f64
    // expected-error @below {{'attn.yield' op C12: must yield exactly one f32 score, got ('f64')}}
    attn.yield %e : f64
  } : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_score_mod_side_effect(%q: tensor<1x4x16x32xf32>) {
  %0 = attn.sdpa %q, %q, %q score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    // expected-error @below {{'vector.print' op C12: score_mod of attn.sdpa must be free of side effects}}
    vector.print %s : f32
    attn.yield %s : f32
  } : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

// The side effect is found inside a nested region too.
func.func @sdpa_score_mod_nested_side_effect(%q: tensor<1x4x16x32xf32>) {
  %0 = attn.sdpa %q, %q, %q score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %t = arith.constant true
    %r = scf.if %t -> f32 {
      // expected-error @below {{'vector.print' op C12: score_mod of attn.sdpa must be free of side effects}}
      vector.print %s : f32
      scf.yield %s : f32
    } else {
      scf.yield %s : f32
    }
    attn.yield %r : f32
  } : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

// attn.sdpa is IsolatedFromAbove: the region isolation check rejects a
// captured value.
func.func @sdpa_score_mod_capture(%q: tensor<1x4x16x32xf32>, %bias: f32) {
  // expected-note @below {{required by region isolation constraints}}
  %0 = attn.sdpa %q, %q, %q score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    // expected-error @below {{'arith.addf' op using value defined outside the region}}
    %r = arith.addf %s, %bias : f32
    attn.yield %r : f32
  } : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_score_mod_two_blocks(%q: tensor<1x4x16x32xf32>) {
  // expected-error @below {{'attn.sdpa' op region #0 ('score_mod') failed to verify constraint: region with at most 1 blocks}}
  %0 = attn.sdpa %q, %q, %q score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    attn.yield %s : f32
  ^bb1:
    attn.yield %s : f32
  } : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_query_rank3(%q: tensor<1x4x16xf32>) {
  // expected-error @below {{'attn.sdpa' op operand #0 must be 4D tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<1x4x16xf32>'}}
  %0 = attn.sdpa %q, %q, %q
      : tensor<1x4x16xf32>, tensor<1x4x16xf32>, tensor<1x4x16xf32>
      -> tensor<1x4x16xf32>
  return
}

// -----

func.func @sdpa_query_i32(%q: tensor<1x4x16x32xi32>, %kv: tensor<1x4x16x32xf32>) {
  // expected-error @below {{'attn.sdpa' op operand #0 must be 4D tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<1x4x16x32xi32>'}}
  %0 = attn.sdpa %q, %kv, %kv
      : tensor<1x4x16x32xi32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_mask_rank(%q: tensor<1x4x16x32xf32>, %m: tensor<16x16xi1>) {
  // expected-error @below {{'attn.sdpa' op operand #3 must be 4D tensor of 1-bit signless integer or 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<16x16xi1>'}}
  %0 = attn.sdpa %q, %q, %q mask(%m : tensor<16x16xi1>)
      : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_kv_lens_i64(%q: tensor<1x4x16x32xf32>, %lens: tensor<1xi64>) {
  // expected-error @below {{'attn.sdpa' op operand #3 must be 1D tensor of 32-bit signless integer values, but got 'tensor<1xi64>'}}
  %0 = attn.sdpa %q, %q, %q kv_lens(%lens : tensor<1xi64>)
      : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
      -> tensor<1x4x16x32xf32>
  return
}

// -----

func.func @sdpa_lse_f16(%q: tensor<1x4x16x32xf16>) {
  // expected-error @below {{'attn.sdpa' op result #1 must be 3D tensor of 32-bit float values, but got 'tensor<1x4x16xf16>'}}
  %0:2 = attn.sdpa %q, %q, %q
      : tensor<1x4x16x32xf16>, tensor<1x4x16x32xf16>, tensor<1x4x16x32xf16>
      -> tensor<1x4x16x32xf16>, tensor<1x4x16xf16>
  return
}

// -----

func.func @yield_outside_sdpa() {
  // expected-error @below {{'attn.yield' op expects parent op 'attn.sdpa'}}
  attn.yield
  return
}

// -----

func.func @sdpa_zero_head_size(%q: tensor<1x2x3x0xf32>) -> tensor<1x2x3x0xf32> {
  // expected-error @below {{'attn.sdpa' op C3: the head size must be > 0, got 0}}
  %o = attn.sdpa %q, %q, %q : tensor<1x2x3x0xf32>, tensor<1x2x3x0xf32>, tensor<1x2x3x0xf32> -> tensor<1x2x3x0xf32>
  return %o : tensor<1x2x3x0xf32>
}

// -----

func.func @scores_zero_head_size(%q: tensor<1x2x3x0xf32>) -> tensor<1x2x3x3xf32> {
  // expected-error @below {{'attn.scores' op C2: the head size must be > 0, got 0}}
  %s = attn.scores %q, %q : tensor<1x2x3x0xf32>, tensor<1x2x3x0xf32> -> tensor<1x2x3x3xf32>
  return %s : tensor<1x2x3x3xf32>
}

// -----

func.func @mha_zero_head_size(%x: tensor<1x5x4xf32>, %w0: tensor<4x0xf32>, %wo: tensor<0x4xf32>) -> tensor<1x5x4xf32> {
  // expected-error @below {{'attn.mha' op C3: the head size must be > 0, got 0}}
  %y = attn.mha %x, %w0, %w0, %w0, %wo {num_heads = 2 : i64}
      : tensor<1x5x4xf32>, tensor<4x0xf32>, tensor<4x0xf32>, tensor<4x0xf32>, tensor<0x4xf32> -> tensor<1x5x4xf32>
  return %y : tensor<1x5x4xf32>
}

// -----

func.func @sdpa_tile_origin_size(%q: tensor<1x2x3x8xf32>, %i: index) -> tensor<1x2x3x8xf32> {
  // expected-error @below {{'attn.sdpa' op C13: tile_origin must have 4 operands (b0, h0, i0, Lq_total) or 6 (b0, h0, i0, Lq_total, j0, Lk_total), got 2}}
  %o = attn.sdpa %q, %q, %q tile_origin(%i, %i) : tensor<1x2x3x8xf32>, tensor<1x2x3x8xf32>, tensor<1x2x3x8xf32> -> tensor<1x2x3x8xf32>
  return %o : tensor<1x2x3x8xf32>
}

// -----

func.func @sdpa_tile_origin_five(%q: tensor<1x2x3x8xf32>, %i: index) -> tensor<1x2x3x8xf32> {
  // expected-error @below {{'attn.sdpa' op C13: tile_origin must have 4 operands (b0, h0, i0, Lq_total) or 6 (b0, h0, i0, Lq_total, j0, Lk_total), got 5}}
  %o = attn.sdpa %q, %q, %q tile_origin(%i, %i, %i, %i, %i) : tensor<1x2x3x8xf32>, tensor<1x2x3x8xf32>, tensor<1x2x3x8xf32> -> tensor<1x2x3x8xf32>
  return %o : tensor<1x2x3x8xf32>
}

// -----

// (S1): a shape whose byte size overflows int64 is refused on every attn op.
func.func @sdpa_overflowing_shape(%q: tensor<4611686018427387904x8x4611686018427387904x64xf32>, %k: tensor<4611686018427387904x8x10x64xf32>) -> tensor<4611686018427387904x8x4611686018427387904x64xf32> {
  // expected-error @below {{'attn.sdpa' op S1: operand #0 of type 'tensor<4611686018427387904x8x4611686018427387904x64xf32>' has 2^63 bytes or more}}
  %o = attn.sdpa %q, %k, %k : tensor<4611686018427387904x8x4611686018427387904x64xf32>, tensor<4611686018427387904x8x10x64xf32>, tensor<4611686018427387904x8x10x64xf32> -> tensor<4611686018427387904x8x4611686018427387904x64xf32>
  return %o : tensor<4611686018427387904x8x4611686018427387904x64xf32>
}

// -----

func.func @softmax_overflowing_shape(%s: tensor<16777216x65536x65536x1048576xf32>) -> tensor<16777216x65536x65536x1048576xf32> {
  // expected-error @below {{'attn.softmax' op S1: operand #0 of type 'tensor<16777216x65536x65536x1048576xf32>' has 2^63 bytes or more}}
  %p = attn.softmax %s : tensor<16777216x65536x65536x1048576xf32>
  return %p : tensor<16777216x65536x65536x1048576xf32>
}
