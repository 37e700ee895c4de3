//===- ToolSupport.cpp - What attn-run and attn-compile share -------------===//
//
// Implements the command line, registry, input and error plumbing of the
// tools.
//
//===----------------------------------------------------------------------===//

#include "attn/Tools/ToolSupport.h"
#include "attn/Transforms/Transforms.h"

#include "attn/Dialect/Attn/IR/AttnDialect.h"
#include "attn/Pipelines/PipelineFlags.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;
using namespace mlir::attn;

int mlir::attn::reportToolError(StringRef toolName, const Twine &message) {
  llvm::WithColor::error(llvm::errs(), toolName) << message << "\n";
  return 1;
}

int mlir::attn::reportToolError(StringRef toolName, llvm::Error error) {
  return reportToolError(toolName, llvm::toString(std::move(error)));
}

bool mlir::attn::parseToolCommandLine(int argc, char **argv,
                                      StringRef toolName,
                                      llvm::cl::OptionCategory &category,
                                      StringRef overview, int &threads) {
  SmallVector<const char *> args(argv, argv + argc);
  std::string threadsError;
  if (!extractThreadsArgument(args, threads, threadsError)) {
    reportToolError(toolName, threadsError);
    return false;
  }
  llvm::cl::HideUnrelatedOptions(category);
  std::string text =
      (toolName + ": " + overview +
       "\n\n  --threads=<N>  worker threads for the tile loops (default 1; "
       "N > 1 runs them as OpenMP parallel loops)\n")
          .str();
  llvm::cl::ParseCommandLineOptions(args.size(), args.data(), text);
  return true;
}

void mlir::attn::registerToolDialects(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  registry.insert<AttnDialect>();
  registerMpiMemoryEffectModels(registry);
}

int mlir::attn::runToolMain(int argc, char **argv, StringRef toolName,
                            llvm::cl::OptionCategory &category,
                            StringRef overview, int &threads,
                            function_ref<int(MLIRContext &)> body) {
  llvm::InitLLVM initLLVM(argc, argv);
  if (!parseToolCommandLine(argc, argv, toolName, category, overview,
                            threads))
    return 1;
  DialectRegistry registry;
  registerToolDialects(registry);
  MLIRContext context(registry);
  return body(context);
}

ToolInput::~ToolInput() = default;

std::unique_ptr<ToolInput> ToolInput::load(StringRef path, StringRef toolName,
                                           MLIRContext &context) {
  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> file =
      openInputFile(path, &errorMessage);
  if (!file) {
    reportToolError(toolName, errorMessage);
    return nullptr;
  }
  std::unique_ptr<ToolInput> input(new ToolInput());
  input->sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  input->handler = std::make_unique<SourceMgrDiagnosticHandler>(
      input->sourceMgr, &context);
  context.printOpOnDiagnostic(false);
  input->module = parseSourceFile<ModuleOp>(input->sourceMgr, &context);
  if (!input->module)
    return nullptr;
  return input;
}
