//===- FuzzSupport.h - Shared pieces of Attn's fuzz targets -----*- C++ -*-===//
//
// Each fuzz target defines LLVMFuzzerTestOneInput (and optionally
// LLVMFuzzerInitialize). In the libFuzzer build (scripts/fuzz.sh) libFuzzer
// drives it; in the regular build StandaloneMain.cpp runs it once per file
// named on the command line, which is how the crash regressions in
// test/Fuzz run in CI.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_FUZZ_FUZZSUPPORT_H
#define ATTN_FUZZ_FUZZSUPPORT_H

#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringRef.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace mlir::attn::fuzz {

/// One context for the whole fuzzing session, with every dialect, pass and
/// pipeline the tools register, multithreading off, and diagnostics
/// swallowed (a diagnostic is a correct answer to bad input).
MLIRContext &getFuzzContext();

/// Parses `source`, verifies it and, if it verifies, runs `pipeline` (a
/// textual pass pipeline anchored on builtin.module) on it. A diagnostic
/// and a failure at any step are correct answers; a crash or a sanitizer
/// report is a finding (the pass manager verifies the IR after each pass,
/// so a pass that silently leaves invalid IR is caught as a failure, not a
/// crash, and shows up only through the tests).
void parseAndRun(llvm::StringRef source, llvm::StringRef pipeline);

/// Reads little pieces of the fuzzer's input: each call takes bytes from the
/// front; past the end it returns zeros.
class ByteReader {
public:
  ByteReader(const uint8_t *data, size_t size) : data(data), size(size) {}
  uint8_t byte() { return pos < size ? data[pos++] : 0; }
  /// A value in [0, n) (n > 0).
  unsigned pick(unsigned n) { return byte() % n; }
  bool flag() { return byte() & 1; }
  /// The bytes not yet read.
  llvm::StringRef rest() const {
    return pos < size ? llvm::StringRef(reinterpret_cast<const char *>(data) +
                                            pos,
                                        size - pos)
                      : llvm::StringRef();
  }

private:
  const uint8_t *data;
  size_t size;
  size_t pos = 0;
};

} // namespace mlir::attn::fuzz

#endif // ATTN_FUZZ_FUZZSUPPORT_H
