// Dynamic batch and sequence lengths, with inputs from .npy files: sizes are
// only known when the function runs. kv_lens holds a 0 (a fully padded
// batch: output 0, lse -inf) and a length beyond Lk.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %npy rand %t/q.npy f32 3x4x7x8 --seed 1
// RUN: %npy rand %t/k.npy f32 3x2x13x8 --seed 2
// RUN: %npy rand %t/v.npy f32 3x2x13x8 --seed 3
// RUN: %npy write %t/lens.npy i32 3 0,5,40
// RUN: attn-run %s --entry=dynamic --inputs=%t/q.npy,%t/k.npy,%t/v.npy,%t/lens.npy --check | FileCheck %s

// CHECK: result #0: tensor<?x4x?x8xf32> (3, 4, 7, 8)
// CHECK: [0, 0, 0, :] 0.000000 0.000000
// CHECK: result #1: tensor<?x4x?xf32> (3, 4, 7)
// CHECK: [0, 0, :] -inf -inf
// CHECK-NOT: FAIL
// CHECK: result #0: relative error {{.*}}: PASS
// CHECK: result #1: relative error {{.*}}: PASS

// The same function with other sizes: one compiled function serves any B, L.
// RUN: %npy rand %t/q2.npy f32 1x4x19x8 --seed 4
// RUN: %npy rand %t/k2.npy f32 1x2x5x8 --seed 5
// RUN: %npy rand %t/v2.npy f32 1x2x5x8 --seed 6
// RUN: %npy write %t/lens2.npy i32 1 4
// RUN: attn-run %s --entry=dynamic --inputs=%t/q2.npy,%t/k2.npy,%t/v2.npy,%t/lens2.npy --check | FileCheck %s --check-prefix=OTHER
// OTHER-NOT: FAIL
// OTHER: result #0: relative error {{.*}}: PASS
// OTHER: result #1: relative error {{.*}}: PASS

func.func @dynamic(%q: tensor<?x4x?x8xf32>, %k: tensor<?x2x?x8xf32>,
                   %v: tensor<?x2x?x8xf32>, %lens: tensor<?xi32>)
    -> (tensor<?x4x?x8xf32>, tensor<?x4x?xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v kv_lens(%lens : tensor<?xi32>) {causal}
      : tensor<?x4x?x8xf32>, tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>
      -> tensor<?x4x?x8xf32>, tensor<?x4x?xf32>
  return %o, %lse : tensor<?x4x?x8xf32>, tensor<?x4x?xf32>
}

// The flash strategy with small unequal tiles on the same dynamic inputs.
// RUN: attn-run %s --entry=dynamic --strategy=flash --tile-q=3 --tile-kv=4 --inputs=%t/q.npy,%t/k.npy,%t/v.npy,%t/lens.npy --check | FileCheck %s --check-prefix=OTHER
// RUN: attn-run %s --entry=dynamic --strategy=flash --tile-q=5 --tile-kv=2 --inputs=%t/q2.npy,%t/k2.npy,%t/v2.npy,%t/lens2.npy --check | FileCheck %s --check-prefix=OTHER
// RUN: attn-run %s --entry=dynamic --strategy=unfused --inputs=%t/q.npy,%t/k.npy,%t/v.npy,%t/lens.npy --check | FileCheck %s --check-prefix=OTHER
