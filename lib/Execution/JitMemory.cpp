//===- JitMemory.cpp - JIT sections within one address range -------------===//
//
// The JIT (MLIR's ExecutionEngine: ORC with RuntimeDyld and the small code
// model) reaches external functions through stubs that load their address
// from a GOT with a 32-bit PC-relative offset, so code and GOT must lie
// within 2 GiB of each other. SectionMemoryManager maps each section
// separately and only hints that they be near; where the address space is
// fragmented (seen under AddressSanitizer, and possible in any process that
// has mapped a lot) a section lands farther away, the offset wraps, and the
// first call of an external function jumps through unmapped memory. This
// mapper hands out every section from one reserved range instead.
//
//===----------------------------------------------------------------------===//

#include "attn/Execution/Execution.h"

#include "llvm/Support/Memory.h"
#include "llvm/Support/Process.h"

#include <sys/mman.h>

using namespace mlir;
using namespace mlir::attn;

namespace {
/// A bump allocator over one PROT_NONE reservation; sections past its end
/// (never seen: a module takes a few MiB) are mapped as usual.
class ContiguousMemoryMapper final
    : public llvm::SectionMemoryManager::MemoryMapper {
public:
  ContiguousMemoryMapper() {
    void *base = mmap(nullptr, kReservedBytes, PROT_NONE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base != MAP_FAILED)
      region = llvm::sys::MemoryBlock(base, kReservedBytes);
  }
  ~ContiguousMemoryMapper() override {
    if (region.base())
      munmap(region.base(), region.allocatedSize());
  }

  llvm::sys::MemoryBlock
  allocateMappedMemory(llvm::SectionMemoryManager::AllocationPurpose,
                       size_t numBytes, const llvm::sys::MemoryBlock *nearBlock,
                       unsigned flags, std::error_code &ec) override {
    size_t pageSize = llvm::sys::Process::getPageSizeEstimate();
    size_t size = (numBytes + pageSize - 1) / pageSize * pageSize;
    if (!region.base() || size > region.allocatedSize() - used)
      return llvm::sys::Memory::allocateMappedMemory(numBytes, nearBlock,
                                                     flags, ec);
    llvm::sys::MemoryBlock block(
        static_cast<char *>(region.base()) + used, size);
    used += size;
    ec = llvm::sys::Memory::protectMappedMemory(block, flags);
    return ec ? llvm::sys::MemoryBlock() : block;
  }

  std::error_code protectMappedMemory(const llvm::sys::MemoryBlock &block,
                                      unsigned flags) override {
    return llvm::sys::Memory::protectMappedMemory(block, flags);
  }

  std::error_code releaseMappedMemory(llvm::sys::MemoryBlock &block) override {
    if (!contains(block))
      return llvm::sys::Memory::releaseMappedMemory(block);
    // Returned to the system at once, its addresses never reused.
    mmap(block.base(), block.allocatedSize(), PROT_NONE,
         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
    block = llvm::sys::MemoryBlock();
    return {};
  }

private:
  bool contains(const llvm::sys::MemoryBlock &block) const {
    auto *base = static_cast<const char *>(region.base());
    auto *p = static_cast<const char *>(block.base());
    return base && p >= base && p < base + region.allocatedSize();
  }

  /// Virtual address space only (MAP_NORESERVE): pages are committed as
  /// sections are protected for use.
  static constexpr size_t kReservedBytes = size_t(256) << 20;
  llvm::sys::MemoryBlock region;
  size_t used = 0;
};
} // namespace

std::unique_ptr<llvm::SectionMemoryManager::MemoryMapper>
mlir::attn::createJitMemoryMapper() {
  return std::make_unique<ContiguousMemoryMapper>();
}
