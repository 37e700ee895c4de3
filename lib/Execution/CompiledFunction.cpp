//===- CompiledFunction.cpp - Calling compiled code through the C ABI -----===//
//
// Compiles one function for the host with the export path of attn-compile
// (pipeline, C entry, the same translation to LLVM IR) and runs it with the
// MLIR ExecutionEngine, or resolves the C entry from a shared library that
// attn-compile wrote; either way the call goes through the wrapper ABI:
// input pointers, output pointers, dynamic sizes, an int status.
//
//===----------------------------------------------------------------------===//

#include "attn/Execution/Execution.h"

#ifdef ATTN_HAVE_CUDA_RUNTIME
#include "attn/Runtime/Cuda.h"
#endif

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::runtime;

static llvm::Error makeError(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Turns the diagnostics emitted while `fn` runs into one error message.
static llvm::Error collectDiagnostics(MLIRContext *ctx,
                                      function_ref<LogicalResult()> fn,
                                      const Twine &what) {
  std::string messages;
  LogicalResult result = success();
  {
    ScopedDiagnosticHandler handler(ctx, [&](Diagnostic &diag) {
      if (diag.getSeverity() == DiagnosticSeverity::Error)
        messages += (messages.empty() ? "" : "; ") + diag.str();
      return success();
    });
    result = fn();
  }
  if (succeeded(result))
    return llvm::Error::success();
  return makeError(what + (messages.empty() ? "" : ": " + messages));
}

CompiledFunction::CompiledFunction(ExportedFunction signature,
                                   std::unique_ptr<ExecutionEngine> engine,
                                   std::string entrySymbol)
    : signature(std::move(signature)), engine(std::move(engine)),
      entrySymbol(std::move(entrySymbol)) {
  kernelSignature = mlir::attn::getKernelSignature(this->signature);
}

CompiledFunction::~CompiledFunction() = default;

llvm::Expected<ExportedFunction> CompiledFunction::lower(
    ModuleOp module, StringRef entry,
    function_ref<void(OpPassManager &)> buildPipeline) {
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  if (!func || func.isExternal())
    return makeError("no function named '@" + entry + "' with a body");
  // Only the entry and what it calls are compiled: other functions become
  // private and symbol-dce drops those nothing references.
  for (auto other : module.getOps<func::FuncOp>())
    if (other != func && !other.isExternal())
      other.setPrivate();
  func.setPublic();
  FailureOr<std::vector<ExportedFunction>> exported =
      prepareExport(module, {func}, /*requireCName=*/false);
  if (failed(exported))
    return makeError("@" + entry + " cannot be called through the C ABI");

  // Diagnostics of the pipeline go to the context's handler (located in
  // the input), as in attn-compile.
  PassManager pm(module.getContext());
  pm.addPass(createSymbolDCEPass());
  buildPipeline(pm);
  if (failed(pm.run(module)))
    return makeError("lowering @" + entry + " failed");
  if (failed(buildCWrappers(module, *exported)))
    return makeError("building the C entry of @" + entry + " failed");
  return std::move((*exported)[0]);
}

llvm::Expected<std::unique_ptr<CompiledFunction>>
CompiledFunction::jit(ModuleOp module, ExportedFunction signature,
                      CpuTarget target, ArrayRef<StringRef> sharedLibs) {
  // The same LLVM module attn-compile writes as an object file. The
  // transformer (the LLVM optimisation pipeline) runs when the module is
  // materialised, so the target and the transformer live in the
  // CompiledFunction.
  std::unique_ptr<CompiledFunction> compiled(
      new CompiledFunction(std::move(signature), nullptr, ""));
  compiled->entrySymbol = compiled->signature.name;
  compiled->target = std::make_unique<CpuTarget>(std::move(target));
  const CpuTarget &cpu = *compiled->target;
  std::string translationError;
  auto builder = [&](Operation *op, llvm::LLVMContext &llvmContext)
      -> std::unique_ptr<llvm::Module> {
    llvm::Expected<std::unique_ptr<llvm::Module>> llvmModule =
        translateForTarget(cast<ModuleOp>(op), llvmContext, cpu, "attn");
    if (!llvmModule) {
      translationError = llvm::toString(llvmModule.takeError());
      return nullptr;
    }
    return std::move(*llvmModule);
  };
  compiled->transformer = [&cpu](llvm::Module *m) {
    return optimizeModule(*m, cpu);
  };
  ExecutionEngineOptions engineOptions;
  engineOptions.llvmModuleBuilder = builder;
  engineOptions.transformer = compiled->transformer;
  engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  engineOptions.sharedLibPaths = sharedLibs;
  compiled->memoryMapper = createJitMemoryMapper();
  engineOptions.sectionMemoryMapper = compiled->memoryMapper.get();
  auto engine = ExecutionEngine::create(module, engineOptions,
                                        createTargetMachine(cpu));
  if (!engine)
    return makeError("JIT compilation failed: " +
                     (translationError.empty()
                          ? llvm::toString(engine.takeError())
                          : translationError));
  compiled->engine = std::move(*engine);
  // The engine optimises and generates code on the first lookup: do it now,
  // so that compilation ends here (and its time is the caller's compile
  // time, not the first call's).
  if (llvm::Error err =
          compiled->engine->lookupPacked(compiled->entrySymbol).takeError())
    return makeError("JIT compilation failed: " +
                     llvm::toString(std::move(err)));
  return compiled;
}

llvm::Expected<std::unique_ptr<CompiledFunction>>
CompiledFunction::compile(ModuleOp module, StringRef entry,
                          const AttnCPUPipelineOptions &options,
                          CpuTarget target) {
  llvm::Expected<ExportedFunction> signature =
      lower(module, entry, [&](OpPassManager &pm) {
        buildAttnCPUPipeline(pm, options);
      });
  if (!signature)
    return signature.takeError();
  SmallVector<StringRef> libs = {getRunnerUtilsLibraryPath()};
  if (options.threads > 1)
    libs.push_back(getOpenMPLibraryPath());
  return jit(module, std::move(*signature), std::move(target), libs);
}

llvm::Expected<std::unique_ptr<CompiledFunction>>
CompiledFunction::load(ModuleOp module, StringRef entry,
                       StringRef libraryPath) {
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  if (!func || func.isExternal())
    return makeError("no function named '@" + entry + "' with a body");
  FailureOr<std::vector<ExportedFunction>> exported =
      prepareExport(module, {func}, /*requireCName=*/true);
  if (failed(exported))
    return makeError("@" + entry + " cannot be called through the C ABI");
  const ExportedFunction &signature = (*exported)[0];
  // dlopen searches the library paths for a name without a slash.
  SmallString<256> absolutePath(libraryPath);
  llvm::sys::fs::make_absolute(absolutePath);
  std::string loadError;
  llvm::sys::DynamicLibrary lib =
      llvm::sys::DynamicLibrary::getPermanentLibrary(absolutePath.c_str(),
                                                     &loadError);
  if (!lib.isValid())
    return makeError("cannot load '" + libraryPath + "': " + loadError);
  if (!lib.getAddressOfSymbol(signature.name.c_str()))
    return makeError("cannot load '" + libraryPath + "': it has no entry '" +
                     signature.name +
                     "' (is it attn-compile's library of this file?)");

  // A trampoline, JIT-compiled, calls the entry of the library: the
  // ExecutionEngine resolves it there and gives the trampoline the packed
  // form that `call` uses.
  MLIRContext *ctx = module.getContext();
  ctx->loadDialect<LLVM::LLVMDialect>();
  OpBuilder b(ctx);
  Location loc = UnknownLoc::get(ctx);
  OwningOpRef<ModuleOp> callModule = ModuleOp::create(loc);
  b.setInsertionPointToEnd(callModule->getBody());
  LLVM::LLVMFunctionType type = getCFunctionType(ctx, signature);
  auto callee = LLVM::LLVMFuncOp::create(b, loc, signature.name, type);
  std::string trampolineName = "__attn_call_" + signature.name;
  auto trampoline = LLVM::LLVMFuncOp::create(b, loc, trampolineName, type);
  Block *body = trampoline.addEntryBlock(b);
  b.setInsertionPointToStart(body);
  auto call = LLVM::CallOp::create(b, loc, callee, body->getArguments());
  LLVM::ReturnOp::create(b, loc, call.getResult());
  if (llvm::Error err = collectDiagnostics(
          ctx, [&] { return verify(*callModule); }, "internal error"))
    return std::move(err);

  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  ExecutionEngineOptions engineOptions;
  SmallVector<StringRef> libs = {absolutePath};
  engineOptions.sharedLibPaths = libs;
  std::unique_ptr<llvm::SectionMemoryManager::MemoryMapper> mapper =
      createJitMemoryMapper();
  engineOptions.sectionMemoryMapper = mapper.get();
  auto engine = ExecutionEngine::create(*callModule, engineOptions);
  if (!engine)
    return makeError("cannot load '" + libraryPath +
                     "': " + llvm::toString(engine.takeError()));
  if (llvm::Error err = (*engine)->lookup(trampolineName).takeError())
    return makeError("cannot load '" + libraryPath +
                     "': " + llvm::toString(std::move(err)));
  std::unique_ptr<CompiledFunction> loaded(
      new CompiledFunction(signature, nullptr, trampolineName));
  loaded->memoryMapper = std::move(mapper);
  loaded->engine = std::move(*engine);
  return loaded;
}

namespace {
/// While alive, turns the abort of a failed run-time check (cf.assert from
/// `runtime-checks`) into a one-line error and exit status 1 instead of a
/// crash report. The check's own message, naming the op, precedes it.
class RuntimeCheckGuard {
public:
  explicit RuntimeCheckGuard(bool enabled) : enabled(enabled) {
    if (!enabled)
      return;
    struct sigaction action = {};
    action.sa_handler = [](int) {
      std::fflush(stdout);
      static const char message[] =
          "attn-run: error: the compiled function failed a run-time check: "
          "its inputs have inconsistent sizes\n";
      (void)!write(STDERR_FILENO, message, sizeof(message) - 1);
      _exit(1);
    };
    sigaction(SIGABRT, &action, &previous);
  }
  ~RuntimeCheckGuard() {
    if (enabled)
      sigaction(SIGABRT, &previous, nullptr);
  }

private:
  bool enabled;
  struct sigaction previous = {};
};
} // namespace

bool CompiledFunction::launch(PackedCall &call, std::string &error) {
  RuntimeCheckGuard guard(trapAborts);
  if (llvm::Error err = engine->invokePacked(
          entrySymbol, MutableArrayRef<void *>(call.getArguments(),
                                               call.getNumArguments()))) {
    error = "cannot call @" + signature.name + ": " +
            llvm::toString(std::move(err));
    return false;
  }
  return true;
}

llvm::Expected<std::vector<HostBuffer>>
CompiledFunction::call(const std::vector<HostBuffer> &inputs,
                       bool trapAborts) {
  this->trapAborts = trapAborts;
  std::vector<HostBuffer> results;
  std::string error;
  if (!runKernel(*this, inputs, results, error))
    return makeError(error);
  return results;
}

llvm::Expected<std::vector<HostBuffer>>
CompiledFunction::callOnDevice(const std::vector<HostBuffer> &inputs,
                               double *launchMs) {
#ifndef ATTN_HAVE_CUDA_RUNTIME
  return makeError("Attn was built without the CUDA runtime (cuda.h was not "
                   "found)");
#else
  std::vector<std::vector<int64_t>> shapes;
  std::string error;
  if (!kernelSignature.getResultShapes(inputs, shapes, error))
    return makeError(error);
  std::vector<HostBuffer> results;
  for (size_t r = 0; r < shapes.size(); ++r)
    results.emplace_back(kernelSignature.results[r].kind, shapes[r]);

  // Device copies of the arrays; scalars stay on the host (by value).
  std::vector<CudaBuffer> device;
  device.reserve(inputs.size() + results.size());
  std::vector<void *> argPointers, resultPointers;
  for (auto [i, input] : llvm::enumerate(inputs)) {
    if (!kernelSignature.args[i].isArray) {
      argPointers.push_back(const_cast<void *>(input.getData()));
      continue;
    }
    device.emplace_back();
    if (!device.back().allocate(input.getNumBytes(), error) ||
        !device.back().copyFromHost(input, error))
      return makeError(error);
    argPointers.push_back(device.back().getPointer());
  }
  size_t firstResult = device.size();
  for (HostBuffer &result : results) {
    device.emplace_back();
    if (!device.back().allocate(result.getNumBytes(), error))
      return makeError(error);
    resultPointers.push_back(device.back().getPointer());
  }
  std::vector<std::vector<int64_t>> argShapes;
  for (const HostBuffer &input : inputs)
    argShapes.push_back(input.getShape());
  PackedCall call(kernelSignature, argPointers, resultPointers, argShapes);
  auto start = std::chrono::steady_clock::now();
  if (!launch(call, error))
    return makeError(error);
  auto stop = std::chrono::steady_clock::now();
  if (launchMs)
    *launchMs =
        std::chrono::duration<double, std::milli>(stop - start).count();
  if (call.getStatus() != 0)
    return makeError("@" + signature.name + " returned status " +
                     Twine(call.getStatus()) +
                     ": a result's size differs from the one derived from "
                     "the sizes of the arguments");
  for (auto [r, result] : llvm::enumerate(results))
    if (!device[firstResult + r].copyToHost(result, error))
      return makeError(error);
  return results;
#endif
}

runtime::KernelSignature
mlir::attn::getKernelSignature(const ExportedFunction &exported) {
  auto getPort = [](const ExportedPort &port) {
    KernelPort kernelPort;
    kernelPort.isArray = port.isTensor;
    // describeExportedFunction admits only element types with a kind.
    kernelPort.kind = *getElementKind(port.elementType);
    for (int64_t size : port.shape)
      kernelPort.shape.push_back(ShapedType::isDynamic(size) ? -1 : size);
    return kernelPort;
  };
  KernelSignature signature;
  signature.name = exported.name;
  for (const ExportedPort &arg : exported.args)
    signature.args.push_back(getPort(arg));
  for (const ExportedPort &result : exported.results)
    signature.results.push_back(getPort(result));
  for (const DimParam &param : exported.dimParams)
    signature.dimParams.push_back({param.arg, param.dim});
  for (auto [r, dims] : llvm::enumerate(exported.resultDims)) {
    std::vector<int64_t> params;
    for (auto [d, source] : llvm::enumerate(dims)) {
      params.push_back(source.param);
      // A dynamic size may still fold to a constant.
      if (source.param < 0)
        signature.results[r].shape[d] = source.constant;
    }
    signature.resultDimParams.push_back(std::move(params));
  }
  return signature;
}

bool mlir::attn::probeGpu(std::string &reason) {
#ifdef ATTN_HAVE_CUDA_RUNTIME
  return probeCuda(reason);
#else
  reason = "Attn was built without the CUDA runtime (cuda.h was not found)";
  return false;
#endif
}

