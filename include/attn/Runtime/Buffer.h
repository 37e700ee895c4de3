//===- Buffer.h - Dense host arrays -----------------------------*- C++ -*-===//
//
// Declares HostBuffer, the dense, row-major, 64-byte aligned host array that
// the runtime passes to compiled kernels through the wrapper ABI (pointers
// to the data), reads from and writes to .npy files, and converts to
// float64 for the reference. Free of MLIR and LLVM.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_RUNTIME_BUFFER_H
#define ATTN_RUNTIME_BUFFER_H

#include "attn/Runtime/Npy.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mlir::attn::runtime {

/// A dense, C-order array of one element kind; rank 0 holds a scalar.
class HostBuffer {
public:
  /// Allocates a zeroed array of `kind` with `shape` (64-byte aligned).
  HostBuffer(ElementKind kind, std::vector<int64_t> shape);
  HostBuffer(HostBuffer &&other) noexcept;
  HostBuffer &operator=(HostBuffer &&other) noexcept;
  HostBuffer(const HostBuffer &) = delete;
  HostBuffer &operator=(const HostBuffer &) = delete;
  ~HostBuffer();

  ElementKind getKind() const { return kind; }
  const std::vector<int64_t> &getShape() const { return shape; }
  void *getData() { return data; }
  const void *getData() const { return data; }
  size_t getNumElements() const;
  size_t getNumBytes() const { return numBytes; }

  /// The elements as doubles (i1 as 0/1).
  std::vector<double> toDouble() const;

private:
  ElementKind kind;
  std::vector<int64_t> shape;
  void *data = nullptr;
  size_t numBytes = 0;
};

} // namespace mlir::attn::runtime

#endif // ATTN_RUNTIME_BUFFER_H
