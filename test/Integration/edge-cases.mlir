// Edge cases found in review: a rank-1 softmax, a private entry, an entry
// that calls attention in another function (the reference inlines calls),
// f16 arithmetic inside score_mod (the reference rounds it like the kernel),
// and --bench still running when --check has no reference.

// RUN: attn-run %s --entry=softmax_rank1 --check | FileCheck %s
// RUN: attn-run %s --entry=private_entry --check | FileCheck %s
// RUN: attn-run %s --entry=outer --seed=2 --check | FileCheck %s
// RUN: attn-run %s --entry=f16_score_mod --seed=3 --check | FileCheck %s
// CHECK-NOT: FAIL
// CHECK: result #0: relative error {{.*}}, tolerance 1e-05: PASS

// RUN: %expect_exit 2 attn-run %s --entry=no_reference --check --bench --repeat=2 | FileCheck %s --check-prefix=NOREF
// NOREF: check: no float64 reference: {{.*}}edge-cases.mlir:{{[0-9]+}}:{{[0-9]+}}: 'scf.for' has no float64 reference
// NOREF-NOT: PASS
// NOREF: bench @no_reference: median {{.*}} GFLOP/s n/a


func.func @softmax_rank1(%x: tensor<7xf32>) -> tensor<7xf32> {
  %p = attn.softmax %x : tensor<7xf32>
  return %p : tensor<7xf32>
}

func.func private @private_entry(%q: tensor<1x2x5x8xf32>) -> tensor<1x2x5x8xf32> {
  %o = attn.sdpa %q, %q, %q {causal}
      : tensor<1x2x5x8xf32>, tensor<1x2x5x8xf32>, tensor<1x2x5x8xf32> -> tensor<1x2x5x8xf32>
  return %o : tensor<1x2x5x8xf32>
}

func.func private @inner(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x9x8xf32>) -> tensor<1x2x5x8xf32> {
  %o = attn.sdpa %q, %k, %k {causal}
      : tensor<1x2x5x8xf32>, tensor<1x2x9x8xf32>, tensor<1x2x9x8xf32> -> tensor<1x2x5x8xf32>
  return %o : tensor<1x2x5x8xf32>
}

func.func @outer(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x9x8xf32>) -> tensor<1x2x5x8xf32> {
  %o = func.call @inner(%q, %k) : (tensor<1x2x5x8xf32>, tensor<1x2x9x8xf32>) -> tensor<1x2x5x8xf32>
  return %o : tensor<1x2x5x8xf32>
}

func.func @f16_score_mod(%q: tensor<1x2x6x8xf32>, %k: tensor<1x2x6x8xf32>,
                         %v: tensor<1x2x6x8xf32>) -> tensor<1x2x6x8xf32> {
  %o = attn.sdpa %q, %k, %v {scale = 4.0 : f32} score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %t = arith.truncf %s : f32 to f16
    %c = arith.constant 3.0 : f16
    %m = arith.mulf %t, %c : f16
    %r = arith.extf %m : f16 to f32
    attn.yield %r : f32
  } : tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32> -> tensor<1x2x6x8xf32>
  return %o : tensor<1x2x6x8xf32>
}

// The interpreter has no scf.for, so this function has no reference.
func.func @no_reference(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %r = scf.for %i = %c0 to %c3 step %c1 iter_args(%acc = %x) -> tensor<4xf32> {
    %e = tensor.empty() : tensor<4xf32>
    %y = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                         iterator_types = ["parallel"]}
        ins(%acc : tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%a: f32, %o: f32):
      %s = arith.addf %a, %a : f32
      linalg.yield %s : f32
    } -> tensor<4xf32>
    scf.yield %y : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}
