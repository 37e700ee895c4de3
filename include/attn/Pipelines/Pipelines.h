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
#include "llvm/Support/Error.h"

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

/// How attention is spread over processes.
enum class Distribution {
  /// One process.
  None,
  /// Along the sequence across MPI ranks (attn-distribute-ring).
  Ring,
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
  Option<bool> packGqa{
      *this, "pack-gqa",
      llvm::cl::desc("Process the query heads sharing a K/V head together "
                     "when decoding (attn-pack-gqa, at most 16 query rows): "
                     "each K/V block is read once per group"),
      llvm::cl::init(true)};
  Option<bool> llvmUnroll{
      *this, "llvm-unroll",
      llvm::cl::desc("Let LLVM unroll every loop as its heuristics decide; "
                     "false (the default) runs attn-limit-llvm-unroll "
                     "before the loops become branches, so that only the "
                     "loops carrying vectors are unrolled (LLVM's runtime "
                     "unrolling of the scalar loops of a dynamic-length "
                     "nest costs seconds of compile time)"),
      llvm::cl::init(false)};
  Option<Distribution> distribute{
      *this, "distribute",
      llvm::cl::desc("Spread attention over processes"),
      llvm::cl::init(Distribution::None),
      llvm::cl::values(
          clEnumValN(Distribution::None, "none", "one process; the default"),
          clEnumValN(Distribution::Ring, "ring",
                     "along the sequence across the MPI ranks of "
                     "MPI_COMM_WORLD: ring attention, or split keys for "
                     "decoding (attn-distribute-ring); `strategy` computes "
                     "each rank's blocks; the program needs the MPI "
                     "library"))};
};

/// Options of `attn-gpu-pipeline`.
struct AttnGPUPipelineOptions
    : public PassPipelineOptions<AttnGPUPipelineOptions> {
  Option<std::string> chip{
      *this, "chip",
      llvm::cl::desc("NVIDIA GPU to compile for: sm_80 (Ampere), sm_90 or "
                     "sm_90a (Hopper)"),
      llvm::cl::init("sm_80")};
  Option<Strategy> strategy{
      *this, "strategy",
      llvm::cl::desc("How attention ops are turned into kernels (flash only "
                     "so far)"),
      llvm::cl::init(Strategy::Flash),
      llvm::cl::values(
          clEnumValN(Strategy::Flash, "flash",
                     "one block per (batch, head, query tile), online "
                     "softmax over key blocks (attn-tile-flash)"),
          clEnumValN(Strategy::SplitKv, "split-kv",
                     "key partitions combined by log-sum-exp (not "
                     "implemented on GPU yet: an error)"))};
  Option<bool> raise{
      *this, "raise",
      llvm::cl::desc("Raise attention written in TOSA or linalg to attn.sdpa "
                     "first, as attn-cpu-pipeline does"),
      llvm::cl::init(true)};
  Option<int64_t> tileQ{*this, "tile-q",
                        llvm::cl::desc("Queries per block"),
                        llvm::cl::init(32)};
  Option<int64_t> tileKv{
      *this, "tile-kv",
      llvm::cl::desc("Keys per online-softmax step of a block"),
      llvm::cl::init(16)};
  Option<int64_t> warps{*this, "warps",
                        llvm::cl::desc("Warps (of 32 threads) per block"),
                        llvm::cl::init(4)};
  Option<int64_t> stages{
      *this, "stages",
      llvm::cl::desc("Shared-memory buffers of the K/V pipeline (only 1, no "
                     "multi-stage cp.async buffering yet)"),
      llvm::cl::init(1)};
  Option<bool> tensorCores{
      *this, "tensor-cores",
      llvm::cl::desc("QKᵀ and P·V of f16/bf16 as mma.sync m16n8k16 (f32 "
                     "accumulation) where their tile sizes allow it; "
                     "otherwise, and for f32, SIMT"),
      llvm::cl::init(true)};
  Option<int64_t> minBlocksPerSm{
      *this, "min-blocks-per-sm",
      llvm::cl::desc("Blocks per SM the kernels must allow (PTX "
                     ".minnctapersm), ptxas' occupancy target; 0 leaves "
                     "ptxas to its heuristics (which spill on sm_90)"),
      llvm::cl::init(1)};
  Option<std::string> cudaPath{
      *this, "cuda-path",
      llvm::cl::desc("The CUDA toolkit whose libdevice is linked into the "
                     "kernels (it implements exp)"),
      llvm::cl::init("/usr/local/cuda")};
};

/// Adds to a function pass manager the raising both pipelines start with:
/// attention in TOSA and linalg raised to attn.sdpa (attn-raise-tosa,
/// attn-raise-linalg), the rest of TOSA lowered to linalg/arith/tensor.
void addAttnRaisingPasses(OpPassManager &funcPm);

/// Adds the one-shot bufferization both pipelines use: function boundaries
/// with identity layouts, loop-carried buffers that may be reallocated.
void addAttnBufferizePass(OpPassManager &pm);

/// Lowers attn ops (or upstream linalg/tensor/TOSA IR) down to the LLVM
/// dialect: raising, the chosen attention strategy, bufferization, loops,
/// LLVM. Nothing of the attn dialect survives.
void buildAttnCPUPipeline(OpPassManager &pm,
                          const AttnCPUPipelineOptions &options);

/// Lowers attn ops (or frontend IR) on tensors to a module with a
/// `gpu.binary` of PTX for `options.chip` (SIMT code: one block per
/// (batch, head, query tile), its tiles in shared memory, its tile
/// computations distributed over the block's threads) and host code that
/// launches it. Nothing of the attn dialect survives.
void buildAttnGPUPipeline(OpPassManager &pm,
                          const AttnGPUPipelineOptions &options);

/// Checks the options of attn-gpu-pipeline: a supported chip, the flash
/// strategy, positive tiles, 1 to 32 warps, one stage, a CUDA toolkit with
/// libdevice at cuda-path.
/// The most threads attn-cpu-pipeline (and --threads) accepts: more are
/// refused rather than handed to the OpenMP runtime, which aborts when it
/// cannot create them.
constexpr int64_t kMaxThreads = 1024;

/// Checks the values of attn-cpu-pipeline's options (threads in [1,
/// kMaxThreads], tile sizes >= 1, num-splits >= 0, vector-bits 0, 128, 256
/// or 512); attn-opt checks them when it parses the pipeline.
llvm::Error validateAttnCPUPipelineOptions(const AttnCPUPipelineOptions &o);

llvm::Error validateAttnGPUPipelineOptions(const AttnGPUPipelineOptions &o);

/// The PTX ISA feature of `chip` ("+ptx70" for sm_80, "+ptx80" for sm_90 and
/// sm_90a), or empty for a chip Attn does not support.
StringRef getPtxFeatures(StringRef chip);

/// Registers `attn-cpu-pipeline` and `attn-gpu-pipeline`.
void registerAttnPipelines();

} // namespace attn
} // namespace mlir

#endif // ATTN_PIPELINES_PIPELINES_H
