//===- attn-compile.cpp - Attn ahead-of-time compiler ---------------------===//
//
// Compiles every public function of an MLIR file for the host CPU (or a named
// x86-64 level) with `attn-cpu-pipeline` and writes
//   out.o   the object file,
//   out.so  a shared library linked from it,
//   out.h   one documented `extern "C"` entry per public function.
//
// Each entry keeps the MLIR function's name and follows the wrapper ABI of
// lib/Export (attn/Export/Export.h), which also does the work: this file
// reads flags and calls it.
//
// Exit status: 0 on success, 1 on any error.
//
//===----------------------------------------------------------------------===//

#include "attn/Export/Export.h"
#include "attn/Pipelines/PipelineFlags.h"
#include "attn/Pipelines/Pipelines.h"
#include "attn/Tools/ToolSupport.h"
#include "attn/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace mlir::attn;
namespace cl = llvm::cl;

static cl::OptionCategory compileCategory("attn-compile options");

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<input.mlir>"),
                                      cl::Required, cl::cat(compileCategory));
static cl::opt<std::string>
    outputBase("o", cl::desc("Output base name: writes <out>.o, <out>.so and "
                             "<out>.h"),
               cl::value_desc("out"), cl::Required, cl::cat(compileCategory));
static cl::opt<std::string>
    target("target",
           cl::desc("Target: cpu (the host CPU), or gpu (NVIDIA PTX from "
                    "attn-gpu-pipeline; writes <out>.ptx, <out>.json and, "
                    "with ptxas, <out>.cubin too)"),
           cl::value_desc("cpu|gpu"), cl::init("cpu"),
           cl::cat(compileCategory));
static cl::opt<std::string>
    chip("chip", cl::desc("GPU to compile for with --target=gpu"),
         cl::value_desc("sm_80|sm_90|sm_90a"), cl::init("sm_80"),
         cl::cat(compileCategory));
static cl::opt<std::string>
    cpuName("cpu",
            cl::desc("CPU to compile for: native (the host CPU and its "
                     "features, the default), x86-64-v3 (AVX2) or x86-64-v4 "
                     "(AVX-512)"),
            cl::value_desc("native|x86-64-v3|x86-64-v4"), cl::init("native"),
            cl::cat(compileCategory));
static PipelineFlags pipelineFlags(compileCategory);
static cl::opt<bool>
    raise("raise",
          cl::desc("Raise attention written in TOSA or linalg to attn.sdpa"),
          cl::init(true), cl::cat(compileCategory));
static cl::opt<std::string> distributedMode(
    "distributed",
    cl::desc("ring: export the function each MPI rank runs (attention split "
             "along the sequence across the ranks of MPI_COMM_WORLD, "
             "attn-distribute-ring); the library links the MPI library"),
    cl::value_desc("ring"), cl::cat(compileCategory));
static cl::opt<bool> runtimeChecks(
    "runtime-checks",
    cl::desc("Verify at run time that dynamic sizes agree (a mismatch aborts "
             "the process with the location of the op)"),
    cl::init(false), cl::cat(compileCategory));
/// `--threads=N`, taken out of argv before LLVM's parser sees it (see
/// extractThreadsArgument).
static int threads = 1;

static int fail(const Twine &message) {
  return reportToolError("attn-compile", message);
}

static int fail(llvm::Error error) {
  return reportToolError("attn-compile", std::move(error));
}

static int compileMain(MLIRContext &context) {
  if (llvm::Error err = pipelineFlags.validate(threads))
    return fail(std::move(err));
  if (target != "cpu" && target != "gpu")
    return fail("unknown --target '" + target + "': expected cpu or gpu");

  std::unique_ptr<ToolInput> input =
      ToolInput::load(inputFile, "attn-compile", context);
  if (!input)
    return 1;
  ModuleOp module = input->getModule();
  // GPU options first: a bad chip is an error before any compile.
  AttnGPUPipelineOptions gpuOptions;
  if (target == "gpu") {
    gpuOptions.chip = chip;
    gpuOptions.strategy = pipelineFlags.strategy.getValue();
    gpuOptions.raise = raise;
    // The GPU's own tile defaults unless the sizes are given.
    if (pipelineFlags.tileQ.getNumOccurrences())
      gpuOptions.tileQ = pipelineFlags.tileQ.getValue();
    if (pipelineFlags.tileKv.getNumOccurrences())
      gpuOptions.tileKv = pipelineFlags.tileKv.getValue();
    if (llvm::Error err = validateAttnGPUPipelineOptions(gpuOptions))
      return fail(std::move(err));
  }
  bool distributed = distributedMode.getNumOccurrences() > 0;
  std::map<std::string, std::string> distributionLayouts;
  if (distributed) {
    if (distributedMode != "ring")
      return fail("unknown --distributed '" + distributedMode +
                  "': expected ring");
    if (target != "cpu")
      return fail("--distributed=ring runs the CPU pipeline; it cannot be "
                  "combined with --target=gpu");
#ifndef ATTN_MPI_LIBRARY
    return fail("--distributed=ring: attn-compile was built without MPI "
                "(install libopenmpi-dev and rebuild)");
#endif
  }
  llvm::Expected<CpuTarget> cpu = createCpuTarget(cpuName);
  if (!cpu)
    return fail(cpu.takeError());

  // With --distributed=ring, the functions become the functions of one
  // rank first, so that their C entries take the rank's shards.
  if (distributed) {
    PassManager distribute(&context);
    OpPassManager &funcPm = distribute.nest<func::FuncOp>();
    if (raise)
      addAttnRaisingPasses(funcPm);
    funcPm.addPass(createAttnDecomposeMhaPass());
    funcPm.addPass(createAttnFusePass());
    // The caller passes the communicator (trailing int64_t argument).
    AttnDistributeRingPassOptions ringOptions;
    ringOptions.communicator = "argument";
    distribute.addPass(createAttnDistributeRingPass(ringOptions));
    if (failed(distribute.run(module)))
      return 1;
    for (auto func : module.getOps<func::FuncOp>())
      if (auto attr = func->getAttrOfType<DictionaryAttr>("attn.distributed"))
        if (auto mode = attr.getAs<StringAttr>("mode"))
          if (auto layout = attr.getAs<StringAttr>("layout"))
            distributionLayouts[func.getSymName().str()] =
                (mode.getValue() + " mode, " + layout.getValue() + " layout")
                    .str();
  }

  // The exported functions and their C signatures.
  SmallVector<func::FuncOp> publicFuncs;
  for (auto func : module.getOps<func::FuncOp>())
    if (func.isPublic() && !func.isExternal())
      publicFuncs.push_back(func);
  if (publicFuncs.empty()) {
    module.emitError("no public function with a body to export");
    return 1;
  }
  FailureOr<std::vector<ExportedFunction>> exported =
      prepareExport(module, publicFuncs);
  if (failed(exported))
    return 1;

  AttnCPUPipelineOptions options;
  pipelineFlags.setPipelineOptions(options, threads, cpu->vectorBits);
  options.raise = raise;
  options.runtimeChecks = runtimeChecks;
  if (distributed)
    options.distribute = Distribution::Ring;
  PassManager pm(&context);
  if (target == "gpu")
    buildAttnGPUPipeline(pm, gpuOptions);
  else
    buildAttnCPUPipeline(pm, options);
  if (failed(pm.run(module)) || failed(buildCWrappers(module, *exported)))
    return 1;
  std::vector<GpuKernelModule> kernels = getGpuKernelModules(module);

  llvm::LLVMContext llvmContext;
  llvm::Expected<std::unique_ptr<llvm::Module>> llvmModule =
      translateForTarget(module, llvmContext, *cpu, inputFile);
  if (!llvmModule)
    return fail(llvmModule.takeError());
  if (llvm::Error err = optimizeModule(**llvmModule, *cpu))
    return fail(std::move(err));
  std::string objPath = outputBase + ".o", soPath = outputBase + ".so",
              headerPath = outputBase + ".h";
  if (llvm::Error err = writeObjectFile(**llvmModule, *cpu, objPath))
    return fail(std::move(err));
  std::vector<std::string> extraLibraries;
  if (target == "gpu")
    extraLibraries.push_back(getCudaRuntimeLibraryPath());
#ifdef ATTN_MPI_LIBRARY
  if (distributed)
    extraLibraries.push_back(ATTN_MPI_LIBRARY);
#endif
  if (llvm::Error err =
          linkSharedLibrary(objPath, soPath, threads > 1 && target == "cpu",
                            usesRunnerUtils(**llvmModule), extraLibraries))
    return fail(std::move(err));
  if (target == "gpu") {
    std::string ptxas;
    if (llvm::ErrorOr<std::string> path = llvm::sys::findProgramByName(
            "ptxas", {gpuOptions.cudaPath.getValue() + "/bin"}))
      ptxas = *path;
    if (llvm::Error err =
            writeGpuKernelFiles(kernels, outputBase, chip, ptxas))
      return fail(std::move(err));
  }

  std::error_code ec;
  llvm::ToolOutputFile header(headerPath, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return fail("cannot write '" + headerPath + "': " + ec.message());
  CHeaderInfo info;
  info.inputName = inputFile;
  info.guardBase = llvm::sys::path::filename(outputBase).str();
  if (target == "gpu")
    info.optionsSummary =
        ("--target=gpu --chip=" + chip + " --strategy=" +
         getStrategyName(gpuOptions.strategy) + " --tile-q=" +
         Twine(gpuOptions.tileQ) + " --tile-kv=" + Twine(gpuOptions.tileKv) +
         " (" + Twine(gpuOptions.warps) + " warps per block); host code for " +
         cpu->cpu)
            .str();
  else
    info.optionsSummary =
        ("--target=cpu --cpu=" + cpuName + " (" + cpu->cpu +
         ") --strategy=" + getStrategyName(options.strategy) +
         "\n *   --tile-q=" + Twine(options.tileQ) +
         " --tile-kv=" + Twine(options.tileKv) + " --num-splits=" +
         Twine(options.numSplits) + " --threads=" + Twine(threads) +
         " --vector-bits=" + Twine(options.vectorBits) +
         (runtimeChecks ? " --runtime-checks" : "") +
         (options.llvmUnroll ? " --llvm-unroll" : "") +
         (options.packGqa ? "" : " --pack-gqa=false"))
            .str();
  info.deviceArrays = target == "gpu";
  if (threads > 1 && target == "cpu")
    info.threading = "Each call runs its tile loops on an OpenMP team of " +
                     std::to_string(threads) + " threads (libomp).";
  for (const auto &[name, layout] : distributionLayouts)
    info.distribution[name] =
        "Distributed (--distributed=ring, " + layout +
        "): every rank of a communicator calls it together (MPI "
        "initialised, MPI_THREAD_FUNNELED or more) with its shard of the "
        "sequence. The last int64_t argument before the results is that "
        "communicator's handle: (int64_t)(intptr_t)comm with OpenMPI, "
        "whose MPI_Comm is a pointer. Tags 0 and 1 of the communicator "
        "are used. A sequence of L rows is cut into "
        "C chunks, chunk c holding rows [c*L/C, (c+1)*L/C) (integer "
        "division). Ring mode: q, k, v, the mask's rows, out and lse are "
        "sharded along the sequence; contiguous layout: C = P and rank r "
        "holds chunk r; zigzag layout: C = 2P and rank r holds chunks r and "
        "2P-1-r, in this order. Decode mode: q, out and lse are whole on "
        "every rank; k, v and the mask's key columns are sharded with the "
        "contiguous layout. kv_lens is whole everywhere.";
  writeCHeader(header.os(), *exported, info);
  header.keep();
  return 0;
}

static constexpr const char *overview =
    "compile every public function of an MLIR file with attn-cpu-pipeline "
    "into <out>.o, <out>.so and a C header <out>.h";

int main(int argc, char **argv) {
  return runToolMain(argc, argv, "attn-compile", compileCategory, overview,
                     threads, compileMain);
}
