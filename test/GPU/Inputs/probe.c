/* Asks libAttnCudaRuntime whether a CUDA GPU is usable: prints the reason
 * and exits 2 when not (the convention of attn-run --target=gpu). */
#include <stddef.h>
#include <stdio.h>

int attnCudaProbe(char *reason, size_t size);

int main(void) {
  char reason[512];
  if (!attnCudaProbe(reason, sizeof reason)) {
    printf("no CUDA GPU: %s\n", reason);
    return 2;
  }
  printf("CUDA GPU found\n");
  return 0;
}
