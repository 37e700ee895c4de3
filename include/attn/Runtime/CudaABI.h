/*===- CudaABI.h - C entry points of libAttnCudaRuntime -----------*- C -*-===//
 *
 * The C ABI of libAttnCudaRuntime.so, usable from C and C++:
 *
 * - attnCudaProbe, which says whether a CUDA GPU is usable and why not;
 * - the mgpu* host runtime ABI that MLIR 22's GPU host lowering calls
 *   (`gpu-to-llvm` and the LLVM IR translation of gpu.binary and
 *   gpu.launch_func), so that host code compiled from a gpu.container_module
 *   links against this library instead of MLIR's libmlir_cuda_runtime
 *   (which Debian does not ship).
 *
 * The signatures are the ones MLIR 22.1 emits (checked with mlir-opt-22
 * --gpu-lower-to-nvvm-pipeline and mlir-translate-22 --mlir-to-llvmir):
 * `index` is int64_t/intptr_t, CUDA handles are opaque pointers. The mgpu*
 * entries cannot report errors to the generated code: on a driver error they
 * print one line
 *
 *   attn-cuda: error: <call> failed: <error name> (<error string>)
 *
 * to stderr and abort, as upstream's wrappers do.
 *
 * The library loads libcuda.so.1 at run time (dlopen); nothing here needs
 * cuda.h or a driver to compile or link.
 *
 *===----------------------------------------------------------------------===*/

#ifndef ATTN_RUNTIME_CUDAABI_H
#define ATTN_RUNTIME_CUDAABI_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define ATTN_CUDA_EXPORT __attribute__((visibility("default")))
#else
#define ATTN_CUDA_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Returns 1 when a CUDA GPU is usable (libcuda.so.1 loads, cuInit succeeds,
 * at least one device), else 0 with a one-line reason in `reason` (truncated
 * to `reasonSize` bytes, NUL-terminated; may be NULL): "libcuda.so.1 not
 * found: <dlerror>", "cuInit failed: <name> (<description>)" or "no CUDA
 * device". Computed once per process; thread-safe. */
ATTN_CUDA_EXPORT int attnCudaProbe(char *reason, size_t reasonSize);

/* Modules. `data` is a cubin or fatbin image of `size` bytes
 * (gpu-module-to-binary format=bin|fatbin); `ptx` is NUL-terminated PTX
 * (format=isa) that the driver JIT-compiles at `optLevel` (0-4). Both return
 * a CUmodule loaded in the primary context of the default device. */
ATTN_CUDA_EXPORT void *mgpuModuleLoad(void *data, size_t size);
ATTN_CUDA_EXPORT void *mgpuModuleLoadJIT(void *ptx, int optLevel);
ATTN_CUDA_EXPORT void mgpuModuleUnload(void *module);
/* Returns the CUfunction of kernel `name` in `module`. */
ATTN_CUDA_EXPORT void *mgpuModuleGetFunction(void *module, const char *name);

/* Launches `function` on `stream` (NULL: the default stream). `params` holds
 * one pointer per kernel parameter (`paramsCount` of them); `extra` is
 * cuLaunchKernel's. Dynamic shared memory above 48 KiB is opted into
 * (cuFuncSetAttribute) before the launch. */
ATTN_CUDA_EXPORT void mgpuLaunchKernel(void *function, intptr_t gridX,
                                       intptr_t gridY, intptr_t gridZ,
                                       intptr_t blockX, intptr_t blockY,
                                       intptr_t blockZ, int32_t dynamicSmem,
                                       void *stream, void **params,
                                       void **extra, size_t paramsCount);
/* The same with thread-block clusters (sm_90+, cuLaunchKernelEx); the grid
 * counts blocks and is a multiple of the cluster shape. MLIR 22 passes no
 * parameter count here. */
ATTN_CUDA_EXPORT void
mgpuLaunchClusterKernel(void *function, intptr_t clusterX, intptr_t clusterY,
                        intptr_t clusterZ, intptr_t gridX, intptr_t gridY,
                        intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                        intptr_t blockZ, int32_t dynamicSmem, void *stream,
                        void **params, void **extra);

/* Streams (non-blocking with respect to the legacy default stream) and
 * events (timing disabled: they order work across streams). */
ATTN_CUDA_EXPORT void *mgpuStreamCreate(void);
ATTN_CUDA_EXPORT void mgpuStreamSynchronize(void *stream);
ATTN_CUDA_EXPORT void mgpuStreamDestroy(void *stream);
ATTN_CUDA_EXPORT void mgpuStreamWaitEvent(void *stream, void *event);
ATTN_CUDA_EXPORT void *mgpuEventCreate(void);
ATTN_CUDA_EXPORT void mgpuEventDestroy(void *event);
ATTN_CUDA_EXPORT void mgpuEventSynchronize(void *event);
ATTN_CUDA_EXPORT void mgpuEventRecord(void *event, void *stream);

/* Memory. mgpuMemAlloc allocates device memory (managed memory, accessible
 * from the host, when `isHostShared` is nonzero) synchronously; `stream` is
 * accepted for the ABI. Zero bytes give NULL, and freeing NULL does nothing.
 * mgpuMemcpy copies in any direction (unified addressing) on `stream`;
 * mgpuMemset32/16 fill `count` 32-/16-bit elements. */
ATTN_CUDA_EXPORT void *mgpuMemAlloc(uint64_t sizeBytes, void *stream,
                                    int8_t isHostShared);
ATTN_CUDA_EXPORT void mgpuMemFree(void *ptr, void *stream);
ATTN_CUDA_EXPORT void mgpuMemcpy(void *dst, void *src, size_t sizeBytes,
                                 void *stream);
ATTN_CUDA_EXPORT void mgpuMemset32(void *dst, uint32_t value, size_t count,
                                   void *stream);
ATTN_CUDA_EXPORT void mgpuMemset16(void *dst, uint16_t value, size_t count,
                                   void *stream);

/* Selects the device (ordinal) the entries above use on this thread. */
ATTN_CUDA_EXPORT void mgpuSetDefaultDevice(int32_t device);

/* TMA (sm_90+): encodes a tiled CUtensorMap for the ranked memref whose
 * descriptor {allocated, aligned, offset, sizes[rank], strides[rank]} is at
 * `rankedDescriptor` (rank 1-5, innermost stride 1), with `elementType`,
 * `interleave`, `swizzle`, `l2Promotion` and `oobFill` the CUDA enum values
 * and `boxDims` the tile (outermost first), and returns a device copy of it
 * (the form nvgpu.tma.create.descriptor lowers to; like upstream, the 128
 * bytes are not freed: the generated code keeps no handle to free them). */
ATTN_CUDA_EXPORT void *
mgpuTensorMapEncodeTiledMemref(int64_t rank, void *rankedDescriptor,
                               int64_t elementType, int64_t interleave,
                               int64_t swizzle, int64_t l2Promotion,
                               int64_t oobFill, int64_t *boxDims);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* ATTN_RUNTIME_CUDAABI_H */
