//===- Kernel.cpp - Calling compiled kernels through the C ABI ------------===//
//
// Implements the checks of a kernel's inputs against its signature, the
// derivation of result shapes, the packing of one call and runKernel.
//
//===----------------------------------------------------------------------===//

#include "attn/Runtime/Kernel.h"

using namespace mlir::attn::runtime;

bool KernelSignature::getResultShapes(
    const std::vector<HostBuffer> &inputs,
    std::vector<std::vector<int64_t>> &shapes, std::string &error) const {
  if (inputs.size() != args.size()) {
    error = "@" + name + " takes " + std::to_string(args.size()) +
            " argument(s), got " + std::to_string(inputs.size());
    return false;
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const KernelPort &port = args[i];
    const std::vector<int64_t> &shape = inputs[i].getShape();
    bool ok = inputs[i].getKind() == port.kind &&
              shape.size() == port.shape.size();
    for (size_t d = 0; ok && d < shape.size(); ++d)
      ok = port.shape[d] < 0 || port.shape[d] == shape[d];
    if (!ok) {
      error = "argument #" + std::to_string(i) + " of @" + name +
              " does not match its " +
              std::string(getElementKindName(port.kind)) + " type";
      return false;
    }
  }
  shapes.clear();
  for (size_t r = 0; r < results.size(); ++r) {
    std::vector<int64_t> shape = results[r].shape;
    for (size_t d = 0; d < shape.size(); ++d) {
      int64_t param = resultDimParams[r][d];
      if (param >= 0)
        shape[d] = inputs[dimParams[param].arg]
                       .getShape()[dimParams[param].dim];
    }
    shapes.push_back(std::move(shape));
  }
  return true;
}

PackedCall::PackedCall(const KernelSignature &signature,
                       const std::vector<HostBuffer> &inputs,
                       std::vector<HostBuffer> &results)
    : PackedCall(signature,
                 [&] {
                   std::vector<void *> pointers;
                   for (const HostBuffer &input : inputs)
                     pointers.push_back(const_cast<void *>(input.getData()));
                   return pointers;
                 }(),
                 [&] {
                   std::vector<void *> pointers;
                   for (HostBuffer &result : results)
                     pointers.push_back(result.getData());
                   return pointers;
                 }(),
                 [&] {
                   std::vector<std::vector<int64_t>> shapes;
                   for (const HostBuffer &input : inputs)
                     shapes.push_back(input.getShape());
                   return shapes;
                 }()) {}

PackedCall::PackedCall(const KernelSignature &signature,
                       const std::vector<void *> &argPointers,
                       const std::vector<void *> &resultPointers,
                       const std::vector<std::vector<int64_t>> &argShapes) {
  // Stable storage first: `packed` points into `pointers` and `dims`.
  pointers = argPointers;
  pointers.insert(pointers.end(), resultPointers.begin(),
                  resultPointers.end());
  for (const KernelDimParam &param : signature.dimParams)
    dims.push_back(argShapes[param.arg][param.dim]);
  // Arrays pass their data pointer, scalars their value (the pointer given
  // points at it), results always a pointer.
  for (size_t i = 0; i < argPointers.size(); ++i)
    packed.push_back(signature.args[i].isArray
                         ? static_cast<void *>(&pointers[i])
                         : pointers[i]);
  for (size_t i = 0; i < resultPointers.size(); ++i)
    packed.push_back(&pointers[argPointers.size() + i]);
  for (int64_t &dim : dims)
    packed.push_back(&dim);
  packed.push_back(&status);
}

KernelLauncher::~KernelLauncher() = default;

bool mlir::attn::runtime::runKernel(KernelLauncher &launcher,
                                    const std::vector<HostBuffer> &inputs,
                                    std::vector<HostBuffer> &results,
                                    std::string &error) {
  const KernelSignature &signature = launcher.getKernelSignature();
  std::vector<std::vector<int64_t>> shapes;
  if (!signature.getResultShapes(inputs, shapes, error))
    return false;
  results.clear();
  for (size_t r = 0; r < shapes.size(); ++r)
    results.emplace_back(signature.results[r].kind, std::move(shapes[r]));
  PackedCall call(signature, inputs, results);
  if (!launcher.launch(call, error))
    return false;
  if (call.getStatus() != 0) {
    error = "@" + signature.name + " returned status " +
            std::to_string(call.getStatus()) +
            ": a result's size differs from the one derived from the sizes "
            "of the arguments";
    return false;
  }
  return true;
}
