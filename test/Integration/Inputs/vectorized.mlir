// Attention at sizes where the vectorised code paths run (head sizes that are
// multiples of the vector lanes, key blocks of 64/128 with tails), for
// test/Integration/vectorized.test.

// Lq = 100, Lk = 300: partial query tiles and key blocks (padded), GQA.
func.func @plain(%q: tensor<1x4x100x64xf32>, %k: tensor<1x2x300x64xf32>,
                 %v: tensor<1x2x300x64xf32>) -> tensor<1x4x100x64xf32> {
  %o = attn.sdpa %q, %k, %v
      : tensor<1x4x100x64xf32>, tensor<1x2x300x64xf32>, tensor<1x2x300x64xf32>
      -> tensor<1x4x100x64xf32>
  return %o : tensor<1x4x100x64xf32>
}

// Causal (bottom-right), Lq < Lk, with the lse result.
func.func @causal_lse(%q: tensor<2x2x130x32xf32>, %k: tensor<2x2x260x32xf32>,
                      %v: tensor<2x2x260x32xf32>)
    -> (tensor<2x2x130x32xf32>, tensor<2x2x130xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v {causal}
      : tensor<2x2x130x32xf32>, tensor<2x2x260x32xf32>, tensor<2x2x260x32xf32>
      -> tensor<2x2x130x32xf32>, tensor<2x2x130xf32>
  return %o, %lse : tensor<2x2x130x32xf32>, tensor<2x2x130xf32>
}

// Causal with Lq > Lk: the first rows see nothing (zero output).
func.func @causal_lq_gt_lk(%q: tensor<1x2x200x64xf32>, %k: tensor<1x2x150x64xf32>,
                           %v: tensor<1x2x150x64xf32>) -> tensor<1x2x200x64xf32> {
  %o = attn.sdpa %q, %k, %v {causal}
      : tensor<1x2x200x64xf32>, tensor<1x2x150x64xf32>, tensor<1x2x150x64xf32>
      -> tensor<1x2x200x64xf32>
  return %o : tensor<1x2x200x64xf32>
}

// Sliding window, float bias per query, kv_lens (one batch fully padded),
// softcap, score_mod, Dk != Dv.
func.func @everything(%q: tensor<2x4x70x32xf32>, %k: tensor<2x2x190x32xf32>,
                      %v: tensor<2x2x190x16xf32>, %bias: tensor<2x1x70x190xf32>,
                      %lens: tensor<2xi32>)
    -> (tensor<2x4x70x16xf32>, tensor<2x4x70xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v mask(%bias : tensor<2x1x70x190xf32>)
      kv_lens(%lens : tensor<2xi32>)
      {causal, window = array<i64: 90, 0>, softcap = 2.5 : f32} score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %hi = arith.index_cast %h : index to i32
    %hf = arith.sitofp %hi : i32 to f32
    %c = arith.constant 0.125 : f32
    %t = arith.mulf %hf, %c : f32
    %r = arith.subf %s, %t : f32
    attn.yield %r : f32
  } : tensor<2x4x70x32xf32>, tensor<2x2x190x32xf32>, tensor<2x2x190x16xf32>
      -> tensor<2x4x70x16xf32>, tensor<2x4x70xf32>
  return %o, %lse : tensor<2x4x70x16xf32>, tensor<2x4x70xf32>
}

// Boolean mask (read by scalar code) beside vectorised blocks.
func.func @bool_mask(%q: tensor<1x2x64x64xf32>, %k: tensor<1x2x256x64xf32>,
                     %v: tensor<1x2x256x64xf32>, %m: tensor<1x1x64x256xi1>)
    -> tensor<1x2x64x64xf32> {
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<1x1x64x256xi1>)
      : tensor<1x2x64x64xf32>, tensor<1x2x256x64xf32>, tensor<1x2x256x64xf32>
      -> tensor<1x2x64x64xf32>
  return %o : tensor<1x2x64x64xf32>
}

// Low precision inputs and output, f32 state.
func.func @causal_bf16(%q: tensor<1x2x96x64xbf16>, %k: tensor<1x2x160x64xbf16>,
                       %v: tensor<1x2x160x64xbf16>) -> tensor<1x2x96x64xbf16> {
  %o = attn.sdpa %q, %k, %v {causal}
      : tensor<1x2x96x64xbf16>, tensor<1x2x160x64xbf16>, tensor<1x2x160x64xbf16>
      -> tensor<1x2x96x64xbf16>
  return %o : tensor<1x2x96x64xbf16>
}

func.func @f16(%q: tensor<1x2x64x128xf16>, %k: tensor<1x2x200x128xf16>,
               %v: tensor<1x2x200x128xf16>) -> tensor<1x2x64x128xf16> {
  %o = attn.sdpa %q, %k, %v
      : tensor<1x2x64x128xf16>, tensor<1x2x200x128xf16>, tensor<1x2x200x128xf16>
      -> tensor<1x2x64x128xf16>
  return %o : tensor<1x2x64x128xf16>
}

// Decoding: 3 queries, 8 heads, long keys.
func.func @decode(%q: tensor<1x8x3x128xf32>, %k: tensor<1x8x1000x128xf32>,
                  %v: tensor<1x8x1000x128xf32>) -> tensor<1x8x3x128xf32> {
  %o = attn.sdpa %q, %k, %v {causal}
      : tensor<1x8x3x128xf32>, tensor<1x8x1000x128xf32>, tensor<1x8x1000x128xf32>
      -> tensor<1x8x3x128xf32>
  return %o : tensor<1x8x3x128xf32>
}

func.func @decode_f16(%q: tensor<1x8x1x64xf16>, %k: tensor<1x8x700x64xf16>,
                      %v: tensor<1x8x700x64xf16>) -> tensor<1x8x1x64xf16> {
  %o = attn.sdpa %q, %k, %v
      : tensor<1x8x1x64xf16>, tensor<1x8x700x64xf16>, tensor<1x8x700x64xf16>
      -> tensor<1x8x1x64xf16>
  return %o : tensor<1x8x1x64xf16>
}

// Dynamic sequence lengths: query tiles are padded to static blocks.
func.func @dynamic(%q: tensor<1x2x?x64xf32>, %k: tensor<1x2x?x64xf32>,
                   %v: tensor<1x2x?x64xf32>) -> tensor<1x2x?x64xf32> {
  %o = attn.sdpa %q, %k, %v {causal}
      : tensor<1x2x?x64xf32>, tensor<1x2x?x64xf32>, tensor<1x2x?x64xf32>
      -> tensor<1x2x?x64xf32>
  return %o : tensor<1x2x?x64xf32>
}
