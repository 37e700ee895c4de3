//===- CudaABI.cpp - The mgpu* host runtime ABI on the CUDA driver --------===//
//
// Implements the C entry points of CudaABI.h: attnCudaProbe and the mgpu*
// functions that MLIR 22's GPU host lowering calls, on the CUDA driver API
// resolved at run time (CudaDriver.h). The generated code checks no return
// value, so every driver error prints one line and aborts the process.
//
//===----------------------------------------------------------------------===//

#include "attn/Runtime/CudaABI.h"

#include "CudaDriver.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace mlir::attn::runtime::cuda;

namespace {

/// The largest dynamic shared memory a kernel gets without opting in.
constexpr int32_t kDefaultDynamicSmemLimit = 48 * 1024;

[[noreturn]] void fail(const std::string &message) {
  std::fprintf(stderr, "attn-cuda: error: %s\n", message.c_str());
  std::fflush(stderr);
  std::abort();
}

/// The driver with the default device's primary context current; aborts
/// when there is none.
const DriverApi &context() {
  std::string error;
  const DriverApi *api = makeContextCurrent(error);
  if (!api)
    fail(error);
  return *api;
}

void check(const DriverApi &api, const char *call, CUresult result) {
  if (result != CUDA_SUCCESS)
    fail(describeError(api, call, result));
}

/// Narrows a launch dimension from MLIR's index type, refusing what
/// cuLaunchKernel's unsigned int cannot hold.
unsigned dimension(const char *entry, const char *what, intptr_t value) {
  if (value < 0 || static_cast<uint64_t>(value) > UINT32_MAX)
    fail(std::string(entry) + ": " + what + " " + std::to_string(value) +
         " is out of range");
  return static_cast<unsigned>(value);
}

/// Lets `function` use `bytes` of dynamic shared memory when that is above
/// the default limit.
void allowDynamicSmem(const DriverApi &api, CUfunction function,
                      int32_t bytes) {
  if (bytes <= kDefaultDynamicSmemLimit)
    return;
  check(api, "cuFuncSetAttribute",
        api.funcSetAttribute(
            function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, bytes));
}

CUdeviceptr devicePointer(void *ptr) {
  return static_cast<CUdeviceptr>(reinterpret_cast<uintptr_t>(ptr));
}

void *hostPointer(CUdeviceptr ptr) {
  return reinterpret_cast<void *>(static_cast<uintptr_t>(ptr));
}

} // namespace

extern "C" int attnCudaProbe(char *reason, size_t reasonSize) {
  std::string text;
  bool usable = probe(text);
  if (reason && reasonSize > 0) {
    size_t length = std::min(text.size(), reasonSize - 1);
    std::memcpy(reason, text.data(), length);
    reason[length] = '\0';
  }
  return usable ? 1 : 0;
}

//===----------------------------------------------------------------------===//
// Modules
//===----------------------------------------------------------------------===//

// Modules are loaded by global constructors, when a program or library with
// kernels is loaded: without a usable driver they stay null (so that the
// program starts and can probe and say why), and the first launch fails.
extern "C" void *mgpuModuleLoad(void *data, size_t /*size*/) {
  std::string reason;
  if (!probe(reason))
    return nullptr;
  const DriverApi &api = context();
  // A cubin or fatbin carries its own size; cuModuleLoadData takes none.
  CUmodule module = nullptr;
  check(api, "cuModuleLoadData", api.moduleLoadData(&module, data));
  return module;
}

extern "C" void *mgpuModuleLoadJIT(void *ptx, int optLevel) {
  std::string reason;
  if (!probe(reason))
    return nullptr;
  const DriverApi &api = context();
  char log[4096] = {0};
  CUjit_option options[] = {CU_JIT_ERROR_LOG_BUFFER,
                            CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
                            CU_JIT_OPTIMIZATION_LEVEL};
  void *values[] = {log, reinterpret_cast<void *>(sizeof(log)),
                    reinterpret_cast<void *>(static_cast<intptr_t>(optLevel))};
  CUmodule module = nullptr;
  CUresult result = api.moduleLoadDataEx(&module, ptx, 3, options, values);
  if (result != CUDA_SUCCESS) {
    std::string message = describeError(api, "cuModuleLoadDataEx", result);
    if (log[0]) {
      // Keep the report on one line.
      std::string text(log);
      for (char &c : text)
        if (c == '\n')
          c = ' ';
      message += ": " + text;
    }
    fail(message);
  }
  return module;
}

extern "C" void mgpuModuleUnload(void *module) {
  if (!module) // Never loaded (no driver): nothing to unload.
    return;
  const DriverApi &api = context();
  check(api, "cuModuleUnload", api.moduleUnload(static_cast<CUmodule>(module)));
}

extern "C" void *mgpuModuleGetFunction(void *module, const char *name) {
  const DriverApi &api = context();
  CUfunction function = nullptr;
  CUresult result =
      api.moduleGetFunction(&function, static_cast<CUmodule>(module), name);
  if (result != CUDA_SUCCESS)
    fail(describeError(api, "cuModuleGetFunction", result) + ": kernel '" +
         name + "'");
  return function;
}

//===----------------------------------------------------------------------===//
// Launches
//===----------------------------------------------------------------------===//

extern "C" void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                                 intptr_t gridZ, intptr_t blockX,
                                 intptr_t blockY, intptr_t blockZ,
                                 int32_t dynamicSmem, void *stream,
                                 void **params, void **extra,
                                 size_t /*paramsCount*/) {
  const DriverApi &api = context();
  const char *entry = "mgpuLaunchKernel";
  auto *fn = static_cast<CUfunction>(function);
  allowDynamicSmem(api, fn, dynamicSmem);
  check(api, "cuLaunchKernel",
        api.launchKernel(fn, dimension(entry, "grid x", gridX),
                         dimension(entry, "grid y", gridY),
                         dimension(entry, "grid z", gridZ),
                         dimension(entry, "block x", blockX),
                         dimension(entry, "block y", blockY),
                         dimension(entry, "block z", blockZ),
                         static_cast<unsigned>(dynamicSmem),
                         static_cast<CUstream>(stream), params, extra));
}

extern "C" void mgpuLaunchClusterKernel(void *function, intptr_t clusterX,
                                        intptr_t clusterY, intptr_t clusterZ,
                                        intptr_t gridX, intptr_t gridY,
                                        intptr_t gridZ, intptr_t blockX,
                                        intptr_t blockY, intptr_t blockZ,
                                        int32_t dynamicSmem, void *stream,
                                        void **params, void **extra) {
  const DriverApi &api = context();
  const char *entry = "mgpuLaunchClusterKernel";
  if (!api.launchKernelEx)
    fail("mgpuLaunchClusterKernel: the driver has no cuLaunchKernelEx "
         "(CUDA 12.0 or newer is needed for clusters)");
  auto *fn = static_cast<CUfunction>(function);
  allowDynamicSmem(api, fn, dynamicSmem);

  CUlaunchAttribute attribute;
  std::memset(&attribute, 0, sizeof(attribute));
  attribute.id = CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION;
  attribute.value.clusterDim.x = dimension(entry, "cluster x", clusterX);
  attribute.value.clusterDim.y = dimension(entry, "cluster y", clusterY);
  attribute.value.clusterDim.z = dimension(entry, "cluster z", clusterZ);
  // Portable cluster sizes go up to 8 blocks; larger ones need an opt-in.
  if (uint64_t(clusterX) * uint64_t(clusterY) * uint64_t(clusterZ) > 8)
    check(api, "cuFuncSetAttribute",
          api.funcSetAttribute(
              fn, CU_FUNC_ATTRIBUTE_NON_PORTABLE_CLUSTER_SIZE_ALLOWED, 1));

  CUlaunchConfig config;
  std::memset(&config, 0, sizeof(config));
  config.gridDimX = dimension(entry, "grid x", gridX);
  config.gridDimY = dimension(entry, "grid y", gridY);
  config.gridDimZ = dimension(entry, "grid z", gridZ);
  config.blockDimX = dimension(entry, "block x", blockX);
  config.blockDimY = dimension(entry, "block y", blockY);
  config.blockDimZ = dimension(entry, "block z", blockZ);
  config.sharedMemBytes = static_cast<unsigned>(dynamicSmem);
  config.hStream = static_cast<CUstream>(stream);
  config.attrs = &attribute;
  config.numAttrs = 1;
  check(api, "cuLaunchKernelEx",
        api.launchKernelEx(&config, fn, params, extra));
}

//===----------------------------------------------------------------------===//
// Streams and events
//===----------------------------------------------------------------------===//

extern "C" void *mgpuStreamCreate(void) {
  const DriverApi &api = context();
  CUstream stream = nullptr;
  check(api, "cuStreamCreate",
        api.streamCreate(&stream, CU_STREAM_NON_BLOCKING));
  return stream;
}

extern "C" void mgpuStreamSynchronize(void *stream) {
  const DriverApi &api = context();
  check(api, "cuStreamSynchronize",
        api.streamSynchronize(static_cast<CUstream>(stream)));
}

extern "C" void mgpuStreamDestroy(void *stream) {
  const DriverApi &api = context();
  check(api, "cuStreamDestroy",
        api.streamDestroy(static_cast<CUstream>(stream)));
}

extern "C" void mgpuStreamWaitEvent(void *stream, void *event) {
  const DriverApi &api = context();
  check(api, "cuStreamWaitEvent",
        api.streamWaitEvent(static_cast<CUstream>(stream),
                            static_cast<CUevent>(event), /*Flags=*/0));
}

extern "C" void *mgpuEventCreate(void) {
  const DriverApi &api = context();
  CUevent event = nullptr;
  check(api, "cuEventCreate", api.eventCreate(&event, CU_EVENT_DISABLE_TIMING));
  return event;
}

extern "C" void mgpuEventDestroy(void *event) {
  const DriverApi &api = context();
  check(api, "cuEventDestroy", api.eventDestroy(static_cast<CUevent>(event)));
}

extern "C" void mgpuEventSynchronize(void *event) {
  const DriverApi &api = context();
  check(api, "cuEventSynchronize",
        api.eventSynchronize(static_cast<CUevent>(event)));
}

extern "C" void mgpuEventRecord(void *event, void *stream) {
  const DriverApi &api = context();
  check(api, "cuEventRecord",
        api.eventRecord(static_cast<CUevent>(event),
                        static_cast<CUstream>(stream)));
}

//===----------------------------------------------------------------------===//
// Memory
//===----------------------------------------------------------------------===//

extern "C" void *mgpuMemAlloc(uint64_t sizeBytes, void * /*stream*/,
                              int8_t isHostShared) {
  const DriverApi &api = context();
  // A dynamic shape may be empty; the driver refuses zero-byte allocations.
  if (sizeBytes == 0)
    return nullptr;
  CUdeviceptr ptr = 0;
  if (isHostShared)
    check(api, "cuMemAllocManaged",
          api.memAllocManaged(&ptr, sizeBytes, CU_MEM_ATTACH_GLOBAL));
  else
    check(api, "cuMemAlloc", api.memAlloc(&ptr, sizeBytes));
  return hostPointer(ptr);
}

extern "C" void mgpuMemFree(void *ptr, void * /*stream*/) {
  if (!ptr)
    return;
  const DriverApi &api = context();
  check(api, "cuMemFree", api.memFree(devicePointer(ptr)));
}

extern "C" void mgpuMemcpy(void *dst, void *src, size_t sizeBytes,
                           void *stream) {
  if (sizeBytes == 0)
    return;
  const DriverApi &api = context();
  check(api, "cuMemcpyAsync",
        api.memcpyAsync(devicePointer(dst), devicePointer(src), sizeBytes,
                        static_cast<CUstream>(stream)));
}

extern "C" void mgpuMemset32(void *dst, uint32_t value, size_t count,
                             void *stream) {
  if (count == 0)
    return;
  const DriverApi &api = context();
  check(api, "cuMemsetD32Async",
        api.memsetD32Async(devicePointer(dst), value, count,
                           static_cast<CUstream>(stream)));
}

extern "C" void mgpuMemset16(void *dst, uint16_t value, size_t count,
                             void *stream) {
  if (count == 0)
    return;
  const DriverApi &api = context();
  check(api, "cuMemsetD16Async",
        api.memsetD16Async(devicePointer(dst), value, count,
                           static_cast<CUstream>(stream)));
}

extern "C" void mgpuSetDefaultDevice(int32_t device) {
  setDefaultDevice(device);
}

//===----------------------------------------------------------------------===//
// TMA descriptors
//===----------------------------------------------------------------------===//

extern "C" void *
mgpuTensorMapEncodeTiledMemref(int64_t rank, void *rankedDescriptor,
                               int64_t elementType, int64_t interleave,
                               int64_t swizzle, int64_t l2Promotion,
                               int64_t oobFill, int64_t *boxDims) {
  const char *entry = "mgpuTensorMapEncodeTiledMemref";
  const DriverApi &api = context();
  if (!api.tensorMapEncodeTiled)
    fail(std::string(entry) + ": the driver has no cuTensorMapEncodeTiled "
                              "(CUDA 12.0 or newer is needed for TMA)");
  if (rank < 1 || rank > 5)
    fail(std::string(entry) + ": rank " + std::to_string(rank) +
         " is out of range [1, 5]");
  // Bytes per element of each CUtensorMapDataType, in enum order (UINT8 ...
  // TFLOAT32_FTZ); the sub-byte types of CUDA 12.8+ are not supported.
  static const int64_t elementBytes[] = {1, 2, 4, 4, 8, 8, 2, 4, 8, 2, 4, 4, 4};
  if (elementType < 0 ||
      elementType >= int64_t(sizeof(elementBytes) / sizeof(elementBytes[0])))
    fail(std::string(entry) + ": unsupported element type " +
         std::to_string(elementType));
  int64_t bytes = elementBytes[elementType];

  // The memref descriptor: allocated and aligned pointers, offset, then
  // `rank` sizes and `rank` strides (in elements, outermost first).
  struct Header {
    char *allocated;
    char *aligned;
    int64_t offset;
  };
  auto *header = static_cast<Header *>(rankedDescriptor);
  const int64_t *sizes = reinterpret_cast<const int64_t *>(header + 1);
  const int64_t *strides = sizes + rank;

  // cuTensorMapEncodeTiled takes dimensions innermost first, and the byte
  // strides of all but the innermost dimension.
  cuuint64_t globalDim[5] = {1, 1, 1, 1, 1};
  cuuint64_t globalStrides[5] = {0, 0, 0, 0, 0};
  cuuint32_t boxDim[5] = {1, 1, 1, 1, 1};
  cuuint32_t elementStrides[5] = {1, 1, 1, 1, 1};
  for (int64_t i = 0; i < rank; ++i) {
    globalDim[i] = static_cast<cuuint64_t>(sizes[rank - 1 - i]);
    boxDim[i] = static_cast<cuuint32_t>(boxDims[rank - 1 - i]);
  }
  if (strides[rank - 1] != 1)
    fail(std::string(entry) + ": the innermost stride is " +
         std::to_string(strides[rank - 1]) + ", not 1");
  for (int64_t i = 0; i + 1 < rank; ++i)
    globalStrides[i] = static_cast<cuuint64_t>(strides[rank - 2 - i] * bytes);

  CUtensorMap map;
  std::memset(&map, 0, sizeof(map));
  check(api, "cuTensorMapEncodeTiled",
        api.tensorMapEncodeTiled(
            &map, static_cast<CUtensorMapDataType>(elementType),
            static_cast<cuuint32_t>(rank),
            header->aligned + header->offset * bytes, globalDim, globalStrides,
            boxDim, elementStrides,
            static_cast<CUtensorMapInterleave>(interleave),
            static_cast<CUtensorMapSwizzle>(swizzle),
            static_cast<CUtensorMapL2promotion>(l2Promotion),
            static_cast<CUtensorMapFloatOOBfill>(oobFill)));
  CUdeviceptr copy = 0;
  check(api, "cuMemAlloc", api.memAlloc(&copy, sizeof(map)));
  check(api, "cuMemcpyHtoD", api.memcpyHtoD(copy, &map, sizeof(map)));
  return hostPointer(copy);
}
