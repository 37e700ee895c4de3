//===- PipelineFlags.h - pipeline options as tool flags ---------*- C++ -*-===//
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
#include "llvm/Support/Error.h"

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
  /// The pipeline option `pack-gqa`.
  llvm::cl::opt<bool> packGqa;
  /// The pipeline option `llvm-unroll`.
  llvm::cl::opt<bool> llvmUnroll;

  /// Checks the flags and `threads` (the one rule per option both tools
  /// apply): tiles >= 1, splits >= 0, vector-bits 0, 128, 256 or 512 (or
  /// unset), threads >= 1.
  llvm::Error validate(int64_t threads) const;

  /// Sets the pipeline options the (validated) flags select; an unset
  /// vector-bits becomes `targetVectorBits`, the target CPU's width.
  void setPipelineOptions(AttnCPUPipelineOptions &options, int64_t threads,
                          int64_t targetVectorBits) const;
};

/// Removes `--threads=N` (or `--threads N`) from a tool's `args` and stores
/// N in `threads`: libLLVM already registers a global `threads` option, so
/// the tools read this pipeline option before LLVM's parser. Returns false
/// with `error` set when N is not an integer.
bool extractThreadsArgument(llvm::SmallVectorImpl<const char *> &args,
                            int &threads, std::string &error);

/// The option value of `strategy` ("flash", "split-kv", "unfused").
llvm::StringRef getStrategyName(Strategy strategy);

} // namespace attn
} // namespace mlir

#endif // ATTN_PIPELINES_PIPELINEFLAGS_H
