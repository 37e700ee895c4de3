//===- Cuda.h - Running kernels on a CUDA GPU -------------------*- C++ -*-===//
//
// The C++ side of libAttnCudaRuntime: the pieces a GPU kernel launcher needs
// (device detection and properties, device buffers filled from and read
// into HostBuffers, PTX/cubin modules with kernel lookup, launches, and
// timing with CUDA events), each reporting failure as a string instead of
// aborting as the mgpu* entries of CudaABI.h do.
//
// Like the rest of lib/Runtime it is free of MLIR and LLVM. It uses the CUDA
// driver API only, loaded at run time from libcuda.so.1, so a machine with a
// driver and no LLVM runs PTX built elsewhere, and one without a driver can
// build, link and load it (every call then fails with the probe's reason).
// All work happens in the primary context of the default device (0).
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_RUNTIME_CUDA_H
#define ATTN_RUNTIME_CUDA_H

#include "attn/Runtime/Buffer.h"
#include "attn/Runtime/CudaABI.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace mlir::attn::runtime {

/// Whether a CUDA GPU is usable. Otherwise false with a one-line `reason`:
/// "libcuda.so.1 not found: <dlerror>", "cuInit failed: <name>
/// (<description>)" or "no CUDA device". Computed once per process.
ATTN_CUDA_EXPORT bool probeCuda(std::string &reason);

/// Properties of the default device.
struct ATTN_CUDA_EXPORT CudaDeviceInfo {
  std::string name;
  int computeCapabilityMajor = 0;
  int computeCapabilityMinor = 0;
  int multiprocessorCount = 0;
  /// The most dynamic shared memory one block can opt into, in bytes.
  int maxSharedMemoryPerBlockOptin = 0;
  size_t totalMemoryBytes = 0;
  /// As cuDriverGetVersion reports it (12040 for CUDA 12.4).
  int driverVersion = 0;

  /// The PTX target of the device, "sm_<major><minor>" ("sm_90").
  std::string getChip() const;
};

/// Reads the properties of the default device. Returns false with `error`
/// set when there is no usable device.
ATTN_CUDA_EXPORT bool getCudaDeviceInfo(CudaDeviceInfo &info,
                                        std::string &error);

/// A block of device memory, owned (freed on destruction).
class ATTN_CUDA_EXPORT CudaBuffer {
public:
  CudaBuffer() = default;
  CudaBuffer(CudaBuffer &&other) noexcept;
  CudaBuffer &operator=(CudaBuffer &&other) noexcept;
  CudaBuffer(const CudaBuffer &) = delete;
  CudaBuffer &operator=(const CudaBuffer &) = delete;
  ~CudaBuffer();

  /// Frees what the buffer holds and allocates `numBytes` (none for 0).
  bool allocate(size_t numBytes, std::string &error);
  /// Makes the buffer hold a copy of `host`'s bytes, reallocating when the
  /// sizes differ.
  bool copyFromHost(const HostBuffer &host, std::string &error);
  /// Copies the buffer into `host`, which must have as many bytes.
  bool copyToHost(HostBuffer &host, std::string &error) const;

  /// The device address (a CUdeviceptr), null when empty. Kernel parameters
  /// take a pointer to it: `void *param = buffer.getPointer(); &param`.
  void *getPointer() const;
  size_t getNumBytes() const { return numBytes; }

private:
  void reset();

  uint64_t address = 0;
  size_t numBytes = 0;
};

/// A loaded PTX or cubin module, unloaded on destruction.
class ATTN_CUDA_EXPORT CudaModule {
public:
  CudaModule() = default;
  CudaModule(CudaModule &&other) noexcept;
  CudaModule &operator=(CudaModule &&other) noexcept;
  CudaModule(const CudaModule &) = delete;
  CudaModule &operator=(const CudaModule &) = delete;
  ~CudaModule();

  /// Loads PTX text, which the driver JIT-compiles at `optLevel` (0-4) for
  /// the device. On failure `error` has the driver error and the JIT log.
  bool loadPTX(const std::string &ptx, std::string &error, int optLevel = 4);
  /// Loads a cubin or fatbin image.
  bool loadImage(const void *image, std::string &error);
  /// Looks kernel `name` up; `function` is its CUfunction.
  bool getFunction(const std::string &name, void *&function,
                   std::string &error) const;

  bool isLoaded() const { return module != nullptr; }

private:
  void reset();

  void *module = nullptr;
};

/// The shape of one launch.
struct CudaLaunchDims {
  unsigned grid[3] = {1, 1, 1};
  unsigned block[3] = {1, 1, 1};
  /// Dynamic shared memory in bytes; above 48 KiB the kernel is opted in.
  unsigned dynamicSharedMemoryBytes = 0;
};

/// Enqueues `function` on `stream` (null: the default stream) with one
/// pointer per kernel parameter in `params`.
ATTN_CUDA_EXPORT bool launchCudaKernel(void *function,
                                       const CudaLaunchDims &dims,
                                       void **params, void *stream,
                                       std::string &error);

/// Waits for the work on `stream` (null: the default stream); reports the
/// errors of kernels that ran on it.
ATTN_CUDA_EXPORT bool synchronizeCuda(void *stream, std::string &error);

/// Times work with CUDA events on `stream`: calls `enqueue` `warmup` times,
/// then `repeat` times between two recorded events each, and sets
/// `medianMs` to the median elapsed time (and `samplesMs`, when given, to
/// every one). `enqueue` enqueues the work on `stream`, returning false with
/// its error to stop the measurement.
ATTN_CUDA_EXPORT bool
timeCudaMedian(const std::function<bool(std::string &)> &enqueue, void *stream,
               unsigned warmup, unsigned repeat, double &medianMs,
               std::string &error, std::vector<double> *samplesMs = nullptr);

} // namespace mlir::attn::runtime

#endif // ATTN_RUNTIME_CUDA_H
