//===- FuseQkv.cpp - one projection for Q, K and V ------------------------===//
//
// Implements `attn-fuse-qkv`: the three attn.linear projections that compute
// Q, K and V of an attention from the same input become one attn.linear with
// the weights (and biases) concatenated along the output dimension, followed
// by one tensor.extract_slice per projection. Each output column is the same
// dot product as before, so results are unchanged.
//
// The attention is found from its consumers: an attn.sdpa, or an
// attn.context whose probabilities come through attn.softmax [and
// attn.mask] from attn.scores; Q, K and V are followed back through
// attn.split_heads to their projections.
//
//===----------------------------------------------------------------------===//

#include "attn/Transforms/Passes.h"
#include "attn/Transforms/Transforms.h"

#include "RefusalReporter.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/Support/DebugLog.h"

#define DEBUG_TYPE "attn-fuse-qkv"

namespace mlir {
namespace attn {
#define GEN_PASS_DEF_ATTNFUSEQKVPASS
#include "attn/Transforms/Passes.h.inc"
} // namespace attn
} // namespace mlir

using namespace mlir;
using namespace mlir::attn;

/// The projection computing `value`, seen through attn.split_heads.
static LinearOp getProjection(Value value) {
  if (auto split = value.getDefiningOp<SplitHeadsOp>())
    value = split.getInput();
  return value.getDefiningOp<LinearOp>();
}

/// True if `value` is available before `point`: a block argument of a block
/// enclosing it, or defined by an op that is before it in its block or in an
/// enclosing block.
static bool isDefinedBefore(Value value, Operation *point) {
  Block *block = value.getParentBlock();
  Operation *ancestor = block->findAncestorOpInBlock(*point);
  if (!ancestor)
    return false;
  Operation *def = value.getDefiningOp();
  return !def || def->isBeforeInBlock(ancestor);
}

FailureOr<LinearOp> mlir::attn::fuseQkvProjections(RewriterBase &rewriter,
                                                   LinearOp q, LinearOp k,
                                                   LinearOp v) {
  std::array<LinearOp, 3> projs{q, k, v};
  static constexpr StringLiteral names[] = {"query", "key", "value"};
  LDBG() << "candidate projections at " << q.getLoc() << ", " << k.getLoc()
         << ", " << v.getLoc();
  if (q == k || q == v || k == v) {
    LDBG() << "refused: two of Q, K and V are the same projection";
    return rewriter.notifyMatchFailure(
        q, "not fused: two of Q, K and V are the same projection");
  }
  for (int i = 1; i < 3; ++i) {
    Type qElt = getElementTypeOrSelf(q.getWeight().getType());
    Type elt = getElementTypeOrSelf(projs[i].getWeight().getType());
    if (elt != qElt) {
      LDBG() << "refused: the " << names[i] << " weights are " << elt
             << ", the query weights " << qElt;
      return rewriter.notifyMatchFailure(projs[i], [&](Diagnostic &diag) {
        diag << "not fused: the " << names[i] << " weights are " << elt
             << " while the query weights are " << qElt;
      });
    }
    if (static_cast<bool>(projs[i].getBias()) !=
        static_cast<bool>(q.getBias())) {
      LDBG() << "refused: only one of the query and " << names[i]
             << " projections has a bias";
      return rewriter.notifyMatchFailure(projs[i], [&](Diagnostic &diag) {
        diag << "not fused: the "
             << (q.getBias() ? names[0] : names[i]) << " projection has a "
             << "bias and the " << (q.getBias() ? names[i] : names[0])
             << " projection has none";
      });
    }
    if (projs[i].getInput() != q.getInput()) {
      LDBG() << "refused: the " << names[i]
             << " projection reads another input";
      return rewriter.notifyMatchFailure(projs[i], [&](Diagnostic &diag) {
        diag << "not fused: the " << names[i]
             << " projection reads another input than the query projection";
      });
    }
    if (projs[i]->getBlock() != q->getBlock()) {
      LDBG() << "refused: the " << names[i]
             << " projection is in another block";
      return rewriter.notifyMatchFailure(projs[i], [&](Diagnostic &diag) {
        diag << "not fused: the " << names[i]
             << " projection is in another block than the query projection";
      });
    }
  }
  for (auto [i, p] : llvm::enumerate(projs))
    if (cast<RankedTensorType>(p.getWeight().getType()).isDynamicDim(1)) {
      LDBG() << "refused: the output width of the " << names[i]
             << " projection is dynamic";
      return rewriter.notifyMatchFailure(p, [&, i = i](Diagnostic &diag) {
        diag << "not fused: the output width of the " << names[i]
             << " projection is dynamic";
      });
    }
  // The fused projection goes where the first of the three is.
  Operation *first = q;
  for (LinearOp p : projs)
    if (p->isBeforeInBlock(first))
      first = p;
  for (auto [i, p] : llvm::enumerate(projs))
    for (Value operand : {p.getWeight(), p.getBias()})
      if (operand && !isDefinedBefore(operand, first)) {
        LDBG() << "refused: the " << names[i]
               << " weights or bias are defined after the first projection";
        return rewriter.notifyMatchFailure(p, [&, i = i](Diagnostic &diag) {
          diag << "not fused: the " << names[i]
               << " weights or bias are defined after the first projection";
        });
      }

  Location loc = rewriter.getFusedLoc({q.getLoc(), k.getLoc(), v.getLoc()});
  rewriter.setInsertionPoint(first);
  SmallVector<Value> weights, biases;
  SmallVector<int64_t> widths;
  for (LinearOp p : projs) {
    weights.push_back(p.getWeight());
    if (p.getBias())
      biases.push_back(p.getBias());
    widths.push_back(
        cast<RankedTensorType>(p.getWeight().getType()).getDimSize(1));
  }
  Value weight = tensor::ConcatOp::create(rewriter, loc, /*dim=*/1, weights);
  Value bias;
  if (!biases.empty())
    bias = tensor::ConcatOp::create(rewriter, loc, /*dim=*/0, biases);
  auto qType = cast<RankedTensorType>(q.getType());
  auto weightType = cast<RankedTensorType>(weight.getType());
  SmallVector<int64_t> shape = llvm::to_vector(qType.getShape());
  shape.back() = weightType.getDimSize(1);
  auto fusedType = RankedTensorType::get(shape, qType.getElementType());
  auto fused = LinearOp::create(rewriter, loc, fusedType, q.getInput(),
                                weight, bias);
  LDBG() << "fused into one projection of width " << fusedType.getShape().back()
         << (bias ? " with bias" : "");

  // Slices along the last dimension; leading sizes from the fused result.
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(rewriter, loc, fused.getResult());
  int64_t rank = fusedType.getRank();
  int64_t offset = 0;
  for (auto [p, width] : llvm::zip_equal(projs, widths)) {
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
    offsets.back() = rewriter.getIndexAttr(offset);
    SmallVector<OpFoldResult> sliceSizes(sizes);
    sliceSizes.back() = rewriter.getIndexAttr(width);
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    auto slice = tensor::ExtractSliceOp::create(
        rewriter, p.getLoc(), cast<RankedTensorType>(p.getType()),
        fused.getResult(), offsets, sliceSizes, strides);
    offset += width;
    rewriter.replaceOp(p, slice.getResult());
  }
  return fused;
}

namespace {
/// Fuses the projections of the attention read by `query`, `key`, `value`.
LogicalResult fuseFrom(RewriterBase &rewriter, Value query, Value key,
                              Value value) {
  LinearOp q = getProjection(query), k = getProjection(key),
           v = getProjection(value);
  if (!q || !k || !v) {
    LDBG() << "not a candidate: Q, K or V is not an attn.linear projection";
    return failure();
  }
  return fuseQkvProjections(rewriter, q, k, v);
}

struct FuseSdpaProjections : OpRewritePattern<SdpaOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SdpaOp op,
                                PatternRewriter &rewriter) const override {
    return fuseFrom(rewriter, op.getQuery(), op.getKey(), op.getValue());
  }
};

struct FuseContextProjections : OpRewritePattern<ContextOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ContextOp op,
                                PatternRewriter &rewriter) const override {
    auto softmax = op.getProbs().getDefiningOp<SoftmaxOp>();
    if (!softmax)
      return failure();
    Value s = softmax.getInput();
    if (auto mask = s.getDefiningOp<MaskOp>())
      s = mask.getScores();
    auto scores = s.getDefiningOp<ScoresOp>();
    if (!scores)
      return failure();
    return fuseFrom(rewriter, scores.getQuery(), scores.getKey(),
                    op.getValue());
  }
};

struct AttnFuseQkvPass : attn::impl::AttnFuseQkvPassBase<AttnFuseQkvPass> {
  using AttnFuseQkvPassBase::AttnFuseQkvPassBase;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFuseQkvPatterns(patterns);
    if (failed(applyReportingRefusals(getOperation(), std::move(patterns),
                                      "attn-fuse-qkv", reportRefusals)))
      signalPassFailure();
  }
};
} // namespace

void mlir::attn::populateFuseQkvPatterns(RewritePatternSet &patterns) {
  patterns.add<FuseSdpaProjections, FuseContextProjections>(
      patterns.getContext());
}
