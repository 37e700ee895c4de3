//===- LowerUnfused.cpp - attn ops to linalg with materialised scores -----===//
//
// Implements `attn-lower-unfused`, the reference strategy: every attn op
// becomes linalg/tensor/arith/math on tensors, step by step, with the
// [B, Hq, Lq, Lk] scores materialised. The fused `attn.sdpa` lowers through
// the same builders as the decomposed ops, so both levels share one set of
// semantics: f32 accumulation, GQA through `h floordiv (Hq / Hkv)` indexing,
// bottom-right causal alignment, and masked rows giving 0 (lse -inf).
//
//===----------------------------------------------------------------------===//

#include "attn/Transforms/Passes.h"
#include "attn/Transforms/Transforms.h"

#include "AttentionBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Transforms/DialectConversion.h"

#include "llvm/Support/DebugLog.h"

#include <limits>

#define DEBUG_TYPE "attn-lower-unfused"

namespace mlir {
namespace attn {
#define GEN_PASS_DEF_ATTNLOWERUNFUSEDPASS
#include "attn/Transforms/Passes.h.inc"
} // namespace attn
} // namespace mlir

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::builders;

using utils::IteratorType;

//===----------------------------------------------------------------------===//
// Op lowerings
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<Value>>
mlir::attn::lowerSdpaUnfused(RewriterBase &rewriter, SdpaOp op) {
  Location loc = op.getLoc();
  ScoreEpilogue epilogue;
  epilogue.scale = op.getScaleOrDefault();
  if (std::optional<APFloat> cap = op.getSoftcap())
    epilogue.softcap = cap->convertToDouble();
  epilogue.scoreMod = op.getScoreModBlock();
  epilogue.mask = op.getMask();
  epilogue.kvLens = op.getKvLens();
  epilogue.causal = op.getCausal();
  epilogue.window = op.getWindow();
  epilogue.batchOffset = op.getBatchOffset();
  epilogue.headOffset = op.getHeadOffset();
  epilogue.queryOffset = op.getQueryOffset();
  epilogue.fullQueryLen = op.getFullQueryLen();
  epilogue.keyOffset = op.getKeyOffset();
  epilogue.fullKeyLen = op.getFullKeyLen();
  LDBG() << "lowering attn.sdpa at " << loc << " with materialised scores"
         << (op.getLse() ? ", with lse" : "");

  Value scores =
      buildQueryKeyProduct(rewriter, loc, op.getQuery(), op.getKey());
  scores = buildScoreEpilogue(rewriter, loc, scores, epilogue,
                              rewriter.getF32Type());
  SoftmaxParts softmax =
      buildSoftmax(rewriter, loc, scores, rewriter.getF32Type());
  SmallVector<Value> results = {
      castToType(rewriter, loc,
                 buildContext(rewriter, loc, softmax.probs, op.getValue(),
                              op.getOut().getType().getElementType()),
                 op.getOut().getType())};
  if (Value lse = op.getLse())
    results.push_back(castToType(
        rewriter, loc, buildLogSumExp(rewriter, loc, softmax), lse.getType()));
  rewriter.replaceOp(op, results);
  return results;
}

namespace {
struct LowerSdpa : OpRewritePattern<SdpaOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SdpaOp op,
                                PatternRewriter &rewriter) const override {
    return lowerSdpaUnfused(rewriter, op);
  }
};

struct LowerScores : OpRewritePattern<ScoresOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ScoresOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ScoreEpilogue epilogue;
    epilogue.scale = op.getScaleOrDefault();
    if (std::optional<APFloat> cap = op.getSoftcap())
      epilogue.softcap = cap->convertToDouble();
    Value scores =
        buildQueryKeyProduct(rewriter, loc, op.getQuery(), op.getKey());
    Value result =
        buildScoreEpilogue(rewriter, loc, scores, epilogue,
                           op.getResult().getType().getElementType());
    rewriter.replaceOp(
        op, castToType(rewriter, loc, result, op.getResult().getType()));
    return success();
  }
};

struct LowerMask : OpRewritePattern<MaskOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MaskOp op,
                                PatternRewriter &rewriter) const override {
    ScoreEpilogue epilogue;
    epilogue.mask = op.getMask();
    epilogue.kvLens = op.getKvLens();
    epilogue.causal = op.getCausal();
    epilogue.window = op.getWindow();
    rewriter.replaceOp(
        op, buildScoreEpilogue(rewriter, op.getLoc(), op.getScores(), epilogue,
                               op.getResult().getType().getElementType()));
    return success();
  }
};

struct LowerSoftmax : OpRewritePattern<SoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    SoftmaxParts parts =
        buildSoftmax(rewriter, op.getLoc(), op.getInput(),
                     op.getResult().getType().getElementType());
    rewriter.replaceOp(op, parts.probs);
    return success();
  }
};

struct LowerContext : OpRewritePattern<ContextOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ContextOp op,
                                PatternRewriter &rewriter) const override {
    Value result =
        buildContext(rewriter, op.getLoc(), op.getProbs(), op.getValue(),
                     op.getResult().getType().getElementType());
    rewriter.replaceOp(op, castToType(rewriter, op.getLoc(), result,
                                      op.getResult().getType()));
    return success();
  }
};

/// x · W (+ b): a contraction over the last dimension of x in f32, then the
/// bias and the rounding in one elementwise op.
struct LowerLinear : OpRewritePattern<LinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LinearOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Value x = op.getInput(), w = op.getWeight();
    unsigned rank = op.getInput().getType().getRank();
    // Loops: the leading dims of x, then n, then the reduction k.
    unsigned numLoops = rank + 1;
    SmallVector<AffineExpr> xExprs, outExprs;
    for (unsigned d = 0; d + 1 < rank; ++d) {
      xExprs.push_back(getAffineDimExpr(d, ctx));
      outExprs.push_back(getAffineDimExpr(d, ctx));
    }
    AffineExpr n = getAffineDimExpr(rank - 1, ctx);
    AffineExpr k = getAffineDimExpr(rank, ctx);
    xExprs.push_back(k);
    outExprs.push_back(n);
    SmallVector<AffineMap> maps = {AffineMap::get(numLoops, 0, xExprs, ctx),
                                   AffineMap::get(numLoops, 0, {k, n}, ctx),
                                   AffineMap::get(numLoops, 0, outExprs, ctx)};
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(rewriter, loc, x);
    sizes.back() = tensor::getMixedSize(rewriter, loc, w, 1);
    Value init = createFilledF32(rewriter, loc, sizes, 0.0);
    Value acc =
        linalg::GenericOp::create(
            rewriter, loc, init.getType(), ValueRange{x, w}, init, maps,
            parallelThenReduction(rank),
            [&](OpBuilder &nb, Location nloc, ValueRange args) {
              Value prod =
                  arith::MulFOp::create(nb, nloc, extToF32(nb, nloc, args[0]),
                                        extToF32(nb, nloc, args[1]));
              linalg::YieldOp::create(
                  nb, nloc,
                  Value(arith::AddFOp::create(nb, nloc, prod, args[2])));
            })
            .getResult(0);
    Type elt = op.getResult().getType().getElementType();
    Value result;
    if (Value bias = op.getBias()) {
      AffineMap id = rewriter.getMultiDimIdentityMap(rank);
      AffineMap lastDim =
          AffineMap::get(rank, 0, getAffineDimExpr(rank - 1, ctx));
      result = buildElementwise(
          rewriter, loc, acc, ValueRange{acc, bias}, {id, lastDim}, elt,
          [&](OpBuilder &nb, Location nloc, ValueRange args) {
            Value sum = arith::AddFOp::create(nb, nloc, args[0],
                                              extToF32(nb, nloc, args[1]));
            return castFromF32(nb, nloc, sum, elt);
          });
    } else {
      result = convertTensor(rewriter, loc, acc, elt);
    }
    rewriter.replaceOp(
        op, castToType(rewriter, loc, result, op.getResult().getType()));
    return success();
  }
};

/// [B, L, H·D] → expand to [B, L, H, D] → transpose to [B, H, L, D].
struct LowerSplitHeads : OpRewritePattern<SplitHeadsOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SplitHeadsOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getResult().getType();
    SmallVector<OpFoldResult> inSizes =
        tensor::getMixedSizes(rewriter, loc, op.getInput());
    SmallVector<OpFoldResult> expandedSizes = {
        inSizes[0], inSizes[1], rewriter.getIndexAttr(resultType.getDimSize(1)),
        rewriter.getIndexAttr(resultType.getDimSize(3))};
    auto expandedType = RankedTensorType::get(
        {op.getInput().getType().getDimSize(0),
         op.getInput().getType().getDimSize(1), resultType.getDimSize(1),
         resultType.getDimSize(3)},
        resultType.getElementType());
    Value expanded = tensor::ExpandShapeOp::create(
        rewriter, loc, expandedType, op.getInput(),
        ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}}, expandedSizes);
    Value init = tensor::EmptyOp::create(rewriter, loc,
                                         {expandedSizes[0], expandedSizes[2],
                                          expandedSizes[1], expandedSizes[3]},
                                         resultType.getElementType());
    auto transpose = linalg::TransposeOp::create(rewriter, loc, expanded, init,
                                                 ArrayRef<int64_t>{0, 2, 1, 3});
    rewriter.replaceOp(
        op, castToType(rewriter, loc, transpose.getResult()[0], resultType));
    return success();
  }
};

/// [B, H, L, D] → transpose to [B, L, H, D] → collapse to [B, L, H·D].
struct LowerMergeHeads : OpRewritePattern<MergeHeadsOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MergeHeadsOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, op.getInput());
    Value init = tensor::EmptyOp::create(
        rewriter, loc, {sizes[0], sizes[2], sizes[1], sizes[3]},
        op.getInput().getType().getElementType());
    auto transpose = linalg::TransposeOp::create(
        rewriter, loc, op.getInput(), init, ArrayRef<int64_t>{0, 2, 1, 3});
    Value collapsed = tensor::CollapseShapeOp::create(
        rewriter, loc, transpose.getResult()[0],
        ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
    rewriter.replaceOp(
        op, castToType(rewriter, loc, collapsed, op.getResult().getType()));
    return success();
  }
};

/// Upstream aggregate ops (`linalg.softmax`) have no loop lowering; they are
/// decomposed with their own AggregatedOpInterface, keeping their upstream
/// semantics, so that frontend IR reaches the loop lowering too.
struct DecomposeLinalgAggregate
    : OpInterfaceRewritePattern<linalg::AggregatedOpInterface> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;
  LogicalResult matchAndRewrite(linalg::AggregatedOpInterface op,
                                PatternRewriter &rewriter) const override {
    FailureOr<SmallVector<Value>> results = op.decomposeOperation(rewriter);
    if (failed(results)) {
      LDBG() << "no decomposition for " << op->getName() << " at "
             << op->getLoc();
      return rewriter.notifyMatchFailure(op, "op has no decomposition");
    }
    rewriter.replaceOp(op, *results);
    return success();
  }
};

struct AttnLowerUnfusedPass
    : attn::impl::AttnLowerUnfusedPassBase<AttnLowerUnfusedPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    // The scores this strategy materialises must be addressable: a size
    // that overflows int64 would wrap in the allocation.
    WalkResult sized = getOperation()->walk([](SdpaOp op) {
      ArrayRef<int64_t> q = op.getQuery().getType().getShape();
      int64_t lk = op.getKey().getType().getDimSize(2);
      if (hasBoundedByteSize({q[0], q[1], q[2], lk}, /*f32*/ 4))
        return WalkResult::advance();
      op.emitError() << "attn-lower-unfused: the [B, Hq, Lq, Lk] scores of "
                        "this op would have 2^63 bytes or more; use the "
                        "flash strategy, which never materialises them";
      return WalkResult::interrupt();
    });
    if (sized.wasInterrupted())
      return signalPassFailure();
    ConversionTarget target(*ctx);
    target.addIllegalDialect<AttnDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect>();
    target.addIllegalOp<linalg::SoftmaxOp>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(ctx);
    populateLowerUnfusedPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void mlir::attn::populateLowerUnfusedPatterns(RewritePatternSet &patterns) {
  populateDecomposeMhaPatterns(patterns);
  patterns.add<LowerSdpa, LowerScores, LowerMask, LowerSoftmax, LowerContext,
               LowerLinear, LowerSplitHeads, LowerMergeHeads,
               DecomposeLinalgAggregate>(patterns.getContext());
}
