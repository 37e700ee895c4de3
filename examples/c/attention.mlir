// Causal grouped-query attention for the C and Python examples
// (examples/c/main.c, examples/python/attn_ctypes.py).
//
// 8 query heads share 2 key/value heads; 37 new queries attend to a 53-token
// context (Lq != Lk, bottom-right causal alignment: query i sees keys
// j <= i + 16). Both functions return the attention output and the
// log-sum-exp of every query row. The second one takes the batch and the
// sequence lengths at run time: its C entry gets them as int64_t sizes.
//
// Build the library and the header, then the program:
//   build/bin/attn-compile examples/c/attention.mlir --target=cpu \
//       --tile-q=16 --tile-kv=16 -o /tmp/attention
//   clang-22 -O2 -I/tmp examples/c/main.c /tmp/attention.so \
//       -Wl,-rpath,/tmp -lm -o /tmp/attention_demo
//   /tmp/attention_demo

func.func @causal_gqa(%q: tensor<2x8x37x16xf32>, %k: tensor<2x2x53x16xf32>,
                      %v: tensor<2x2x53x16xf32>)
    -> (tensor<2x8x37x16xf32>, tensor<2x8x37xf32>) {
  %out, %lse = attn.sdpa %q, %k, %v {causal}
      : tensor<2x8x37x16xf32>, tensor<2x2x53x16xf32>, tensor<2x2x53x16xf32>
      -> tensor<2x8x37x16xf32>, tensor<2x8x37xf32>
  return %out, %lse : tensor<2x8x37x16xf32>, tensor<2x8x37xf32>
}

func.func @causal_gqa_dyn(%q: tensor<?x8x?x16xf32>, %k: tensor<?x2x?x16xf32>,
                          %v: tensor<?x2x?x16xf32>)
    -> (tensor<?x8x?x16xf32>, tensor<?x8x?xf32>) {
  %out, %lse = attn.sdpa %q, %k, %v {causal}
      : tensor<?x8x?x16xf32>, tensor<?x2x?x16xf32>, tensor<?x2x?x16xf32>
      -> tensor<?x8x?x16xf32>, tensor<?x8x?xf32>
  return %out, %lse : tensor<?x8x?x16xf32>, tensor<?x8x?xf32>
}
