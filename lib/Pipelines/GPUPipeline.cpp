//===- GPUPipeline.cpp - attn-gpu-pipeline --------------------------------===//
//
// Builds the GPU pipeline: the same raising, fusion and flash tiling as the
// CPU (attn-tile-flash with static blocks, its tile loop mapped to GPU
// blocks), the tile computations distributed over the threads of a block
// (attn-gpu-distribute), bufferization, the block and thread foralls mapped
// to a gpu.launch by the upstream GPU transform ops (attn-gpu-map-loops),
// the tiles of a block in shared memory (attn-gpu-promote-allocs), and the
// upstream lowering to NVVM and PTX (the steps of gpu-lower-to-nvvm-pipeline,
// format isa, with an explicit CUDA toolkit). QKᵀ and P·V on f16/bf16 run on
// tensor cores (mma.sync m16n8k16, f32 accumulation: attn-gpu-distribute
// tiles them over warps, attn-gpu-mma lowers the warp tiles); the rest is
// SIMT. cp.async staging and warp-level softmax are not generated yet.
//
//===----------------------------------------------------------------------===//

#include "attn/Pipelines/Pipelines.h"
#include "attn/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/FileSystem.h"

using namespace mlir;
using namespace mlir::attn;

/// The shared memory a block may use without opting in to more (the size
/// of static `.shared` data ptxas accepts).
static constexpr int64_t kMaxStaticSharedBytes = 48 * 1024;

StringRef mlir::attn::getPtxFeatures(StringRef chip) {
  if (chip == "sm_80")
    return "+ptx70";
  if (chip == "sm_90" || chip == "sm_90a")
    return "+ptx80";
  return "";
}

llvm::Error
mlir::attn::validateAttnGPUPipelineOptions(const AttnGPUPipelineOptions &o) {
  auto error = [](const Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
  };
  if (getPtxFeatures(o.chip).empty())
    return error("attn-gpu-pipeline: unsupported chip '" + o.chip +
                 "': expected sm_80, sm_90 or sm_90a");
  if (o.strategy != Strategy::Flash)
    return error("attn-gpu-pipeline: strategy=" +
                 Twine(o.strategy == Strategy::SplitKv ? "split-kv"
                                                       : "unfused") +
                 " is not implemented on GPU yet (only flash)");
  if (o.tileQ < 1 || o.tileKv < 1)
    return error("attn-gpu-pipeline: tile-q and tile-kv must be >= 1");
  if (o.warps < 1 || o.warps > 32)
    return error("attn-gpu-pipeline: warps must be in [1, 32], got " +
                 Twine(int64_t(o.warps)));
  std::string libdevice = o.cudaPath + "/nvvm/libdevice/libdevice.10.bc";
  if (!llvm::sys::fs::exists(libdevice))
    return error("attn-gpu-pipeline: no CUDA toolkit at '" + o.cudaPath +
                 "' (" + libdevice + " is missing; it implements exp on "
                 "the GPU): pass cuda-path=<toolkit>");
  if (o.stages != 1)
    return error("attn-gpu-pipeline: stages=" + Twine(int64_t(o.stages)) +
                 " is not implemented (multi-stage cp.async buffering); "
                 "only stages=1");
  return llvm::Error::success();
}

void mlir::attn::buildAttnGPUPipeline(OpPassManager &pm,
                                      const AttnGPUPipelineOptions &options) {
  int64_t numThreads = options.warps * 32;
  OpPassManager &funcPm = pm.nest<func::FuncOp>();
  if (options.raise)
    addAttnRaisingPasses(funcPm);
  funcPm.addPass(createAttnDecomposeMhaPass());
  funcPm.addPass(createAttnFusePass());

  // One block per (batch, head, query tile); every block computation has
  // static sizes, so its buffers fit in shared memory.
  AttnTileFlashPassOptions flash;
  flash.tileQ = options.tileQ;
  flash.tileKv = options.tileKv;
  flash.staticBlocks = true;
  flash.gpuBlocks = true;
  funcPm.addPass(createAttnTileFlashPass(flash));
  funcPm.addPass(createAttnLowerUnfusedPass());
  funcPm.addPass(createCanonicalizerPass());
  funcPm.addPass(createCSEPass());
  AttnGpuDistributePassOptions distribute;
  distribute.numThreads = numThreads;
  distribute.tensorCores = options.tensorCores;
  funcPm.addPass(createAttnGpuDistributePass(distribute));
  funcPm.addPass(createCanonicalizerPass());
  funcPm.addPass(createCSEPass());

  // Buffers: the result of a block is computed in place in the output, and
  // the function writes its results into buffers the caller passes.
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  addAttnBufferizePass(pm);
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.hoistDynamicAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  // Kernels.
  AttnGpuMapLoopsPassOptions map;
  map.numThreads = numThreads;
  pm.nest<func::FuncOp>().addPass(createAttnGpuMapLoopsPass(map));
  AttnGpuPromoteAllocsPassOptions promote;
  promote.maxBytes = kMaxStaticSharedBytes;
  pm.nest<func::FuncOp>().addPass(createAttnGpuPromoteAllocsPass(promote));
  // The warp tiles of QKᵀ and P·V to nvgpu.mma.sync.
  pm.nest<func::FuncOp>().addPass(createAttnGpuMmaPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.nest<func::FuncOp>().addPass(createConvertLinalgToLoopsPass());

  // To NVVM and PTX: the steps of upstream gpu-lower-to-nvvm-pipeline, with
  // the CUDA toolkit given explicitly (its libdevice implements exp), so the
  // result never depends on the environment.
  pm.addPass(createConvertNVGPUToNVVMPass());
  pm.addPass(createGpuKernelOutliningPass());
  // ldmatrix reads 16-byte rows of the shared tiles; ptxas aims for the
  // occupancy it is given.
  AttnGpuKernelAttributesPassOptions kernelAttributes;
  kernelAttributes.minBlocksPerSm = options.minBlocksPerSm;
  pm.addPass(createAttnGpuKernelAttributesPass(kernelAttributes));
  pm.addPass(createConvertVectorToSCFPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertNVVMToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  target.features = getPtxFeatures(options.chip).str();
  target.optLevel = 3;
  pm.addPass(createGpuNVVMAttachTarget(target));
  pm.addPass(createLowerAffinePass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  OpPassManager &gpuPm = pm.nest<gpu::GPUModuleOp>();
  gpuPm.addPass(createConvertGpuOpsToNVVMOps());
  gpuPm.addPass(createCanonicalizerPass());
  gpuPm.addPass(createCSEPass());
  gpuPm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createGpuToLLVMConversionPass());
  GpuModuleToBinaryPassOptions binary;
  binary.toolkitPath = options.cudaPath;
  binary.compilationTarget = "isa";
  pm.addPass(createGpuModuleToBinaryPass(binary));
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}
