// RUN: attn-run %s --entry=sdpa_causal_gqa --bench --repeat=1 --bench-format=json | FileCheck %s --check-prefix=SDPA
// RUN: attn-run %s --entry=scores_context --bench --repeat=1 --bench-format=json | FileCheck %s --check-prefix=DECOMPOSED
// RUN: attn-run %s --entry=mha --bench --repeat=1 --bench-format=json | FileCheck %s --check-prefix=MHA
// RUN: attn-run %s --entry=matmul --bench --repeat=1 --bench-format=json | FileCheck %s --check-prefix=MATMUL

/// The FLOPs that --bench divides by its time (DESIGN §7, FlopCount.h),
/// counted from the actual shapes of each op.

// 2·B·Hq·Lq·Lk·(D + Dv) / 2 = 2·2·4·6·10·(8 + 16) / 2 = 11520
// SDPA: "flops": 11520,
func.func @sdpa_causal_gqa(%q: tensor<2x4x6x8xf32>, %k: tensor<2x2x10x8xf32>,
                           %v: tensor<2x2x10x16xf32>) -> tensor<2x4x6x16xf32> {
  %o = attn.sdpa %q, %k, %v {causal}
      : tensor<2x4x6x8xf32>, tensor<2x2x10x8xf32>, tensor<2x2x10x16xf32> -> tensor<2x4x6x16xf32>
  return %o : tensor<2x4x6x16xf32>
}

// scores 2·1·2·3·5·4 = 240, context 2·1·2·3·5·6 = 360
// DECOMPOSED: "flops": 600,
func.func @scores_context(%q: tensor<1x2x3x4xf32>, %k: tensor<1x2x5x4xf32>,
                          %v: tensor<1x2x5x6xf32>) -> tensor<1x2x3x6xf32> {
  %s = attn.scores %q, %k : tensor<1x2x3x4xf32>, tensor<1x2x5x4xf32> -> tensor<1x2x3x5xf32>
  %p = attn.softmax %s : tensor<1x2x3x5xf32>
  %o = attn.context %p, %v : tensor<1x2x3x5xf32>, tensor<1x2x5x6xf32> -> tensor<1x2x3x6xf32>
  return %o : tensor<1x2x3x6xf32>
}

// attention 2·1·2·5·5·(4 + 4) = 800; projections 2·5·8·(8 + 8 + 8) = 1920
// and 2·5·8·8 = 640: 3360
// MHA: "flops": 3360,
func.func @mha(%x: tensor<1x5x8xf32>, %wq: tensor<8x8xf32>, %wk: tensor<8x8xf32>,
               %wv: tensor<8x8xf32>, %wo: tensor<8x8xf32>) -> tensor<1x5x8xf32> {
  %y = attn.mha %x, %wq, %wk, %wv, %wo {num_heads = 2 : i64}
      : tensor<1x5x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32> -> tensor<1x5x8xf32>
  return %y : tensor<1x5x8xf32>
}

// 2·3·4·5 = 120 (the fill counts nothing)
// MATMUL: "flops": 120,
func.func @matmul(%a: tensor<3x5xf32>, %b: tensor<5x4xf32>) -> tensor<3x4xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<3x4xf32>) -> tensor<3x4xf32>
  %r = linalg.matmul ins(%a, %b : tensor<3x5xf32>, tensor<5x4xf32>) outs(%f : tensor<3x4xf32>) -> tensor<3x4xf32>
  return %r : tensor<3x4xf32>
}
