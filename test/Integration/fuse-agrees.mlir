// attn-fuse changes results only by float reassociation: the decomposed
// chain and its fused attn.sdpa agree within 1e-5 on the same seeded inputs,
// and both match the float64 reference.

// RUN: rm -rf %t && mkdir -p %t
// RUN: attn-opt %s --attn-fuse > %t/fused.mlir
// RUN: FileCheck %s --check-prefix=FUSED < %t/fused.mlir
// FUSED-LABEL: func @chain
// FUSED: attn.sdpa
// FUSED-NOT: attn.softmax
// FUSED-LABEL: func @mha
// FUSED-NOT: attn.sdpa
// RUN: attn-opt %s --attn-decompose-mha --attn-fuse > %t/mha-fused.mlir
// RUN: FileCheck %s --check-prefix=MHA-FUSED < %t/mha-fused.mlir
// MHA-FUSED-LABEL: func @mha
// MHA-FUSED: attn.sdpa

// RUN: attn-run %s --entry=chain --seed=3 --outputs=%t/chain.npy --check | FileCheck %s
// RUN: attn-run %t/fused.mlir --entry=chain --seed=3 --outputs=%t/chain-fused.npy --check | FileCheck %s
// RUN: %npy compare %t/chain-fused.npy %t/chain.npy --tol 1e-5 | FileCheck %s --check-prefix=SAME
// RUN: attn-run %s --entry=mha --seed=4 --outputs=%t/mha.npy --check | FileCheck %s
// RUN: attn-run %t/mha-fused.mlir --entry=mha --seed=4 --outputs=%t/mha-fused.npy --check | FileCheck %s
// RUN: %npy compare %t/mha-fused.npy %t/mha.npy --tol 1e-5 | FileCheck %s --check-prefix=SAME
// CHECK: result #0: relative error {{.*}}: PASS
// SAME: relative error {{.*}}: PASS

func.func @chain(%q: tensor<2x6x9x8xf32>, %k: tensor<2x3x13x8xf32>,
                 %v: tensor<2x3x13x12xf32>, %bias: tensor<2x1x9x13xf32>,
                 %lens: tensor<2xi32>) -> tensor<2x6x9x12xf32> {
  %s = attn.scores %q, %k {softcap = 3.0 : f32}
      : tensor<2x6x9x8xf32>, tensor<2x3x13x8xf32> -> tensor<2x6x9x13xf32>
  %m = attn.mask %s mask(%bias : tensor<2x1x9x13xf32>) kv_lens(%lens : tensor<2xi32>)
      {causal, window = array<i64: 5, 0>} : tensor<2x6x9x13xf32> -> tensor<2x6x9x13xf32>
  %p = attn.softmax %m : tensor<2x6x9x13xf32>
  %o = attn.context %p, %v : tensor<2x6x9x13xf32>, tensor<2x3x13x12xf32> -> tensor<2x6x9x12xf32>
  return %o : tensor<2x6x9x12xf32>
}

func.func @mha(%x: tensor<2x7x24xf32>, %wq: tensor<24x24xf32>, %wk: tensor<24x12xf32>,
               %wv: tensor<24x12xf32>, %wo: tensor<24x24xf32>) -> tensor<2x7x24xf32> {
  %y = attn.mha %x, %wq, %wk, %wv, %wo {num_heads = 4 : i64, num_kv_heads = 2 : i64, causal}
      : tensor<2x7x24xf32>, tensor<24x24xf32>, tensor<24x12xf32>, tensor<24x12xf32>,
        tensor<24x24xf32> -> tensor<2x7x24xf32>
  return %y : tensor<2x7x24xf32>
}
