/* Calls the GPU library attn-compile writes for examples/c/attention.mlir
 * through its header: device buffers from libAttnCudaRuntime (mgpuMemAlloc,
 * mgpuMemcpy, which the driver resolves through unified addressing), the
 * causal GQA entry, and a check that each row of the log-sum-exp is finite
 * and the output is not all zero. Exit 2 without a GPU. */
#include "attention.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int attnCudaProbe(char *reason, size_t size);
void *mgpuMemAlloc(uint64_t bytes, void *stream, bool hostShared);
void mgpuMemFree(void *pointer, void *stream);
void mgpuMemcpy(void *dst, void *src, size_t bytes, void *stream);

int main(void) {
  char reason[512];
  if (!attnCudaProbe(reason, sizeof reason)) {
    printf("no CUDA GPU: %s\n", reason);
    return 2;
  }
  enum { Q = 2 * 8 * 37 * 16, KV = 2 * 2 * 53 * 16, LSE = 2 * 8 * 37 };
  static float q[Q], k[KV], v[KV], out[Q], lse[LSE];
  for (int i = 0; i < Q; ++i)
    q[i] = (float)((i * 37 % 101) - 50) / 50.0f;
  for (int i = 0; i < KV; ++i) {
    k[i] = (float)((i * 53 % 97) - 48) / 48.0f;
    v[i] = (float)((i * 29 % 89) - 44) / 44.0f;
  }
  float *dq = mgpuMemAlloc(sizeof q, NULL, false);
  float *dk = mgpuMemAlloc(sizeof k, NULL, false);
  float *dv = mgpuMemAlloc(sizeof v, NULL, false);
  float *dout = mgpuMemAlloc(sizeof out, NULL, false);
  float *dlse = mgpuMemAlloc(sizeof lse, NULL, false);
  mgpuMemcpy(dq, q, sizeof q, NULL);
  mgpuMemcpy(dk, k, sizeof k, NULL);
  mgpuMemcpy(dv, v, sizeof v, NULL);
  int status = causal_gqa(dq, dk, dv, dout, dlse);
  mgpuMemcpy(out, dout, sizeof out, NULL);
  mgpuMemcpy(lse, dlse, sizeof lse, NULL);
  double norm = 0;
  int finite = 1;
  for (int i = 0; i < Q; ++i)
    norm += out[i] * out[i];
  for (int i = 0; i < LSE; ++i)
    finite &= isfinite(lse[i]);
  printf("status %d, |out| %.4f, lse finite %d\n", status, sqrt(norm),
         finite);
  return status != 0 || norm == 0 || !finite;
}
