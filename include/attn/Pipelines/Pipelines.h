//===- Pipelines.h - Attn compilation pipelines -----------------*- C++ -*-===//
//
// Declares the registered pipelines of Attn and their options. attn-opt
// registers them; attn-run and attn-compile (through lib/Execution and
// lib/Export) build the same pipelines through these functions.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_PIPELINES_PIPELINES_H
#define ATTN_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;

namespace attn {

/// How attention is turned into loops.
enum class Strategy {
  /// Materialise the scores; the reference strategy (attn-lower-unfused).
  Unfused,
  /// FlashAttention tiling with online softmax (attn-tile-flash).
  Flash,
  /// Key partitions combined by log-sum-exp, for decoding (attn-split-kv).
  SplitKv,
};

/// Options of `attn-cpu-pipeline`.
struct AttnCPUPipelineOptions
    : public PassPipelineOptions<AttnCPUPipelineOptions> {
  Option<Strategy> strategy{
      *this, "strategy",
      llvm::cl::desc("How attention ops are turned into loops"),
      llvm::cl::init(Strategy::Flash),
      llvm::cl::values(
          clEnumValN(Strategy::Unfused, "unfused",
                     "materialise the [B, Hq, Lq, Lk] scores "
                     "(attn-lower-unfused)"),
          clEnumValN(Strategy::Flash, "flash",
                     "tiles of queries, blocks of keys, online softmax "
                     "(attn-tile-flash); the default"),
          clEnumValN(Strategy::SplitKv, "split-kv",
                     "key partitions combined by log-sum-exp, for short "
                     "query sequences (attn-split-kv)"))};
  Option<bool> raise{
      *this, "raise",
      llvm::cl::desc("Raise attention written in TOSA or linalg to attn.sdpa "
                     "(attn-raise-tosa, attn-raise-linalg) before the "
                     "strategy; other TOSA is lowered to linalg"),
      llvm::cl::init(true)};
  Option<int64_t> tileQ{*this, "tile-q",
                        llvm::cl::desc("Queries per tile (strategy=flash)"),
                        llvm::cl::init(64)};
  Option<int64_t> tileKv{
      *this, "tile-kv",
      llvm::cl::desc("Keys per online-softmax block (strategy=flash)"),
      llvm::cl::init(128)};
  Option<int64_t> numSplits{
      *this, "num-splits",
      llvm::cl::desc("Key partitions (strategy=split-kv; 0: chosen from the "
                     "sizes)"),
      llvm::cl::init(0)};
  Option<int64_t> threads{
      *this, "threads",
      llvm::cl::desc("1: tile loops run sequentially; N > 1: they become "
                     "OpenMP worksharing loops on N threads (the program "
                     "then needs the OpenMP runtime, libomp)"),
      llvm::cl::init(1)};
  Option<int64_t> vectorBits{
      *this, "vector-bits",
      llvm::cl::desc("Width in bits of the target's vector registers (256 "
                     "for AVX2, 512 for AVX-512): the flash tile loops are "
                     "register-blocked and vectorised for it; 0 keeps "
                     "scalar loops"),
      llvm::cl::init(256)};
  Option<bool> runtimeChecks{
      *this, "runtime-checks",
      llvm::cl::desc("Verify at run time that dynamic sizes agree before "
                     "loops read (generate-runtime-verification): a mismatch "
                     "aborts with the location of the op"),
      llvm::cl::init(false)};
};

/// Lowers attn ops (or upstream linalg/tensor/TOSA IR) down to the LLVM
/// dialect: raising, the chosen attention strategy, bufferization, loops,
/// LLVM. Nothing of the attn dialect survives.
void buildAttnCPUPipeline(OpPassManager &pm,
                          const AttnCPUPipelineOptions &options);

/// Registers `attn-cpu-pipeline`.
void registerAttnPipelines();

} // namespace attn
} // namespace mlir

#endif // ATTN_PIPELINES_PIPELINES_H
