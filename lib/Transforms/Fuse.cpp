//===- Fuse.cpp - decomposed attention to attn.sdpa -----------------------===//
//
// Implements `attn-fuse`: the chain attn.scores → [attn.mask] →
// attn.softmax → attn.context becomes one attn.sdpa. The rewrite is exact up
// to float reassociation; every case where it would not be (an intermediate
// with another user, an intermediate rounded below f32, mixed element types,
// key and value with different numbers of heads) is refused with a reason
// reported on the op that blocks the fusion.
//
//===----------------------------------------------------------------------===//

#include "attn/Transforms/Passes.h"
#include "attn/Transforms/Transforms.h"

#include "RefusalReporter.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/Support/DebugLog.h"

#define DEBUG_TYPE "attn-fuse"

namespace mlir {
namespace attn {
#define GEN_PASS_DEF_ATTNFUSEPASS
#include "attn/Transforms/Passes.h.inc"
} // namespace attn
} // namespace mlir

using namespace mlir;
using namespace mlir::attn;

/// The op producing `value` if it is an `OpTy`, else null.
template <typename OpTy>
static OpTy getProducer(Value value) {
  return value.getDefiningOp<OpTy>();
}

/// Refuses when `value` (produced by `producer`) has a user other than
/// `consumer`, or is rounded below f32.
static LogicalResult checkIntermediate(RewriterBase &rewriter,
                                       Operation *producer, Value value,
                                       StringRef what) {
  if (!value.hasOneUse()) {
    LDBG() << "refused at " << producer->getLoc() << ": the " << what
           << " have another user";
    return rewriter.notifyMatchFailure(producer, [&](Diagnostic &diag) {
      diag << "not fused: the " << what
           << " have another user, so they must stay materialised";
    });
  }
  Type elt = cast<RankedTensorType>(value.getType()).getElementType();
  if (!elt.isF32()) {
    LDBG() << "refused at " << producer->getLoc() << ": the " << what
           << " are rounded to " << elt;
    return rewriter.notifyMatchFailure(producer, [&](Diagnostic &diag) {
      diag << "not fused: the " << what << " are rounded to " << elt
           << ", while attn.sdpa keeps them in f32";
    });
  }
  return success();
}

FailureOr<SdpaOp> mlir::attn::fuseToSdpa(RewriterBase &rewriter,
                                         ContextOp op) {
  LDBG() << "candidate attn.context at " << op.getLoc();
  auto softmax = getProducer<SoftmaxOp>(op.getProbs());
  if (!softmax) {
    LDBG() << "refused: the probabilities are not produced by attn.softmax";
    return rewriter.notifyMatchFailure(
        op, "not fused: the probabilities are not produced by attn.softmax");
  }
  if (failed(checkIntermediate(rewriter, softmax, softmax.getResult(),
                               "probabilities")))
    return failure();

  Value scoresValue = softmax.getInput();
  auto mask = getProducer<MaskOp>(scoresValue);
  if (mask) {
    if (failed(checkIntermediate(rewriter, mask, mask.getResult(),
                                 "masked scores")))
      return failure();
    scoresValue = mask.getScores();
  }
  auto scores = getProducer<ScoresOp>(scoresValue);
  if (!scores) {
    LDBG() << "refused: the softmax input does not come from attn.scores";
    return rewriter.notifyMatchFailure(
        mask ? mask.getOperation() : softmax.getOperation(),
        "not fused: the softmax input does not come from attn.scores");
  }
  if (failed(checkIntermediate(rewriter, scores, scores.getResult(),
                               "scores")))
    return failure();

  Value q = scores.getQuery(), k = scores.getKey(), v = op.getValue();
  auto kType = cast<RankedTensorType>(k.getType());
  auto vType = cast<RankedTensorType>(v.getType());
  if (kType.getElementType() != vType.getElementType()) {
    LDBG() << "refused: element types differ: " << kType.getElementType()
           << " (query/key) vs " << vType.getElementType() << " (value)";
    return rewriter.notifyMatchFailure(op, [&](Diagnostic &diag) {
      diag << "not fused: the query/key element type "
           << kType.getElementType() << " differs from the value element type "
           << vType.getElementType();
    });
  }
  if (kType.getDimSize(1) != vType.getDimSize(1)) {
    LDBG() << "refused: key has " << kType.getDimSize(1) << " heads, value has "
           << vType.getDimSize(1);
    return rewriter.notifyMatchFailure(op, [&](Diagnostic &diag) {
      diag << "not fused: key has " << kType.getDimSize(1)
           << " heads but value has " << vType.getDimSize(1);
    });
  }

  rewriter.setInsertionPoint(op);
  auto sdpa = SdpaOp::create(
      rewriter, op.getLoc(), op.getResult().getType(), /*lse=*/Type(), q, k, v,
      mask ? mask.getMask() : Value(), mask ? mask.getKvLens() : Value(),
      /*tile_origin=*/ValueRange(),
      scores.getScaleAttr(),
      mask && mask.getCausal() ? rewriter.getUnitAttr() : nullptr,
      mask ? mask.getWindowAttr() : nullptr, scores.getSoftcapAttr());
  LDBG() << "fused into attn.sdpa" << (mask ? " (with attn.mask)" : "");
  rewriter.replaceOp(op, sdpa.getOut());
  rewriter.eraseOp(softmax);
  if (mask)
    rewriter.eraseOp(mask);
  rewriter.eraseOp(scores);
  return sdpa;
}

namespace {
struct FuseContextChain : OpRewritePattern<ContextOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ContextOp op,
                                PatternRewriter &rewriter) const override {
    return fuseToSdpa(rewriter, op);
  }
};

struct AttnFusePass : attn::impl::AttnFusePassBase<AttnFusePass> {
  using AttnFusePassBase::AttnFusePassBase;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFusePatterns(patterns);
    if (failed(applyReportingRefusals(getOperation(), std::move(patterns),
                                      "attn-fuse", reportRefusals)))
      signalPassFailure();
  }
};
} // namespace

void mlir::attn::populateFusePatterns(RewritePatternSet &patterns) {
  patterns.add<FuseContextChain>(patterns.getContext());
}
