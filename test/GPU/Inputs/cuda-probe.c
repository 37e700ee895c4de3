/* A C client of libAttnCudaRuntime (test/GPU/cuda-runtime-*.test): includes
 * only attn/Runtime/CudaABI.h and links only the library.
 *
 *   cuda-probe           probes; without a GPU prints "no CUDA GPU: <reason>"
 *                        and exits 2, with one does a device round trip
 *                        through the mgpu* entries and prints "mgpu: ok"
 *   cuda-probe --direct  skips the probe: the mgpu* entries themselves must
 *                        report a missing GPU (one line, abort)
 */
#include "attn/Runtime/CudaABI.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  int direct = argc > 1 && strcmp(argv[1], "--direct") == 0;
  if (!direct) {
    char reason[512];
    if (!attnCudaProbe(reason, sizeof(reason))) {
      printf("no CUDA GPU: %s\n", reason);
      return 2;
    }
  }

  enum { N = 1000 };
  static float host[N];
  void *stream = mgpuStreamCreate();
  void *device = mgpuMemAlloc(N * sizeof(float), stream, /*isHostShared=*/0);
  mgpuMemset32(device, 0x3fc00000u /* 1.5f */, N, stream);
  mgpuMemcpy(host, device, N * sizeof(float), stream);
  mgpuStreamSynchronize(stream);
  mgpuMemFree(device, stream);
  mgpuStreamDestroy(stream);
  for (int i = 0; i < N; ++i) {
    if (host[i] != 1.5f) {
      printf("mgpu: element %d is %g, expected 1.5\n", i, host[i]);
      return 1;
    }
  }
  printf("mgpu: ok\n");
  return 0;
}
