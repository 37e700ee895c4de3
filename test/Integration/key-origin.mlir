// attn.sdpa with a key origin, tile_origin(b0, h0, i0, Lq_total, j0,
// Lk_total), as ring attention uses it: the keys of one causal GQA problem
// with kv_lens and a score_mod (Lq != Lk, neither a multiple of any tile)
// are split into two halves [0, 10) and [10, 19); each half computes its
// (out, lse) with its own tile_origin and the halves are combined by the
// log-sum-exp rule. The result is checked against the float64 reference
// (which reads the tile origins) through every CPU strategy, and compared
// with one attn.sdpa over all keys on the same seeded inputs.

// RUN: rm -rf %t && mkdir -p %t
// RUN: attn-run %s --entry=halves --seed=7 --strategy=unfused --check | FileCheck %s
// RUN: attn-run %s --entry=halves --seed=7 --strategy=flash --tile-q=3 --tile-kv=4 --check | FileCheck %s
// RUN: attn-run %s --entry=halves --seed=7 --strategy=flash --tile-q=5 --tile-kv=3 --check | FileCheck %s
// RUN: attn-run %s --entry=halves --seed=7 --strategy=split-kv --num-splits=2 --tile-kv=3 --check | FileCheck %s
// RUN: attn-run %s --entry=halves --seed=7 --strategy=flash --tile-q=3 --tile-kv=4 --outputs=%t/halves-out.npy,%t/halves-lse.npy --check | FileCheck %s
// RUN: attn-run %s --entry=whole --seed=7 --strategy=unfused --outputs=%t/whole-out.npy,%t/whole-lse.npy --check | FileCheck %s
// RUN: %npy compare %t/halves-out.npy %t/whole-out.npy --tol 1e-5 | FileCheck %s --check-prefix=SAME
// RUN: %npy compare %t/halves-lse.npy %t/whole-lse.npy --tol 1e-5 | FileCheck %s --check-prefix=SAME
// Four operands (query tiles only) through the reference too: two query
// halves with their tile_origin reassembled equal one attn.sdpa.
// RUN: attn-run %s --entry=query_halves --seed=9 --strategy=flash --tile-q=2 --tile-kv=5 --outputs=%t/qh.npy --check | FileCheck %s --check-prefix=ONE
// RUN: attn-run %s --entry=query_whole --seed=9 --strategy=unfused --outputs=%t/qw.npy --check | FileCheck %s --check-prefix=ONE
// RUN: %npy compare %t/qh.npy %t/qw.npy --tol 1e-5 | FileCheck %s --check-prefix=SAME
// RUN: attn-run %s --entry=invisible --seed=8 --strategy=unfused --check | FileCheck %s --check-prefixes=CHECK,INVISIBLE
// RUN: attn-run %s --entry=invisible --seed=8 --strategy=flash --tile-q=2 --tile-kv=3 --check | FileCheck %s --check-prefixes=CHECK,INVISIBLE
// RUN: attn-run %s --entry=invisible --seed=8 --strategy=split-kv --num-splits=2 --tile-kv=2 --check | FileCheck %s --check-prefixes=CHECK,INVISIBLE

// CHECK-NOT: FAIL
// The queries of the first half of a causal problem against the keys of the
// second half see nothing: out is exactly 0 and lse -inf.
// INVISIBLE: [0, 0, 0, :] 0.000000 0.000000 0.000000 0.000000
// INVISIBLE: [0, 0, :] -inf -inf -inf -inf -inf
// CHECK: result #0: relative error {{.*}}: PASS
// CHECK: result #1: relative error {{.*}}: PASS
// CHECK-NOT: FAIL
// ONE-NOT: FAIL
// ONE: result #0: relative error {{.*}}: PASS
// ONE-NOT: FAIL
// SAME: relative error {{.*}}: PASS
// SAME-NOT: FAIL

// (out, lse) of two blocks of keys of the same queries combined: with
// M = max(l1, l2), w_s = exp(l_s - M), out = (w1 o1 + w2 o2) / (w1 + w2) and
// lse = M + log(w1 + w2); a row that sees no key in either block (both lse
// -inf) gives out = 0 and lse = -inf.
func.func private @combine(%o1: tensor<2x4x7x6xf32>, %l1: tensor<2x4x7xf32>,
                           %o2: tensor<2x4x7x6xf32>, %l2: tensor<2x4x7xf32>)
    -> (tensor<2x4x7x6xf32>, tensor<2x4x7xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %out_init = tensor.empty() : tensor<2x4x7x6xf32>
  %out = linalg.generic {
      indexing_maps = [affine_map<(b, h, i, e) -> (b, h, i, e)>,
                       affine_map<(b, h, i, e) -> (b, h, i)>,
                       affine_map<(b, h, i, e) -> (b, h, i, e)>,
                       affine_map<(b, h, i, e) -> (b, h, i)>,
                       affine_map<(b, h, i, e) -> (b, h, i, e)>],
      iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%o1, %l1, %o2, %l2 : tensor<2x4x7x6xf32>, tensor<2x4x7xf32>,
                               tensor<2x4x7x6xf32>, tensor<2x4x7xf32>)
      outs(%out_init : tensor<2x4x7x6xf32>) {
  ^bb0(%a: f32, %la: f32, %b: f32, %lb: f32, %acc: f32):
    %m = arith.maximumf %la, %lb : f32
    %empty = arith.cmpf oeq, %m, %ninf : f32
    %safe = arith.select %empty, %zero, %m : f32
    %da = arith.subf %la, %safe : f32
    %wa = math.exp %da : f32
    %db = arith.subf %lb, %safe : f32
    %wb = math.exp %db : f32
    %pa = arith.mulf %wa, %a : f32
    %pb = arith.mulf %wb, %b : f32
    %num = arith.addf %pa, %pb : f32
    %den = arith.addf %wa, %wb : f32
    %q = arith.divf %num, %den : f32
    %r = arith.select %empty, %zero, %q : f32
    linalg.yield %r : f32
  } -> tensor<2x4x7x6xf32>
  %lse_init = tensor.empty() : tensor<2x4x7xf32>
  %lse = linalg.generic {
      indexing_maps = [affine_map<(b, h, i) -> (b, h, i)>,
                       affine_map<(b, h, i) -> (b, h, i)>,
                       affine_map<(b, h, i) -> (b, h, i)>],
      iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%l1, %l2 : tensor<2x4x7xf32>, tensor<2x4x7xf32>)
      outs(%lse_init : tensor<2x4x7xf32>) {
  ^bb0(%la: f32, %lb: f32, %acc: f32):
    %m = arith.maximumf %la, %lb : f32
    %empty = arith.cmpf oeq, %m, %ninf : f32
    %safe = arith.select %empty, %zero, %m : f32
    %da = arith.subf %la, %safe : f32
    %wa = math.exp %da : f32
    %db = arith.subf %lb, %safe : f32
    %wb = math.exp %db : f32
    %den = arith.addf %wa, %wb : f32
    %log = math.log %den : f32
    %s = arith.addf %safe, %log : f32
    %r = arith.select %empty, %ninf, %s : f32
    linalg.yield %r : f32
  } -> tensor<2x4x7xf32>
  return %out, %lse : tensor<2x4x7x6xf32>, tensor<2x4x7xf32>
}

// Causal GQA (4 query heads, 2 K/V heads) with key padding and an ALiBi-like
// score_mod reading q_idx and kv_idx, 7 queries against 19 keys.
func.func @halves(%q: tensor<2x4x7x8xf32>, %k: tensor<2x2x19x8xf32>,
                  %v: tensor<2x2x19x6xf32>, %lens: tensor<2xi32>)
    -> (tensor<2x4x7x6xf32>, tensor<2x4x7xf32>) {
  %c0 = arith.constant 0 : index
  %c7 = arith.constant 7 : index
  %c10 = arith.constant 10 : index
  %c19 = arith.constant 19 : index
  %k1 = tensor.extract_slice %k[0, 0, 0, 0] [2, 2, 10, 8] [1, 1, 1, 1]
      : tensor<2x2x19x8xf32> to tensor<2x2x10x8xf32>
  %v1 = tensor.extract_slice %v[0, 0, 0, 0] [2, 2, 10, 6] [1, 1, 1, 1]
      : tensor<2x2x19x6xf32> to tensor<2x2x10x6xf32>
  %k2 = tensor.extract_slice %k[0, 0, 10, 0] [2, 2, 9, 8] [1, 1, 1, 1]
      : tensor<2x2x19x8xf32> to tensor<2x2x9x8xf32>
  %v2 = tensor.extract_slice %v[0, 0, 10, 0] [2, 2, 9, 6] [1, 1, 1, 1]
      : tensor<2x2x19x6xf32> to tensor<2x2x9x6xf32>
  %o1, %l1 = attn.sdpa %q, %k1, %v1 kv_lens(%lens : tensor<2xi32>)
      tile_origin(%c0, %c0, %c0, %c7, %c0, %c19) {causal} score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %d = arith.subi %j, %i : index
    %di = arith.index_cast %d : index to i64
    %df = arith.sitofp %di : i64 to f32
    %slope = arith.constant 0.125 : f32
    %bias = arith.mulf %df, %slope : f32
    %r = arith.addf %s, %bias : f32
    attn.yield %r : f32
  } : tensor<2x4x7x8xf32>, tensor<2x2x10x8xf32>, tensor<2x2x10x6xf32>
      -> tensor<2x4x7x6xf32>, tensor<2x4x7xf32>
  %o2, %l2 = attn.sdpa %q, %k2, %v2 kv_lens(%lens : tensor<2xi32>)
      tile_origin(%c0, %c0, %c0, %c7, %c10, %c19) {causal} score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %d = arith.subi %j, %i : index
    %di = arith.index_cast %d : index to i64
    %df = arith.sitofp %di : i64 to f32
    %slope = arith.constant 0.125 : f32
    %bias = arith.mulf %df, %slope : f32
    %r = arith.addf %s, %bias : f32
    attn.yield %r : f32
  } : tensor<2x4x7x8xf32>, tensor<2x2x9x8xf32>, tensor<2x2x9x6xf32>
      -> tensor<2x4x7x6xf32>, tensor<2x4x7xf32>
  %out, %lse = func.call @combine(%o1, %l1, %o2, %l2)
      : (tensor<2x4x7x6xf32>, tensor<2x4x7xf32>, tensor<2x4x7x6xf32>,
         tensor<2x4x7xf32>) -> (tensor<2x4x7x6xf32>, tensor<2x4x7xf32>)
  return %out, %lse : tensor<2x4x7x6xf32>, tensor<2x4x7xf32>
}

// The same problem as one attn.sdpa over all 19 keys (same arguments, so the
// same seeded inputs).
func.func @whole(%q: tensor<2x4x7x8xf32>, %k: tensor<2x2x19x8xf32>,
                 %v: tensor<2x2x19x6xf32>, %lens: tensor<2xi32>)
    -> (tensor<2x4x7x6xf32>, tensor<2x4x7xf32>) {
  %o, %l = attn.sdpa %q, %k, %v kv_lens(%lens : tensor<2xi32>) {causal}
      score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %d = arith.subi %j, %i : index
    %di = arith.index_cast %d : index to i64
    %df = arith.sitofp %di : i64 to f32
    %slope = arith.constant 0.125 : f32
    %bias = arith.mulf %df, %slope : f32
    %r = arith.addf %s, %bias : f32
    attn.yield %r : f32
  } : tensor<2x4x7x8xf32>, tensor<2x2x19x8xf32>, tensor<2x2x19x6xf32>
      -> tensor<2x4x7x6xf32>, tensor<2x4x7xf32>
  return %o, %l : tensor<2x4x7x6xf32>, tensor<2x4x7xf32>
}

// Ring attention's invisible block: the first 5 of 10 queries of a causal
// problem against its keys [5, 10) (i' = i ≤ 4 < 5 = j0).
func.func @invisible(%q: tensor<1x2x5x4xf32>, %k: tensor<1x2x5x4xf32>,
                     %v: tensor<1x2x5x4xf32>)
    -> (tensor<1x2x5x4xf32>, tensor<1x2x5xf32>) {
  %c0 = arith.constant 0 : index
  %c5 = arith.constant 5 : index
  %c10 = arith.constant 10 : index
  %o, %l = attn.sdpa %q, %k, %v tile_origin(%c0, %c0, %c0, %c10, %c5, %c10)
      {causal}
      : tensor<1x2x5x4xf32>, tensor<1x2x5x4xf32>, tensor<1x2x5x4xf32>
      -> tensor<1x2x5x4xf32>, tensor<1x2x5xf32>
  return %o, %l : tensor<1x2x5x4xf32>, tensor<1x2x5xf32>
}

// Causal attention with a score_mod reading q_idx (a per-query temperature), 9 queries against 12
// keys, as two query tiles [0, 5) and [5, 9) with four-operand origins.
func.func @query_halves(%q: tensor<1x2x9x8xf32>, %k: tensor<1x2x12x8xf32>,
                        %v: tensor<1x2x12x8xf32>) -> tensor<1x2x9x8xf32> {
  %c0 = arith.constant 0 : index
  %c5 = arith.constant 5 : index
  %c9 = arith.constant 9 : index
  %q1 = tensor.extract_slice %q[0, 0, 0, 0] [1, 2, 5, 8] [1, 1, 1, 1]
      : tensor<1x2x9x8xf32> to tensor<1x2x5x8xf32>
  %q2 = tensor.extract_slice %q[0, 0, 5, 0] [1, 2, 4, 8] [1, 1, 1, 1]
      : tensor<1x2x9x8xf32> to tensor<1x2x4x8xf32>
  %o1 = attn.sdpa %q1, %k, %v tile_origin(%c0, %c0, %c0, %c9) {causal}
      score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %ii = arith.index_cast %i : index to i64
    %if = arith.sitofp %ii : i64 to f32
    %slope = arith.constant 0.125 : f32
    %one = arith.constant 1.0 : f32
    %t = arith.mulf %if, %slope : f32
    %temp = arith.addf %one, %t : f32
    %r = arith.mulf %s, %temp : f32
    attn.yield %r : f32
  } : tensor<1x2x5x8xf32>, tensor<1x2x12x8xf32>, tensor<1x2x12x8xf32>
      -> tensor<1x2x5x8xf32>
  %o2 = attn.sdpa %q2, %k, %v tile_origin(%c0, %c0, %c5, %c9) {causal}
      score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %ii = arith.index_cast %i : index to i64
    %if = arith.sitofp %ii : i64 to f32
    %slope = arith.constant 0.125 : f32
    %one = arith.constant 1.0 : f32
    %t = arith.mulf %if, %slope : f32
    %temp = arith.addf %one, %t : f32
    %r = arith.mulf %s, %temp : f32
    attn.yield %r : f32
  } : tensor<1x2x4x8xf32>, tensor<1x2x12x8xf32>, tensor<1x2x12x8xf32>
      -> tensor<1x2x4x8xf32>
  %init = tensor.empty() : tensor<1x2x9x8xf32>
  %top = tensor.insert_slice %o1 into %init[0, 0, 0, 0] [1, 2, 5, 8] [1, 1, 1, 1]
      : tensor<1x2x5x8xf32> into tensor<1x2x9x8xf32>
  %all = tensor.insert_slice %o2 into %top[0, 0, 5, 0] [1, 2, 4, 8] [1, 1, 1, 1]
      : tensor<1x2x4x8xf32> into tensor<1x2x9x8xf32>
  return %all : tensor<1x2x9x8xf32>
}

func.func @query_whole(%q: tensor<1x2x9x8xf32>, %k: tensor<1x2x12x8xf32>,
                       %v: tensor<1x2x12x8xf32>) -> tensor<1x2x9x8xf32> {
  %o = attn.sdpa %q, %k, %v {causal} score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %ii = arith.index_cast %i : index to i64
    %if = arith.sitofp %ii : i64 to f32
    %slope = arith.constant 0.125 : f32
    %one = arith.constant 1.0 : f32
    %t = arith.mulf %if, %slope : f32
    %temp = arith.addf %one, %t : f32
    %r = arith.mulf %s, %temp : f32
    attn.yield %r : f32
  } : tensor<1x2x9x8xf32>, tensor<1x2x12x8xf32>, tensor<1x2x12x8xf32>
      -> tensor<1x2x9x8xf32>
  return %o : tensor<1x2x9x8xf32>
}
