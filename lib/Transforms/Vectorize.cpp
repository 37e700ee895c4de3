//===- Vectorize.cpp - register-blocked vector code for attention tiles ---===//
//
// Implements `attn-vectorize`: the static-shaped linalg ops of the attention
// loop nests (the blocks of `attn-tile-flash`/`attn-split-kv` with
// static-blocks, or the unfused lowering) become vector code for a target
// with `vector-bits`-wide registers, using upstream tiling
// (scf::tileUsingSCF), vectorisation (linalg::vectorize) and loop-invariant
// subset hoisting:
//
// * contractions (QKᵀ, P·V) are tiled into mr×nr register blocks with a loop
//   over the reduction dimension; the block of the result is hoisted out of
//   that loop, so the accumulators live in registers and each step is one
//   broadcast per row and nr/lanes FMAs per row (outer products). An operand
//   whose innermost dimension is the reduction (K in QKᵀ) is transposed once
//   per block so that the vector lanes run along contiguous memory;
// * element-wise ops and row reductions are tiled along their innermost
//   dimension into a few registers per step;
// * math.exp/tanh/log on vectors use the upstream polynomial approximations
//   (the relative error of exp is measured in test/Integration).
//
// Ops with dynamic sizes, i1 operands, or sizes the register blocks do not
// divide, are left as they are (they run as scalar loops).
//
// The work is done by `vectorizeAttentionTiles` (Transforms.h), which the
// pass and transform.attn.vectorize call.
//
//===----------------------------------------------------------------------===//

#include "attn/Transforms/Passes.h"
#include "attn/Transforms/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Approximation.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

#include "llvm/Support/DebugLog.h"
#include "llvm/Support/InterleavedRange.h"

#define DEBUG_TYPE "attn-vectorize"

namespace mlir {
namespace attn {
#define GEN_PASS_DEF_ATTNVECTORIZEPASS
#include "attn/Transforms/Passes.h.inc"
} // namespace attn
} // namespace mlir

using namespace mlir;
using namespace mlir::attn;

namespace {
/// Register blocking for one target.
struct VectorTarget {
  /// f32 lanes per register.
  int64_t lanes;
  /// Rows of a contraction block (broadcast operand) at most.
  int64_t maxRows;
  /// Registers per row of a contraction block.
  int64_t regsPerRow;
};
} // namespace

static VectorTarget getTarget(int64_t vectorBits) {
  VectorTarget t;
  t.lanes = std::max<int64_t>(1, vectorBits / 32);
  // 16 registers (AVX2) hold 6x2 accumulators, two rows of the streamed
  // operand and a broadcast; 32 (AVX-512) hold 12x2 and the same.
  t.maxRows = vectorBits >= 512 ? 12 : 6;
  t.regsPerRow = 2;
  return t;
}

/// The largest divisor of `extent` that is at most `limit`.
static int64_t largestDivisorAtMost(int64_t extent, int64_t limit) {
  for (int64_t d = std::min(extent, limit); d > 1; --d)
    if (extent % d == 0)
      return d;
  return 1;
}

static bool hasStaticTensorSemantics(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics())
    return false;
  // Vectors of i1 are bit-packed in LLVM while memrefs of i1 hold a byte per
  // element: boolean masks are read by scalar code.
  for (Value operand : op->getOperands())
    if (getElementTypeOrSelf(operand.getType()).isInteger(1))
      return false;
  return llvm::none_of(op.getStaticLoopRanges(), ShapedType::isDynamic);
}

/// Makes `n` the innermost dimension of the contraction operand that holds
/// it, by transposing that operand once (a linalg.transpose before the op).
/// Returns false when the operand cannot be rearranged.
/// Whether an input of `op` holds `n` in another place than innermost.
static bool needsTranspose(linalg::GenericOp op, unsigned n) {
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    std::optional<unsigned> pos =
        map.getResultPosition(getAffineDimExpr(n, op.getContext()));
    if (pos && *pos != map.getNumResults() - 1)
      return true;
  }
  return false;
}

static bool makeInnermostContiguous(RewriterBase &rewriter,
                                    linalg::GenericOp op, unsigned n,
                                    SmallVectorImpl<linalg::LinalgOp> &created) {
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    std::optional<unsigned> pos =
        map.getResultPosition(rewriter.getAffineDimExpr(n));
    if (!pos)
      continue;
    if (*pos == map.getNumResults() - 1)
      return true;
    if (!map.isProjectedPermutation())
      return false;
    // Move result `pos` last, keep the others in order.
    SmallVector<int64_t> perm;
    for (unsigned r = 0; r < map.getNumResults(); ++r)
      if (r != *pos)
        perm.push_back(r);
    perm.push_back(*pos);
    auto type = cast<RankedTensorType>(input->get().getType());
    SmallVector<int64_t> shape;
    SmallVector<AffineExpr> exprs;
    for (int64_t r : perm) {
      shape.push_back(type.getDimSize(r));
      exprs.push_back(map.getResult(r));
    }
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(op);
    Location loc = op.getLoc();
    Value init =
        tensor::EmptyOp::create(rewriter, loc, shape, type.getElementType());
    auto transpose =
        linalg::TransposeOp::create(rewriter, loc, input->get(), init, perm);
    created.push_back(cast<linalg::LinalgOp>(transpose.getOperation()));
    Value transposed = transpose->getResult(0);
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    maps[input->getOperandNumber()] =
        AffineMap::get(map.getNumDims(), map.getNumSymbols(), exprs,
                       op.getContext());
    rewriter.modifyOpInPlace(op, [&] {
      input->set(transposed);
      op.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
    });
    return true;
  }
  return false;
}

/// Inputs of a contraction that its body only extends (f16/bf16 read into
/// f32 arithmetic) are converted once, by an element-wise op placed right
/// after the input's definition (so a tile of queries is converted once per
/// tile, not once per block of keys); the contraction then reads f32.
/// Returns the op to use from here on.
static linalg::LinalgOp
hoistInputExtensions(RewriterBase &rewriter, linalg::LinalgOp linalgOp,
                     SmallVectorImpl<linalg::LinalgOp> &conversions) {
  auto op = dyn_cast<linalg::GenericOp>(linalgOp.getOperation());
  if (!op || op.getNumDpsInits() != 1)
    return linalgOp;
  Block &body = op.getRegion().front();
  Location loc = op.getLoc();
  SmallVector<Value> inputs;
  SmallVector<Type> extendedTo(op.getNumDpsInputs());
  bool changed = false;
  for (OpOperand *input : op.getDpsInputOperands()) {
    BlockArgument arg = body.getArgument(input->getOperandNumber());
    Type target;
    bool onlyExtended = !arg.use_empty() && isa<FloatType>(arg.getType());
    for (Operation *user : arg.getUsers()) {
      auto ext = dyn_cast<arith::ExtFOp>(user);
      if (!ext || (target && ext.getType() != target)) {
        onlyExtended = false;
        break;
      }
      target = ext.getType();
    }
    auto type = cast<RankedTensorType>(input->get().getType());
    if (!onlyExtended || !type.hasStaticShape()) {
      inputs.push_back(input->get());
      continue;
    }
    OpBuilder::InsertionGuard guard(rewriter);
    if (Operation *def = input->get().getDefiningOp())
      rewriter.setInsertionPointAfter(def);
    else
      rewriter.setInsertionPointToStart(
          cast<BlockArgument>(input->get()).getOwner());
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         target);
    int64_t rank = type.getRank();
    SmallVector<AffineMap> maps(2, rewriter.getMultiDimIdentityMap(rank));
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto conversion = linalg::GenericOp::create(
        rewriter, loc, init.getType(), input->get(), init, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(
              b, l, Value(arith::ExtFOp::create(b, l, target, args[0])));
        });
    conversions.push_back(
        cast<linalg::LinalgOp>(conversion.getOperation()));
    Value converted = conversion->getResult(0);
    inputs.push_back(converted);
    extendedTo[input->getOperandNumber()] = target;
    changed = true;
  }
  if (!changed)
    return linalgOp;
  rewriter.setInsertionPoint(op);
  auto newOp = linalg::GenericOp::create(
      rewriter, loc, op.getResultTypes(), inputs, op.getDpsInits(),
      op.getIndexingMapsArray(), op.getIteratorTypesArray(),
      [&](OpBuilder &b, Location l, ValueRange args) {
        IRMapping mapping;
        for (auto [i, arg] : llvm::enumerate(body.getArguments())) {
          if (i < extendedTo.size() && extendedTo[i]) {
            for (Operation *user : arg.getUsers())
              mapping.map(user->getResult(0), args[i]);
          } else {
            mapping.map(arg, args[i]);
          }
        }
        for (Operation &nested : body) {
          if (auto ext = dyn_cast<arith::ExtFOp>(nested))
            if (mapping.contains(ext.getResult()))
              continue;
          b.clone(nested, mapping);
        }
      });
  rewriter.replaceOp(op, newOp->getResults());
  return cast<linalg::LinalgOp>(newOp.getOperation());
}

/// Tile sizes of a register-blocked contraction, or failure when the op is
/// not a single m/n/k contraction the blocks divide.
static FailureOr<SmallVector<int64_t>>
getContractionTileSizes(RewriterBase &rewriter, linalg::LinalgOp op,
                        const VectorTarget &target,
                        SmallVectorImpl<linalg::LinalgOp> &created) {
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic || !linalg::isaContractionOpInterface(op))
    return failure();
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->n.size() != 1 || dims->k.size() != 1 ||
      dims->m.size() > 1) {
    LDBG() << "not a register-blocked contraction: not one m/n/k product";
    return failure();
  }
  unsigned n = dims->n.front();
  // The vector lanes run along n: it must be the innermost result dim.
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (outMap.getResult(outMap.getNumResults() - 1) !=
      rewriter.getAffineDimExpr(n)) {
    LDBG() << "not a register-blocked contraction: n is not innermost in "
              "the result";
    return failure();
  }
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t mr = 1;
  if (!dims->m.empty())
    mr = largestDivisorAtMost(ranges[dims->m.front()], target.maxRows);
  // A few rows (decoding: one query, or the query heads of a K/V head
  // packed by attn-pack-gqa) against an operand read along k are sets of
  // dot products: they are vectorised along k as a reduction (the
  // element-wise path) rather than transposing the operand for outer
  // products — the transpose of a K block costs more than the few rows
  // reuse it (measured: 8 rows, Lk 32768, D 128: 24.3 -> 19.8 ms).
  constexpr int64_t kMaxDotRows = 8;
  if ((mr == 1 ||
       (!dims->m.empty() && ranges[dims->m.front()] <= kMaxDotRows)) &&
      needsTranspose(generic, n)) {
    LDBG() << "single-row contraction read along k: vectorised as a "
              "reduction instead";
    return failure();
  }
  // Enough independent accumulators to cover the FMA latency: blocks with
  // few rows (decoding: one query) get wider rows.
  int64_t accumulators = target.maxRows * target.regsPerRow;
  int64_t regs = std::min<int64_t>(
      std::max<int64_t>(target.regsPerRow, accumulators / mr), 8);
  while (regs > 1 && ranges[n] % (regs * target.lanes) != 0)
    --regs;
  int64_t nr = regs * target.lanes;
  if (ranges[n] % nr != 0) {
    LDBG() << "not a register-blocked contraction: n = " << ranges[n]
           << " is not a multiple of " << target.lanes << " lanes";
    return failure();
  }
  if (!makeInnermostContiguous(rewriter, generic, n, created)) {
    LDBG() << "not a register-blocked contraction: the operand holding n "
              "cannot be made contiguous";
    return failure();
  }
  LDBG() << "register block " << mr << "x" << nr << " (" << regs
         << " registers per row)";
  SmallVector<int64_t> sizes(ranges.size(), 1);
  sizes[n] = nr;
  if (!dims->m.empty())
    sizes[dims->m.front()] = mr;
  return sizes;
}

/// Tile sizes of an element-wise op or a reduction over its innermost
/// dimensions: a few registers per step along the innermost parallel
/// dimension, whole reduced dimensions.
static FailureOr<SmallVector<int64_t>>
getElementwiseTileSizes(linalg::LinalgOp op, const VectorTarget &target) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  // Transposes of the two innermost dimensions: square register blocks.
  if (isa<linalg::TransposeOp>(op.getOperation()) && ranges.size() >= 2 &&
      ranges[ranges.size() - 1] % target.lanes == 0 &&
      ranges[ranges.size() - 2] % target.lanes == 0) {
    SmallVector<int64_t> sizes(ranges.size(), 1);
    sizes[ranges.size() - 1] = target.lanes;
    sizes[ranges.size() - 2] = target.lanes;
    return sizes;
  }
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  if (ranges.empty())
    return failure();
  SmallVector<int64_t> sizes(ranges.size(), 1);
  // Reductions are innermost (row max, row sum): whole rows per step.
  int64_t last = ranges.size() - 1;
  while (last >= 0 && iterators[last] == utils::IteratorType::reduction) {
    if (ranges[last] % target.lanes != 0 && ranges[last] > target.lanes) {
      LDBG() << "reduced extent " << ranges[last] << " is not a multiple of "
             << target.lanes << " lanes";
      return failure();
    }
    // Whole rows up to 16 registers; longer ones (unfused scores of long
    // sequences) in steps of four registers accumulating into the result.
    sizes[last] = ranges[last] > 16 * target.lanes ? 4 * target.lanes : 0;
    if (sizes[last] && ranges[last] % sizes[last] != 0) {
      LDBG() << "reduced extent " << ranges[last]
             << " is not a multiple of the step " << sizes[last];
      return failure();
    }
    --last;
  }
  if (last == int64_t(ranges.size()) - 1) {
    int64_t extent = ranges[last];
    int64_t step = 4 * target.lanes;
    if (extent % step != 0)
      step = target.lanes;
    if (extent % step != 0) {
      if (extent > target.lanes) {
        LDBG() << "innermost extent " << extent << " is not a multiple of "
               << target.lanes << " lanes";
        return failure();
      }
      step = extent;
    }
    sizes[last] = step;
  }
  return sizes;
}

/// Tiles `op` with `sizes` (scf.for loops), vectorises the tile and hoists
/// loop-invariant subsets (the accumulators) out of the loops.
static LogicalResult tileAndVectorize(RewriterBase &rewriter,
                                      linalg::LinalgOp op,
                                      ArrayRef<int64_t> sizes,
                                      bool contraction) {
  scf::SCFTilingOptions options;
  options.setLoopType(scf::SCFTilingOptions::LoopType::ForOp);
  SmallVector<OpFoldResult> tileSizes;
  for (int64_t size : sizes)
    tileSizes.push_back(rewriter.getIndexAttr(size));
  options.setTileSizes(tileSizes);
  // Register blocks of a contraction iterate n outside m (GEMM order): the
  // k x nr panel of the streamed operand stays in L1 while every row block
  // of the broadcast operand passes over it.
  if (contraction) {
    FailureOr<linalg::ContractionDimensions> dims =
        linalg::inferContractionDims(op);
    if (succeeded(dims) && dims->m.size() == 1 && dims->n.size() == 1) {
      SmallVector<int64_t> order;
      for (int64_t d = 0, e = sizes.size(); d < e; ++d)
        if (d != dims->m.front() && d != dims->n.front() &&
            !llvm::is_contained(dims->k, d))
          order.push_back(d);
      order.push_back(dims->n.front());
      order.push_back(dims->m.front());
      order.append(dims->k.begin(), dims->k.end());
      options.setInterchange(order);
    }
  }
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(tiled)) {
    LDBG() << "tiling " << op->getName() << " at " << op->getLoc()
           << " failed: left scalar";
    return failure();
  }
  rewriter.replaceOp(op, tiled->replacements);
  // The accumulators are hoisted out of the k loops once the vector ops are
  // canonical (at the end of the pass).
  for (Operation *tile : tiled->tiledOps) {
    rewriter.setInsertionPoint(tile);
    FailureOr<linalg::VectorizationResult> result = linalg::vectorize(
        rewriter, tile, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
        /*vectorizeNDExtract=*/false, /*flatten1DDepthwiseConv=*/false,
        /*assumeDynamicDimsMatchVecSizes=*/false,
        /*createNamedContraction=*/contraction);
    if (failed(result)) {
      LDBG() << "linalg::vectorize refused the tile of " << tile->getName()
             << " at " << tile->getLoc() << ": left scalar";
      return failure();
    }
    rewriter.replaceOp(tile, result->replacements);
  }
  return success();
}

/// When a contraction spans several batch elements (e.g. all heads of a
/// decoding step) and an operand was transposed or converted for it,
/// computes it one batch element at a time with those producers fused into
/// that loop, so the rearranged block stays in cache. `producers` is
/// updated to the fused copies; the batch dims of `sizes` are then covered
/// by the loops (set to 0 here, i.e. the whole unit extent). Returns the
/// contraction to vectorise.
static linalg::LinalgOp
fuseIntoBatchLoops(RewriterBase &rewriter, linalg::LinalgOp op,
                   SmallVectorImpl<int64_t> &sizes,
                   SmallVectorImpl<linalg::LinalgOp> &producers) {
  if (producers.empty())
    return op;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims))
    return op;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<OpFoldResult> batchSizes(ranges.size(),
                                       rewriter.getIndexAttr(0));
  bool any = false;
  for (unsigned d : dims->batch) {
    if (ranges[d] > 1) {
      batchSizes[d] = rewriter.getIndexAttr(1);
      any = true;
    }
  }
  if (!any)
    return op;
  scf::SCFTileAndFuseOptions options;
  options.tilingOptions.setLoopType(scf::SCFTilingOptions::LoopType::ForOp);
  options.tilingOptions.setTileSizes(batchSizes);
  llvm::SmallPtrSet<Operation *, 2> fusable;
  for (linalg::LinalgOp t : producers)
    fusable.insert(t.getOperation());
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult producer, bool)
          -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (!fusable.contains(producer.getOwner()))
          return std::nullopt;
        return scf::SCFTileAndFuseOptions::ControlFnResult{};
      });
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTileAndFuseResult> fused =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(fused))
    return op;
  linalg::LinalgOp tiled;
  SmallVector<linalg::LinalgOp> fusedProducers;
  for (Operation *t : fused->tiledAndFusedOps) {
    auto linalgOp = dyn_cast<linalg::LinalgOp>(t);
    if (!linalgOp)
      continue;
    if (!tiled && linalg::isaContractionOpInterface(linalgOp))
      tiled = linalgOp;
    else
      fusedProducers.push_back(linalgOp);
  }
  if (!tiled)
    return op;
  for (OpResult result : op->getResults())
    if (Value replacement = fused->replacements.lookup(result))
      rewriter.replaceAllUsesWith(result, replacement);
  rewriter.eraseOp(op);
  for (linalg::LinalgOp t : producers)
    if (t->use_empty())
      rewriter.eraseOp(t);
  producers.assign(fusedProducers.begin(), fusedProducers.end());
  for (unsigned d : dims->batch)
    if (ranges[d] > 1)
      sizes[d] = 0;
  return tiled;
}

namespace {
/// A unit-extent add reduction of a product, as the vectoriser writes one
/// step of a register-blocked contraction,
///   %p = arith.mulf %a, %b : vector<...x1xf32>
///   %r = vector.multi_reduction <add>, %p, %acc [k] (k of extent 1)
/// becomes one fused multiply-add on the accumulator shape.
struct UnitReductionToFma : OpRewritePattern<vector::MultiDimReductionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::MultiDimReductionOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getKind() != vector::CombiningKind::ADD)
      return failure();
    auto accType = dyn_cast<VectorType>(op.getAcc().getType());
    if (!accType)
      return failure();
    VectorType sourceType = op.getSourceVectorType();
    for (int64_t dim : op.getReductionDims())
      if (sourceType.getDimSize(dim) != 1)
        return failure();
    auto mul = op.getSource().getDefiningOp<arith::MulFOp>();
    if (!mul)
      return failure();
    Location loc = op.getLoc();
    Value lhs = vector::ShapeCastOp::create(rewriter, loc, accType,
                                            mul.getLhs());
    Value rhs = vector::ShapeCastOp::create(rewriter, loc, accType,
                                            mul.getRhs());
    rewriter.replaceOpWithNewOp<vector::FMAOp>(op, lhs, rhs, op.getAcc());
    return success();
  }
};

} // namespace

bool mlir::attn::isValidVectorBits(int64_t vectorBits) {
  return vectorBits == 0 || vectorBits == 128 || vectorBits == 256 ||
         vectorBits == 512;
}

/// Applies `patterns` greedily to the ops nested under `root`: to its
/// regions when it is isolated from above, else to the nested ops as a list
/// (the greedy region driver requires an isolated region).
static void applyNestedPatterns(RewriterBase &rewriter, Operation *root,
                                RewritePatternSet &&patterns) {
  GreedyRewriteConfig config;
  config.setListener(
      static_cast<RewriterBase::Listener *>(rewriter.getListener()));
  if (root->hasTrait<OpTrait::IsIsolatedFromAbove>()) {
    (void)applyPatternsGreedily(root, std::move(patterns), config);
    return;
  }
  SmallVector<Operation *> nested;
  root->walk([&](Operation *op) {
    if (op != root)
      nested.push_back(op);
  });
  (void)applyOpPatternsGreedily(nested, std::move(patterns), config);
}

LogicalResult
mlir::attn::vectorizeAttentionTiles(RewriterBase &rewriter, Operation *root,
                                    const VectorizeOptions &options) {
  if (!isValidVectorBits(options.vectorBits))
    return root->emitError()
           << "attn-vectorize: vector-bits must be 0, 128, 256 or 512, got "
           << options.vectorBits;
  if (options.vectorBits == 0)
    return success();
  VectorTarget target = getTarget(options.vectorBits);
  MLIRContext *ctx = root->getContext();
  OpBuilder::InsertionGuard guard(rewriter);

  SmallVector<linalg::LinalgOp> ops;
  root->walk([&](linalg::LinalgOp op) {
    if (op.getOperation() == root)
      return;
    if (hasStaticTensorSemantics(op))
      ops.push_back(op);
    else
      LDBG() << "left scalar: " << op->getName() << " at " << op->getLoc()
             << " (dynamic sizes, buffers or i1 operands)";
  });
  LDBG() << ops.size() << " static linalg ops for " << options.vectorBits
         << "-bit vectors (" << target.lanes << " f32 lanes)";
  // Ops created here are appended and vectorised too.
  for (size_t i = 0; i < ops.size(); ++i) {
    linalg::LinalgOp op = ops[i];
    bool contraction = false;
    // Operand conversions and transposes created here; vectorised after the
    // contraction.
    SmallVector<linalg::LinalgOp> producers;
    if (linalg::isaContractionOpInterface(op))
      op = hoistInputExtensions(rewriter, op, producers);
    FailureOr<SmallVector<int64_t>> sizes =
        getContractionTileSizes(rewriter, op, target, producers);
    if (succeeded(sizes)) {
      contraction = true;
      op = fuseIntoBatchLoops(rewriter, op, *sizes, producers);
      // The vectorised loops live in the batch loops now.
      for (int64_t &size : *sizes)
        if (size == 0)
          size = 1;
    } else {
      sizes = getElementwiseTileSizes(op, target);
    }
    ops.append(producers.begin(), producers.end());
    if (failed(sizes)) {
      LDBG() << "left scalar: " << op->getName() << " at " << op->getLoc()
             << " (no register tiling for its sizes)";
      continue;
    }
    LDBG() << (contraction ? "register-blocked contraction " : "vectorised ")
           << op->getName() << " at " << op->getLoc() << ", tile "
           << llvm::interleaved_array(*sizes);
    if (options.report)
      op->emitRemark() << "attn-vectorize: "
                       << (contraction ? "register-blocked contraction"
                                       : "vectorised")
                       << ", tile " << llvm::interleaved_array(*sizes);
    // A tile the vectoriser refuses stays a scalar loop nest.
    (void)tileAndVectorize(rewriter, op, *sizes, contraction);
  }

  // Vector math: polynomial approximations (only for vector operands;
  // scalar code keeps libm).
  SmallVector<Operation *> mathOps;
  root->walk([&](Operation *op) {
    if (isa<math::ExpOp, math::TanhOp, math::LogOp>(op) &&
        isa<VectorType>(op->getResult(0).getType()))
      mathOps.push_back(op);
  });
  GreedyRewriteConfig opConfig;
  opConfig.setListener(
      static_cast<RewriterBase::Listener *>(rewriter.getListener()));
  RewritePatternSet mathPatterns(ctx);
  populateMathPolynomialApproximationPatterns(
      mathPatterns, [](StringRef name) {
        return name == math::ExpOp::getOperationName() ||
               name == math::TanhOp::getOperationName() ||
               name == math::LogOp::getOperationName();
      });
  (void)applyOpPatternsGreedily(mathOps, std::move(mathPatterns), opConfig);

  // Transposing reads (of operand transposes) become a plain read and a
  // vector.transpose, lowered to shuffles.
  SmallVector<Operation *> transposingReads;
  root->walk([&](vector::TransferReadOp read) {
    AffineMap map = read.getPermutationMap();
    if (map.isPermutation() && !map.isMinorIdentity())
      transposingReads.push_back(read);
  });
  RewritePatternSet transposePatterns(ctx);
  vector::populateVectorTransferPermutationMapLoweringPatterns(
      transposePatterns);
  (void)applyOpPatternsGreedily(transposingReads, std::move(transposePatterns),
                                opConfig);

  // Contraction steps to FMAs, then unit dimensions away.
  RewritePatternSet fmaPatterns(ctx);
  fmaPatterns.add<UnitReductionToFma>(ctx);
  applyNestedPatterns(rewriter, root, std::move(fmaPatterns));
  RewritePatternSet patterns(ctx);
  vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
  vector::TransferReadOp::getCanonicalizationPatterns(patterns, ctx);
  vector::TransferWriteOp::getCanonicalizationPatterns(patterns, ctx);
  applyNestedPatterns(rewriter, root, std::move(patterns));

  // Accumulators out of the reduction loops (a post-order walk visits
  // innermost loops first, so a hoisted block can move further out). `root`
  // itself is not replaced.
  root->walk([&](scf::ForOp loop) {
    if (loop.getOperation() != root)
      hoistLoopInvariantSubsets(rewriter, loop);
  });
  return success();
}

namespace {
struct AttnVectorizePass
    : attn::impl::AttnVectorizePassBase<AttnVectorizePass> {
  using AttnVectorizePassBase::AttnVectorizePassBase;
  void runOnOperation() override {
    VectorizeOptions options;
    options.vectorBits = vectorBits;
    options.report = report;
    IRRewriter rewriter(&getContext());
    if (failed(vectorizeAttentionTiles(rewriter, getOperation(), options)))
      return signalPassFailure();
  }
};
} // namespace
