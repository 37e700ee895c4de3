//===- GpuKernelAttributes.cpp - attn-gpu-kernel-attributes ---------------===//
//
// Attributes of the outlined GPU kernels that the NVVM lowering turns into
// PTX directives: the alignment of every workgroup (shared-memory) buffer
// (`llvm.align` on the workgroup attributions of gpu.func, the alignment of
// the `.shared` array; buffers are otherwise aligned to their element, 2
// bytes for f16, while `ldmatrix` reads 16-byte rows), and the minimum
// number of blocks per SM (`nvvm.minctasm`, `.minnctapersm`), which ptxas
// uses as its occupancy target: given only `.maxntid`, it keeps some
// kernels at 48-64 registers and spills on sm_90.
//
//===----------------------------------------------------------------------===//

#include "attn/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/IR/Builders.h"

namespace mlir {
namespace attn {
#define GEN_PASS_DEF_ATTNGPUKERNELATTRIBUTESPASS
#include "attn/Transforms/Passes.h.inc"
} // namespace attn
} // namespace mlir

using namespace mlir;

namespace {
struct AttnGpuKernelAttributesPass
    : attn::impl::AttnGpuKernelAttributesPassBase<
          AttnGpuKernelAttributesPass> {
  using AttnGpuKernelAttributesPassBase::AttnGpuKernelAttributesPassBase;
  void runOnOperation() override {
    if (sharedAlignment < 1 || (sharedAlignment & (sharedAlignment - 1))) {
      getOperation()->emitError()
          << "attn-gpu-kernel-attributes: shared-alignment must be a power "
             "of 2, got "
          << int64_t(sharedAlignment);
      return signalPassFailure();
    }
    if (minBlocksPerSm < 0) {
      getOperation()->emitError()
          << "attn-gpu-kernel-attributes: min-blocks-per-sm must be >= 0, "
             "got "
          << int64_t(minBlocksPerSm);
      return signalPassFailure();
    }
    Builder b(&getContext());
    StringAttr align = b.getStringAttr(LLVM::LLVMDialect::getAlignAttrName());
    getOperation()->walk([&](gpu::GPUFuncOp func) {
      if (!func.isKernel())
        return;
      for (unsigned i = 0, e = func.getNumWorkgroupAttributions(); i < e;
           ++i) {
        auto current = dyn_cast_or_null<IntegerAttr>(
            func.getWorkgroupAttributionAttr(i, align));
        if (!current || current.getInt() < sharedAlignment)
          func.setWorkgroupAttributionAttr(
              i, align, b.getI64IntegerAttr(sharedAlignment));
      }
      if (minBlocksPerSm > 0 &&
          !func->hasAttr(NVVM::NVVMDialect::getMinctasmAttrName()))
        func->setAttr(NVVM::NVVMDialect::getMinctasmAttrName(),
                      b.getI32IntegerAttr(minBlocksPerSm));
    });
  }
};
} // namespace
