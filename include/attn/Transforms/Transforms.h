//===- Transforms.h - Attn transformation entry points ----------*- C++ -*-===//
//
// The reusable core of each Attn transformation: functions that rewrite one
// op (or, for attn-vectorize, the ops under a root) and report failure
// without touching the IR, the online-softmax builders that attn-tile-flash
// and attn-split-kv share, and the `populate...` functions that wrap the
// rewrites into patterns. The passes and the transform ops
// (transform.attn.tile_flash, transform.attn.split_kv,
// transform.attn.vectorize) are thin shells around these, so scripted and
// fixed strategies cannot drift apart.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_TRANSFORMS_TRANSFORMS_H
#define ATTN_TRANSFORMS_TRANSFORMS_H

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Runtime/RingLayout.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace attn {

/// Rewrites `op` into attn.linear / split_heads / scores / [mask] / softmax /
/// context / merge_heads / linear and returns the value replacing its result.
FailureOr<Value> decomposeMha(RewriterBase &rewriter, MhaOp op);

/// Fuses the chain scores → [mask] → softmax → context ending in `op` into
/// one attn.sdpa. On refusal, leaves the IR untouched and reports the reason
/// through `rewriter.notifyMatchFailure` on the blocking op.
FailureOr<SdpaOp> fuseToSdpa(RewriterBase &rewriter, ContextOp op);

/// Raises the attention whose P·V contraction is `op` (linalg.batch_matmul,
/// linalg.matmul or a linalg.generic contraction on tensors) to attn ops and
/// fuses them into one attn.sdpa. On refusal, leaves the IR untouched; a
/// candidate (a P·V whose P comes from a softmax) that is refused reports
/// why through `rewriter.notifyMatchFailure` on the blocking op.
FailureOr<SdpaOp> raiseLinalgAttention(RewriterBase &rewriter,
                                       linalg::LinalgOp op);

/// Replaces the three projections `q`, `k`, `v` of one input by one
/// attn.linear with the weights (and biases) concatenated along the output
/// dimension, followed by a tensor.extract_slice per projection. Returns the
/// fused projection. On refusal (different inputs, element types, bias on
/// some only, ops in different blocks), leaves the IR untouched and reports
/// why through `rewriter.notifyMatchFailure`.
FailureOr<LinearOp> fuseQkvProjections(RewriterBase &rewriter, LinearOp q,
                                       LinearOp k, LinearOp v);

/// Lowers `op` to linalg/tensor/arith/math on tensors with the scores
/// materialised, and returns the values replacing its results.
FailureOr<SmallVector<Value>> lowerSdpaUnfused(RewriterBase &rewriter,
                                               SdpaOp op);

/// Options of the FlashAttention tiling.
struct FlashTilingOptions {
  /// Queries per tile.
  int64_t tileQ = 64;
  /// Keys per block of the online-softmax loop.
  int64_t tileKv = 128;
  /// Give every block static sizes, so that the block computations can be
  /// vectorised: partial query tiles and partial key blocks are padded to the
  /// tile sizes (padded keys are masked out, padded queries dropped), and
  /// only full key blocks run unmasked.
  bool staticBlocks = false;
  /// The mapping of the scf.forall over (batch, query head, query tile), one
  /// attribute per loop (e.g. `#gpu.block<z>, #gpu.block<y>, #gpu.block<x>`
  /// for GPU blocks); empty: no mapping.
  SmallVector<Attribute> mapping;
};

/// The mapping of the flash tile loop to GPU blocks: `#gpu.block<z>`,
/// `<y>`, `<x>` over (batch, query head, query tile).
SmallVector<Attribute> getGpuBlockMapping(MLIRContext *ctx);

/// The online-softmax state of a block of queries after some keys: the row
/// maximum, the row sum of exp(s - max) and the unnormalised output, f32.
struct OnlineSoftmaxState {
  Value max, sum, acc;
  /// The number of real query rows when the rows were padded (null
  /// otherwise); finalizeOnlineSoftmax drops the padding.
  Value rows = nullptr;
};

/// Builds, at the builder's insertion point, loops over blocks of `tileKv`
/// keys in [keyBegin, keyEnd) (null: all keys) of `op`, classified from the
/// query bounds (invisible blocks skipped, fully visible ones unmasked), and
/// returns the final state. `op` is left in place.
/// With `staticBlocks`, key blocks have the static size `tileKv` (partial
/// ones padded and masked) and, when `padRows` > 0 and the query rows are
/// dynamic, the query rows are padded to `padRows`.
OnlineSoftmaxState buildOnlineSoftmax(OpBuilder &builder, SdpaOp op,
                                      int64_t tileKv, Value keyBegin,
                                      Value keyEnd, bool staticBlocks = false,
                                      int64_t padRows = 0);

/// out = acc / sum (0 where sum = 0) as `outType`, and, when `lseType` is
/// set, lse = max + log(sum) (-inf where sum = 0).
SmallVector<Value> finalizeOnlineSoftmax(OpBuilder &builder, Location loc,
                                         const OnlineSoftmaxState &state,
                                         Type outType, Type lseType);

/// Rewrites `op` into the online-softmax form over blocks of `tileKv` keys
/// (no tiling of the queries: the whole query block of `op`, typically a
/// tile with a tile_origin, is one block). Returns the replacement values.
FailureOr<SmallVector<Value>>
decomposeToOnlineSoftmax(RewriterBase &rewriter, SdpaOp op, int64_t tileKv,
                         bool staticBlocks = false, int64_t padRows = 0);

/// Tiles `op` over (B, Hq, blocks of `tileQ` queries) in an scf.forall
/// through its TilingInterface and decomposes each tile with
/// `decomposeToOnlineSoftmax`. Returns the values replacing `op`.
FailureOr<SmallVector<Value>>
tileToFlash(RewriterBase &rewriter, SdpaOp op,
            const FlashTilingOptions &options);

/// Options of the split-KV (flash-decoding) rewrite.
struct SplitKvOptions {
  /// Key partitions computed in parallel; 0: chosen from the sizes (one per
  /// 4·tileKv keys, between 1 and 16; 4 when Lk is dynamic).
  int64_t numSplits = 0;
  /// Keys per block of the online-softmax loop in a partition.
  int64_t tileKv = 128;
  /// Give every key block the static size `tileKv`, so that the block
  /// computations can be vectorised: partitions hold whole blocks, the
  /// partial last block is padded and its padded keys are masked out.
  bool staticBlocks = false;
};

/// Splits the keys of `op` into `options.numSplits` partitions computed in
/// an scf.forall, each with the online-softmax loop over blocks of
/// `options.tileKv` keys, and combines them with the log-sum-exp rule.
/// Returns the values replacing `op`.
FailureOr<SmallVector<Value>> splitKv(RewriterBase &rewriter, SdpaOp op,
                                      const SplitKvOptions &options);

/// Options of the register-blocked vectorisation of attention tiles.
struct VectorizeOptions {
  /// Width of the target's vector registers in bits: 0 (do nothing), 128,
  /// 256 or 512 (see `isValidVectorBits`). 512 gives 12-row contraction
  /// blocks, narrower widths 6-row ones.
  int64_t vectorBits = 256;
  /// Emit a remark per vectorised op with its tile sizes.
  bool report = false;
};

/// Whether `vectorBits` is a register width Attn supports: 0 (scalar code),
/// 128, 256 or 512. The one rule of the pass, the transform op, the
/// pipeline and the tools.
bool isValidVectorBits(int64_t vectorBits);

/// Turns the static-shaped linalg ops on tensors nested under `root` (not
/// `root` itself, which is neither replaced nor erased; typically a function
/// or the scf.forall of a tiling) into register-blocked vector code: tiles
/// with scf::tileUsingSCF, vectorises the tiles with linalg::vectorize,
/// rewrites vector exp/tanh/log as polynomials, contraction steps as FMAs,
/// and hoists the accumulators out of the reduction loops. Ops with dynamic
/// sizes, i1 operands or sizes the register blocks do not divide are left
/// alone (scalar loops). Fails, with an error on `root`, only when
/// `options.vectorBits` is invalid.
LogicalResult vectorizeAttentionTiles(RewriterBase &rewriter, Operation *root,
                                      const VectorizeOptions &options);

/// Options of the distribution of a GPU block's tile computations over its
/// threads.
struct GpuDistributionOptions {
  /// Threads per block.
  int64_t numThreads = 128;
  /// Whether f16 contractions of mma.sync-compatible sizes are tiled over
  /// warps for tensor cores (`tileContractionOverWarps`) first.
  bool tensorCores = false;
};

/// The unit attribute marking a warp tile of a contraction that attn-gpu-mma
/// turns into mma.sync.
StringRef getMmaTileAttrName();

/// Tiles the contraction `op` (on tensors, in a GPU block with `numThreads`
/// threads) over warps for tensor cores: an scf.forall mapped to
/// `#gpu.warp<linear_dim_*>` whose tiles (16·a rows, 8·b columns, the whole
/// reduction) are marked with `getMmaTileAttrName()`. An f32 lhs (the
/// scaled queries or the probabilities) is first rounded to the f16 of the
/// rhs, once per value (`rounded`, when given, caches it across calls): by
/// the elementwise op that produces it when that op only feeds such
/// contractions (the scaled queries), otherwise by an elementwise op after
/// its definition. Fails without touching the IR, saying why in
/// `why`, unless `op` is an f16 contraction (…, m, k) × (…, n, k) or
/// (…, k, n) → (…, m, n) into f32 with unit batch loops and static sizes
/// that are multiples of m16 n8 k16.
LogicalResult tileContractionOverWarps(RewriterBase &rewriter,
                                       linalg::LinalgOp op, int64_t numThreads,
                                       std::string &why,
                                       DenseMap<Value, Value> *rounded = nullptr);

/// Replaces every warp tile marked by `getMmaTileAttrName()` in `launch`
/// (after bufferization and thread mapping) by vector code on m16n8k16
/// tiles, converted to nvgpu.mma.sync with its fragment loads and stores by
/// upstream `convertVectorToNVVMCompatibleMMASync`. Fails with an error if a
/// tile does not convert.
LogicalResult lowerMmaTiles(RewriterBase &rewriter, gpu::LaunchOp launch);

/// Tiles every static-shaped linalg op directly nested (through
/// scf.for/scf.if) in `blockLoop`, an scf.forall mapped to GPU blocks, into
/// an scf.forall over its last two non-unit parallel loops mapped to linear
/// thread ids (`#gpu.thread<linear_dim_1>, #gpu.thread<linear_dim_0>`),
/// with at most `numThreads` threads; reductions stay within a thread.
LogicalResult distributeToGpuThreads(RewriterBase &rewriter,
                                     scf::ForallOp blockLoop,
                                     const GpuDistributionOptions &options);

/// Moves every static memref.alloc in the body of `launch` (the buffers of
/// one GPU block) into a workgroup attribution of the launch, used through
/// a memref.memory_space_cast to the generic address space; drops their
/// deallocations. Stores the bytes promoted in `numBytes` when non-null.
/// Fails with an error on an allocation that is not static with an identity
/// layout in the default memory space.
LogicalResult promoteAllocsToWorkgroup(RewriterBase &rewriter,
                                       gpu::LaunchOp launch,
                                       int64_t *numBytes = nullptr);

/// Patterns decomposing attn.mha (see `decomposeMha`).
void populateDecomposeMhaPatterns(RewritePatternSet &patterns);

/// Patterns fusing decomposed attention into attn.sdpa (see `fuseToSdpa`).
void populateFusePatterns(RewritePatternSet &patterns);

/// Patterns raising linalg attention to attn.sdpa (see
/// `raiseLinalgAttention`).
void populateRaiseLinalgPatterns(RewritePatternSet &patterns);

/// Patterns fusing the Q, K and V projections of an attention (read by
/// attn.sdpa, or by attn.scores and attn.context, through attn.split_heads)
/// into one attn.linear (see `fuseQkvProjections`).
void populateFuseQkvPatterns(RewritePatternSet &patterns);

/// Patterns lowering every attn op to linalg on tensors, attn.mha included,
/// and decomposing upstream aggregate ops (linalg.softmax) that have no loop
/// lowering.
void populateLowerUnfusedPatterns(RewritePatternSet &patterns);

/// How attn-distribute-ring shards the arguments and results of a function
/// across MPI ranks (see attn/Runtime/RingLayout.h for the rows of a rank).
struct RingPlan {
  /// Which sequence a dimension of a value is sharded along.
  enum class Sequence { None, Queries, Keys };
  struct Sharding {
    Sequence sequence = Sequence::None;
    /// The sharded dimension (when `sequence` is not None).
    int64_t dim = 0;
  };
  /// Decoding (static Lq <= kMaxDecodeQueries): queries and outputs are
  /// replicated, the keys sharded contiguously, and the ranks' partial
  /// results combined by all-reduces. Otherwise ring attention: queries,
  /// keys and outputs sharded with `layout`, key/value blocks passed around
  /// the ring.
  bool decode = false;
  ring::Layout layout = ring::Layout::Contiguous;
  SmallVector<Sharding> arguments, results;

  static constexpr int64_t kMaxDecodeQueries = 16;
};

/// The sharding attn-distribute-ring gives `fn`: a function whose body is
/// one attn.sdpa on its arguments (query, key, value, mask, kv_lens) whose
/// results it returns. Fails, with the reason in `why`, otherwise.
FailureOr<RingPlan> getRingPlan(func::FuncOp fn, std::string &why);

/// Rewrites `fn` (accepted by getRingPlan) into the per-rank function of
/// `plan`: arguments and results become the rank's shards (sharded
/// dimensions dynamic), and the body runs ring attention with the mpi
/// dialect, over MPI_COMM_WORLD or, with `communicatorArgument`, over the
/// communicator whose handle (as i64) a new trailing argument holds.
void distributeRing(RewriterBase &rewriter, func::FuncOp fn,
                    const RingPlan &plan, bool communicatorArgument = false);

/// Registers memory-effect models for the mpi dialect's send, receive,
/// all-reduce and wait ops, which declare none upstream (MLIR 22.1), so
/// that buffer deallocation accepts the functions attn-distribute-ring
/// produces.
void registerMpiMemoryEffectModels(DialectRegistry &registry);

} // namespace attn
} // namespace mlir

#endif // ATTN_TRANSFORMS_TRANSFORMS_H
