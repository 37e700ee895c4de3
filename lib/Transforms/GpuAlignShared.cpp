//===- GpuAlignShared.cpp - attn-gpu-align-shared -------------------------===//
//
// Gives every workgroup (shared-memory) buffer of the GPU kernels an
// alignment (`llvm.align` on the workgroup attributions of gpu.func, which
// the NVVM lowering turns into the alignment of the `.shared` array). The
// buffers otherwise get their element's alignment (2 bytes for f16), and
// `ldmatrix` reads 16-byte rows.
//
//===----------------------------------------------------------------------===//

#include "attn/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"

namespace mlir {
namespace attn {
#define GEN_PASS_DEF_ATTNGPUALIGNSHAREDPASS
#include "attn/Transforms/Passes.h.inc"
} // namespace attn
} // namespace mlir

using namespace mlir;

namespace {
struct AttnGpuAlignSharedPass
    : attn::impl::AttnGpuAlignSharedPassBase<AttnGpuAlignSharedPass> {
  using AttnGpuAlignSharedPassBase::AttnGpuAlignSharedPassBase;
  void runOnOperation() override {
    if (alignment < 1 || (alignment & (alignment - 1))) {
      getOperation()->emitError()
          << "attn-gpu-align-shared: alignment must be a power of 2, got "
          << int64_t(alignment);
      return signalPassFailure();
    }
    Builder b(&getContext());
    StringAttr name = b.getStringAttr(LLVM::LLVMDialect::getAlignAttrName());
    getOperation()->walk([&](gpu::GPUFuncOp func) {
      for (unsigned i = 0, e = func.getNumWorkgroupAttributions(); i < e; ++i) {
        auto current = dyn_cast_or_null<IntegerAttr>(
            func.getWorkgroupAttributionAttr(i, name));
        if (!current || current.getInt() < alignment)
          func.setWorkgroupAttributionAttr(i, name,
                                           b.getI64IntegerAttr(alignment));
      }
    });
  }
};
} // namespace
