// attn-fuse-qkv does not change results: the decomposed attention with
// three projections and the same attention with one fused projection (and
// attn-fuse afterwards) agree within 1e-5 on the same seeded inputs (GQA,
// Lq = 13 not a multiple of 8, with and without biases).

// RUN: rm -rf %t && mkdir -p %t
// RUN: attn-opt %s --attn-decompose-mha > %t/three.mlir
// RUN: attn-opt %s --attn-decompose-mha --attn-fuse-qkv --attn-fuse > %t/fused.mlir
// RUN: FileCheck %s --check-prefix=FUSED < %t/fused.mlir
// FUSED-LABEL: func @mha_gqa
// FUSED-COUNT-2: attn.linear
// FUSED-NOT: attn.linear
// FUSED-LABEL: func @projections_with_biases
// FUSED: tensor.concat dim(0)
// FUSED-COUNT-1: attn.linear
// FUSED-NOT: attn.linear
// RUN: attn-run %t/three.mlir --entry=mha_gqa --seed=40 --outputs=%t/mha_gqa.npy
// RUN: attn-run %t/fused.mlir --entry=mha_gqa --seed=40 --outputs=%t/mha_gqa-fused.npy
// RUN: %npy compare %t/mha_gqa-fused.npy %t/mha_gqa.npy --tol 1e-5 | FileCheck %s
// RUN: attn-run %t/three.mlir --entry=projections_with_biases --seed=41 --outputs=%t/biases.npy
// RUN: attn-run %t/fused.mlir --entry=projections_with_biases --seed=41 --outputs=%t/biases-fused.npy
// RUN: %npy compare %t/biases-fused.npy %t/biases.npy --tol 1e-5 | FileCheck %s
// CHECK: relative error {{.*}}: PASS

func.func @mha_gqa(%x: tensor<2x13x24xf32>, %wq: tensor<24x24xf32>, %wk: tensor<24x12xf32>, %wv: tensor<24x12xf32>, %wo: tensor<24x24xf32>) -> tensor<2x13x24xf32> {
  %y = attn.mha %x, %wq, %wk, %wv, %wo {num_heads = 4 : i64, num_kv_heads = 2 : i64, causal} : tensor<2x13x24xf32>, tensor<24x24xf32>, tensor<24x12xf32>, tensor<24x12xf32>, tensor<24x24xf32> -> tensor<2x13x24xf32>
  return %y : tensor<2x13x24xf32>
}

func.func @projections_with_biases(%x: tensor<2x13x24xf32>, %wq: tensor<24x24xf32>, %wk: tensor<24x24xf32>, %wv: tensor<24x24xf32>, %bq: tensor<24xf32>, %bk: tensor<24xf32>, %bv: tensor<24xf32>) -> tensor<2x4x13x6xf32> {
  %q = attn.linear %x, %wq, %bq : tensor<2x13x24xf32>, tensor<24x24xf32>, tensor<24xf32> -> tensor<2x13x24xf32>
  %k = attn.linear %x, %wk, %bk : tensor<2x13x24xf32>, tensor<24x24xf32>, tensor<24xf32> -> tensor<2x13x24xf32>
  %v = attn.linear %x, %wv, %bv : tensor<2x13x24xf32>, tensor<24x24xf32>, tensor<24xf32> -> tensor<2x13x24xf32>
  %qh = attn.split_heads %q : tensor<2x13x24xf32> -> tensor<2x4x13x6xf32>
  %kh = attn.split_heads %k : tensor<2x13x24xf32> -> tensor<2x4x13x6xf32>
  %vh = attn.split_heads %v : tensor<2x13x24xf32> -> tensor<2x4x13x6xf32>
  %o = attn.sdpa %qh, %kh, %vh : tensor<2x4x13x6xf32>, tensor<2x4x13x6xf32>, tensor<2x4x13x6xf32> -> tensor<2x4x13x6xf32>
  return %o : tensor<2x4x13x6xf32>
}
