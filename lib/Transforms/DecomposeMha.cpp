//===- DecomposeMha.cpp - attn.mha to the decomposed attn ops -------------===//
//
// Implements `attn-decompose-mha`: the graph-level `attn.mha` becomes the
// projections, the head split, the attention steps and the head merge of the
// decomposed level. The rewrite is exact: every step op carries the same
// semantics the block had.
//
//===----------------------------------------------------------------------===//

#include "attn/Transforms/Passes.h"
#include "attn/Transforms/Transforms.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/Support/DebugLog.h"

#define DEBUG_TYPE "attn-decompose-mha"

namespace mlir {
namespace attn {
#define GEN_PASS_DEF_ATTNDECOMPOSEMHAPASS
#include "attn/Transforms/Passes.h.inc"
} // namespace attn
} // namespace mlir

using namespace mlir;
using namespace mlir::attn;

FailureOr<Value> mlir::attn::decomposeMha(RewriterBase &rewriter, MhaOp op) {
  Location loc = op.getLoc();
  Value x = op.getInput();
  RankedTensorType xType = op.getInput().getType();
  Type elt = xType.getElementType();
  int64_t batch = xType.getDimSize(0), seqLen = xType.getDimSize(1);
  int64_t numHeads = op.getNumHeads();
  int64_t numKvHeads = op.getNumKvHeadsOrDefault();
  int64_t headDim = op.getHeadDim();
  int64_t valueHeadDim = op.getValueHeadDim();
  LDBG() << "decomposing attn.mha at " << loc << ": " << numHeads
         << " query heads, " << numKvHeads << " key/value heads, head size "
         << headDim << ", value head size " << valueHeadDim
         << (op.getCausal() ? ", causal" : "");

  // Projection x · w, then [B, L, H·D] → [B, H, L, D].
  auto projectHeads = [&](Value w, int64_t heads, int64_t size) -> Value {
    auto flatType = RankedTensorType::get({batch, seqLen, heads * size}, elt);
    Value flat = LinearOp::create(rewriter, loc, flatType, x, w, Value());
    auto headType = RankedTensorType::get({batch, heads, seqLen, size}, elt);
    return SplitHeadsOp::create(rewriter, loc, headType, flat);
  };
  Value q = projectHeads(op.getWq(), numHeads, headDim);
  Value k = projectHeads(op.getWk(), numKvHeads, headDim);
  Value v = projectHeads(op.getWv(), numKvHeads, valueHeadDim);

  // Scores and probabilities in f32 (the accumulation type), whatever the
  // input type, so the decomposition rounds only where the block would.
  auto scoresType = RankedTensorType::get({batch, numHeads, seqLen, seqLen},
                                          rewriter.getF32Type());
  auto scale = rewriter.getF32FloatAttr(
      static_cast<float>(op.getScale() ? op.getScale()->convertToDouble()
                                       : 1.0 / std::sqrt(double(headDim))));
  Value scores = ScoresOp::create(rewriter, loc, scoresType, q, k, scale,
                                  /*softcap=*/nullptr);
  if (op.getCausal())
    scores = MaskOp::create(rewriter, loc, scoresType, scores, /*mask=*/Value(),
                            /*kv_lens=*/Value(), /*causal=*/true,
                            /*window=*/nullptr);
  Value probs = SoftmaxOp::create(rewriter, loc, scores);
  auto contextType =
      RankedTensorType::get({batch, numHeads, seqLen, valueHeadDim}, elt);
  Value context = ContextOp::create(rewriter, loc, contextType, probs, v);
  auto mergedType =
      RankedTensorType::get({batch, seqLen, numHeads * valueHeadDim}, elt);
  Value merged = MergeHeadsOp::create(rewriter, loc, mergedType, context);
  Value result = LinearOp::create(rewriter, loc, op.getResult().getType(),
                                  merged, op.getWo(), Value());
  rewriter.replaceOp(op, result);
  return result;
}

namespace {
struct DecomposeMhaPattern : OpRewritePattern<MhaOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MhaOp op,
                                PatternRewriter &rewriter) const override {
    return decomposeMha(rewriter, op);
  }
};

struct AttnDecomposeMhaPass
    : attn::impl::AttnDecomposeMhaPassBase<AttnDecomposeMhaPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateDecomposeMhaPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void mlir::attn::populateDecomposeMhaPatterns(RewritePatternSet &patterns) {
  patterns.add<DecomposeMhaPattern>(patterns.getContext());
}
