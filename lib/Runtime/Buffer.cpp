//===- Buffer.cpp - Dense host arrays -------------------------------------===//
//
// Implements HostBuffer: aligned allocation, moves, element conversion.
//
//===----------------------------------------------------------------------===//

#include "attn/Runtime/Buffer.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

using namespace mlir::attn::runtime;

HostBuffer::HostBuffer(ElementKind kind, std::vector<int64_t> shape)
    : kind(kind), shape(std::move(shape)) {
  numBytes = getNumElements() * getElementByteSize(kind);
  size_t allocated = std::max<size_t>(64, (numBytes + 63) / 64 * 64);
  data = std::aligned_alloc(64, allocated);
  if (!data) {
    // attn-run sizes every buffer against --max-memory before allocating;
    // this is the last line for other callers.
    std::fprintf(stderr,
                 "attn runtime: cannot allocate %zu bytes for a buffer\n",
                 allocated);
    std::abort();
  }
  std::memset(data, 0, allocated);
}

HostBuffer::HostBuffer(HostBuffer &&other) noexcept
    : kind(other.kind), shape(std::move(other.shape)), data(other.data),
      numBytes(other.numBytes) {
  other.data = nullptr;
  other.numBytes = 0;
}

HostBuffer &HostBuffer::operator=(HostBuffer &&other) noexcept {
  if (this != &other) {
    std::free(data);
    kind = other.kind;
    shape = std::move(other.shape);
    data = other.data;
    numBytes = other.numBytes;
    other.data = nullptr;
    other.numBytes = 0;
  }
  return *this;
}

HostBuffer::~HostBuffer() { std::free(data); }

size_t HostBuffer::getNumElements() const {
  size_t n = 1;
  for (int64_t d : shape)
    n *= static_cast<size_t>(d);
  return n;
}

std::vector<double> HostBuffer::toDouble() const {
  return decodeToDouble(kind, data, getNumElements());
}
