//===- GpuMapLoops.cpp - attn-gpu-map-loops -------------------------------===//
//
// Turns each scf.forall mapped to GPU blocks (after bufferization) into a
// gpu.launch whose grid is the loop's trip counts (static or dynamic), and
// the thread foralls inside it into thread-id arithmetic with a barrier
// after each, by running the upstream transform op
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
#include "mlir/Dialect/Transform/IR/TransformDialect.h"
#include "mlir/Dialect/Transform/IR/TransformOps.h"
#include "mlir/Dialect/Transform/Transforms/TransformInterpreterUtils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
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

/// The schedule applied to each launch: its thread foralls to thread ids.
static std::string getSchedule(int64_t numThreads) {
  return "module attributes {transform.with_named_sequence} {\n"
         "  transform.named_sequence @map(%launch: !transform.any_op "
         "{transform.consumed}) {\n"
         "    transform.gpu.map_nested_forall_to_threads %launch block_dims = "
         "[" +
         std::to_string(numThreads) +
         ", 1, 1] : (!transform.any_op) -> !transform.any_op\n"
         "    transform.yield\n"
         "  }\n"
         "}\n";
}

/// Replaces `forall` (on buffers, mapped to GPU blocks) by a gpu.launch of
/// `numThreads` threads per block whose grid is the loop's trip counts,
/// static or not (upstream map_forall_to_blocks needs static ones): the
/// body moves into the launch, each induction variable becomes
/// lower bound + block id · step.
static FailureOr<gpu::LaunchOp> createLaunch(RewriterBase &rewriter,
                                             scf::ForallOp forall,
                                             int64_t numThreads) {
  if (forall.getNumResults() != 0)
    return forall.emitError("attn-gpu-map-loops: a block loop must be "
                            "bufferized (it has results)"),
           failure();
  Location loc = forall.getLoc();
  rewriter.setInsertionPoint(forall);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  // Trip counts: ceildiv(ub - lb, step).
  SmallVector<Value> counts;
  for (auto [lb, ub, step] :
       llvm::zip(forall.getMixedLowerBound(), forall.getMixedUpperBound(),
                 forall.getMixedStep())) {
    Value extent = arith::SubIOp::create(
        rewriter, loc, getValueOrCreateConstantIndexOp(rewriter, loc, ub),
        getValueOrCreateConstantIndexOp(rewriter, loc, lb));
    counts.push_back(arith::CeilDivSIOp::create(
        rewriter, loc, extent,
        getValueOrCreateConstantIndexOp(rewriter, loc, step)));
  }
  std::array<Value, 3> grid = {one, one, one};
  SmallVector<int> dims;
  for (auto [ub, attr] : llvm::zip(counts, *forall.getMapping())) {
    auto id = cast<gpu::GPUBlockMappingAttr>(attr).getBlock();
    int dim = id == gpu::MappingId::DimX   ? 0
              : id == gpu::MappingId::DimY ? 1
              : id == gpu::MappingId::DimZ ? 2
                                           : -1;
    if (dim < 0 || grid[dim] != one)
      return forall.emitError("attn-gpu-map-loops: block loops must be "
                              "mapped to distinct #gpu.block<x, y, z>"),
             failure();
    grid[dim] = ub;
    dims.push_back(dim);
  }
  Value threads = arith::ConstantIndexOp::create(rewriter, loc, numThreads);
  auto launch = gpu::LaunchOp::create(rewriter, loc, grid[0], grid[1],
                                      grid[2], threads, one, one);
  Block &body = launch.getBody().front();
  rewriter.setInsertionPointToEnd(&body);
  auto terminator = gpu::TerminatorOp::create(rewriter, loc);
  gpu::KernelDim3 ids = launch.getBlockIds();
  std::array<Value, 3> blockIds = {ids.x, ids.y, ids.z};
  rewriter.setInsertionPointToStart(&body);
  SmallVector<Value> replacements;
  for (auto [dim, lb, step] : llvm::zip(dims, forall.getMixedLowerBound(),
                                        forall.getMixedStep())) {
    Value scaled = arith::MulIOp::create(
        rewriter, loc, blockIds[dim],
        getValueOrCreateConstantIndexOp(rewriter, loc, step));
    replacements.push_back(arith::AddIOp::create(
        rewriter, loc, scaled,
        getValueOrCreateConstantIndexOp(rewriter, loc, lb)));
  }
  // The forall's terminator (an empty in_parallel on buffers) goes away.
  rewriter.eraseOp(forall.getBody()->getTerminator());
  rewriter.inlineBlockBefore(forall.getBody(), terminator, replacements);
  rewriter.eraseOp(forall);
  return launch;
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
      return checkHostCode();
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
      FailureOr<gpu::LaunchOp> launch =
          createLaunch(rewriter, forall, numThreads);
      if (failed(launch))
        return signalPassFailure();
      LDBG() << "mapping the block loop at " << launch->getLoc() << " to "
             << int64_t(numThreads) << " threads";
      if (failed(transform::applyTransformNamedSequence(
              *launch, sequence, *schedule,
              transform::TransformOptions().enableExpensiveChecks(false))))
        return signalPassFailure();
    }
    checkHostCode();
  }

  /// The arrays of a function compiled for the GPU are device memory: code
  /// outside the kernels must not read or write them.
  void checkHostCode() {
    getOperation()->walk([&](Operation *op) {
      if (op->getParentOfType<gpu::LaunchOp>() || isa<gpu::LaunchOp>(op))
        return WalkResult::skip();
      if (isa<memref::CopyOp, memref::LoadOp, memref::StoreOp,
              linalg::LinalgOp>(op)) {
        op->emitError("attn-gpu-map-loops: this op would run on the host, "
                      "on device memory: the GPU path compiles attention "
                      "(attn.sdpa and what fuses or raises to it), not other "
                      "computations or copies");
        signalPassFailure();
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
  }
};
} // namespace
