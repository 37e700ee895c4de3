//===- CudaDriver.cpp - The CUDA driver API loaded at run time ------------===//
//
// Resolves the CUDA driver entry points from libcuda.so.1 with dlopen and
// dlsym, probes for a usable device, formats driver errors and keeps the
// primary context of each device used.
//
// The names looked up are the ones the driver exports for the cuda.h
// declarations: cuda.h maps several API names to versioned symbols
// (`#define cuMemAlloc cuMemAlloc_v2`), so the table below names the
// versioned symbol where cuda.h does.
//
//===----------------------------------------------------------------------===//

#include "CudaDriver.h"

#include <dlfcn.h>

#include <mutex>
#include <vector>

using namespace mlir::attn::runtime::cuda;

namespace {

/// Resolves `name` into `fn`; returns whether it was found.
template <typename Fn> bool bind(void *library, Fn &fn, const char *name) {
  fn = reinterpret_cast<Fn>(dlsym(library, name));
  return fn != nullptr;
}

/// The outcome of loading the driver, computed once.
struct LoadedDriver {
  DriverApi api;
  bool ok = false;
  std::string reason;
};

LoadedDriver loadOnce() {
  LoadedDriver loaded;
  // RTLD_LOCAL: the driver's symbols stay out of the global namespace.
  void *library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char *message = dlerror();
    loaded.reason = std::string("libcuda.so.1 not found: ") +
                    (message ? message : "unknown dlopen error");
    return loaded;
  }
  DriverApi &api = loaded.api;
  struct Required {
    bool found;
    const char *name;
  };
  const Required required[] = {
      {bind(library, api.init, "cuInit"), "cuInit"},
      {bind(library, api.driverGetVersion, "cuDriverGetVersion"),
       "cuDriverGetVersion"},
      {bind(library, api.getErrorName, "cuGetErrorName"), "cuGetErrorName"},
      {bind(library, api.getErrorString, "cuGetErrorString"),
       "cuGetErrorString"},
      {bind(library, api.deviceGetCount, "cuDeviceGetCount"),
       "cuDeviceGetCount"},
      {bind(library, api.deviceGet, "cuDeviceGet"), "cuDeviceGet"},
      {bind(library, api.deviceGetName, "cuDeviceGetName"), "cuDeviceGetName"},
      {bind(library, api.deviceGetAttribute, "cuDeviceGetAttribute"),
       "cuDeviceGetAttribute"},
      {bind(library, api.deviceTotalMem, "cuDeviceTotalMem_v2"),
       "cuDeviceTotalMem_v2"},
      {bind(library, api.devicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain"),
       "cuDevicePrimaryCtxRetain"},
      {bind(library, api.ctxGetCurrent, "cuCtxGetCurrent"), "cuCtxGetCurrent"},
      {bind(library, api.ctxSetCurrent, "cuCtxSetCurrent"), "cuCtxSetCurrent"},
      {bind(library, api.moduleLoadData, "cuModuleLoadData"),
       "cuModuleLoadData"},
      {bind(library, api.moduleLoadDataEx, "cuModuleLoadDataEx"),
       "cuModuleLoadDataEx"},
      {bind(library, api.moduleUnload, "cuModuleUnload"), "cuModuleUnload"},
      {bind(library, api.moduleGetFunction, "cuModuleGetFunction"),
       "cuModuleGetFunction"},
      {bind(library, api.funcSetAttribute, "cuFuncSetAttribute"),
       "cuFuncSetAttribute"},
      {bind(library, api.launchKernel, "cuLaunchKernel"), "cuLaunchKernel"},
      {bind(library, api.streamCreate, "cuStreamCreate"), "cuStreamCreate"},
      {bind(library, api.streamSynchronize, "cuStreamSynchronize"),
       "cuStreamSynchronize"},
      {bind(library, api.streamDestroy, "cuStreamDestroy_v2"),
       "cuStreamDestroy_v2"},
      {bind(library, api.streamWaitEvent, "cuStreamWaitEvent"),
       "cuStreamWaitEvent"},
      {bind(library, api.eventCreate, "cuEventCreate"), "cuEventCreate"},
      {bind(library, api.eventDestroy, "cuEventDestroy_v2"),
       "cuEventDestroy_v2"},
      {bind(library, api.eventRecord, "cuEventRecord"), "cuEventRecord"},
      {bind(library, api.eventSynchronize, "cuEventSynchronize"),
       "cuEventSynchronize"},
      // cuda.h 12.8+ maps cuEventElapsedTime to _v2 (same signature); older
      // drivers export only the unversioned symbol.
      {bind(library, api.eventElapsedTime, "cuEventElapsedTime_v2") ||
           bind(library, api.eventElapsedTime, "cuEventElapsedTime"),
       "cuEventElapsedTime"},
      {bind(library, api.memAlloc, "cuMemAlloc_v2"), "cuMemAlloc_v2"},
      {bind(library, api.memAllocManaged, "cuMemAllocManaged"),
       "cuMemAllocManaged"},
      {bind(library, api.memFree, "cuMemFree_v2"), "cuMemFree_v2"},
      {bind(library, api.memcpyAsync, "cuMemcpyAsync"), "cuMemcpyAsync"},
      {bind(library, api.memcpyHtoD, "cuMemcpyHtoD_v2"), "cuMemcpyHtoD_v2"},
      {bind(library, api.memcpyDtoH, "cuMemcpyDtoH_v2"), "cuMemcpyDtoH_v2"},
      {bind(library, api.memsetD32Async, "cuMemsetD32Async"),
       "cuMemsetD32Async"},
      {bind(library, api.memsetD16Async, "cuMemsetD16Async"),
       "cuMemsetD16Async"},
  };
  // Optional entry points: their users report their absence.
  bind(library, api.launchKernelEx, "cuLaunchKernelEx");
  bind(library, api.tensorMapEncodeTiled, "cuTensorMapEncodeTiled");

  for (const Required &entry : required) {
    if (!entry.found) {
      loaded.reason = std::string("libcuda.so.1 lacks ") + entry.name;
      return loaded;
    }
  }
  loaded.ok = true;
  return loaded;
}

const LoadedDriver &getLoadedDriver() {
  static const LoadedDriver loaded = loadOnce();
  return loaded;
}

/// The outcome of cuInit and the device count, computed once.
struct ProbeResult {
  bool ok = false;
  std::string reason;
};

ProbeResult probeOnce() {
  ProbeResult result;
  const DriverApi *api = loadDriver(result.reason);
  if (!api)
    return result;
  if (CUresult status = api->init(0)) {
    result.reason = describeError(*api, "cuInit", status);
    return result;
  }
  int count = 0;
  if (CUresult status = api->deviceGetCount(&count)) {
    result.reason = describeError(*api, "cuDeviceGetCount", status);
    return result;
  }
  if (count == 0) {
    result.reason = "no CUDA device";
    return result;
  }
  result.ok = true;
  return result;
}

const ProbeResult &getProbeResult() {
  static const ProbeResult result = probeOnce();
  return result;
}

thread_local int defaultDevice = 0;

} // namespace

const DriverApi *mlir::attn::runtime::cuda::loadDriver(std::string &reason) {
  const LoadedDriver &loaded = getLoadedDriver();
  if (!loaded.ok) {
    reason = loaded.reason;
    return nullptr;
  }
  return &loaded.api;
}

bool mlir::attn::runtime::cuda::probe(std::string &reason) {
  const ProbeResult &result = getProbeResult();
  if (!result.ok)
    reason = result.reason;
  return result.ok;
}

std::string mlir::attn::runtime::cuda::describeError(const DriverApi &api,
                                                     const char *call,
                                                     CUresult result) {
  const char *name = nullptr;
  const char *description = nullptr;
  std::string nameText;
  if (api.getErrorName(result, &name) == CUDA_SUCCESS && name)
    nameText = name;
  else if (result == CUDA_ERROR_STUB_LIBRARY)
    // The toolkit's stub libcuda.so answers every call, cuGetErrorName
    // included, with this code.
    nameText = "CUDA_ERROR_STUB_LIBRARY";
  else
    nameText = "CUresult " + std::to_string(static_cast<int>(result));
  if (api.getErrorString(result, &description) != CUDA_SUCCESS || !description)
    description = result == CUDA_ERROR_STUB_LIBRARY
                      ? "libcuda.so.1 is the CUDA toolkit's stub, not a driver"
                      : "no description";
  return std::string(call) + " failed: " + nameText + " (" + description + ")";
}

int mlir::attn::runtime::cuda::getDefaultDevice() { return defaultDevice; }

void mlir::attn::runtime::cuda::setDefaultDevice(int ordinal) {
  defaultDevice = ordinal;
}

const DriverApi *
mlir::attn::runtime::cuda::makeContextCurrent(std::string &error) {
  if (!probe(error))
    return nullptr;
  const DriverApi *api = loadDriver(error);

  // One retained primary context per device ordinal, for the whole process.
  static std::mutex mutex;
  static std::vector<CUcontext> contexts;
  int ordinal = defaultDevice;
  CUcontext context = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (ordinal < 0) {
      error = "invalid CUDA device ordinal " + std::to_string(ordinal);
      return nullptr;
    }
    if (static_cast<size_t>(ordinal) >= contexts.size())
      contexts.resize(ordinal + 1, nullptr);
    if (!contexts[ordinal]) {
      CUdevice device = 0;
      if (CUresult status = api->deviceGet(&device, ordinal)) {
        error = describeError(*api, "cuDeviceGet", status);
        return nullptr;
      }
      if (CUresult status =
              api->devicePrimaryCtxRetain(&contexts[ordinal], device)) {
        error = describeError(*api, "cuDevicePrimaryCtxRetain", status);
        return nullptr;
      }
    }
    context = contexts[ordinal];
  }

  CUcontext current = nullptr;
  if (CUresult status = api->ctxGetCurrent(&current)) {
    error = describeError(*api, "cuCtxGetCurrent", status);
    return nullptr;
  }
  if (current != context) {
    if (CUresult status = api->ctxSetCurrent(context)) {
      error = describeError(*api, "cuCtxSetCurrent", status);
      return nullptr;
    }
  }
  return api;
}
