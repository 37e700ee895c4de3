//===- GpuDistribute.cpp - attn-gpu-distribute ----------------------------===//
//
// Distributes the tile computations of a flash loop nest over the threads of
// a GPU block: every static-shaped linalg op on tensors nested in an
// scf.forall mapped to GPU blocks (what attn-tile-flash produces with a
// block mapping) is tiled, through its TilingInterface (scf::tileUsingSCF),
// into an scf.forall over its last two non-unit parallel loops mapped to
// linear thread ids. Reductions stay inside each thread (a thread owns
// whole rows of a row max or sum, whole dot products of a contraction).
// After bufferization, upstream `map_nested_forall_to_threads` turns these
// foralls into thread-id arithmetic with barriers between them.
//
//===----------------------------------------------------------------------===//

#include "attn/Transforms/Passes.h"
#include "attn/Transforms/Transforms.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/DebugLog.h"

#define DEBUG_TYPE "attn-gpu-distribute"

namespace mlir {
namespace attn {
#define GEN_PASS_DEF_ATTNGPUDISTRIBUTEPASS
#include "attn/Transforms/Passes.h.inc"
} // namespace attn
} // namespace mlir

using namespace mlir;
using namespace mlir::attn;

/// Whether `forall` is mapped to GPU blocks.
static bool isBlockLoop(scf::ForallOp forall) {
  std::optional<ArrayAttr> mapping = forall.getMapping();
  return mapping && !mapping->empty() &&
         llvm::all_of(*mapping, llvm::IsaPred<gpu::GPUBlockMappingAttr>);
}

/// The number of threads along the parallel loops of `op` (0: not
/// distributed): the innermost non-unit parallel loop gets the largest
/// divisor of `numThreads` up to its size, the next one what is left.
static SmallVector<int64_t> getThreadCounts(linalg::LinalgOp op,
                                            int64_t numThreads) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<int64_t> counts(ranges.size(), 0);
  int64_t left = numThreads;
  int distributed = 0;
  for (int64_t d = static_cast<int64_t>(ranges.size()) - 1;
       d >= 0 && distributed < 2 && left > 1; --d) {
    if (op.getIteratorTypesArray()[d] != utils::IteratorType::parallel ||
        ranges[d] <= 1)
      continue;
    int64_t count = std::min(left, ranges[d]);
    while (left % count != 0)
      --count;
    counts[d] = count;
    left /= count;
    ++distributed;
  }
  return counts;
}

LogicalResult mlir::attn::distributeToGpuThreads(
    RewriterBase &rewriter, scf::ForallOp blockLoop,
    const GpuDistributionOptions &options) {
  if (options.numThreads < 1)
    return blockLoop.emitError()
           << "attn-gpu-distribute: num-threads must be >= 1, got "
           << options.numThreads;
  // Contractions on f16 or bf16 go to tensor cores, tiled over warps, when
  // their sizes allow it; the rest stays SIMT and says why.
  if (options.tensorCores) {
    SmallVector<linalg::LinalgOp> contractions;
    blockLoop.getBody()->walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics() &&
          op->getParentOfType<scf::ForallOp>() == blockLoop &&
          linalg::isaContractionOpInterface(op) &&
          llvm::any_of(op->getOperandTypes(), [](Type t) {
            Type e = getElementTypeOrSelf(t);
            return e.isF16() || e.isBF16();
          }))
        contractions.push_back(op);
    });
    DenseMap<Value, Value> rounded;
    for (linalg::LinalgOp op : contractions) {
      std::string why;
      if (failed(tileContractionOverWarps(rewriter, op, options.numThreads,
                                          why, &rounded)))
        op.emitRemark() << "attn-gpu-distribute: this contraction stays on "
                           "SIMT threads, not tensor cores: "
                        << why;
    }
    // Scaled queries now written rounded by a copy of their op.
    for (auto [value, r] : rounded)
      if (Operation *def = value.getDefiningOp(); def && def->use_empty())
        rewriter.eraseOp(def);
  }

  SmallVector<linalg::LinalgOp> ops;
  blockLoop.getBody()->walk([&](linalg::LinalgOp op) {
    // An op with dynamic sizes (the rows of a partial query tile, after the
    // key loop) is not split: threads past its end would address slices
    // out of bounds. Every thread of the block computes it, writing the
    // same values; it never updates its own inputs (its result goes to a
    // fresh tile or to the output).
    if ((op.hasPureTensorSemantics() || op.hasPureBufferSemantics()) &&
        !op.hasDynamicShape() &&
        op->getParentOfType<scf::ForallOp>() == blockLoop)
      ops.push_back(op);
  });
  MLIRContext *ctx = rewriter.getContext();
  for (linalg::LinalgOp op : ops) {
    SmallVector<int64_t> counts = getThreadCounts(op, options.numThreads);
    SmallVector<OpFoldResult> numThreads;
    SmallVector<Attribute> mapping;
    int64_t numMapped = llvm::count_if(counts, [](int64_t c) { return c; });
    for (int64_t count : counts) {
      numThreads.push_back(rewriter.getIndexAttr(count));
      if (count)
        mapping.push_back(gpu::GPUThreadMappingAttr::get(
            ctx, static_cast<gpu::MappingId>(
                     static_cast<int64_t>(gpu::MappingId::LinearDim0) +
                     --numMapped)));
    }
    if (mapping.empty())
      continue;
    scf::SCFTilingOptions tiling;
    tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
    tiling.setNumThreads(numThreads);
    tiling.setMapping(mapping);
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), tiling);
    if (failed(tiled))
      return op.emitError("attn-gpu-distribute: cannot distribute this op "
                          "over the threads of a block");
    rewriter.replaceOp(op, tiled->replacements);
    LDBG() << "distributed " << op->getName() << " over " << mapping.size()
           << " thread dimensions";
  }
  return success();
}

namespace {
struct AttnGpuDistributePass
    : attn::impl::AttnGpuDistributePassBase<AttnGpuDistributePass> {
  using AttnGpuDistributePassBase::AttnGpuDistributePassBase;
  void runOnOperation() override {
    GpuDistributionOptions options;
    options.numThreads = numThreads;
    options.tensorCores = tensorCores;
    SmallVector<scf::ForallOp> blockLoops;
    getOperation()->walk([&](scf::ForallOp forall) {
      if (isBlockLoop(forall))
        blockLoops.push_back(forall);
    });
    IRRewriter rewriter(&getContext());
    for (scf::ForallOp forall : blockLoops)
      if (failed(distributeToGpuThreads(rewriter, forall, options)))
        return signalPassFailure();
  }
};
} // namespace
