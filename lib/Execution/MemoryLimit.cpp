//===- MemoryLimit.cpp - attn-run's memory estimate and limit -------------===//
//
// Sizes what a run of attn-run allocates before it allocates anything: the
// input and result buffers, the float64 reference and the score matrices a
// strategy that materialises them holds, from the shapes alone (the
// interpreter's shape-only mode sizes the reference). A run estimated above
// the limit is refused with a located error instead of being OOM-killed.
//
//===----------------------------------------------------------------------===//

#include "attn/Execution/Execution.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <sys/resource.h>

#include <cmath>
#include <limits>
#include <unistd.h>

using namespace mlir;
using namespace mlir::attn;

std::optional<uint64_t> mlir::attn::parseByteSize(StringRef text) {
  StringRef digits = text.take_while(llvm::isDigit);
  StringRef unit = text.drop_front(digits.size());
  uint64_t value;
  if (digits.empty() || digits.getAsInteger(10, value))
    return std::nullopt;
  unsigned shift;
  std::string lower = unit.lower();
  StringRef u(lower);
  // "G", "GB", "GiB" all mean 2^30: sizes of memory are binary.
  if (!u.consume_back("ib"))
    u.consume_back("b");
  if (u.empty())
    shift = 0;
  else if (u == "k")
    shift = 10;
  else if (u == "m")
    shift = 20;
  else if (u == "g")
    shift = 30;
  else if (u == "t")
    shift = 40;
  else
    return std::nullopt;
  if (shift && value > (std::numeric_limits<uint64_t>::max() >> shift))
    return std::nullopt;
  return value << shift;
}

uint64_t mlir::attn::getDefaultMemoryLimit() {
  long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
  uint64_t physical = pages > 0 && pageSize > 0
                          ? static_cast<uint64_t>(pages) *
                                static_cast<uint64_t>(pageSize)
                          : uint64_t(16) << 30;
  uint64_t limit = physical / 4 * 3;
  struct rlimit rl;
  for (int resource : {RLIMIT_AS, RLIMIT_DATA})
    if (getrlimit(resource, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
      limit = std::min<uint64_t>(limit, rl.rlim_cur / 4 * 3);
  return limit;
}

std::string mlir::attn::formatBytes(double bytes) {
  static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  unsigned unit = 0;
  while (bytes >= 1024 && unit + 1 < std::size(units)) {
    bytes /= 1024;
    ++unit;
  }
  if (bytes >= 1024) // Past EiB: say it in powers of two.
    return ("about 2^" + llvm::Twine(static_cast<int>(std::log2(bytes)) + 60) +
            " B")
        .str();
  std::string text;
  llvm::raw_string_ostream(text)
      << llvm::format(unit ? "%.1f %s" : "%.0f %s", bytes, units[unit]);
  return text;
}

double MemoryEstimate::getTotal() const {
  return inputs + results + reference + workspace;
}

std::string MemoryEstimate::describe() const {
  std::string text = formatBytes(getTotal()) + " (inputs " +
                     formatBytes(inputs) + ", results " + formatBytes(results);
  if (reference > 0)
    text += ", float64 reference " + formatBytes(reference);
  if (workspace > 0)
    text += ", materialised scores " + formatBytes(workspace);
  return text + ")";
}
