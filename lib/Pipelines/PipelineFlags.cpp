//===- PipelineFlags.cpp - attn-cpu-pipeline options as tool flags --------===//
//
// The command-line flags through which attn-run and attn-compile choose the
// pipeline's strategy and sizes, their one validation, and their
// translation into AttnCPUPipelineOptions.
//
//===----------------------------------------------------------------------===//

#include "attn/Pipelines/PipelineFlags.h"
#include "attn/Transforms/Transforms.h"

using namespace mlir;
using namespace mlir::attn;

namespace cl = llvm::cl;

mlir::attn::PipelineFlags::PipelineFlags(cl::OptionCategory &category)
    : strategy("strategy", cl::desc("Attention strategy of attn-cpu-pipeline"),
               cl::values(clEnumValN(Strategy::Unfused, "unfused",
                                     "materialise the scores (reference "
                                     "strategy)"),
                          clEnumValN(Strategy::Flash, "flash",
                                     "FlashAttention tiling with online "
                                     "softmax"),
                          clEnumValN(Strategy::SplitKv, "split-kv",
                                     "key partitions combined by "
                                     "log-sum-exp")),
               cl::init(Strategy::Flash), cl::cat(category)),
      tileQ("tile-q", cl::desc("Queries per tile (strategy=flash)"),
            cl::init(64), cl::cat(category)),
      tileKv("tile-kv", cl::desc("Keys per block (strategy=flash|split-kv)"),
             cl::init(128), cl::cat(category)),
      numSplits("num-splits",
                cl::desc("Key partitions (strategy=split-kv; 0: chosen from "
                         "the sizes)"),
                cl::init(0), cl::cat(category)),
      vectorBits("vector-bits",
                 cl::desc("Vector register width the tile loops are "
                          "vectorised for (default: the target CPU's, 512 "
                          "with AVX-512F, 256 with AVX2, else 128; 0: scalar "
                          "loops)"),
                 cl::init(-1), cl::cat(category)),
      packGqa("pack-gqa",
              cl::desc("Process the query heads sharing a K/V head together "
                       "when decoding (pipeline option pack-gqa; "
                       "--pack-gqa=false tiles every query head alone)"),
              cl::init(true), cl::cat(category)),
      llvmUnroll("llvm-unroll",
                 cl::desc("Let LLVM unroll every loop (default: only the "
                          "loops carrying vectors; pipeline option "
                          "llvm-unroll)"),
                 cl::init(false), cl::cat(category)) {}

StringRef mlir::attn::getStrategyName(Strategy strategy) {
  switch (strategy) {
  case Strategy::Unfused:
    return "unfused";
  case Strategy::Flash:
    return "flash";
  case Strategy::SplitKv:
    return "split-kv";
  }
  llvm_unreachable("unknown strategy");
}

bool mlir::attn::extractThreadsArgument(
    llvm::SmallVectorImpl<const char *> &args, int &threads,
    std::string &error) {
  for (size_t i = 1; i < args.size();) {
    StringRef arg = StringRef(args[i]).ltrim('-');
    StringRef value;
    size_t count = 1;
    if (arg.consume_front("threads=")) {
      value = arg;
    } else if (arg == "threads" && i + 1 < args.size()) {
      value = args[i + 1];
      count = 2;
    } else {
      ++i;
      continue;
    }
    if (value.getAsInteger(10, threads)) {
      error = ("--threads expects an integer, got '" + value + "'").str();
      return false;
    }
    args.erase(args.begin() + i, args.begin() + i + count);
  }
  return true;
}

static llvm::Error makeError(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Error PipelineFlags::validate(int64_t threads) const {
  if (threads < 1 || threads > kMaxThreads)
    return makeError("--threads must be in [1, " + Twine(kMaxThreads) +
                     "], got " + Twine(threads));
  if (tileQ < 1 || tileKv < 1 || numSplits < 0)
    return makeError("--tile-q and --tile-kv must be >= 1, --num-splits >= 0");
  if (vectorBits != -1 && !isValidVectorBits(vectorBits))
    return makeError("--vector-bits must be 0, 128, 256 or 512, got " +
                     Twine(int64_t(vectorBits)));
  return llvm::Error::success();
}

void PipelineFlags::setPipelineOptions(AttnCPUPipelineOptions &options,
                                       int64_t threads,
                                       int64_t targetVectorBits) const {
  options.strategy = strategy.getValue();
  options.tileQ = tileQ.getValue();
  options.tileKv = tileKv.getValue();
  options.numSplits = numSplits.getValue();
  options.threads = threads;
  options.vectorBits =
      vectorBits >= 0 ? vectorBits.getValue() : targetVectorBits;
  options.llvmUnroll = llvmUnroll.getValue();
  options.packGqa = packGqa.getValue();
}
