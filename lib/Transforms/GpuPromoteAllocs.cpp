//===- GpuPromoteAllocs.cpp - attn-gpu-promote-allocs ---------------------===//
//
// Moves the buffers a GPU block computes its tiles in (static memref.alloc
// ops in the body of a gpu.launch, outside any per-thread code) into
// workgroup (shared) memory: each becomes a workgroup attribution of the
// launch, seen by its users through a memref.memory_space_cast to the
// generic address space, and its deallocation is dropped. Device code
// cannot allocate from the host heap, and the threads of a block exchange
// rows and columns of these tiles.
//
//===----------------------------------------------------------------------===//

#include "attn/Transforms/Passes.h"
#include "attn/Transforms/Transforms.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/DebugLog.h"

#define DEBUG_TYPE "attn-gpu-promote-allocs"

namespace mlir {
namespace attn {
#define GEN_PASS_DEF_ATTNGPUPROMOTEALLOCSPASS
#include "attn/Transforms/Passes.h.inc"
} // namespace attn
} // namespace mlir

using namespace mlir;
using namespace mlir::attn;

LogicalResult mlir::attn::promoteAllocsToWorkgroup(RewriterBase &rewriter,
                                                   gpu::LaunchOp launch,
                                                   int64_t *numBytes) {
  SmallVector<memref::AllocOp> allocs;
  launch.getBody().walk([&](memref::AllocOp alloc) {
    if (alloc->getParentOfType<gpu::LaunchOp>() == launch)
      allocs.push_back(alloc);
  });
  MLIRContext *ctx = rewriter.getContext();
  Attribute workgroup =
      gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  int64_t bytes = 0;
  for (memref::AllocOp alloc : allocs) {
    // Code that some threads only run (the thread foralls, once mapped,
    // are guarded by scf.if) would share one buffer between threads.
    if (alloc->getParentOfType<scf::IfOp>() &&
        launch->isProperAncestor(alloc->getParentOfType<scf::IfOp>()))
      return alloc.emitError("attn-gpu-promote-allocs: a buffer allocated "
                             "under a condition (per-thread code) cannot be "
                             "shared by the block");
    MemRefType type = alloc.getType();
    if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
        type.getMemorySpace())
      return alloc.emitError("attn-gpu-promote-allocs: a buffer of a GPU "
                             "block must have a static shape and the "
                             "default memory space, got ")
             << type;
    auto sharedType = MemRefType::get(type.getShape(), type.getElementType(),
                                      MemRefLayoutAttrInterface(), workgroup);
    BlockArgument shared =
        launch.addWorkgroupAttribution(sharedType, alloc.getLoc());
    rewriter.setInsertionPoint(alloc);
    Value generic = memref::MemorySpaceCastOp::create(rewriter, alloc.getLoc(),
                                                      type, shared);
    for (Operation *user : llvm::make_early_inc_range(alloc->getUsers()))
      if (isa<memref::DeallocOp>(user))
        rewriter.eraseOp(user);
    rewriter.replaceOp(alloc, generic);
    bytes += type.getNumElements() *
             llvm::divideCeil(type.getElementTypeBitWidth(), 8);
  }
  LDBG() << "promoted " << allocs.size() << " buffers (" << bytes
         << " bytes) of the launch at " << launch.getLoc();
  if (numBytes)
    *numBytes = bytes;
  return success();
}

namespace {
struct AttnGpuPromoteAllocsPass
    : attn::impl::AttnGpuPromoteAllocsPassBase<AttnGpuPromoteAllocsPass> {
  using AttnGpuPromoteAllocsPassBase::AttnGpuPromoteAllocsPassBase;
  void runOnOperation() override {
    SmallVector<gpu::LaunchOp> launches;
    getOperation()->walk([&](gpu::LaunchOp l) { launches.push_back(l); });
    IRRewriter rewriter(&getContext());
    for (gpu::LaunchOp launch : launches) {
      int64_t bytes = 0;
      if (failed(promoteAllocsToWorkgroup(rewriter, launch, &bytes)))
        return signalPassFailure();
      if (maxBytes > 0 && bytes > maxBytes) {
        launch.emitError() << "attn-gpu-promote-allocs: the block's buffers "
                              "need "
                           << bytes << " bytes of shared memory, more than "
                           << int64_t(maxBytes)
                           << " (choose smaller tiles)";
        return signalPassFailure();
      }
    }
  }
};
} // namespace
