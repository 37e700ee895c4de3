//===- GpuMapLoops.cpp - attn-gpu-map-loops -------------------------------===//
//
// Turns each scf.forall mapped to GPU blocks (after bufferization) into a
// gpu.launch, and the thread foralls inside it into thread-id arithmetic
// with a barrier after each, by running the upstream transform ops
// `transform.gpu.map_forall_to_blocks generate_gpu_launch` and
// `transform.gpu.map_nested_forall_to_threads` through the transform
// interpreter: a fixed schedule, so the pipeline needs no script file.
//
//===----------------------------------------------------------------------===//

#include "attn/Transforms/Passes.h"
#include "attn/Transforms/Transforms.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/TransformOps/GPUTransformOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/Transform/IR/TransformDialect.h"
#include "mlir/Dialect/Transform/IR/TransformOps.h"
#include "mlir/Dialect/Transform/Transforms/TransformInterpreterUtils.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/DebugLog.h"

#define DEBUG_TYPE "attn-gpu-map-loops"

namespace mlir {
namespace attn {
#define GEN_PASS_DEF_ATTNGPUMAPLOOPSPASS
#include "attn/Transforms/Passes.h.inc"
} // namespace attn
} // namespace mlir

using namespace mlir;
using namespace mlir::attn;

/// The schedule applied to each block loop.
static std::string getSchedule(int64_t numThreads) {
  return "module attributes {transform.with_named_sequence} {\n"
         "  transform.named_sequence @map(%loop: !transform.any_op "
         "{transform.consumed}) {\n"
         "    %launch = transform.gpu.map_forall_to_blocks %loop "
         "generate_gpu_launch : (!transform.any_op) -> !transform.any_op\n"
         "    transform.gpu.map_nested_forall_to_threads %launch block_dims = "
         "[" +
         std::to_string(numThreads) +
         ", 1, 1] : (!transform.any_op) -> !transform.any_op\n"
         "    transform.yield\n"
         "  }\n"
         "}\n";
}

namespace {
struct AttnGpuMapLoopsPass
    : attn::impl::AttnGpuMapLoopsPassBase<AttnGpuMapLoopsPass> {
  using AttnGpuMapLoopsPassBase::AttnGpuMapLoopsPassBase;

  void getDependentDialects(DialectRegistry &registry) const override {
    AttnGpuMapLoopsPassBase::getDependentDialects(registry);
    gpu::registerTransformDialectExtension(registry);
  }

  void runOnOperation() override {
    if (numThreads < 1 || numThreads > 1024) {
      getOperation()->emitError()
          << "attn-gpu-map-loops: num-threads must be in [1, 1024], got "
          << int64_t(numThreads);
      return signalPassFailure();
    }
    SmallVector<scf::ForallOp> blockLoops;
    getOperation()->walk([&](scf::ForallOp forall) {
      std::optional<ArrayAttr> mapping = forall.getMapping();
      if (mapping && !mapping->empty() &&
          llvm::all_of(*mapping, llvm::IsaPred<gpu::GPUBlockMappingAttr>))
        blockLoops.push_back(forall);
    });
    if (blockLoops.empty())
      return;
    OwningOpRef<ModuleOp> schedule =
        parseSourceString<ModuleOp>(getSchedule(numThreads), &getContext());
    if (!schedule) {
      getOperation()->emitError("attn-gpu-map-loops: internal error: the "
                                "mapping schedule does not parse");
      return signalPassFailure();
    }
    auto sequence = schedule->lookupSymbol<transform::NamedSequenceOp>("map");
    IRRewriter rewriter(&getContext());
    for (scf::ForallOp forall : blockLoops) {
      // The upstream mapping needs a static grid.
      if (!forall.getStaticUpperBound().empty() &&
          llvm::any_of(forall.getStaticUpperBound(),
                       ShapedType::isDynamic)) {
        forall.emitError("attn-gpu-map-loops: the grid of this block loop "
                         "is dynamic (a dynamic batch or query length); "
                         "GPU kernels need static sizes so far");
        return signalPassFailure();
      }
      // Block ids count from 0 in steps of 1 (query tiles step by tile-q).
      rewriter.setInsertionPoint(forall);
      FailureOr<scf::ForallOp> normalized =
          normalizeForallOp(rewriter, forall);
      if (failed(normalized)) {
        forall.emitError("attn-gpu-map-loops: cannot normalize this loop");
        return signalPassFailure();
      }
      forall = *normalized;
      // Copies that bufferization left in the block (padding, loop-carried
      // tiles) are distributed like the tile computations.
      SmallVector<memref::CopyOp> copies;
      forall.getBody()->walk([&](memref::CopyOp copy) {
        if (copy->getParentOfType<scf::ForallOp>() == forall)
          copies.push_back(copy);
      });
      for (memref::CopyOp copy : copies) {
        rewriter.setInsertionPoint(copy);
        rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(),
                                                    copy.getTarget());
      }
      GpuDistributionOptions distribution;
      distribution.numThreads = numThreads;
      if (failed(distributeToGpuThreads(rewriter, forall, distribution)))
        return signalPassFailure();
      LDBG() << "mapping the block loop at " << forall.getLoc() << " to "
             << int64_t(numThreads) << " threads";
      if (failed(transform::applyTransformNamedSequence(
              forall, sequence, *schedule,
              transform::TransformOptions().enableExpensiveChecks(false))))
        return signalPassFailure();
    }
  }
};
} // namespace
