// attn-run --check has a float64 reference for functions written in linalg
// and tensor ops, not only for attn ops: linalg ops run through their
// indexing maps and body (named ops included), tensor reshapes, slices and
// concatenations move data, and function-level index arithmetic sizes
// dynamic tensors. Each function is compared with the compiled code on
// seeded random data. An op the interpreter does not know (tensor.pad)
// still means no reference: exit status 2, never a fake PASS.

// RUN: attn-run %s --entry=matmul_transposed_bias --seed=1 --check | FileCheck %s
// RUN: attn-run %s --entry=written_softmax --seed=2 --check | FileCheck %s
// RUN: attn-run %s --entry=linalg_softmax --seed=3 --check | FileCheck %s
// RUN: attn-run %s --entry=reshape_slice_concat --seed=4 --check | FileCheck %s
// RUN: attn-run %s --entry=index_and_window --seed=5 --check | FileCheck %s
// CHECK-NOT: no float64 reference
// CHECK-NOT: FAIL
// CHECK: result #0: relative error {{.*}}, tolerance 1e-05: PASS

// Dynamic sizes: tensor.dim feeds tensor.empty and the slice sizes.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %npy rand %t/x.npy f32 6x8 --seed 6
// RUN: %npy rand %t/w.npy f32 8x5 --seed 7
// RUN: %npy rand %t/w_bad.npy f32 7x5 --seed 8
// RUN: attn-run %s --entry=dynamic_matmul --inputs=%t/x.npy,%t/w.npy --check | FileCheck %s
// The shape-only evaluation (no --check) refuses inconsistent sizes before
// compiled code reads out of bounds.
// RUN: %expect_exit 1 attn-run %s --entry=dynamic_matmul --inputs=%t/x.npy,%t/w_bad.npy 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: 'linalg.matmul' operand #1 dimension #0 has size 7, but operand #0 dimension #1 gives loop d2 size 8

// RUN: %expect_exit 2 attn-run %s --entry=no_reference --check | FileCheck %s --check-prefix=NOREF
// NOREF: check: no float64 reference: {{.*}}linalg-reference.mlir:{{[0-9]+}}:{{[0-9]+}}: 'tensor.pad' has no float64 reference
// NOREF-NOT: PASS

#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// x · wᵀ through the indexing maps of linalg.matmul, plus a bias broadcast
// by linalg.broadcast and added by a linalg.generic.
func.func @matmul_transposed_bias(%x: tensor<6x8xf32>, %w: tensor<5x8xf32>,
                                  %b: tensor<5xf32>) -> tensor<6x5xf32> {
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<6x5xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%init : tensor<6x5xf32>) -> tensor<6x5xf32>
  %y = linalg.matmul indexing_maps = [#mk, #nk, #mn]
      ins(%x, %w : tensor<6x8xf32>, tensor<5x8xf32>) outs(%fill : tensor<6x5xf32>) -> tensor<6x5xf32>
  %bb = linalg.broadcast ins(%b : tensor<5xf32>) outs(%init : tensor<6x5xf32>) dimensions = [0]
  %r = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%y, %bb : tensor<6x5xf32>, tensor<6x5xf32>) outs(%init : tensor<6x5xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<6x5xf32>
  return %r : tensor<6x5xf32>
}

// softmax(4·x) over rows, written out: max and sum reductions into filled
// inits, a scale captured from the function level.
func.func @written_softmax(%x: tensor<3x11xf32>) -> tensor<3x11xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %four = arith.constant 4.0 : f64
  %scale = arith.truncf %four : f64 to f32
  %init = tensor.empty() : tensor<3x11xf32>
  %r_init = tensor.empty() : tensor<3xf32>
  %sc = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<3x11xf32>) outs(%init : tensor<3x11xf32>) {
  ^bb0(%a: f32, %o: f32):
    %y = arith.mulf %a, %scale : f32
    linalg.yield %y : f32
  } -> tensor<3x11xf32>
  %m0 = linalg.fill ins(%ninf : f32) outs(%r_init : tensor<3xf32>) -> tensor<3xf32>
  %m = linalg.generic {indexing_maps = [#id2, #row], iterator_types = ["parallel", "reduction"]}
      ins(%sc : tensor<3x11xf32>) outs(%m0 : tensor<3xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.maximumf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<3xf32>
  %e = linalg.generic {indexing_maps = [#id2, #row, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%sc, %m : tensor<3x11xf32>, tensor<3xf32>) outs(%init : tensor<3x11xf32>) {
  ^bb0(%a: f32, %mx: f32, %o: f32):
    %d = arith.subf %a, %mx : f32
    %y = math.exp %d : f32
    linalg.yield %y : f32
  } -> tensor<3x11xf32>
  %s0 = linalg.fill ins(%zero : f32) outs(%r_init : tensor<3xf32>) -> tensor<3xf32>
  %s = linalg.reduce ins(%e : tensor<3x11xf32>) outs(%s0 : tensor<3xf32>) dimensions = [1]
    (%a: f32, %acc: f32) {
      %y = arith.addf %a, %acc : f32
      linalg.yield %y : f32
    }
  %p = linalg.generic {indexing_maps = [#id2, #row, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%e, %s : tensor<3x11xf32>, tensor<3xf32>) outs(%init : tensor<3x11xf32>) {
  ^bb0(%a: f32, %t: f32, %o: f32):
    %y = arith.divf %a, %t : f32
    linalg.yield %y : f32
  } -> tensor<3x11xf32>
  return %p : tensor<3x11xf32>
}

func.func @linalg_softmax(%x: tensor<2x3x9xf32>) -> tensor<2x3x9xf32> {
  %init = tensor.empty() : tensor<2x3x9xf32>
  %p = linalg.softmax dimension(1) ins(%x : tensor<2x3x9xf32>) outs(%init : tensor<2x3x9xf32>) -> tensor<2x3x9xf32>
  return %p : tensor<2x3x9xf32>
}

// Heads split by expand_shape and extract_slice, transposed, concatenated,
// inserted into a larger tensor and collapsed back; a dense_resource weight
// scales the result.
func.func @reshape_slice_concat(%x: tensor<2x12xf32>) -> tensor<2x16xf32> {
  %w = arith.constant dense_resource<scale_weights> : tensor<2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.expand_shape %x [[0], [1, 2]] output_shape [2, 3, 4] : tensor<2x12xf32> into tensor<2x3x4xf32>
  %a = tensor.extract_slice %e[0, 0, 0] [2, 2, 4] [1, 1, 1] : tensor<2x3x4xf32> to tensor<2x2x4xf32>
  %b = tensor.extract_slice %e[0, 2, 1] [2, 1, 2] [1, 1, 2] : tensor<2x3x4xf32> to tensor<2x2xf32>
  %bt_init = tensor.empty() : tensor<2x2xf32>
  %bt = linalg.transpose ins(%b : tensor<2x2xf32>) outs(%bt_init : tensor<2x2xf32>) permutation = [1, 0]
  %b3 = tensor.expand_shape %bt [[0], [1, 2]] output_shape [2, 1, 2] : tensor<2x2xf32> into tensor<2x1x2xf32>
  %b4 = tensor.concat dim(2) %b3, %b3 : (tensor<2x1x2xf32>, tensor<2x1x2xf32>) -> tensor<2x1x4xf32>
  %c = tensor.concat dim(1) %a, %b4 : (tensor<2x2x4xf32>, tensor<2x1x4xf32>) -> tensor<2x3x4xf32>
  %big_init = tensor.empty() : tensor<2x4x4xf32>
  %big = linalg.fill ins(%zero : f32) outs(%big_init : tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %ins = tensor.insert_slice %c into %big[0, 1, 0] [2, 3, 4] [1, 1, 1] : tensor<2x3x4xf32> into tensor<2x4x4xf32>
  %flat = tensor.collapse_shape %ins [[0], [1, 2]] : tensor<2x4x4xf32> into tensor<2x16xf32>
  %out_init = tensor.empty() : tensor<2x16xf32>
  %r = linalg.generic {indexing_maps = [#id2, #row, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%flat, %w : tensor<2x16xf32>, tensor<2xf32>) outs(%out_init : tensor<2x16xf32>) {
  ^bb0(%v: f32, %s: f32, %o: f32):
    %y = arith.mulf %v, %s : f32
    linalg.yield %y : f32
  } -> tensor<2x16xf32>
  return %r : tensor<2x16xf32>
}

// A causal mask from linalg.index, and a sliding window read through the
// general affine map (i + j + k).
func.func @index_and_window(%x: tensor<10xf32>, %kernel: tensor<2xf32>) -> tensor<6x4xf32> {
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<6x4xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%init : tensor<6x4xf32>) -> tensor<6x4xf32>
  %win = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i + j + k)>, affine_map<(i, j, k) -> (k)>,
                                          affine_map<(i, j, k) -> (i, j)>],
                         iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %kernel : tensor<10xf32>, tensor<2xf32>) outs(%fill : tensor<6x4xf32>) {
  ^bb0(%a: f32, %w: f32, %acc: f32):
    %p = arith.mulf %a, %w : f32
    %y = arith.addf %p, %acc : f32
    linalg.yield %y : f32
  } -> tensor<6x4xf32>
  %r = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%win : tensor<6x4xf32>) outs(%init : tensor<6x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %keep = arith.cmpi ule, %j, %i : index
    %y = arith.select %keep, %a, %zero : f32
    linalg.yield %y : f32
  } -> tensor<6x4xf32>
  return %r : tensor<6x4xf32>
}

func.func @dynamic_matmul(%x: tensor<?x?xf32>, %w: tensor<?x5xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %m = tensor.dim %x, %c0 : tensor<?x?xf32>
  %init = tensor.empty(%m) : tensor<?x5xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%init : tensor<?x5xf32>) -> tensor<?x5xf32>
  %y = linalg.matmul ins(%x, %w : tensor<?x?xf32>, tensor<?x5xf32>) outs(%fill : tensor<?x5xf32>) -> tensor<?x5xf32>
  %s = tensor.extract_slice %y[0, %c1] [%m, 4] [1, 1] : tensor<?x5xf32> to tensor<?x4xf32>
  return %s : tensor<?x4xf32>
}

func.func @no_reference(%x: tensor<4xf32>) -> tensor<6xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[1] high[1] {
  ^bb0(%i: index):
    tensor.yield %zero : f32
  } : tensor<4xf32> to tensor<6xf32>
  return %p : tensor<6xf32>
}

{-#
  dialect_resources: {
    builtin: {
      scale_weights: "0x040000000000C03F000000C0"
    }
  }
#-}
