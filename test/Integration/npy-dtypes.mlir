// .npy inputs and outputs of every supported dtype round-trip through
// attn-run: f16 and bf16 (<u2) attention, f64/i64/i32/i1 through plain
// tensor functions.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %npy rand %t/q.npy f16 1x2x5x8 --seed 1
// RUN: %npy rand %t/k.npy f16 1x2x7x8 --seed 2
// RUN: %npy rand %t/v.npy f16 1x2x7x8 --seed 3
// RUN: %npy write %t/lens.npy i32 1 4
// RUN: attn-run %s --entry=f16_io --inputs=%t/q.npy,%t/k.npy,%t/v.npy,%t/lens.npy --outputs=%t/o.npy,%t/lse.npy --check | FileCheck %s --check-prefix=F16
// F16: result #0: relative error {{.*}}, tolerance 2e-02: PASS
// F16: result #1: relative error {{.*}}, tolerance 2e-02: PASS
// RUN: grep -aq "'descr': '<f2'" %t/o.npy
// RUN: grep -aq "'descr': '<f4'" %t/lse.npy

// RUN: %npy write %t/a.npy f64 2x3 1.5,-2.25,3,0.125,1e300,-7
// RUN: %npy write %t/i.npy i64 2 -- -3,9000000000
// RUN: %npy write %t/m.npy i1 3 1,0,1
// RUN: attn-run %s --entry=passthrough --inputs=%t/a.npy,%t/i.npy,%t/m.npy,%t/lens.npy | FileCheck %s --check-prefix=PASS
// PASS: result #0: tensor<2x3xf64> (2, 3)
// PASS-NEXT: [0, :]  3.000000 -4.500000  6.000000
// PASS: result #1: tensor<2xi64> (2,)
// PASS-NEXT: [:] -3.000000 9000000000.000000
// PASS: result #2: tensor<3xi1> (3,)
// PASS-NEXT: [:]  1.000000  0.000000  1.000000
// PASS: result #3: tensor<1xi32> (1,)
// PASS-NEXT: [:]  4.000000
// RUN: attn-run %s --entry=passthrough --inputs=%t/a.npy,%t/i.npy,%t/m.npy,%t/lens.npy --outputs=%t/a2.npy,%t/i2.npy,%t/m2.npy,%t/l2.npy
// RUN: %npy compare %t/i2.npy %t/i.npy --tol 0
// RUN: cmp %t/m2.npy %t/m.npy
// RUN: cmp %t/l2.npy %t/lens.npy

func.func @f16_io(%q: tensor<1x2x5x8xf16>, %k: tensor<1x2x7x8xf16>,
                  %v: tensor<1x2x7x8xf16>, %lens: tensor<1xi32>)
    -> (tensor<1x2x5x8xf16>, tensor<1x2x5xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v kv_lens(%lens : tensor<1xi32>)
      : tensor<1x2x5x8xf16>, tensor<1x2x7x8xf16>, tensor<1x2x7x8xf16>
      -> tensor<1x2x5x8xf16>, tensor<1x2x5xf32>
  return %o, %lse : tensor<1x2x5x8xf16>, tensor<1x2x5xf32>
}

#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @passthrough(%a: tensor<2x3xf64>, %i: tensor<2xi64>, %m: tensor<3xi1>,
                       %l: tensor<1xi32>)
    -> (tensor<2x3xf64>, tensor<2xi64>, tensor<3xi1>, tensor<1xi32>) {
  %e = tensor.empty() : tensor<2x3xf64>
  %d = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<2x3xf64>) outs(%e : tensor<2x3xf64>) {
  ^bb0(%x: f64, %o: f64):
    %y = arith.addf %x, %x : f64
    linalg.yield %y : f64
  } -> tensor<2x3xf64>
  return %d, %i, %m, %l : tensor<2x3xf64>, tensor<2xi64>, tensor<3xi1>, tensor<1xi32>
}
