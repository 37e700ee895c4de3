//===- simd.h - Width-generic float vectors and a vectorised exp -*- C++ -*-===//
//
// The widest float vector of the build target (AVX-512 or AVX2+FMA; compile
// with -march=native), the handful of operations the baselines need, and
// expv(): exp by range reduction to r in [-ln2/2, ln2/2], a degree-6
// polynomial and an exponent-field 2^n. Relative error about 2e-7 for
// arguments in [-87, 88]; smaller arguments are clamped (exp ≈ 1e-38).
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_BENCH_SIMD_H
#define ATTN_BENCH_SIMD_H

#include <cmath>
#include <immintrin.h>

namespace bench::simd {

#if defined(__AVX512F__)
using VF = __m512;
using VI = __m512i;
constexpr int kLanes = 16;
inline VF splat(float x) { return _mm512_set1_ps(x); }
inline VF load(const float *p) { return _mm512_loadu_ps(p); }
inline void store(float *p, VF v) { _mm512_storeu_ps(p, v); }
inline VF add(VF a, VF b) { return _mm512_add_ps(a, b); }
inline VF sub(VF a, VF b) { return _mm512_sub_ps(a, b); }
inline VF mul(VF a, VF b) { return _mm512_mul_ps(a, b); }
inline VF max(VF a, VF b) { return _mm512_max_ps(a, b); }
inline VF min(VF a, VF b) { return _mm512_min_ps(a, b); }
inline VF fma(VF a, VF b, VF c) { return _mm512_fmadd_ps(a, b, c); }
inline VF fnma(VF a, VF b, VF c) { return _mm512_fnmadd_ps(a, b, c); }
inline VF roundNearest(VF a) {
  return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}
inline VF pow2i(VF n) { // 2^n for integral n in [-126, 127]
  VI i = _mm512_cvtps_epi32(n);
  return _mm512_castsi512_ps(
      _mm512_slli_epi32(_mm512_add_epi32(i, _mm512_set1_epi32(127)), 23));
}
inline float hmax(VF v) { return _mm512_reduce_max_ps(v); }
inline float hsum(VF v) { return _mm512_reduce_add_ps(v); }
#elif defined(__AVX2__) && defined(__FMA__)
using VF = __m256;
using VI = __m256i;
constexpr int kLanes = 8;
inline VF splat(float x) { return _mm256_set1_ps(x); }
inline VF load(const float *p) { return _mm256_loadu_ps(p); }
inline void store(float *p, VF v) { _mm256_storeu_ps(p, v); }
inline VF add(VF a, VF b) { return _mm256_add_ps(a, b); }
inline VF sub(VF a, VF b) { return _mm256_sub_ps(a, b); }
inline VF mul(VF a, VF b) { return _mm256_mul_ps(a, b); }
inline VF max(VF a, VF b) { return _mm256_max_ps(a, b); }
inline VF min(VF a, VF b) { return _mm256_min_ps(a, b); }
inline VF fma(VF a, VF b, VF c) { return _mm256_fmadd_ps(a, b, c); }
inline VF fnma(VF a, VF b, VF c) { return _mm256_fnmadd_ps(a, b, c); }
inline VF roundNearest(VF a) {
  return _mm256_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}
inline VF pow2i(VF n) {
  VI i = _mm256_cvtps_epi32(n);
  return _mm256_castsi256_ps(
      _mm256_slli_epi32(_mm256_add_epi32(i, _mm256_set1_epi32(127)), 23));
}
inline float hmax(VF v) {
  __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  m = _mm_max_ps(m, _mm_movehl_ps(m, m));
  m = _mm_max_ss(m, _mm_shuffle_ps(m, m, 1));
  return _mm_cvtss_f32(m);
}
inline float hsum(VF v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
  return _mm_cvtss_f32(s);
}
#else
#error "bench needs AVX2+FMA or AVX-512 (build with -march=native)"
#endif

/// exp(x), vectorised (see the file comment for the accuracy).
inline VF expv(VF x) {
  x = max(min(x, splat(88.3762626647949f)), splat(-87.3365447504f));
  VF n = roundNearest(mul(x, splat(1.44269504088896341f)));
  VF r = fnma(n, splat(0.693359375f), x);    // ln2 high part (exact product)
  r = fnma(n, splat(-2.12194440e-4f), r);    // ln2 low part
  VF p = splat(1.0f / 720);
  p = fma(p, r, splat(1.0f / 120));
  p = fma(p, r, splat(1.0f / 24));
  p = fma(p, r, splat(1.0f / 6));
  p = fma(p, r, splat(0.5f));
  p = fma(p, r, splat(1.0f));
  p = fma(p, r, splat(1.0f));
  return mul(p, pow2i(n));
}

/// In-place numerically stable softmax of x[0, n).
inline void softmaxRow(float *x, long n) {
  if (n == 0)
    return;
  long nv = n - n % kLanes;
  float m = -INFINITY;
  if (nv) {
    VF vm = load(x);
    for (long j = kLanes; j < nv; j += kLanes)
      vm = max(vm, load(x + j));
    m = hmax(vm);
  }
  for (long j = nv; j < n; ++j)
    m = std::fmax(m, x[j]);
  VF vmax = splat(m), vs = splat(0.0f);
  for (long j = 0; j < nv; j += kLanes) {
    VF e = expv(sub(load(x + j), vmax));
    store(x + j, e);
    vs = add(vs, e);
  }
  float s = hsum(vs);
  for (long j = nv; j < n; ++j) {
    x[j] = std::exp(x[j] - m);
    s += x[j];
  }
  VF inv = splat(1.0f / s);
  for (long j = 0; j < nv; j += kLanes)
    store(x + j, mul(load(x + j), inv));
  for (long j = nv; j < n; ++j)
    x[j] *= 1.0f / s;
}

} // namespace bench::simd

#endif // ATTN_BENCH_SIMD_H
