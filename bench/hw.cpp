//===- hw.cpp - Machine yardsticks: FMA peak, read bandwidth, sgemm -------===//
//
//   attn-bench-hw fma    --threads=N   measured peak of fused multiply-adds
//   attn-bench-hw stream --threads=N   streaming read bandwidth (GB/s)
//   attn-bench-hw sgemm  --threads=N --n=2048 --repeat=R   OpenBLAS cblas_sgemm
//
// Built with -O3 -march=native so the FMA kernel uses the widest vectors of
// the host (AVX-512 or AVX2). Prints one JSON line.
//
//===----------------------------------------------------------------------===//

#include "common.h"

#include <atomic>
#include <cblas.h>
#include <immintrin.h>

using namespace bench;

namespace {

#if defined(__AVX512F__)
using VF = __m512;
constexpr int kLanes = 16;
constexpr int kChains = 24; // 32 registers: 24 accumulators + constants
inline VF splat(float x) { return _mm512_set1_ps(x); }
inline VF fma(VF a, VF b, VF c) { return _mm512_fmadd_ps(a, b, c); }
inline float hsum(VF v) { return _mm512_reduce_add_ps(v); }
inline VF load(const float *p) { return _mm512_loadu_ps(p); }
inline VF add(VF a, VF b) { return _mm512_add_ps(a, b); }
const char *kIsa = "avx512f";
#elif defined(__FMA__)
using VF = __m256;
constexpr int kLanes = 8;
constexpr int kChains = 12; // 16 registers: 12 accumulators + constants
inline VF splat(float x) { return _mm256_set1_ps(x); }
inline VF fma(VF a, VF b, VF c) { return _mm256_fmadd_ps(a, b, c); }
inline float hsum(VF v) {
  alignas(32) float t[8];
  _mm256_store_ps(t, v);
  float s = 0;
  for (float x : t)
    s += x;
  return s;
}
inline VF load(const float *p) { return _mm256_loadu_ps(p); }
inline VF add(VF a, VF b) { return _mm256_add_ps(a, b); }
const char *kIsa = "avx2+fma";
#else
#error "attn-bench-hw needs at least AVX2+FMA (build with -march=native)"
#endif

/// kChains independent FMA dependency chains, `iters` steps each; returns a
/// value derived from every chain so nothing is optimised away.
float fmaChains(long iters) {
  VF acc[kChains];
  for (int c = 0; c < kChains; ++c)
    acc[c] = splat(0.5f + c * 1e-3f);
  VF a = splat(0.999999f), b = splat(1e-6f);
  for (long i = 0; i < iters; ++i) {
#pragma GCC unroll 32
    for (int c = 0; c < kChains; ++c)
      acc[c] = fma(acc[c], a, b);
  }
  VF s = acc[0];
  for (int c = 1; c < kChains; ++c)
    s = add(s, acc[c]);
  return hsum(s);
}

int runFma(const Args &args) {
  int threads = int(args.getInt("threads", 1));
  long iters = args.getInt("iters", 20'000'000);
  std::atomic<float> sink{0};
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    double t0 = nowMs();
    parallelFor(threads, threads, [&](int, long b, long e) {
      for (long i = b; i < e; ++i)
        sink = sink + fmaChains(iters);
    });
    double ms = nowMs() - t0;
    double gflops = 2.0 * kLanes * kChains * iters * threads / (ms * 1e6);
    best = std::max(best, gflops);
  }
  char extra[160];
  std::snprintf(extra, sizeof extra,
                "\"isa\": \"%s\", \"lanes\": %d, \"chains\": %d, \"sink\": %g",
                kIsa, kLanes, kChains, double(sink.load()));
  printJson("fma-peak", 0, best, threads, extra);
  return 0;
}

int runStream(const Args &args) {
  int threads = int(args.getInt("threads", 1));
  long n = args.getInt("mb", 512) * (1L << 20) / sizeof(float);
  n -= n % (threads * kLanes * 4);
  float *buf = static_cast<float *>(std::aligned_alloc(64, n * sizeof(float)));
  // First touch by the thread that later reads the same part.
  parallelFor(threads, threads, [&](int, long b, long e) {
    for (long t = b; t < e; ++t)
      for (long i = n * t / threads; i < n * (t + 1) / threads; ++i)
        buf[i] = float(i & 1023) * 1e-3f;
  });
  std::vector<float> sums(threads);
  double bestMs = 1e30;
  for (int rep = 0; rep < 7; ++rep) {
    double t0 = nowMs();
    parallelFor(threads, threads, [&](int, long b, long e) {
      for (long t = b; t < e; ++t) {
        const float *p = buf + n * t / threads;
        long m = n / threads;
        VF s0 = splat(0), s1 = s0, s2 = s0, s3 = s0;
        for (long i = 0; i < m; i += 4 * kLanes) {
          s0 = add(s0, load(p + i));
          s1 = add(s1, load(p + i + kLanes));
          s2 = add(s2, load(p + i + 2 * kLanes));
          s3 = add(s3, load(p + i + 3 * kLanes));
        }
        sums[t] = hsum(add(add(s0, s1), add(s2, s3)));
      }
    });
    bestMs = std::min(bestMs, nowMs() - t0);
  }
  double gbps = n * sizeof(float) / (bestMs * 1e6);
  char extra[160];
  std::snprintf(extra, sizeof extra, "\"gbps\": %.3f, \"bytes\": %ld, \"sink\": %g",
                gbps, long(n * sizeof(float)), double(sums[0]));
  printJson("stream-read", bestMs, 0, threads, extra);
  std::free(buf);
  return 0;
}

int runSgemm(const Args &args) {
  int threads = int(args.getInt("threads", 1));
  int repeat = int(args.getInt("repeat", 5));
  long n = args.getInt("n", 2048);
  openblas_set_num_threads(threads);
  std::vector<float> a = randomVec(n * n, 1), b = randomVec(n * n, 2),
                     c(n * n);
  double ms = medianMs(repeat, [&] {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(n), int(n),
                int(n), 1.0f, a.data(), int(n), b.data(), int(n), 0.0f,
                c.data(), int(n));
  });
  char extra[160];
  std::snprintf(extra, sizeof extra, "\"n\": %ld, \"openblas_core\": \"%s\"", n,
                openblas_get_corename());
  printJson("sgemm", ms, 2.0 * n * n * n / (ms * 1e6), threads, extra);
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  Args args(argc, argv);
  std::string mode = args.positional.empty() ? "" : args.positional[0];
  if (mode == "fma")
    return runFma(args);
  if (mode == "stream")
    return runStream(args);
  if (mode == "sgemm")
    return runSgemm(args);
  std::fprintf(stderr, "usage: %s fma|stream|sgemm [--threads=N] [--n=N] "
                       "[--repeat=R] [--mb=M]\n", argv[0]);
  return 2;
}
