//===- FuzzSupport.cpp - Shared pieces of Attn's fuzz targets -------------===//

#include "FuzzSupport.h"

#include "attn/Pipelines/Pipelines.h"
#include "attn/Tools/ToolSupport.h"
#include "attn/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace mlir;

MLIRContext &mlir::attn::fuzz::getFuzzContext() {
  static MLIRContext *context = [] {
    registerAllPasses();
    registerAttnPasses();
    registerAttnPipelines();
    DialectRegistry registry;
    registerToolDialects(registry);
    auto *ctx = new MLIRContext(registry, MLIRContext::Threading::DISABLED);
    ctx->loadAllAvailableDialects();
    // Diagnostics are answers, not findings.
    ctx->getDiagEngine().registerHandler([](Diagnostic &) { return success(); });
    return ctx;
  }();
  return *context;
}

void mlir::attn::fuzz::parseAndRun(StringRef source, StringRef pipeline) {
  MLIRContext &context = getFuzzContext();
  ParserConfig config(&context);
  // ATTN_FUZZ_VERBOSE=1 says how far each input got (for tuning seeds and
  // generators; libFuzzer runs stay quiet).
  static const bool verbose = std::getenv("ATTN_FUZZ_VERBOSE");
  auto stage = [&](const char *what) {
    if (verbose)
      llvm::errs() << "fuzz: " << what << "\n";
  };
  // A copy, as the tools read files: MLIR's parser takes an empty StringRef
  // with a null data pointer for its code-completion location (also null)
  // and crashes in code completion. The tools never pass one.
  std::string text = source.str();
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(text, config, "fuzz-input");
  if (!module)
    return stage("does not parse");
  if (failed(verify(*module)))
    return stage("does not verify");
  if (pipeline.empty())
    return stage("verified");
  PassManager pm(&context);
  if (failed(parsePassPipeline(pipeline, pm)))
    return stage("bad pipeline");
  stage(succeeded(pm.run(*module)) ? "pipeline succeeded"
                                   : "pipeline failed");
}
