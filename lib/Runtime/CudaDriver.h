//===- CudaDriver.h - The CUDA driver API loaded at run time ----*- C++ -*-===//
//
// Private to libAttnCudaRuntime. Declares the table of CUDA driver entry
// points that the library resolves from libcuda.so.1 with dlopen/dlsym (it
// never links libcuda, so it builds and loads where no driver is
// installed), the formatting of driver errors, and the primary context of
// the default device, retained once and made current on demand.
//
// Only the types of cuda.h are used; every call goes through the table.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_RUNTIME_CUDADRIVER_H
#define ATTN_LIB_RUNTIME_CUDADRIVER_H

#include <cuda.h>

#include <string>

namespace mlir::attn::runtime::cuda {

/// The driver entry points the library calls. Each member has the type of
/// the cuda.h declaration it stands for; the comment on `load` in
/// CudaDriver.cpp gives the exported (versioned) name resolved for it.
struct DriverApi {
  decltype(&::cuInit) init = nullptr;
  decltype(&::cuDriverGetVersion) driverGetVersion = nullptr;
  decltype(&::cuGetErrorName) getErrorName = nullptr;
  decltype(&::cuGetErrorString) getErrorString = nullptr;
  decltype(&::cuDeviceGetCount) deviceGetCount = nullptr;
  decltype(&::cuDeviceGet) deviceGet = nullptr;
  decltype(&::cuDeviceGetName) deviceGetName = nullptr;
  decltype(&::cuDeviceGetAttribute) deviceGetAttribute = nullptr;
  decltype(&::cuDeviceTotalMem) deviceTotalMem = nullptr;
  decltype(&::cuDevicePrimaryCtxRetain) devicePrimaryCtxRetain = nullptr;
  decltype(&::cuCtxGetCurrent) ctxGetCurrent = nullptr;
  decltype(&::cuCtxSetCurrent) ctxSetCurrent = nullptr;
  decltype(&::cuModuleLoadData) moduleLoadData = nullptr;
  decltype(&::cuModuleLoadDataEx) moduleLoadDataEx = nullptr;
  decltype(&::cuModuleUnload) moduleUnload = nullptr;
  decltype(&::cuModuleGetFunction) moduleGetFunction = nullptr;
  decltype(&::cuFuncSetAttribute) funcSetAttribute = nullptr;
  decltype(&::cuLaunchKernel) launchKernel = nullptr;
  decltype(&::cuStreamCreate) streamCreate = nullptr;
  decltype(&::cuStreamSynchronize) streamSynchronize = nullptr;
  decltype(&::cuStreamDestroy) streamDestroy = nullptr;
  decltype(&::cuStreamWaitEvent) streamWaitEvent = nullptr;
  decltype(&::cuEventCreate) eventCreate = nullptr;
  decltype(&::cuEventDestroy) eventDestroy = nullptr;
  decltype(&::cuEventRecord) eventRecord = nullptr;
  decltype(&::cuEventSynchronize) eventSynchronize = nullptr;
  decltype(&::cuEventElapsedTime) eventElapsedTime = nullptr;
  decltype(&::cuMemAlloc) memAlloc = nullptr;
  decltype(&::cuMemAllocManaged) memAllocManaged = nullptr;
  decltype(&::cuMemFree) memFree = nullptr;
  decltype(&::cuMemcpyAsync) memcpyAsync = nullptr;
  decltype(&::cuMemcpyHtoD) memcpyHtoD = nullptr;
  decltype(&::cuMemcpyDtoH) memcpyDtoH = nullptr;
  decltype(&::cuMemsetD32Async) memsetD32Async = nullptr;
  decltype(&::cuMemsetD16Async) memsetD16Async = nullptr;
  /// Optional: absent from drivers older than CUDA 12.0 (null then).
  decltype(&::cuLaunchKernelEx) launchKernelEx = nullptr;
  decltype(&::cuTensorMapEncodeTiled) tensorMapEncodeTiled = nullptr;
};

/// Loads libcuda.so.1 and resolves the entry points, once per process
/// (thread-safe). Returns null with `reason` set ("libcuda.so.1 not found:
/// <dlerror>", or "libcuda.so.1 lacks <symbol>") when that fails.
const DriverApi *loadDriver(std::string &reason);

/// Whether a GPU is usable: the driver loads, cuInit succeeds and there is
/// at least one device. Otherwise false with `reason` ("libcuda.so.1 not
/// found: ...", "cuInit failed: <name> (<description>)", "no CUDA device").
/// Computed once per process.
bool probe(std::string &reason);

/// Describes a failed driver call: "<call> failed: <name> (<description>)".
std::string describeError(const DriverApi &api, const char *call,
                          CUresult result);

/// The device ordinal the mgpu* entries and the C++ API use (0 unless
/// mgpuSetDefaultDevice changed it on this thread).
int getDefaultDevice();
void setDefaultDevice(int ordinal);

/// Makes the primary context of the default device current on the calling
/// thread. On first use (per device) it calls cuInit and retains the
/// primary context; that reference is kept for the life of the process.
/// Returns null with `error` set when the driver, cuInit, the device or the
/// context is unavailable.
const DriverApi *makeContextCurrent(std::string &error);

} // namespace mlir::attn::runtime::cuda

#endif // ATTN_LIB_RUNTIME_CUDADRIVER_H
