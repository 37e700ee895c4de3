//===- cuda-runtime-check.cpp - Exercises libAttnCudaRuntime --------------===//
//
// A test driver for test/GPU/cuda-runtime-*.test, linked against
// libAttnCudaRuntime and libAttnRuntime:
//
//   no-gpu                 every piece of the C++ API fails with the probe's
//                          reason (and does not abort)
//   launcher PTX           the C++ API on a GPU: device info, buffers from
//                          and to HostBuffers, PTX module and kernel lookup,
//                          launch, event timing, and its error reports
//   abi PTX [CHIP=CUBIN]…  the mgpu* ABI on a GPU, called as MLIR's host
//                          lowering calls it: JIT and cubin modules, launch
//                          (and cluster launch on sm_90+), streams, events,
//                          memset/memcpy, managed memory, a TMA descriptor
//
// PTX is test/GPU/Inputs/saxpy.ptx: attn_saxpy(y, x, a, n): y = a * x + y.
//
//===----------------------------------------------------------------------===//

#include "attn/Runtime/Cuda.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace mlir::attn::runtime;

namespace {

int failures = 0;

void expect(bool condition, const std::string &what) {
  if (!condition) {
    std::printf("FAIL: %s\n", what.c_str());
    ++failures;
  }
}

std::string readFile(const char *path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::printf("cannot read %s\n", path);
    std::exit(1);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// x[i] = i / 8, y[i] = 1.
void fillInputs(float *x, float *y, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    x[i] = static_cast<float>(i) / 8.0f;
    y[i] = 1.0f;
  }
}

/// Counts the elements of y that differ from a * (i / 8) + 1 (exact: small
/// integers and eighths).
int countWrong(const float *y, size_t n, float a) {
  int wrong = 0;
  for (size_t i = 0; i < n; ++i)
    if (y[i] != a * (static_cast<float>(i) / 8.0f) + 1.0f)
      ++wrong;
  return wrong;
}

int checkNoGpu() {
  std::string reason;
  expect(!probeCuda(reason), "probeCuda finds no GPU");
  std::printf("probe: %s\n", reason.c_str());

  auto report = [&](const char *piece, bool ok, const std::string &error) {
    expect(!ok, std::string(piece) + " fails");
    expect(error == reason, std::string(piece) + " reports the probe reason");
    std::printf("%s: %s\n", piece, error.c_str());
  };
  std::string error;
  CudaDeviceInfo info;
  report("getCudaDeviceInfo", getCudaDeviceInfo(info, error), error);
  error.clear();
  CudaBuffer buffer;
  report("CudaBuffer::allocate", buffer.allocate(64, error), error);
  error.clear();
  HostBuffer host(ElementKind::F32, {4});
  report("CudaBuffer::copyFromHost", buffer.copyFromHost(host, error), error);
  error.clear();
  CudaModule module;
  report("CudaModule::loadPTX", module.loadPTX(".version 7.0", error), error);
  error.clear();
  CudaLaunchDims dims;
  report("launchCudaKernel",
         launchCudaKernel(nullptr, dims, nullptr, nullptr, error), error);
  error.clear();
  report("synchronizeCuda", synchronizeCuda(nullptr, error), error);
  error.clear();
  double ms = 0;
  report("timeCudaMedian",
         timeCudaMedian([](std::string &) { return true; }, nullptr, 1, 3, ms,
                        error),
         error);
  // The buffer and the module stayed empty and are destroyed quietly.
  expect(buffer.getPointer() == nullptr && !module.isLoaded(),
         "failed calls leave nothing allocated");
  return failures ? 1 : 0;
}

int checkLauncher(const char *ptxPath) {
  std::string error;
  CudaDeviceInfo info;
  if (!getCudaDeviceInfo(info, error)) {
    std::printf("FAIL: getCudaDeviceInfo: %s\n", error.c_str());
    return 1;
  }
  std::printf("device: %s, %s, %d SMs, driver %d\n", info.name.c_str(),
              info.getChip().c_str(), info.multiprocessorCount,
              info.driverVersion);

  CudaModule module;
  if (!module.loadPTX(readFile(ptxPath), error)) {
    std::printf("FAIL: loadPTX: %s\n", error.c_str());
    return 1;
  }
  void *saxpy = nullptr;
  if (!module.getFunction("attn_saxpy", saxpy, error)) {
    std::printf("FAIL: getFunction: %s\n", error.c_str());
    return 1;
  }

  // n is not a multiple of the block size: the kernel's bound check runs.
  const uint32_t n = 100003;
  HostBuffer x(ElementKind::F32, {n}), y(ElementKind::F32, {n});
  fillInputs(static_cast<float *>(x.getData()),
             static_cast<float *>(y.getData()), n);
  CudaBuffer dx, dy;
  expect(dx.copyFromHost(x, error) && dy.copyFromHost(y, error),
         "copyFromHost: " + error);
  expect(dx.getNumBytes() == n * sizeof(float), "buffer size");

  float a = 3.0f;
  void *yPtr = dy.getPointer(), *xPtr = dx.getPointer();
  void *params[] = {&yPtr, &xPtr, &a, const_cast<uint32_t *>(&n)};
  CudaLaunchDims dims;
  dims.block[0] = 256;
  dims.grid[0] = (n + 255) / 256;
  expect(launchCudaKernel(saxpy, dims, params, nullptr, error) &&
             synchronizeCuda(nullptr, error),
         "launch: " + error);
  HostBuffer result(ElementKind::F32, {n});
  expect(dy.copyToHost(result, error), "copyToHost: " + error);
  int wrong = countWrong(static_cast<const float *>(result.getData()), n, a);
  expect(wrong == 0, std::to_string(wrong) + " wrong elements");

  // Timing: median of 9 launches of an idempotent kernel (a = 0).
  float zero = 0.0f;
  params[2] = &zero;
  double medianMs = -1;
  std::vector<double> samples;
  expect(timeCudaMedian(
             [&](std::string &err) {
               return launchCudaKernel(saxpy, dims, params, nullptr, err);
             },
             nullptr, /*warmup=*/2, /*repeat=*/9, medianMs, error, &samples),
         "timeCudaMedian: " + error);
  expect(samples.size() == 9 && medianMs > 0 && medianMs < 1000,
         "median of 9 positive times");
  std::printf("timing: %zu samples\n", samples.size());

  // Errors come back as strings.
  CudaModule broken;
  expect(!broken.loadPTX(".version 7.0\n.target sm_80\nnot ptx;\n", error),
         "invalid PTX is refused");
  std::printf("bad PTX: %s\n", error.c_str());
  void *missing = nullptr;
  expect(!module.getFunction("no_such_kernel", missing, error),
         "unknown kernel is refused");
  std::printf("unknown kernel: %s\n", error.c_str());
  HostBuffer small(ElementKind::F32, {3});
  expect(!dy.copyToHost(small, error), "size mismatch is refused");
  std::printf("size mismatch: %s\n", error.c_str());

  std::printf("launcher: %s\n", failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}

/// A rank-2 memref descriptor as MLIR passes it.
struct MemRef2D {
  void *allocated;
  void *aligned;
  int64_t offset;
  int64_t sizes[2];
  int64_t strides[2];
};

int checkABI(int argc, char **argv) {
  std::string ptx = readFile(argv[2]);
  CudaDeviceInfo info;
  std::string error;
  if (!getCudaDeviceInfo(info, error)) {
    std::printf("FAIL: getCudaDeviceInfo: %s\n", error.c_str());
    return 1;
  }

  // Module load as the host code's global constructor does it.
  void *module = mgpuModuleLoadJIT(const_cast<char *>(ptx.c_str()), 2);
  void *saxpy = mgpuModuleGetFunction(module, "attn_saxpy");

  const uint32_t n = 4099;
  std::vector<float> x(n), y(n), out(n);
  fillInputs(x.data(), y.data(), n);
  void *stream = mgpuStreamCreate();
  void *dx = mgpuMemAlloc(n * sizeof(float), stream, 0);
  void *dy = mgpuMemAlloc(n * sizeof(float), stream, 0);
  mgpuMemcpy(dx, x.data(), n * sizeof(float), stream);
  mgpuMemcpy(dy, y.data(), n * sizeof(float), stream);
  float a = -2.0f;
  void *params[] = {&dy, &dx, &a, const_cast<uint32_t *>(&n)};
  mgpuLaunchKernel(saxpy, (n + 127) / 128, 1, 1, 128, 1, 1, 0, stream, params,
                   nullptr, 4);
  mgpuMemcpy(out.data(), dy, n * sizeof(float), stream);
  mgpuStreamSynchronize(stream);
  int wrong = countWrong(out.data(), n, a);
  expect(wrong == 0,
         "mgpuLaunchKernel: " + std::to_string(wrong) + " wrong elements");

  // Two streams ordered by an event, as async tokens lower: y = 1 on
  // `second` (memset16 + memset32), after the saxpy on `stream`.
  void *second = mgpuStreamCreate();
  void *event = mgpuEventCreate();
  mgpuEventRecord(event, stream);
  mgpuStreamWaitEvent(second, event);
  mgpuMemset32(dy, 0x3f800000u /* 1.0f */, n, second);
  mgpuMemset16(dx, 0x4000u, 2 * n, second); // 0x40004000 = 2.00390625f
  mgpuEventRecord(event, second);
  mgpuEventSynchronize(event);
  mgpuMemcpy(out.data(), dy, n * sizeof(float), second);
  mgpuMemcpy(x.data(), dx, n * sizeof(float), second);
  mgpuStreamSynchronize(second);
  bool filled = true;
  for (uint32_t i = 0; i < n; ++i)
    filled &= out[i] == 1.0f && x[i] == 2.00390625f;
  expect(filled, "mgpuMemset32/mgpuMemset16 after mgpuStreamWaitEvent");
  mgpuEventDestroy(event);
  mgpuStreamDestroy(second);

  // Managed memory is readable from the host; zero bytes give null.
  auto *shared = static_cast<float *>(mgpuMemAlloc(64, nullptr, 1));
  mgpuMemset32(shared, 0x40400000u /* 3.0f */, 16, nullptr);
  mgpuStreamSynchronize(nullptr);
  expect(shared[15] == 3.0f, "host-shared mgpuMemAlloc");
  mgpuMemFree(shared, nullptr);
  expect(mgpuMemAlloc(0, stream, 0) == nullptr, "zero-byte mgpuMemAlloc");
  mgpuMemFree(nullptr, stream);
  mgpuMemcpy(dx, x.data(), 0, stream);
  mgpuMemset32(dx, 0, 0, stream);

  if (info.computeCapabilityMajor >= 9) {
    // A cluster launch: 2x1x1 clusters over the same grid.
    fillInputs(x.data(), y.data(), n);
    mgpuMemcpy(dx, x.data(), n * sizeof(float), stream);
    mgpuMemcpy(dy, y.data(), n * sizeof(float), stream);
    intptr_t blocks = ((n + 127) / 128 + 1) / 2 * 2;
    mgpuLaunchClusterKernel(saxpy, 2, 1, 1, blocks, 1, 1, 128, 1, 1, 0, stream,
                            params, nullptr);
    mgpuMemcpy(out.data(), dy, n * sizeof(float), stream);
    mgpuStreamSynchronize(stream);
    wrong = countWrong(out.data(), n, a);
    expect(wrong == 0, "mgpuLaunchClusterKernel: " + std::to_string(wrong) +
                           " wrong elements");

    // A TMA descriptor for a 64x64 tile of a 128x256 f16 array.
    void *tile = mgpuMemAlloc(128 * 256 * 2, stream, 0);
    MemRef2D memref = {tile, tile, 0, {128, 256}, {256, 1}};
    int64_t box[2] = {64, 64};
    void *map = mgpuTensorMapEncodeTiledMemref(
        2, &memref, /*CU_TENSOR_MAP_DATA_TYPE_FLOAT16=*/6, 0,
        /*CU_TENSOR_MAP_SWIZZLE_128B=*/3, 0, 0, box);
    expect(map != nullptr, "mgpuTensorMapEncodeTiledMemref");
    mgpuMemFree(map, stream);
    mgpuMemFree(tile, stream);
    std::printf("sm_90 entries: checked\n");
  }

  // Cubins from ptxas, as gpu-module-to-binary format=bin embeds them: the
  // one for the device's chip, or a lower minor of the same major.
  for (int i = 3; i < argc; ++i) {
    std::string arg = argv[i];
    size_t eq = arg.find('=');
    std::string chip = arg.substr(0, eq);
    int version = chip.rfind("sm_", 0) == 0 ? std::atoi(chip.c_str() + 3) : 0;
    if (version / 10 != info.computeCapabilityMajor ||
        version % 10 > info.computeCapabilityMinor)
      continue;
    std::string image = readFile(arg.substr(eq + 1).c_str());
    void *cubin = mgpuModuleLoad(image.data(), image.size());
    void *fn = mgpuModuleGetFunction(cubin, "attn_saxpy");
    fillInputs(x.data(), y.data(), n);
    mgpuMemcpy(dx, x.data(), n * sizeof(float), stream);
    mgpuMemcpy(dy, y.data(), n * sizeof(float), stream);
    mgpuLaunchKernel(fn, (n + 255) / 256, 1, 1, 256, 1, 1, 0, stream, params,
                     nullptr, 4);
    mgpuMemcpy(out.data(), dy, n * sizeof(float), stream);
    mgpuStreamSynchronize(stream);
    wrong = countWrong(out.data(), n, a);
    expect(wrong == 0,
           "cubin " + chip + ": " + std::to_string(wrong) + " wrong elements");
    mgpuModuleUnload(cubin);
    std::printf("cubin: checked\n");
    break;
  }

  mgpuMemFree(dx, stream);
  mgpuMemFree(dy, stream);
  mgpuStreamDestroy(stream);
  mgpuModuleUnload(module);
  std::printf("mgpu ABI: %s\n", failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}

} // namespace

int main(int argc, char **argv) {
  if (argc == 2 && !std::strcmp(argv[1], "no-gpu"))
    return checkNoGpu();
  if (argc == 3 && !std::strcmp(argv[1], "launcher"))
    return checkLauncher(argv[2]);
  if (argc >= 3 && !std::strcmp(argv[1], "abi"))
    return checkABI(argc, argv);
  std::fprintf(stderr,
               "usage: %s no-gpu | launcher PTX | abi PTX "
               "[CHIP=CUBIN]...\n",
               argv[0]);
  return 2;
}
