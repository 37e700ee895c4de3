//===- Kernel.h - Calling compiled kernels through the C ABI ----*- C++ -*-===//
//
// The wrapper ABI of attn-compile in MLIR-free terms: a kernel's signature
// (arrays and scalars with their element kinds and shapes, the dynamic
// sizes it takes, where each result size comes from), the packed argument
// list of one call, and the launcher interface that every way of running a
// kernel implements (the JIT of lib/Execution today, a GPU launcher later).
// Part of the MLIR- and LLVM-free runtime: standard C++ only.
//
// The C entry of `func.func @name(args) -> results` is
//
//   int name(const T *arg0, ..., T *result0, ..., int64_t argI_dimJ, ...);
//
// with scalar arguments by value and one int64_t per dynamic argument
// dimension; it returns 0, or 1 when a result's size differs from the one
// its signature derives from the arguments.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_RUNTIME_KERNEL_H
#define ATTN_RUNTIME_KERNEL_H

#include "attn/Runtime/Buffer.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::attn::runtime {

/// One argument or result of a kernel.
struct KernelPort {
  /// An array (passed as a pointer) or a scalar (by value as an argument,
  /// through a pointer as a result); a scalar has an empty shape.
  bool isArray = true;
  ElementKind kind = ElementKind::F32;
  /// The sizes, -1 for a dynamic one.
  std::vector<int64_t> shape;
};

/// A dynamic dimension of an argument, passed as an int64_t.
struct KernelDimParam {
  unsigned arg = 0;
  unsigned dim = 0;
};

/// The C signature of a kernel.
struct KernelSignature {
  std::string name;
  std::vector<KernelPort> args, results;
  std::vector<KernelDimParam> dimParams;
  /// Per result, per dimension: the index of the dim parameter it equals,
  /// or -1 when the dimension is static (its size is in the shape).
  std::vector<std::vector<int64_t>> resultDimParams;

  /// Checks `inputs` against the arguments (count, kinds, ranks, static
  /// sizes) and computes the shapes of the results. Returns false with
  /// `error` set when they do not match.
  bool getResultShapes(const std::vector<HostBuffer> &inputs,
                       std::vector<std::vector<int64_t>> &shapes,
                       std::string &error) const;
};

/// The packed arguments of one call: a pointer to each C argument in order
/// (inputs, outputs, dynamic sizes), then one to the int32 status, as
/// MLIR's ExecutionEngine::invokePacked and generic launchers take them.
class PackedCall {
public:
  /// `inputs` and `results` must outlive the call.
  PackedCall(const KernelSignature &signature,
             const std::vector<HostBuffer> &inputs,
             std::vector<HostBuffer> &results);
  /// The same over raw pointers (e.g. device memory): `argPointers` holds
  /// the data pointer of each array argument and a pointer to the value of
  /// each scalar one, `resultPointers` one pointer per result; the dynamic
  /// sizes come from `argShapes`.
  PackedCall(const KernelSignature &signature,
             const std::vector<void *> &argPointers,
             const std::vector<void *> &resultPointers,
             const std::vector<std::vector<int64_t>> &argShapes);
  PackedCall(const PackedCall &) = delete;
  PackedCall &operator=(const PackedCall &) = delete;

  void **getArguments() { return packed.data(); }
  size_t getNumArguments() const { return packed.size(); }
  int32_t getStatus() const { return status; }

private:
  std::vector<void *> pointers;
  std::vector<int64_t> dims;
  int32_t status = 0;
  std::vector<void *> packed;
};

/// Something that runs a kernel: JIT-compiled code, an entry of a shared
/// library, a GPU launcher.
class KernelLauncher {
public:
  virtual ~KernelLauncher();

  /// The kernel's C signature.
  virtual const KernelSignature &getKernelSignature() const = 0;

  /// Runs the kernel once on the packed arguments. Returns false with
  /// `error` set when it could not be run (not when it returned a nonzero
  /// status).
  virtual bool launch(PackedCall &call, std::string &error) = 0;
};

/// Runs `launcher` on `inputs`: checks them, allocates the results with
/// the shapes the signature derives, launches and checks the status.
/// Returns false with `error` set on any failure.
bool runKernel(KernelLauncher &launcher, const std::vector<HostBuffer> &inputs,
               std::vector<HostBuffer> &results, std::string &error);

} // namespace mlir::attn::runtime

#endif // ATTN_RUNTIME_KERNEL_H
