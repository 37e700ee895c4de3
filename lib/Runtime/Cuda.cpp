//===- Cuda.cpp - The CUDA driver, loaded at run time ---------------------===//
//
// Implements libAttnCudaRuntime.so: libcuda.so.1 is opened with dlopen and
// the driver entry points used here are looked up once (by their versioned
// names, as cuda.h maps them); the primary context of device 0 is retained
// and made current on first use.
//
// The `mgpu*` functions are those the LLVM IR of MLIR 22's GPU host
// lowering declares for a gpu.binary of PTX (format isa) and its
// gpu.launch_func (checked with mlir-translate on attn-gpu-pipeline's
// output): mgpuModuleLoadJIT(ptr, i32), mgpuModuleLoad(ptr, i64),
// mgpuModuleUnload(ptr), mgpuModuleGetFunction(ptr, ptr),
// mgpuLaunchKernel(ptr, i64 x6, i32, ptr, ptr, ptr, i64),
// mgpuStreamCreate(), mgpuStreamSynchronize(ptr), mgpuStreamDestroy(ptr);
// plus mgpuMemAlloc, mgpuMemFree and mgpuMemcpy for host code that
// allocates device memory.
//
//===----------------------------------------------------------------------===//

#include "attn/Runtime/Cuda.h"

#include <cuda.h>
#include <dlfcn.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace {
/// The driver entry points, looked up once.
struct Driver {
  CUresult (*init)(unsigned) = nullptr;
  CUresult (*deviceGetCount)(int *) = nullptr;
  CUresult (*deviceGet)(CUdevice *, int) = nullptr;
  CUresult (*primaryCtxRetain)(CUcontext *, CUdevice) = nullptr;
  CUresult (*ctxSetCurrent)(CUcontext) = nullptr;
  CUresult (*getErrorName)(CUresult, const char **) = nullptr;
  CUresult (*getErrorString)(CUresult, const char **) = nullptr;
  CUresult (*moduleLoadData)(CUmodule *, const void *) = nullptr;
  CUresult (*moduleLoadDataEx)(CUmodule *, const void *, unsigned,
                               CUjit_option *, void **) = nullptr;
  CUresult (*moduleUnload)(CUmodule) = nullptr;
  CUresult (*moduleGetFunction)(CUfunction *, CUmodule, const char *) =
      nullptr;
  CUresult (*launchKernel)(CUfunction, unsigned, unsigned, unsigned,
                           unsigned, unsigned, unsigned, unsigned, CUstream,
                           void **, void **) = nullptr;
  CUresult (*streamCreate)(CUstream *, unsigned) = nullptr;
  CUresult (*streamSynchronize)(CUstream) = nullptr;
  CUresult (*streamDestroy)(CUstream) = nullptr;
  CUresult (*memAlloc)(CUdeviceptr *, size_t) = nullptr;
  CUresult (*memFree)(CUdeviceptr) = nullptr;
  CUresult (*memcpyHtoD)(CUdeviceptr, const void *, size_t) = nullptr;
  CUresult (*memcpyDtoH)(void *, CUdeviceptr, size_t) = nullptr;
  CUresult (*memcpy)(CUdeviceptr, CUdeviceptr, size_t) = nullptr;

  /// Empty when the driver is usable, else why not.
  std::string failure;
};
} // namespace

template <typename Fn>
static bool lookup(void *library, const char *name, Fn &fn,
                   std::string &failure) {
  fn = reinterpret_cast<Fn>(dlsym(library, name));
  if (!fn && failure.empty())
    failure = std::string("libcuda.so.1 has no ") + name;
  return fn != nullptr;
}

/// Loads the driver and makes device 0's primary context current, once.
static Driver &getDriver() {
  static Driver driver;
  static std::once_flag once;
  std::call_once(once, [] {
    void *library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
      const char *error = dlerror();
      driver.failure = std::string("cannot load libcuda.so.1 (no CUDA "
                                   "driver): ") +
                       (error ? error : "unknown error");
      return;
    }
    std::string &f = driver.failure;
    lookup(library, "cuInit", driver.init, f);
    lookup(library, "cuDeviceGetCount", driver.deviceGetCount, f);
    lookup(library, "cuDeviceGet", driver.deviceGet, f);
    lookup(library, "cuDevicePrimaryCtxRetain", driver.primaryCtxRetain, f);
    lookup(library, "cuCtxSetCurrent", driver.ctxSetCurrent, f);
    lookup(library, "cuGetErrorName", driver.getErrorName, f);
    lookup(library, "cuGetErrorString", driver.getErrorString, f);
    lookup(library, "cuModuleLoadData", driver.moduleLoadData, f);
    lookup(library, "cuModuleLoadDataEx", driver.moduleLoadDataEx, f);
    lookup(library, "cuModuleUnload", driver.moduleUnload, f);
    lookup(library, "cuModuleGetFunction", driver.moduleGetFunction, f);
    lookup(library, "cuLaunchKernel", driver.launchKernel, f);
    lookup(library, "cuStreamCreate", driver.streamCreate, f);
    lookup(library, "cuStreamSynchronize", driver.streamSynchronize, f);
    lookup(library, "cuStreamDestroy_v2", driver.streamDestroy, f);
    lookup(library, "cuMemAlloc_v2", driver.memAlloc, f);
    lookup(library, "cuMemFree_v2", driver.memFree, f);
    lookup(library, "cuMemcpyHtoD_v2", driver.memcpyHtoD, f);
    lookup(library, "cuMemcpyDtoH_v2", driver.memcpyDtoH, f);
    lookup(library, "cuMemcpy", driver.memcpy, f);
    if (!f.empty())
      return;
    auto check = [&](CUresult result, const char *call) {
      if (result == CUDA_SUCCESS)
        return true;
      const char *name = nullptr;
      driver.getErrorName(result, &name);
      f = std::string(call) + " failed: " + (name ? name : "unknown error");
      return false;
    };
    int count = 0;
    CUdevice device;
    CUcontext context;
    if (!check(driver.init(0), "cuInit") ||
        !check(driver.deviceGetCount(&count), "cuDeviceGetCount"))
      return;
    if (count == 0) {
      f = "no CUDA device";
      return;
    }
    if (check(driver.deviceGet(&device, 0), "cuDeviceGet") &&
        check(driver.primaryCtxRetain(&context, device),
              "cuDevicePrimaryCtxRetain"))
      check(driver.ctxSetCurrent(context), "cuCtxSetCurrent");
  });
  return driver;
}

/// The driver, or a one-line error and abort (for generated code).
static Driver &getUsableDriver(const char *call) {
  Driver &driver = getDriver();
  if (!driver.failure.empty()) {
    std::fprintf(stderr, "attn-cuda: error: %s: %s\n", call,
                 driver.failure.c_str());
    std::abort();
  }
  return driver;
}

static std::string describe(Driver &driver, CUresult result) {
  const char *name = nullptr, *text = nullptr;
  driver.getErrorName(result, &name);
  driver.getErrorString(result, &text);
  return std::string(name ? name : "unknown error") + " (" +
         (text ? text : "no description") + ")";
}

/// Aborts with a one-line error when `result` is not success.
static void checkOrAbort(Driver &driver, CUresult result, const char *call) {
  if (result == CUDA_SUCCESS)
    return;
  std::fprintf(stderr, "attn-cuda: error: %s failed: %s\n", call,
               describe(driver, result).c_str());
  std::abort();
}

//===----------------------------------------------------------------------===//
// The mgpu* host ABI
//===----------------------------------------------------------------------===//

extern "C" {

// Modules are loaded by global constructors, when a program or library
// with GPU kernels is loaded: without a driver they stay null (so that the
// program can still start, probe and say why), and the first launch fails.
void *mgpuModuleLoad(void *data, size_t /*size*/) {
  Driver &d = getDriver();
  if (!d.failure.empty())
    return nullptr;
  CUmodule module = nullptr;
  checkOrAbort(d, d.moduleLoadData(&module, data), "cuModuleLoadData");
  return module;
}

void *mgpuModuleLoadJIT(void *ptx, int optLevel) {
  Driver &d = getDriver();
  if (!d.failure.empty())
    return nullptr;
  CUmodule module = nullptr;
  CUjit_option options[] = {CU_JIT_OPTIMIZATION_LEVEL};
  void *values[] = {reinterpret_cast<void *>(static_cast<intptr_t>(optLevel))};
  checkOrAbort(d, d.moduleLoadDataEx(&module, ptx, 1, options, values),
               "cuModuleLoadDataEx (PTX JIT)");
  return module;
}

void mgpuModuleUnload(void *module) {
  Driver &d = getDriver();
  if (d.failure.empty() && module)
    d.moduleUnload(static_cast<CUmodule>(module));
}

void *mgpuModuleGetFunction(void *module, const char *name) {
  Driver &d = getUsableDriver("mgpuModuleGetFunction");
  if (!module) {
    std::fprintf(stderr, "attn-cuda: error: the module of kernel %s was not "
                         "loaded\n", name);
    std::abort();
  }
  CUfunction function = nullptr;
  checkOrAbort(d,
               d.moduleGetFunction(&function, static_cast<CUmodule>(module),
                                   name),
               "cuModuleGetFunction");
  return function;
}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t sharedBytes, void *stream,
                      void **params, void **extra, size_t /*numParams*/) {
  Driver &d = getUsableDriver("mgpuLaunchKernel");
  checkOrAbort(d,
               d.launchKernel(static_cast<CUfunction>(function), gridX, gridY,
                              gridZ, blockX, blockY, blockZ, sharedBytes,
                              static_cast<CUstream>(stream), params, extra),
               "cuLaunchKernel");
}

void *mgpuStreamCreate() {
  Driver &d = getUsableDriver("mgpuStreamCreate");
  CUstream stream = nullptr;
  checkOrAbort(d, d.streamCreate(&stream, CU_STREAM_NON_BLOCKING),
               "cuStreamCreate");
  return stream;
}

void mgpuStreamSynchronize(void *stream) {
  Driver &d = getUsableDriver("mgpuStreamSynchronize");
  checkOrAbort(d, d.streamSynchronize(static_cast<CUstream>(stream)),
               "cuStreamSynchronize (the kernel failed)");
}

void mgpuStreamDestroy(void *stream) {
  Driver &d = getUsableDriver("mgpuStreamDestroy");
  checkOrAbort(d, d.streamDestroy(static_cast<CUstream>(stream)),
               "cuStreamDestroy");
}

void *mgpuMemAlloc(uint64_t bytes, void * /*stream*/, bool /*hostShared*/) {
  Driver &d = getUsableDriver("mgpuMemAlloc");
  CUdeviceptr pointer = 0;
  if (bytes)
    checkOrAbort(d, d.memAlloc(&pointer, bytes), "cuMemAlloc");
  return reinterpret_cast<void *>(pointer);
}

void mgpuMemFree(void *pointer, void * /*stream*/) {
  Driver &d = getUsableDriver("mgpuMemFree");
  if (pointer)
    checkOrAbort(d, d.memFree(reinterpret_cast<CUdeviceptr>(pointer)),
                 "cuMemFree");
}

void mgpuMemcpy(void *dst, void *src, size_t bytes, void * /*stream*/) {
  Driver &d = getUsableDriver("mgpuMemcpy");
  checkOrAbort(d,
               d.memcpy(reinterpret_cast<CUdeviceptr>(dst),
                        reinterpret_cast<CUdeviceptr>(src), bytes),
               "cuMemcpy");
}

int attnCudaProbe(char *reason, size_t size) {
  Driver &d = getDriver();
  if (d.failure.empty())
    return 1;
  if (reason && size) {
    std::strncpy(reason, d.failure.c_str(), size - 1);
    reason[size - 1] = '\0';
  }
  return 0;
}

} // extern "C"

//===----------------------------------------------------------------------===//
// C++ helpers for the tools
//===----------------------------------------------------------------------===//

namespace mlir::attn::runtime {

bool probeCudaDevice(std::string &reason) {
  Driver &d = getDriver();
  reason = d.failure;
  return d.failure.empty();
}

void *allocateDeviceMemory(size_t bytes, std::string &error) {
  Driver &d = getDriver();
  if (!d.failure.empty()) {
    error = d.failure;
    return nullptr;
  }
  CUdeviceptr pointer = 0;
  CUresult result = d.memAlloc(&pointer, bytes ? bytes : 1);
  if (result != CUDA_SUCCESS) {
    error = "cuMemAlloc of " + std::to_string(bytes) +
            " bytes failed: " + describe(d, result);
    return nullptr;
  }
  return reinterpret_cast<void *>(pointer);
}

void freeDeviceMemory(void *pointer) {
  Driver &d = getDriver();
  if (d.failure.empty() && pointer)
    d.memFree(reinterpret_cast<CUdeviceptr>(pointer));
}

bool copyToDevice(void *device, const void *host, size_t bytes,
                  std::string &error) {
  Driver &d = getDriver();
  CUresult result =
      d.memcpyHtoD(reinterpret_cast<CUdeviceptr>(device), host, bytes);
  if (result == CUDA_SUCCESS)
    return true;
  error = "cuMemcpyHtoD failed: " + describe(d, result);
  return false;
}

bool copyToHost(void *host, const void *device, size_t bytes,
                std::string &error) {
  Driver &d = getDriver();
  CUresult result = d.memcpyDtoH(
      host, reinterpret_cast<CUdeviceptr>(const_cast<void *>(device)), bytes);
  if (result == CUDA_SUCCESS)
    return true;
  error = "cuMemcpyDtoH failed: " + describe(d, result);
  return false;
}

} // namespace mlir::attn::runtime
