// RUN: attn-opt %s --attn-expand-math --split-input-file --verify-diagnostics | FileCheck %s

///----------------------------------------------------------------------------
/// IN:  math.erf / math.erfc (GELU) on scalars and vectors of f16, bf16, f32
///      and f64, which convert-to-llvm cannot lower; math.fpowi on vectors.
/// OUT: f32 (and f16/bf16 through f32) as upstream's polynomial
///      approximation; scalar f64 as a call of the C library; other math
///      ops untouched.
/// Why: an exported model must compile whole; a vector of f64 has neither
///      an approximation nor a vector libm call, so it is an error on the op.
///----------------------------------------------------------------------------

// CHECK-LABEL: func @erf_f32_vector
//   CHECK-NOT:   math.erf
//       CHECK:   math.fma
//       CHECK:   return %{{.+}} : vector<16xf32>
func.func @erf_f32_vector(%x: vector<16xf32>) -> vector<16xf32> {
  %y = math.erf %x : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// CHECK-LABEL: func @erfc_and_erf_f16_through_f32
//       CHECK:   arith.extf %{{.+}} : f16 to f32
//   CHECK-NOT:   math.erf
//       CHECK:   arith.truncf %{{.+}} : f32 to f16
func.func @erfc_and_erf_f16_through_f32(%x: f16) -> (f16, f16) {
  %y = math.erf %x : f16
  %z = math.erfc %x : f16
  return %y, %z : f16, f16
}

// -----

// CHECK-LABEL: func.func private @erf(f64) -> f64
// CHECK-LABEL: func @erf_f64_scalar_libm
//       CHECK:   %[[R:.+]] = call @erf(%{{.+}}) : (f64) -> f64
//       CHECK:   return %[[R]]
func.func @erf_f64_scalar_libm(%x: f64) -> f64 {
  %y = math.erf %x : f64
  return %y : f64
}

// -----

// x ** 2 with an i64 vector exponent (RMSNorm): products, not llvm.intr.powi.
// CHECK-LABEL: func @fpowi_vector_expanded
//   CHECK-NOT:   math.fpowi
//       CHECK:   arith.mulf
func.func @fpowi_vector_expanded(%x: vector<8xf32>) -> vector<8xf32> {
  %two = arith.constant dense<2> : vector<8xi64>
  %y = math.fpowi %x, %two : vector<8xf32>, vector<8xi64>
  return %y : vector<8xf32>
}

// -----

// Other math ops are convert-to-llvm's.
// CHECK-LABEL: func @negative_other_math_untouched
//       CHECK:   math.tanh
//       CHECK:   math.exp
func.func @negative_other_math_untouched(%x: f32) -> f32 {
  %t = math.tanh %x : f32
  %e = math.exp %t : f32
  return %e : f32
}

// -----

func.func @negative_erf_f64_vector(%x: vector<4xf64>) -> vector<4xf64> {
  // expected-error @below {{'math.erf' op on 'vector<4xf64>' has no lowering (f16, bf16 and f32 are approximated, scalar f64 calls the C library)}}
  %y = math.erf %x : vector<4xf64>
  return %y : vector<4xf64>
}
