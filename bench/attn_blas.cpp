//===- attn_blas.cpp - Unfused attention: OpenBLAS sgemm + vector softmax ===//
//
//   attn-bench-blas --B=1 --H=8 [--Hkv=8] --Lq=1024 [--Lk=1024] --D=64
//                   [--causal] [--dtype=f32|bf16] [--threads=N] [--repeat=R]
//                   [--check]
//
// The baseline a performance engineer writes by hand: for each (batch, head,
// block of 256 queries) S = scale·Q·Kᵀ with cblas_sgemm, a vectorised
// numerically stable row softmax (bench/simd.h), O = P·V with cblas_sgemm.
// Causal blocks multiply only the keys their last query can see, and each row
// normalises over its own visible keys. Work items are shared out among
// --threads threads (OpenBLAS itself runs single-threaded inside them).
// bf16 inputs are widened to f32 inside the timed region and the output is
// rounded back to bf16. --check compares a few rows with a float64 reference.
//
//===----------------------------------------------------------------------===//

#include "common.h"
#include "simd.h"

#include <atomic>
#include <cblas.h>
#include <cmath>

using namespace bench;

namespace {

constexpr long kBlockQ = 256;

struct Problem {
  Shape s;
  bool bf16;
  std::vector<float> q, k, v, o;              // f32 data (or widened bf16)
  std::vector<uint16_t> qh, kh, vh, oh;       // bf16 storage when bf16
  long qSize() const { return s.b * s.hq * s.lq * s.d; }
  long kvSize() const { return s.b * s.hkv * s.lk * s.d; }
};

void widen(const std::vector<uint16_t> &src, std::vector<float> &dst,
           int threads) {
  parallelFor(threads, long(src.size()), [&](int, long b, long e) {
    for (long i = b; i < e; ++i)
      dst[i] = fromBf16(src[i]);
  });
}

void attention(Problem &p, int threads) {
  const Shape &s = p.s;
  if (p.bf16) {
    widen(p.qh, p.q, threads);
    widen(p.kh, p.k, threads);
    widen(p.vh, p.v, threads);
  }
  const float scale = 1.0f / std::sqrt(float(s.d));
  long qBlocks = (s.lq + kBlockQ - 1) / kBlockQ;
  long items = s.b * s.hq * qBlocks;
  std::atomic<long> next{0};
  parallelFor(threads, threads, [&](int, long, long) {
    std::vector<float> scores(std::min(kBlockQ, s.lq) * s.lk);
    for (long it; (it = next.fetch_add(1)) < items;) {
      long qb = it % qBlocks, bh = it / qBlocks;
      long b = bh / s.hq, h = bh % s.hq, hk = h / (s.hq / s.hkv);
      long i0 = qb * kBlockQ, rows = std::min(kBlockQ, s.lq - i0);
      long keys = s.visible(i0 + rows - 1);
      float *o = p.o.data() + (bh * s.lq + i0) * s.d;
      if (keys == 0) {
        std::fill(o, o + rows * s.d, 0.0f);
        continue;
      }
      const float *q = p.q.data() + (bh * s.lq + i0) * s.d;
      const float *k = p.k.data() + (b * s.hkv + hk) * s.lk * s.d;
      const float *v = p.v.data() + (b * s.hkv + hk) * s.lk * s.d;
      if (rows == 1) // decode: matrix-vector products avoid sgemm's packing
        cblas_sgemv(CblasRowMajor, CblasNoTrans, int(keys), int(s.d), scale,
                    k, int(s.d), q, 1, 0.0f, scores.data(), 1);
      else
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, int(rows),
                    int(keys), int(s.d), scale, q, int(s.d), k, int(s.d), 0.0f,
                    scores.data(), int(keys));
      for (long r = 0; r < rows; ++r) {
        float *row = scores.data() + r * keys;
        long vis = s.visible(i0 + r);
        simd::softmaxRow(row, vis);
        std::fill(row + vis, row + keys, 0.0f);
      }
      if (rows == 1)
        cblas_sgemv(CblasRowMajor, CblasTrans, int(keys), int(s.d), 1.0f, v,
                    int(s.d), scores.data(), 1, 0.0f, o, 1);
      else
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(rows),
                    int(s.d), int(keys), 1.0f, scores.data(), int(keys), v,
                    int(s.d), 0.0f, o, int(s.d));
    }
  });
  if (p.bf16)
    parallelFor(threads, long(p.o.size()), [&](int, long b, long e) {
      for (long i = b; i < e; ++i)
        p.oh[i] = toBf16(p.o[i]);
    });
}

/// Largest relative error of a few output rows against float64.
double check(const Problem &p) {
  const Shape &s = p.s;
  double worst = 0;
  long bh = s.b * s.hq - 1, b = bh / s.hq, hk = (bh % s.hq) / (s.hq / s.hkv);
  for (long i : {0L, s.lq / 2, s.lq - 1}) {
    long vis = s.visible(i);
    std::vector<double> sc(vis), out(s.d, 0.0);
    double m = -INFINITY, sum = 0;
    for (long j = 0; j < vis; ++j) {
      double dot = 0;
      for (long c = 0; c < s.d; ++c)
        dot += double(p.q[(bh * s.lq + i) * s.d + c]) *
               p.k[((b * s.hkv + hk) * s.lk + j) * s.d + c];
      sc[j] = dot / std::sqrt(double(s.d));
      m = std::max(m, sc[j]);
    }
    for (long j = 0; j < vis; ++j) {
      sc[j] = std::exp(sc[j] - m);
      sum += sc[j];
    }
    double num = 0, den = 0;
    for (long c = 0; c < s.d; ++c) {
      for (long j = 0; j < vis; ++j)
        out[c] += sc[j] / sum * p.v[((b * s.hkv + hk) * s.lk + j) * s.d + c];
      double got = p.bf16 ? fromBf16(p.oh[(bh * s.lq + i) * s.d + c])
                          : p.o[(bh * s.lq + i) * s.d + c];
      num += (got - out[c]) * (got - out[c]);
      den += out[c] * out[c];
    }
    worst = std::max(worst, std::sqrt(num / std::max(den, 1e-300)));
  }
  return worst;
}

} // namespace

int main(int argc, char **argv) {
  Args args(argc, argv);
  Problem p;
  p.s = Shape::fromArgs(args);
  p.bf16 = args.get("dtype", "f32") == "bf16";
  int threads = int(args.getInt("threads", 1));
  int repeat = int(args.getInt("repeat", 5));
  openblas_set_num_threads(1);

  p.q = randomVec(p.qSize(), 11);
  p.k = randomVec(p.kvSize(), 12);
  p.v = randomVec(p.kvSize(), 13);
  p.o.assign(p.qSize(), 0.0f);
  if (p.bf16) {
    for (auto [src, dst] : {std::pair{&p.q, &p.qh}, {&p.k, &p.kh}, {&p.v, &p.vh}}) {
      dst->resize(src->size());
      for (size_t i = 0; i < src->size(); ++i)
        (*dst)[i] = toBf16((*src)[i]);
    }
    p.oh.assign(p.qSize(), 0);
  }

  double ms = medianMs(repeat, [&] { attention(p, threads); });
  std::string extra = "\"dtype\": \"" + std::string(p.bf16 ? "bf16" : "f32") + "\"";
  if (args.has("check")) {
    char buf[64];
    std::snprintf(buf, sizeof buf, ", \"check_rel_err\": %.3g", check(p));
    extra += buf;
  }
  printJson("openblas+vexp", ms, p.s.flops() / (ms * 1e6), threads, extra);
  return 0;
}
