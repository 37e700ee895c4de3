// Attention variants distributed across MPI ranks by ring.test.

// Contiguous layout: no visibility band. Lq != Lk, GQA, Dk != Dv.
func.func @cross(%q: tensor<2x4x29x16xf32>, %k: tensor<2x2x45x16xf32>,
                 %v: tensor<2x2x45x8xf32>) -> tensor<2x4x29x8xf32> {
  %o = attn.sdpa %q, %k, %v : tensor<2x4x29x16xf32>, tensor<2x2x45x16xf32>,
      tensor<2x2x45x8xf32> -> tensor<2x4x29x8xf32>
  return %o : tensor<2x4x29x8xf32>
}

// Zig-zag layout: causal, bottom-right aligned (Lq < Lk), with the lse.
func.func @causal(%q: tensor<1x4x29x16xf32>, %k: tensor<1x1x45x16xf32>,
                  %v: tensor<1x1x45x16xf32>)
    -> (tensor<1x4x29x16xf32>, tensor<1x4x29xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v {causal} : tensor<1x4x29x16xf32>,
      tensor<1x1x45x16xf32>, tensor<1x1x45x16xf32>
      -> tensor<1x4x29x16xf32>, tensor<1x4x29xf32>
  return %o, %lse : tensor<1x4x29x16xf32>, tensor<1x4x29xf32>
}

func.func @causal_bf16(%q: tensor<1x2x40x32xbf16>, %k: tensor<1x2x40x32xbf16>,
                       %v: tensor<1x2x40x32xbf16>) -> tensor<1x2x40x32xbf16> {
  %o = attn.sdpa %q, %k, %v {causal} : tensor<1x2x40x32xbf16>,
      tensor<1x2x40x32xbf16>, tensor<1x2x40x32xbf16> -> tensor<1x2x40x32xbf16>
  return %o : tensor<1x2x40x32xbf16>
}

func.func @masked_f16(%q: tensor<1x2x33x16xf16>, %k: tensor<1x2x21x16xf16>,
                      %v: tensor<1x2x21x16xf16>, %m: tensor<1x1x33x21xi1>)
    -> tensor<1x2x33x16xf16> {
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<1x1x33x21xi1>)
      : tensor<1x2x33x16xf16>, tensor<1x2x21x16xf16>, tensor<1x2x21x16xf16>
      -> tensor<1x2x33x16xf16>
  return %o : tensor<1x2x33x16xf16>
}

// Sliding window, float mask with a batch of its own, key padding, ALiBi.
func.func @window_bias(%q: tensor<2x2x37x16xf32>, %k: tensor<2x2x37x16xf32>,
                       %v: tensor<2x2x37x16xf32>, %m: tensor<2x1x37x37xf32>,
                       %lens: tensor<2xi32>) -> tensor<2x2x37x16xf32> {
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<2x1x37x37xf32>)
      kv_lens(%lens : tensor<2xi32>) {window = array<i64: 6, 2>}
      score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %d = arith.subi %j, %i : index
    %di = arith.index_cast %d : index to i64
    %df = arith.sitofp %di : i64 to f32
    %slope = arith.constant 0.125 : f32
    %bias = arith.mulf %df, %slope : f32
    %r = arith.addf %s, %bias : f32
    attn.yield %r : f32
  } : tensor<2x2x37x16xf32>, tensor<2x2x37x16xf32>, tensor<2x2x37x16xf32>
      -> tensor<2x2x37x16xf32>
  return %o : tensor<2x2x37x16xf32>
}

// Fewer keys than chunks: some ranks hold no key at all.
func.func @few_keys(%q: tensor<1x2x20x16xf32>, %k: tensor<1x2x5x16xf32>,
                    %v: tensor<1x2x5x16xf32>) -> tensor<1x2x20x16xf32> {
  %o = attn.sdpa %q, %k, %v {causal} : tensor<1x2x20x16xf32>,
      tensor<1x2x5x16xf32>, tensor<1x2x5x16xf32> -> tensor<1x2x20x16xf32>
  return %o : tensor<1x2x20x16xf32>
}

// Decoding: one query row per sequence, keys split across ranks, with the
// lse, key padding and a boolean mask over the keys.
func.func @decode(%q: tensor<2x8x1x16xf32>, %k: tensor<2x2x93x16xf32>,
                  %v: tensor<2x2x93x16xf32>, %m: tensor<2x1x1x93xi1>,
                  %lens: tensor<2xi32>)
    -> (tensor<2x8x1x16xf32>, tensor<2x8x1xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v mask(%m : tensor<2x1x1x93xi1>)
      kv_lens(%lens : tensor<2xi32>) {causal}
      : tensor<2x8x1x16xf32>, tensor<2x2x93x16xf32>, tensor<2x2x93x16xf32>
      -> tensor<2x8x1x16xf32>, tensor<2x8x1xf32>
  return %o, %lse : tensor<2x8x1x16xf32>, tensor<2x8x1xf32>
}

func.func @decode_bf16(%q: tensor<1x4x3x32xbf16>, %k: tensor<1x4x70x32xbf16>,
                       %v: tensor<1x4x70x32xbf16>) -> tensor<1x4x3x32xbf16> {
  %o = attn.sdpa %q, %k, %v {causal} : tensor<1x4x3x32xbf16>,
      tensor<1x4x70x32xbf16>, tensor<1x4x70x32xbf16> -> tensor<1x4x3x32xbf16>
  return %o : tensor<1x4x3x32xbf16>
}
