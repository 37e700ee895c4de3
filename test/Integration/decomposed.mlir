// The decomposed ops and the graph-level attn.mha, run and checked against
// the float64 reference, and the bundled example.

// RUN: attn-run %s --entry=steps --seed=1 --check | FileCheck %s
// RUN: attn-run %s --entry=mha_gqa_causal --seed=2 --check | FileCheck %s
// RUN: attn-run %s --entry=linear_bias_f16 --seed=3 --check | FileCheck %s
// RUN: attn-run %attn_src_root/examples/mha_how_are_you.mlir --entry=main --check | FileCheck %s --check-prefix=EXAMPLE
// RUN: attn-run %attn_src_root/examples/causal_sdpa.mlir --entry=causal_decode --check | FileCheck %s
// RUN: attn-run %attn_src_root/examples/sdpa_h8_l1024.mlir --entry=sdpa --check | FileCheck %s

// CHECK-NOT: FAIL
// CHECK: result #0: relative error {{.*}}: PASS
// CHECK-NOT: FAIL

// EXAMPLE: result #0: tensor<1x5x16xf32> (1, 5, 16)
// EXAMPLE-COUNT-5: [0, {{[0-4]}}, :]
// EXAMPLE: result #0: relative error {{.*}}, tolerance 1e-05: PASS

// scores -> mask (bias, kv_lens, window) -> softmax -> context, with GQA and
// f32 scores.
func.func @steps(%q: tensor<2x4x7x8xf32>, %k: tensor<2x2x10x8xf32>,
                 %v: tensor<2x2x10x5xf32>, %bias: tensor<1x1x7x10xf32>,
                 %lens: tensor<2xi32>) -> tensor<2x4x7x5xf32> {
  %s = attn.scores %q, %k {softcap = 4.0 : f32}
      : tensor<2x4x7x8xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x7x10xf32>
  %m = attn.mask %s mask(%bias : tensor<1x1x7x10xf32>)
      kv_lens(%lens : tensor<2xi32>) {window = array<i64: 3, 1>}
      : tensor<2x4x7x10xf32> -> tensor<2x4x7x10xf32>
  %p = attn.softmax %m : tensor<2x4x7x10xf32>
  %o = attn.context %p, %v
      : tensor<2x4x7x10xf32>, tensor<2x2x10x5xf32> -> tensor<2x4x7x5xf32>
  return %o : tensor<2x4x7x5xf32>
}

func.func @mha_gqa_causal(%x: tensor<2x9x24xf32>, %wq: tensor<24x24xf32>,
                          %wk: tensor<24x12xf32>, %wv: tensor<24x8xf32>,
                          %wo: tensor<16x20xf32>) -> tensor<2x9x20xf32> {
  %y = attn.mha %x, %wq, %wk, %wv, %wo
      {num_heads = 4 : i64, num_kv_heads = 2 : i64, causal}
      : tensor<2x9x24xf32>, tensor<24x24xf32>, tensor<24x12xf32>,
        tensor<24x8xf32>, tensor<16x20xf32> -> tensor<2x9x20xf32>
  return %y : tensor<2x9x20xf32>
}

func.func @linear_bias_f16(%x: tensor<3x5x7xf16>, %w: tensor<7x9xf16>,
                           %b: tensor<9xf16>) -> tensor<3x3x5x3xf16> {
  %y = attn.linear %x, %w, %b
      : tensor<3x5x7xf16>, tensor<7x9xf16>, tensor<9xf16> -> tensor<3x5x9xf16>
  %h = attn.split_heads %y : tensor<3x5x9xf16> -> tensor<3x3x5x3xf16>
  %m = attn.merge_heads %h : tensor<3x3x5x3xf16> -> tensor<3x5x9xf16>
  %h2 = attn.split_heads %m : tensor<3x5x9xf16> -> tensor<3x3x5x3xf16>
  %s = attn.scores %h2, %h2 : tensor<3x3x5x3xf16>, tensor<3x3x5x3xf16> -> tensor<3x3x5x5xf16>
  %p = attn.softmax %s : tensor<3x3x5x5xf16>
  %o = attn.context %p, %h2 : tensor<3x3x5x5xf16>, tensor<3x3x5x3xf16> -> tensor<3x3x5x3xf16>
  return %o : tensor<3x3x5x3xf16>
}
