/* Calls the per-rank ring-attention kernel attn-compile --distributed=ring
 * writes for examples/mpi/ring.mlir from every MPI rank, gathers the output
 * on rank 0 and checks it against a naive double-precision attention.
 *
 * Build and run (from the repository root, after scripts/build.sh):
 *   build/bin/attn-compile examples/mpi/ring.mlir --distributed=ring \
 *       -o /tmp/ring
 *   mpicc -O2 -I/tmp examples/mpi/ring.c /tmp/ring.so -Wl,-rpath,/tmp -lm \
 *       -o /tmp/ring_demo
 *   mpirun -np 2 /tmp/ring_demo
 *
 * Every rank generates the whole seeded problem and keeps its rows of the
 * zig-zag layout the header documents (rank r of P holds chunks r and
 * 2P-1-r of 2P), and passes the communicator the ranks share. Rank 0 prints the relative Frobenius error of out and lse
 * and PASS when both are within 1e-5 (exit status 0), FAIL otherwise.
 */
#include "ring.h"

#include <math.h>
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { HQ = 8, HKV = 2, D = 32, L = 301 };

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

/* The global rows [begin[c], end[c]) of rank `rank`, c = 0, 1 (zig-zag). */
static void rankRows(int rank, int ranks, int64_t begin[2], int64_t end[2]) {
  int64_t chunks = 2 * (int64_t)ranks;
  int64_t ids[2] = {rank, chunks - 1 - rank};
  for (int c = 0; c < 2; ++c) {
    begin[c] = ids[c] * L / chunks;
    end[c] = (ids[c] + 1) * L / chunks;
  }
}

/* Copies rows of every head between a whole [heads][L][width] array and a
 * rank's [heads][rows][width] shard (toShard: whole -> shard). */
static void copyRows(float *whole, float *shard, int heads, int width,
                     const int64_t begin[2], const int64_t end[2],
                     int toShard) {
  int64_t rows = (end[0] - begin[0]) + (end[1] - begin[1]);
  for (int h = 0; h < heads; ++h) {
    int64_t local = 0;
    for (int c = 0; c < 2; ++c)
      for (int64_t i = begin[c]; i < end[c]; ++i, ++local) {
        float *w = whole + ((int64_t)h * L + i) * width;
        float *s = shard + ((int64_t)h * rows + local) * width;
        if (toShard)
          memcpy(s, w, width * sizeof(float));
        else
          memcpy(w, s, width * sizeof(float));
      }
  }
}

/* Causal GQA attention in double precision (Lq = Lk = L). */
static void reference(const float *q, const float *k, const float *v,
                      double *out, double *lse) {
  double scale = 1.0 / sqrt((double)D);
  double *s = malloc(L * sizeof(double));
  for (int h = 0; h < HQ; ++h) {
    const float *kh = k + (int64_t)(h / (HQ / HKV)) * L * D;
    const float *vh = v + (int64_t)(h / (HQ / HKV)) * L * D;
    for (int64_t i = 0; i < L; ++i) {
      const float *qi = q + ((int64_t)h * L + i) * D;
      double m = -INFINITY, sum = 0.0;
      for (int64_t j = 0; j <= i; ++j) {
        double dot = 0.0;
        for (int d = 0; d < D; ++d)
          dot += (double)qi[d] * kh[j * D + d];
        s[j] = dot * scale;
        m = s[j] > m ? s[j] : m;
      }
      for (int64_t j = 0; j <= i; ++j)
        sum += exp(s[j] - m);
      double *oi = out + ((int64_t)h * L + i) * D;
      for (int d = 0; d < D; ++d) {
        double acc = 0.0;
        for (int64_t j = 0; j <= i; ++j)
          acc += exp(s[j] - m) / sum * vh[j * D + d];
        oi[d] = acc;
      }
      lse[h * L + i] = m + log(sum);
    }
  }
  free(s);
}

static double relativeError(const float *x, const double *ref, size_t n) {
  double num = 0.0, den = 0.0;
  for (size_t i = 0; i < n; ++i) {
    num += (x[i] - ref[i]) * (x[i] - ref[i]);
    den += ref[i] * ref[i];
  }
  return sqrt(num / den);
}

int main(int argc, char **argv) {
  int provided, rank, ranks;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);

  float *q = randomArray((size_t)HQ * L * D);
  float *k = randomArray((size_t)HKV * L * D);
  float *v = randomArray((size_t)HKV * L * D);

  int64_t begin[2], end[2];
  rankRows(rank, ranks, begin, end);
  int64_t rows = (end[0] - begin[0]) + (end[1] - begin[1]);
  float *qs = malloc((size_t)HQ * rows * D * sizeof(float));
  float *ks = malloc((size_t)HKV * rows * D * sizeof(float));
  float *vs = malloc((size_t)HKV * rows * D * sizeof(float));
  float *outs = malloc((size_t)HQ * rows * D * sizeof(float));
  float *lses = malloc((size_t)HQ * rows * sizeof(float));
  copyRows(q, qs, HQ, D, begin, end, 1);
  copyRows(k, ks, HKV, D, begin, end, 1);
  copyRows(v, vs, HKV, D, begin, end, 1);

  /* Every rank calls the kernel on its rows (their count is the dynamic
   * sequence length of its shard), over a communicator of its own: here a
   * duplicate of MPI_COMM_WORLD, so that the kernel's messages cannot mix
   * with the program's. OpenMPI's MPI_Comm is a pointer, passed as an
   * int64_t. */
  MPI_Comm comm;
  MPI_Comm_dup(MPI_COMM_WORLD, &comm);
  if (ring_attention(qs, ks, vs, (int64_t)(intptr_t)comm, outs, lses, rows,
                     rows, rows)) {
    fprintf(stderr, "rank %d: ring_attention failed\n", rank);
    MPI_Abort(MPI_COMM_WORLD, 1);
  }

  int status = 0;
  if (rank != 0) {
    MPI_Send(outs, (int)(HQ * rows * D), MPI_FLOAT, 0, 100, MPI_COMM_WORLD);
    MPI_Send(lses, (int)(HQ * rows), MPI_FLOAT, 0, 101, MPI_COMM_WORLD);
  } else {
    float *out = malloc((size_t)HQ * L * D * sizeof(float));
    float *lse = malloc((size_t)HQ * L * sizeof(float));
    for (int r = 0; r < ranks; ++r) {
      int64_t b[2], e[2];
      rankRows(r, ranks, b, e);
      int64_t n = (e[0] - b[0]) + (e[1] - b[1]);
      float *o = outs, *l = lses;
      if (r != 0) {
        o = malloc((size_t)HQ * n * D * sizeof(float));
        l = malloc((size_t)HQ * n * sizeof(float));
        MPI_Recv(o, (int)(HQ * n * D), MPI_FLOAT, r, 100, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        MPI_Recv(l, (int)(HQ * n), MPI_FLOAT, r, 101, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
      }
      copyRows(out, o, HQ, D, b, e, 0);
      copyRows(lse, l, HQ, 1, b, e, 0);
      if (r != 0) {
        free(o);
        free(l);
      }
    }
    double *refOut = malloc((size_t)HQ * L * D * sizeof(double));
    double *refLse = malloc((size_t)HQ * L * sizeof(double));
    reference(q, k, v, refOut, refLse);
    double errOut = relativeError(out, refOut, (size_t)HQ * L * D);
    double errLse = relativeError(lse, refLse, (size_t)HQ * L);
    int pass = errOut <= 1e-5 && errLse <= 1e-5;
    printf("%d ranks: out relative error %.3e, lse relative error %.3e: %s\n",
           ranks, errOut, errLse, pass ? "PASS" : "FAIL");
    status = pass ? 0 : 1;
    free(out);
    free(lse);
    free(refOut);
    free(refLse);
  }
  free(q);
  free(k);
  free(v);
  free(qs);
  free(ks);
  free(vs);
  free(outs);
  free(lses);
  MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
  MPI_Comm_free(&comm);
  MPI_Finalize();
  return status;
}
