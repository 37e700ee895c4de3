//===- PipelineFlags.h - attn-cpu-pipeline options as tool flags -*- C++ -*-===//
//
// The options of attn-cpu-pipeline that the tools (attn-run, attn-compile)
// take on their command lines: one definition of their names, help texts
// and defaults.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_PIPELINES_PIPELINEFLAGS_H
#define ATTN_PIPELINES_PIPELINEFLAGS_H

#include "attn/Pipelines/Pipelines.h"

#include "llvm/Support/CommandLine.h"

namespace mlir {
namespace attn {

/// Command-line flags of a tool for the attention strategy and its sizes.
/// `--threads` is not one of them: see extractThreadsArgument.
struct PipelineFlags {
  explicit PipelineFlags(llvm::cl::OptionCategory &category);

  llvm::cl::opt<Strategy> strategy;
  llvm::cl::opt<int64_t> tileQ;
  llvm::cl::opt<int64_t> tileKv;
  llvm::cl::opt<int64_t> numSplits;
  /// -1 (the default) means "from the target CPU".
  llvm::cl::opt<int64_t> vectorBits;
};

/// The option value of `strategy` ("flash", "split-kv", "unfused").
llvm::StringRef getStrategyName(Strategy strategy);

} // namespace attn
} // namespace mlir

#endif // ATTN_PIPELINES_PIPELINEFLAGS_H
