//===- Cuda.cpp - Running kernels on a CUDA GPU ---------------------------===//
//
// Implements the C++ API of Cuda.h on the driver table of CudaDriver.h:
// device properties, device buffers, modules, launches and event timing,
// each returning its error as a string.
//
//===----------------------------------------------------------------------===//

#include "attn/Runtime/Cuda.h"

#include "CudaDriver.h"

#include <algorithm>
#include <cstring>
#include <utility>

using namespace mlir::attn::runtime;
using namespace mlir::attn::runtime::cuda;

namespace {

/// Sets `error` and returns false when `result` is an error.
bool succeeded(const DriverApi &api, const char *call, CUresult result,
               std::string &error) {
  if (result == CUDA_SUCCESS)
    return true;
  error = describeError(api, call, result);
  return false;
}

CUdeviceptr toDevicePointer(uint64_t address) {
  return static_cast<CUdeviceptr>(address);
}

} // namespace

bool mlir::attn::runtime::probeCuda(std::string &reason) {
  return probe(reason);
}

std::string CudaDeviceInfo::getChip() const {
  return "sm_" + std::to_string(computeCapabilityMajor) +
         std::to_string(computeCapabilityMinor);
}

bool mlir::attn::runtime::getCudaDeviceInfo(CudaDeviceInfo &info,
                                            std::string &error) {
  const DriverApi *api = makeContextCurrent(error);
  if (!api)
    return false;
  CUdevice device = 0;
  if (!succeeded(*api, "cuDeviceGet",
                 api->deviceGet(&device, getDefaultDevice()), error))
    return false;
  char name[256] = {0};
  if (!succeeded(*api, "cuDeviceGetName",
                 api->deviceGetName(name, sizeof(name) - 1, device), error))
    return false;
  info.name = name;
  struct {
    CUdevice_attribute attribute;
    int *value;
  } attributes[] = {
      {CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
       &info.computeCapabilityMajor},
      {CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
       &info.computeCapabilityMinor},
      {CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, &info.multiprocessorCount},
      {CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN,
       &info.maxSharedMemoryPerBlockOptin},
  };
  for (auto &entry : attributes)
    if (!succeeded(
            *api, "cuDeviceGetAttribute",
            api->deviceGetAttribute(entry.value, entry.attribute, device),
            error))
      return false;
  size_t total = 0;
  if (!succeeded(*api, "cuDeviceTotalMem", api->deviceTotalMem(&total, device),
                 error))
    return false;
  info.totalMemoryBytes = total;
  return succeeded(*api, "cuDriverGetVersion",
                   api->driverGetVersion(&info.driverVersion), error);
}

//===----------------------------------------------------------------------===//
// CudaBuffer
//===----------------------------------------------------------------------===//

CudaBuffer::CudaBuffer(CudaBuffer &&other) noexcept
    : address(std::exchange(other.address, 0)),
      numBytes(std::exchange(other.numBytes, 0)) {}

CudaBuffer &CudaBuffer::operator=(CudaBuffer &&other) noexcept {
  if (this != &other) {
    reset();
    address = std::exchange(other.address, 0);
    numBytes = std::exchange(other.numBytes, 0);
  }
  return *this;
}

CudaBuffer::~CudaBuffer() { reset(); }

void CudaBuffer::reset() {
  if (address) {
    // An address exists only if the context was made current before.
    std::string ignored;
    if (const DriverApi *api = makeContextCurrent(ignored))
      api->memFree(toDevicePointer(address));
  }
  address = 0;
  numBytes = 0;
}

void *CudaBuffer::getPointer() const {
  return reinterpret_cast<void *>(static_cast<uintptr_t>(address));
}

bool CudaBuffer::allocate(size_t bytes, std::string &error) {
  reset();
  const DriverApi *api = makeContextCurrent(error);
  if (!api)
    return false;
  if (bytes == 0)
    return true;
  CUdeviceptr ptr = 0;
  if (!succeeded(*api, "cuMemAlloc", api->memAlloc(&ptr, bytes), error))
    return false;
  address = static_cast<uint64_t>(ptr);
  numBytes = bytes;
  return true;
}

bool CudaBuffer::copyFromHost(const HostBuffer &host, std::string &error) {
  if (host.getNumBytes() != numBytes && !allocate(host.getNumBytes(), error))
    return false;
  const DriverApi *api = makeContextCurrent(error);
  if (!api)
    return false;
  if (numBytes == 0)
    return true;
  return succeeded(
      *api, "cuMemcpyHtoD",
      api->memcpyHtoD(toDevicePointer(address), host.getData(), numBytes),
      error);
}

bool CudaBuffer::copyToHost(HostBuffer &host, std::string &error) const {
  if (host.getNumBytes() != numBytes) {
    error = "cannot copy " + std::to_string(numBytes) +
            " device bytes into a host buffer of " +
            std::to_string(host.getNumBytes()) + " bytes";
    return false;
  }
  const DriverApi *api = makeContextCurrent(error);
  if (!api)
    return false;
  if (numBytes == 0)
    return true;
  return succeeded(
      *api, "cuMemcpyDtoH",
      api->memcpyDtoH(host.getData(), toDevicePointer(address), numBytes),
      error);
}

//===----------------------------------------------------------------------===//
// CudaModule
//===----------------------------------------------------------------------===//

CudaModule::CudaModule(CudaModule &&other) noexcept
    : module(std::exchange(other.module, nullptr)) {}

CudaModule &CudaModule::operator=(CudaModule &&other) noexcept {
  if (this != &other) {
    reset();
    module = std::exchange(other.module, nullptr);
  }
  return *this;
}

CudaModule::~CudaModule() { reset(); }

void CudaModule::reset() {
  if (module) {
    std::string ignored;
    if (const DriverApi *api = makeContextCurrent(ignored))
      api->moduleUnload(static_cast<CUmodule>(module));
  }
  module = nullptr;
}

bool CudaModule::loadPTX(const std::string &ptx, std::string &error,
                         int optLevel) {
  reset();
  const DriverApi *api = makeContextCurrent(error);
  if (!api)
    return false;
  if (ptx.find('\0') != std::string::npos) {
    error = "PTX text contains a NUL byte";
    return false;
  }
  char log[8192] = {0};
  CUjit_option options[] = {CU_JIT_ERROR_LOG_BUFFER,
                            CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
                            CU_JIT_OPTIMIZATION_LEVEL};
  void *values[] = {log, reinterpret_cast<void *>(sizeof(log)),
                    reinterpret_cast<void *>(static_cast<intptr_t>(optLevel))};
  CUmodule loaded = nullptr;
  CUresult result =
      api->moduleLoadDataEx(&loaded, ptx.c_str(), 3, options, values);
  if (result != CUDA_SUCCESS) {
    error = describeError(*api, "cuModuleLoadDataEx", result);
    if (log[0]) {
      std::string text(log);
      while (!text.empty() && text.back() == '\n')
        text.pop_back();
      error += "\n" + text;
    }
    return false;
  }
  module = loaded;
  return true;
}

bool CudaModule::loadImage(const void *image, std::string &error) {
  reset();
  const DriverApi *api = makeContextCurrent(error);
  if (!api)
    return false;
  CUmodule loaded = nullptr;
  if (!succeeded(*api, "cuModuleLoadData", api->moduleLoadData(&loaded, image),
                 error))
    return false;
  module = loaded;
  return true;
}

bool CudaModule::getFunction(const std::string &name, void *&function,
                             std::string &error) const {
  if (!module) {
    error = "no module is loaded to look up kernel '" + name + "' in";
    return false;
  }
  const DriverApi *api = makeContextCurrent(error);
  if (!api)
    return false;
  CUfunction found = nullptr;
  if (!succeeded(*api, "cuModuleGetFunction",
                 api->moduleGetFunction(&found, static_cast<CUmodule>(module),
                                        name.c_str()),
                 error)) {
    error += ": kernel '" + name + "'";
    return false;
  }
  function = found;
  return true;
}

//===----------------------------------------------------------------------===//
// Launches and timing
//===----------------------------------------------------------------------===//

bool mlir::attn::runtime::launchCudaKernel(void *function,
                                           const CudaLaunchDims &dims,
                                           void **params, void *stream,
                                           std::string &error) {
  const DriverApi *api = makeContextCurrent(error);
  if (!api)
    return false;
  auto fn = static_cast<CUfunction>(function);
  if (dims.dynamicSharedMemoryBytes > 48 * 1024 &&
      !succeeded(*api, "cuFuncSetAttribute",
                 api->funcSetAttribute(
                     fn, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                     static_cast<int>(dims.dynamicSharedMemoryBytes)),
                 error))
    return false;
  return succeeded(
      *api, "cuLaunchKernel",
      api->launchKernel(fn, dims.grid[0], dims.grid[1], dims.grid[2],
                        dims.block[0], dims.block[1], dims.block[2],
                        dims.dynamicSharedMemoryBytes,
                        static_cast<CUstream>(stream), params, nullptr),
      error);
}

bool mlir::attn::runtime::synchronizeCuda(void *stream, std::string &error) {
  const DriverApi *api = makeContextCurrent(error);
  if (!api)
    return false;
  return succeeded(*api, "cuStreamSynchronize",
                   api->streamSynchronize(static_cast<CUstream>(stream)),
                   error);
}

bool mlir::attn::runtime::timeCudaMedian(
    const std::function<bool(std::string &)> &enqueue, void *stream,
    unsigned warmup, unsigned repeat, double &medianMs, std::string &error,
    std::vector<double> *samplesMs) {
  if (repeat == 0) {
    error = "timing needs at least one run";
    return false;
  }
  const DriverApi *api = makeContextCurrent(error);
  if (!api)
    return false;
  auto cuStream = static_cast<CUstream>(stream);
  CUevent start = nullptr, stop = nullptr;
  if (!succeeded(*api, "cuEventCreate",
                 api->eventCreate(&start, CU_EVENT_DEFAULT), error))
    return false;
  if (!succeeded(*api, "cuEventCreate",
                 api->eventCreate(&stop, CU_EVENT_DEFAULT), error)) {
    api->eventDestroy(start);
    return false;
  }

  std::vector<double> samples;
  bool ok = true;
  for (unsigned i = 0; ok && i < warmup; ++i)
    ok = enqueue(error);
  if (ok)
    ok = succeeded(*api, "cuStreamSynchronize",
                   api->streamSynchronize(cuStream), error);
  for (unsigned i = 0; ok && i < repeat; ++i) {
    float ms = 0;
    ok = succeeded(*api, "cuEventRecord", api->eventRecord(start, cuStream),
                   error) &&
         enqueue(error) &&
         succeeded(*api, "cuEventRecord", api->eventRecord(stop, cuStream),
                   error) &&
         succeeded(*api, "cuEventSynchronize", api->eventSynchronize(stop),
                   error) &&
         succeeded(*api, "cuEventElapsedTime",
                   api->eventElapsedTime(&ms, start, stop), error);
    if (ok)
      samples.push_back(ms);
  }
  api->eventDestroy(start);
  api->eventDestroy(stop);
  if (!ok)
    return false;

  if (samplesMs)
    *samplesMs = samples;
  std::sort(samples.begin(), samples.end());
  size_t n = samples.size();
  medianMs =
      n % 2 ? samples[n / 2] : 0.5 * (samples[n / 2 - 1] + samples[n / 2]);
  return true;
}
