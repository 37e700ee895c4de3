//===- NpyFuzzer.cpp - attn-fuzz-npy: the .npy reader ---------------------===//
//
// The input is the bytes of a .npy file, parsed by the runtime's reader
// (parseNpy): it must accept or refuse it with a message, never read out of
// bounds, overflow a size or allocate what the header merely claims. The
// seeds are valid files of every dtype and some broken ones.
//
//===----------------------------------------------------------------------===//

#include "attn/Runtime/Npy.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace mlir::attn::runtime;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  NpyArray array;
  std::string error;
  bool ok = parseNpy(
      std::string_view(reinterpret_cast<const char *>(data), size), array,
      error);
  // Accepted arrays are self-consistent; refusals say why.
  if (ok) {
    std::optional<ElementKind> kind = getElementKindFromDescr(array.descr);
    if (!kind)
      std::abort();
    uint64_t n = getElementByteSize(*kind);
    for (int64_t d : array.shape)
      n *= static_cast<uint64_t>(d);
    if (n != array.bytes.size())
      std::abort();
  } else if (error.empty()) {
    std::abort();
  }
  return 0;
}
