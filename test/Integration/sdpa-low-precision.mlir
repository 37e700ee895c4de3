// f16 and bf16 inputs: f32 accumulation and statistics, one rounding of the
// output; the tolerance is 2e-2 (DESIGN §6).

// RUN: attn-run %s --entry=f16_causal_gqa --seed=1 --check | FileCheck %s
// RUN: attn-run %s --entry=bf16_bias_lse --seed=2 --check | FileCheck %s
// RUN: rm -rf %t && mkdir -p %t
// RUN: %npy rand %t/q.npy bf16 2x2x5x8 --seed 3
// RUN: %npy rand %t/k.npy bf16 2x2x9x8 --seed 4
// RUN: %npy rand %t/v.npy bf16 2x2x9x8 --seed 5
// RUN: attn-run %s --entry=bf16_dynamic --inputs=%t/q.npy,%t/k.npy,%t/v.npy --outputs=%t/o.npy --check | FileCheck %s
// RUN: grep -aq "'descr': '<u2'" %t/o.npy

// CHECK-NOT: FAIL
// CHECK: result #0: relative error {{.*}}, tolerance 2e-02: PASS
// CHECK-NOT: FAIL

func.func @f16_causal_gqa(%q: tensor<1x4x9x16xf16>, %k: tensor<1x2x12x16xf16>,
                          %v: tensor<1x2x12x16xf16>) -> tensor<1x4x9x16xf16> {
  %o = attn.sdpa %q, %k, %v {causal}
      : tensor<1x4x9x16xf16>, tensor<1x2x12x16xf16>, tensor<1x2x12x16xf16>
      -> tensor<1x4x9x16xf16>
  return %o : tensor<1x4x9x16xf16>
}

func.func @bf16_bias_lse(%q: tensor<2x2x6x8xbf16>, %k: tensor<2x2x11x8xbf16>,
                         %v: tensor<2x2x11x8xbf16>,
                         %bias: tensor<2x2x6x11xbf16>)
    -> (tensor<2x2x6x8xbf16>, tensor<2x2x6xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v mask(%bias : tensor<2x2x6x11xbf16>)
      : tensor<2x2x6x8xbf16>, tensor<2x2x11x8xbf16>, tensor<2x2x11x8xbf16>
      -> tensor<2x2x6x8xbf16>, tensor<2x2x6xf32>
  return %o, %lse : tensor<2x2x6x8xbf16>, tensor<2x2x6xf32>
}

func.func @bf16_dynamic(%q: tensor<?x2x?x8xbf16>, %k: tensor<?x2x?x8xbf16>,
                        %v: tensor<?x2x?x8xbf16>) -> tensor<?x2x?x8xbf16> {
  %o = attn.sdpa %q, %k, %v {causal}
      : tensor<?x2x?x8xbf16>, tensor<?x2x?x8xbf16>, tensor<?x2x?x8xbf16>
      -> tensor<?x2x?x8xbf16>
  return %o : tensor<?x2x?x8xbf16>
}

// RUN: attn-run %s --entry=f16_causal_gqa --seed=1 --strategy=flash --tile-q=4 --tile-kv=5 --check | FileCheck %s
// RUN: attn-run %s --entry=bf16_bias_lse --seed=2 --strategy=flash --tile-q=3 --tile-kv=4 --check | FileCheck %s
// RUN: attn-run %s --entry=f16_causal_gqa --seed=1 --strategy=unfused --check | FileCheck %s
