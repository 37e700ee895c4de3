//===- CPUPipeline.cpp - attn-cpu-pipeline --------------------------------===//
//
// Builds and registers attn-cpu-pipeline: attention written in TOSA or
// linalg raised to attn.sdpa (raise=true), the attention strategy on tensors
// (unfused, flash or split-KV), register-blocked vector code for the tile
// computations (vector-bits > 0), one-shot bufferization with identity
// layouts at function boundaries, deallocation, loops (sequential, or OpenMP
// worksharing loops with a dynamic schedule for threads > 1), LLVM unroll
// hints on the loops, and conversion to the LLVM dialect.
//
//===----------------------------------------------------------------------===//

#include "attn/Pipelines/Pipelines.h"
#include "attn/Transforms/Passes.h"
#include "attn/Transforms/Transforms.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Dialect/Vector/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::attn;

void mlir::attn::addAttnRaisingPasses(OpPassManager &funcPm) {
  addFrontendRaisingPasses(funcPm);
}

void mlir::attn::addAttnBufferizePass(OpPassManager &pm) {
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  // Loop-carried state (the online-softmax statistics) may be reallocated
  // per iteration.
  bufferize.allowReturnAllocsFromLoops = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
}

void mlir::attn::buildAttnCPUPipeline(OpPassManager &pm,
                                      const AttnCPUPipelineOptions &options) {
  OpPassManager *funcPm = &pm.nest<func::FuncOp>();
  if (options.raise)
    addAttnRaisingPasses(*funcPm);

  // Attention strategy, on tensors. The tiling strategies (and the
  // distribution) first turn the graph-level block and decomposed chains
  // into attn.sdpa, so that they are tiled too.
  bool distributed = options.distribute == Distribution::Ring;
  if (options.strategy != Strategy::Unfused || distributed) {
    funcPm->addPass(createAttnDecomposeMhaPass());
    funcPm->addPass(createAttnFusePass());
  }
  // Each rank's blocks are ordinary attn.sdpa ops for the strategy.
  if (distributed) {
    pm.addPass(createAttnDistributeRingPass());
    funcPm = &pm.nest<func::FuncOp>();
  }
  // Decoding with grouped-query heads: the heads sharing a K/V head become
  // rows of one, so the tiles read each K/V block once.
  if (options.packGqa && options.strategy != Strategy::Unfused)
    funcPm->addPass(createAttnPackGqaPass());
  switch (options.strategy) {
  case Strategy::Unfused:
    break;
  case Strategy::Flash: {
    AttnTileFlashPassOptions flash;
    flash.tileQ = options.tileQ;
    flash.tileKv = options.tileKv;
    flash.staticBlocks = options.vectorBits > 0;
    funcPm->addPass(createAttnTileFlashPass(flash));
    break;
  }
  case Strategy::SplitKv: {
    AttnSplitKvPassOptions split;
    split.numSplits = options.numSplits;
    split.tileKv = options.tileKv;
    split.staticBlocks = options.vectorBits > 0;
    funcPm->addPass(createAttnSplitKvPass(split));
    break;
  }
  }
  // Whatever attn ops remain (all of them for the unfused strategy).
  funcPm->addPass(createAttnLowerUnfusedPass());
  funcPm->addPass(createCanonicalizerPass());
  funcPm->addPass(createCSEPass());
  // Register-blocked vector code for the static-shaped tile computations.
  if (options.vectorBits > 0) {
    AttnVectorizePassOptions vectorize;
    vectorize.vectorBits = options.vectorBits;
    funcPm->addPass(createAttnVectorizePass(vectorize));
    funcPm->addPass(createCanonicalizerPass());
    funcPm->addPass(createCSEPass());
  }
  if (options.runtimeChecks)
    pm.addPass(createGenerateRuntimeVerificationPass());

  // Bufferization: function results become freshly allocated memrefs with
  // identity layouts, which the caller owns.
  addAttnBufferizePass(pm);
  // Tile buffers of static size are allocated once, outside the loops.
  pm.nest<func::FuncOp>().addPass(bufferization::createBufferLoopHoistingPass());
  bufferization::buildBufferDeallocationPipeline(pm);
  // Clones and deallocations that the ownership analysis inserted (e.g. a
  // returned argument) become memref ops.
  pm.addPass(createConvertBufferizationToMemRefPass());

  // Loops, then LLVM. Tile loops (scf.forall) run sequentially, or as OpenMP
  // worksharing loops with threads > 1.
  if (options.threads > 1) {
    pm.nest<func::FuncOp>().addPass(createForallToParallelLoopPass());
    ConvertSCFToOpenMPPassOptions openmp;
    openmp.numThreads = options.threads;
    pm.addPass(createConvertSCFToOpenMPPass(openmp));
    pm.addPass(createAttnOmpDynamicSchedulePass());
  } else {
    pm.nest<func::FuncOp>().addPass(createForallToForLoopPass());
  }
  pm.nest<func::FuncOp>().addPass(createConvertLinalgToLoopsPass());
  if (options.vectorBits > 0) {
    // Row reductions as vector reductions (trees, with the reassociation
    // convert-vector-to-llvm allows), not element by element.
    pm.nest<func::FuncOp>().addPass(vector::createLowerVectorMultiReductionPass(
        vector::VectorMultiReductionLowering::InnerReduction));
    pm.nest<func::FuncOp>().addPass(createConvertVectorToSCFPass(
        VectorTransferToSCFOptions().enableFullUnroll()));
  }
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  // Unroll hints, which scf-to-cf carries to the loops' back edges: LLVM
  // unrolls only the loops carrying vectors.
  if (!options.llvmUnroll)
    pm.addPass(createAttnLimitLLVMUnrollPass());
  // GELU's erf and the like, which have no LLVM intrinsic.
  pm.addPass(createAttnExpandMathPass());
  pm.addPass(createSCFToControlFlowPass());
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  pm.addPass(arith::createArithExpandOpsPass(expand));
  if (options.vectorBits > 0) {
    ConvertVectorToLLVMPassOptions vectorToLlvm;
    vectorToLlvm.vectorTransposeLowering =
        vector::VectorTransposeLowering::Shuffle1D;
    // Vector sums (dot products, row sums) are computed as trees.
    vectorToLlvm.reassociateFPReductions = true;
    pm.addPass(createConvertVectorToLLVMPass(vectorToLlvm));
  }
  // MPI calls, including the non-blocking ones upstream does not lower.
  if (distributed)
    pm.addPass(createAttnConvertMpiToLLVMPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

llvm::Error
mlir::attn::validateAttnCPUPipelineOptions(const AttnCPUPipelineOptions &o) {
  auto error = [](const Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "attn-cpu-pipeline: " + message);
  };
  if (o.threads < 1 || o.threads > kMaxThreads)
    return error("threads must be in [1, " + Twine(kMaxThreads) + "], got " +
                 Twine(int64_t(o.threads)));
  if (o.tileQ < 1 || o.tileKv < 1)
    return error("tile-q and tile-kv must be >= 1, got " +
                 Twine(int64_t(o.tileQ)) + " and " + Twine(int64_t(o.tileKv)));
  if (o.numSplits < 0)
    return error("num-splits must be >= 0, got " +
                 Twine(int64_t(o.numSplits)));
  if (!isValidVectorBits(o.vectorBits))
    return error("vector-bits must be 0, 128, 256 or 512, got " +
                 Twine(int64_t(o.vectorBits)));
  return llvm::Error::success();
}

/// Registers the pipeline `name` whose options are checked by `validate`
/// when it is parsed, so that a bad value is an error of the command line,
/// not of the first pass that meets it (a bad chip would otherwise abort in
/// the NVPTX backend).
template <typename Options>
static void registerValidatedPipeline(
    StringRef name, StringRef description,
    llvm::Error (*validate)(const Options &),
    void (*build)(OpPassManager &, const Options &)) {
  registerPassPipeline(
      name, description,
      [validate, build](OpPassManager &pm, StringRef optionsStr,
                        function_ref<LogicalResult(const Twine &)> onError) {
        Options options;
        if (failed(options.parseFromString(optionsStr)))
          return failure();
        if (llvm::Error err = validate(options))
          return onError(llvm::toString(std::move(err)));
        build(pm, options);
        return success();
      },
      [](function_ref<void(const mlir::detail::PassOptions &)> optHandler) {
        optHandler(Options());
      });
}

void mlir::attn::registerAttnPipelines() {
  registerValidatedPipeline<AttnCPUPipelineOptions>(
      "attn-cpu-pipeline",
      "Lower attn (or upstream linalg/tensor/TOSA) IR on tensors to the LLVM "
      "dialect for the host CPU: attention strategy, bufferization, loops, "
      "LLVM",
      validateAttnCPUPipelineOptions, buildAttnCPUPipeline);
  registerValidatedPipeline<AttnGPUPipelineOptions>(
      "attn-gpu-pipeline",
      "Lower attn (or upstream linalg/tensor/TOSA) IR on tensors to PTX for "
      "NVIDIA GPUs (a gpu.binary) and host code launching it: flash "
      "tiling, one block per (batch, head, query tile), QK^T and P.V on "
      "tensor cores (mma.sync) for f16/bf16, SIMT otherwise",
      validateAttnGPUPipelineOptions, buildAttnGPUPipeline);
}
