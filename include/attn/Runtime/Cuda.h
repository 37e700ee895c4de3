//===- Cuda.h - The CUDA driver, loaded at run time -------------*- C++ -*-===//
//
// libAttnCudaRuntime.so: the host side of GPU kernels compiled by
// attn-gpu-pipeline, on the CUDA driver API only (no MLIR, no LLVM, no
// CUDA runtime library). The driver, libcuda.so.1, is loaded with dlopen on
// first use, so that Attn builds, links and runs its tests on machines
// without a driver. The library implements the `mgpu*` functions that the
// host code of MLIR's GPU lowering calls (module load, kernel lookup,
// launch, streams; see lib/Runtime/Cuda.cpp for the exact list), and, for
// the tools, a probe and device buffers.
//
// Errors inside the `mgpu*` functions (which generated code cannot check)
// print `attn-cuda: error: <call> failed: <name> (<description>)` and
// abort; the C++ functions below return errors instead. Without a driver,
// loading a module (done by global constructors when a program or library
// with kernels is loaded) leaves it null rather than aborting, so that the
// program starts and can probe; the first launch then fails.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_RUNTIME_CUDA_H
#define ATTN_RUNTIME_CUDA_H

#include <cstddef>
#include <string>

extern "C" {
/// Whether a usable CUDA GPU is present (the driver loads, initialises and
/// reports a device). Writes a one-line reason into `reason` (at most
/// `size` bytes) when not. Returns 1 or 0.
int attnCudaProbe(char *reason, size_t size);
}

namespace mlir::attn::runtime {

/// attnCudaProbe for C++.
bool probeCudaDevice(std::string &reason);

/// Device memory of `bytes` bytes on the first device, or null with `error`
/// set.
void *allocateDeviceMemory(size_t bytes, std::string &error);

/// Frees what allocateDeviceMemory returned.
void freeDeviceMemory(void *pointer);

/// Copies `bytes` bytes between host and device memory (synchronously).
bool copyToDevice(void *device, const void *host, size_t bytes,
                  std::string &error);
bool copyToHost(void *host, const void *device, size_t bytes,
                std::string &error);

} // namespace mlir::attn::runtime

#endif // ATTN_RUNTIME_CUDA_H
