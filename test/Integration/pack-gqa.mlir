// Grouped-query decoding packed by attn-pack-gqa (the query heads sharing a
// K/V head computed as rows of one): causal with one row, several rows with
// a key-padding mask, kv_lens and the lse, a per-head float mask, a
// score_mod of the key — through flash (tile-q != tile-kv, tails) and
// split-KV, checked against the float64 reference; and the same with
// --pack-gqa=false.

// RUN: attn-opt %s --attn-cpu-pipeline --mlir-print-ir-after=attn-pack-gqa -o /dev/null 2>&1 | FileCheck %s --check-prefix=PACKED
// PACKED-COUNT-4: = attn.sdpa %collapsed, %arg1, %arg2

// RUN: attn-run %s --entry=decode_causal --seed=3 --check --strategy=flash --tile-q=2 --tile-kv=5 | FileCheck %s
// RUN: attn-run %s --entry=decode_causal --seed=3 --check --strategy=split-kv --num-splits=3 --tile-kv=4 | FileCheck %s
// RUN: attn-run %s --entry=decode_causal --seed=3 --check --pack-gqa=false | FileCheck %s
// RUN: attn-run %s --entry=rows_mask_kv_lens_lse --seed=4 --check --strategy=flash --tile-q=5 --tile-kv=4 | FileCheck %s
// RUN: attn-run %s --entry=rows_mask_kv_lens_lse --seed=4 --check --strategy=split-kv --num-splits=2 --tile-kv=3 | FileCheck %s
// RUN: attn-run %s --entry=mask_per_head --seed=5 --check --strategy=flash --tile-q=3 --tile-kv=4 | FileCheck %s
// RUN: attn-run %s --entry=mask_per_head --seed=5 --check --strategy=split-kv | FileCheck %s
// RUN: attn-run %s --entry=score_mod_of_key --seed=6 --check --strategy=flash | FileCheck %s
// RUN: attn-run %s --entry=score_mod_of_key --seed=6 --check --strategy=split-kv --num-splits=4 --tile-kv=2 | FileCheck %s
// CHECK: tolerance 1e-05: PASS

func.func @decode_causal(%q: tensor<2x8x1x16xf32>, %k: tensor<2x2x37x16xf32>, %v: tensor<2x2x37x16xf32>) -> tensor<2x8x1x16xf32> {
  %o = attn.sdpa %q, %k, %v {causal} : tensor<2x8x1x16xf32>, tensor<2x2x37x16xf32>, tensor<2x2x37x16xf32> -> tensor<2x8x1x16xf32>
  return %o : tensor<2x8x1x16xf32>
}

func.func @rows_mask_kv_lens_lse(%q: tensor<3x8x3x8xf32>, %k: tensor<3x2x9x8xf32>, %v: tensor<3x2x9x8xf32>, %m: tensor<3x1x3x9xi1>, %lens: tensor<3xi32>) -> (tensor<3x8x3x8xf32>, tensor<3x8x3xf32>) {
  %o, %l = attn.sdpa %q, %k, %v mask(%m : tensor<3x1x3x9xi1>) kv_lens(%lens : tensor<3xi32>) : tensor<3x8x3x8xf32>, tensor<3x2x9x8xf32>, tensor<3x2x9x8xf32> -> tensor<3x8x3x8xf32>, tensor<3x8x3xf32>
  return %o, %l : tensor<3x8x3x8xf32>, tensor<3x8x3xf32>
}

func.func @mask_per_head(%q: tensor<2x6x2x8xf32>, %k: tensor<2x2x11x8xf32>, %v: tensor<2x2x11x8xf32>, %m: tensor<1x6x2x11xf32>) -> tensor<2x6x2x8xf32> {
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<1x6x2x11xf32>) : tensor<2x6x2x8xf32>, tensor<2x2x11x8xf32>, tensor<2x2x11x8xf32> -> tensor<2x6x2x8xf32>
  return %o : tensor<2x6x2x8xf32>
}

func.func @score_mod_of_key(%q: tensor<1x8x1x8xf32>, %k: tensor<1x2x13x8xf32>, %v: tensor<1x2x13x8xf32>) -> tensor<1x8x1x8xf32> {
  %o = attn.sdpa %q, %k, %v score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %ji = arith.index_cast %j : index to i64
    %jf = arith.sitofp %ji : i64 to f32
    %c = arith.constant 0.1 : f32
    %bias = arith.mulf %jf, %c : f32
    %r = arith.addf %s, %bias : f32
    attn.yield %r : f32
  } : tensor<1x8x1x8xf32>, tensor<1x2x13x8xf32>, tensor<1x2x13x8xf32> -> tensor<1x8x1x8xf32>
  return %o : tensor<1x8x1x8xf32>
}
