/* Calls attention kernels compiled by attn-compile from plain C and checks
 * them against a naive double-precision attention.
 *
 * Build (from the repository root, after scripts/build.sh):
 *   build/bin/attn-compile examples/c/attention.mlir --target=cpu \
 *       --tile-q=16 --tile-kv=16 -o /tmp/attention
 *   clang-22 -O2 -I/tmp examples/c/main.c /tmp/attention.so \
 *       -Wl,-rpath,/tmp -lm -o /tmp/attention_demo
 *   /tmp/attention_demo
 *
 * It prints the relative Frobenius error of every result and PASS when all
 * are within 1e-5 (exit status 0), FAIL otherwise (exit status 1).
 */
#include "attention.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { HQ = 8, HKV = 2, D = 16 };

/* A small seeded generator (xorshift64*), uniform in [-1, 1). */
static uint64_t rngState = 0x9e3779b97f4a7c15ull;
static float nextUniform(void) {
  rngState ^= rngState >> 12;
  rngState ^= rngState << 25;
  rngState ^= rngState >> 27;
  uint64_t bits = rngState * 0x2545f4914f6cdd1dull;
  return (float)((double)(bits >> 11) / 9007199254740992.0 * 2.0 - 1.0);
}

static float *randomArray(size_t n) {
  float *a = malloc(n * sizeof(float));
  for (size_t i = 0; i < n; ++i)
    a[i] = nextUniform();
  return a;
}

/* Causal grouped-query attention in double precision. Query i sees key j
 * when j <= i + Lk - Lq (bottom-right alignment); query head h reads
 * key/value head h / (HQ / HKV). Layouts: q [b][HQ][lq][D], k and v
 * [b][HKV][lk][D], out [b][HQ][lq][D], lse [b][HQ][lq]. */
static void referenceAttention(int64_t b, int64_t lq, int64_t lk,
                               const float *q, const float *k, const float *v,
                               double *out, double *lse) {
  double scale = 1.0 / sqrt((double)D);
  double *s = malloc(lk * sizeof(double));
  for (int64_t bi = 0; bi < b; ++bi)
    for (int64_t h = 0; h < HQ; ++h) {
      int64_t hk = h / (HQ / HKV);
      const float *kh = k + (bi * HKV + hk) * lk * D;
      const float *vh = v + (bi * HKV + hk) * lk * D;
      for (int64_t i = 0; i < lq; ++i) {
        const float *qi = q + ((bi * HQ + h) * lq + i) * D;
        double *oi = out + ((bi * HQ + h) * lq + i) * D;
        int64_t last = i + lk - lq; /* last visible key */
        double m = -INFINITY;
        for (int64_t j = 0; j <= last && j < lk; ++j) {
          double dot = 0.0;
          for (int d = 0; d < D; ++d)
            dot += (double)qi[d] * kh[j * D + d];
          s[j] = dot * scale;
          m = fmax(m, s[j]);
        }
        double sum = 0.0;
        for (int d = 0; d < D; ++d)
          oi[d] = 0.0;
        for (int64_t j = 0; j <= last && j < lk; ++j) {
          double p = exp(s[j] - m);
          sum += p;
          for (int d = 0; d < D; ++d)
            oi[d] += p * vh[j * D + d];
        }
        for (int d = 0; d < D; ++d)
          oi[d] = sum > 0.0 ? oi[d] / sum : 0.0;
        lse[(bi * HQ + h) * lq + i] = sum > 0.0 ? m + log(sum) : -INFINITY;
      }
    }
  free(s);
}

/* ||got - want||_F / ||want||_F. */
static double relativeError(const float *got, const double *want, size_t n) {
  double diff = 0.0, norm = 0.0;
  for (size_t i = 0; i < n; ++i) {
    double e = (double)got[i] - want[i];
    diff += e * e;
    norm += want[i] * want[i];
  }
  return sqrt(diff) / (norm > 0.0 ? sqrt(norm) : 1.0);
}

/* Runs one kernel (static or dynamic) on seeded inputs; returns 1 on PASS. */
static int check(const char *name, int dynamic, int64_t b, int64_t lq,
                 int64_t lk) {
  size_t nq = b * HQ * lq * D, nkv = b * HKV * lk * D, nlse = b * HQ * lq;
  float *q = randomArray(nq), *k = randomArray(nkv), *v = randomArray(nkv);
  float *out = malloc(nq * sizeof(float)), *lse = malloc(nlse * sizeof(float));
  double *refOut = malloc(nq * sizeof(double));
  double *refLse = malloc(nlse * sizeof(double));

  int status = dynamic ? causal_gqa_dyn(q, k, v, out, lse, /*arg0_dim0=*/b,
                                        /*arg0_dim2=*/lq, /*arg1_dim0=*/b,
                                        /*arg1_dim2=*/lk, /*arg2_dim0=*/b,
                                        /*arg2_dim2=*/lk)
                       : causal_gqa(q, k, v, out, lse);
  referenceAttention(b, lq, lk, q, k, v, refOut, refLse);
  double errOut = relativeError(out, refOut, nq);
  double errLse = relativeError(lse, refLse, nlse);
  int pass = status == 0 && errOut <= 1e-5 && errLse <= 1e-5;
  printf("%s (B=%lld, Lq=%lld, Lk=%lld): status %d, out error %.3e, "
         "lse error %.3e: %s\n",
         name, (long long)b, (long long)lq, (long long)lk, status, errOut,
         errLse, pass ? "PASS" : "FAIL");
  free(q), free(k), free(v), free(out), free(lse), free(refOut), free(refLse);
  return pass;
}

int main(void) {
  int pass = check("causal_gqa", 0, 2, 37, 53);
  pass &= check("causal_gqa_dyn", 1, 3, 21, 40);
  pass &= check("causal_gqa_dyn", 1, 1, 64, 64);
  printf("%s\n", pass ? "PASS" : "FAIL");
  return pass ? 0 : 1;
}
