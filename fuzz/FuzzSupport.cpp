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
#include "llvm/ADT/StringExtras.h"
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

/// Whether `source` has a file-metadata section ("{-#") in which a string
/// literal runs to the end of the input.
static bool hasUnterminatedMetadataString(StringRef source) {
  size_t start = source.find("{-#");
  if (start == StringRef::npos)
    return false;
  bool inString = false;
  for (size_t i = start; i < source.size(); ++i) {
    if (inString && source[i] == '\\')
      ++i;
    else if (source[i] == '"')
      inString = !inString;
  }
  return inString;
}

/// Whether a linalg.transpose, linalg.broadcast or linalg.reduce line of
/// `source` has a `permutation`/`dimensions` list that is not a well-formed
/// list of integers: MLIR 22.1's parsers of these ops go on after failing to
/// parse it and store a null attribute (mlir-opt segfaults on
/// `permutation = [1, x]` too).
static bool hasMalformedLinalgDims(StringRef source) {
  SmallVector<StringRef> lines;
  source.split(lines, '\n');
  for (StringRef line : lines) {
    if (!line.contains("linalg.transpose") &&
        !line.contains("linalg.broadcast") && !line.contains("linalg.reduce"))
      continue;
    for (StringRef key : {"permutation", "dimensions"}) {
      size_t at = line.find(key);
      if (at == StringRef::npos)
        continue;
      StringRef rest = line.drop_front(at + key.size()).ltrim(" \t\r");
      if (!rest.consume_front("="))
        return true;
      rest = rest.ltrim(" \t\r");
      if (!rest.consume_front("["))
        return true;
      size_t end = rest.find(']');
      if (end == StringRef::npos)
        return true;
      // A well-formed list: integers separated by commas, or nothing.
      StringRef list = rest.take_front(end).trim(" ");
      SmallVector<StringRef> items;
      list.split(items, ',');
      int64_t value;
      if (!list.empty() && llvm::any_of(items, [&](StringRef item) {
            return item.trim(" ").getAsInteger(10, value);
          }))
        return true;
    }
  }
  return false;
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
  // Two known upstream parser faults that fuzzing would otherwise find over
  // and over (docs/Reliability.md): an empty StringRef with a null data
  // pointer matches the parser's (null) code-completion location and
  // crashes in code completion, so the input is copied (the tools always
  // pass a buffer); and a file that ends inside a string literal of its
  // file-metadata section ({-# dialect_resources ... #-}) makes the lexer
  // scan on past the terminating NUL until it faults (the family of
  // llvm-project#154462). Such inputs are skipped, as are malformed
  // `permutation`/`dimensions` lists of linalg.transpose/broadcast/reduce
  // (see hasMalformedLinalgDims).
  if (hasUnterminatedMetadataString(source))
    return stage("skipped: unterminated string in {-# #-} (upstream)");
  if (hasMalformedLinalgDims(source))
    return stage("skipped: malformed linalg permutation/dimensions "
                 "(upstream)");
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
