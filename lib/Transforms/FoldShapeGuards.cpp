//===- FoldShapeGuards.cpp - identities of dynamic-shape exports ----------===//
//
// Implements `attn-fold-shape-guards`: torch-mlir's runtime broadcast guards
// (a generic that reads `src[..., select(n == 1, 0, i), ...]`) and
// `tensor.reshape` to a shape tensor become their source, or a
// tensor.expand_shape / collapse_shape, when upstream's value-bounds
// analysis proves the sizes equal.
//
//===----------------------------------------------------------------------===//

#include "attn/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace attn {
#define GEN_PASS_DEF_ATTNFOLDSHAPEGUARDSPASS
#include "attn/Transforms/Passes.h.inc"
} // namespace attn
} // namespace mlir

using namespace mlir;
using namespace mlir::attn;

namespace {
/// A size of the reshape's shape: a compile-time constant, or an index
/// value.
struct Size {
  std::optional<int64_t> constant;
  Value value; // when not constant
};

/// `v` with index casts stripped (torch-mlir carries sizes as i64).
Value stripIndexCasts(Value v) {
  while (auto cast = v.getDefiningOp<arith::IndexCastOp>())
    v = cast.getIn();
  return v;
}

/// Whether dimension `dim` of the shaped value `a` provably has the size of
/// dimension `dim` of `b`.
bool sameDim(Value a, Value b, int64_t dim) {
  auto aType = cast<ShapedType>(a.getType());
  auto bType = cast<ShapedType>(b.getType());
  if (!aType.isDynamicDim(dim) && !bType.isDynamicDim(dim))
    return aType.getDimSize(dim) == bType.getDimSize(dim);
  FailureOr<bool> equal =
      ValueBoundsConstraintSet::areEqual({a, dim}, {b, dim});
  return succeeded(equal) && *equal;
}

/// Whether the index value `n` provably is the size of dimension `dim` of
/// the shaped value `shaped`.
bool isDimSize(Value n, Value shaped, int64_t dim) {
  n = stripIndexCasts(n);
  auto type = cast<ShapedType>(shaped.getType());
  APInt value;
  if (matchPattern(n, m_ConstantInt(&value)))
    return !type.isDynamicDim(dim) &&
           value.getSExtValue() == type.getDimSize(dim);
  if (!n.getType().isIndex())
    return false;
  FailureOr<bool> equal =
      ValueBoundsConstraintSet::areEqual({n}, {shaped, dim});
  return succeeded(equal) && *equal;
}

/// The loop dimension `v` reads, when it is `linalg.index d`.
std::optional<int64_t> loopIndex(Value v) {
  if (auto index = v.getDefiningOp<linalg::IndexOp>())
    return index.getDim();
  return std::nullopt;
}

/// A generic that copies `src` through `tensor.extract`, broadcasting its
/// dimensions of size 1 at run time — the identity when every dimension of
/// `src` has the result's size, or a plain broadcast generic when some unit
/// dimensions of `src` are read at 0 into larger ones.
struct FoldBroadcastGuard : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getNumDpsInputs() != 0 || op.getNumDpsInits() != 1 ||
        op->getNumResults() != 1 ||
        op.getNumParallelLoops() != op.getNumLoops() ||
        !op.getIndexingMapsArray()[0].isIdentity())
      return rewriter.notifyMatchFailure(op, "not an input-less copy");
    auto yield = cast<linalg::YieldOp>(op.getBlock()->getTerminator());
    auto extract = yield.getOperand(0).getDefiningOp<tensor::ExtractOp>();
    if (!extract || extract->getBlock() != op.getBlock())
      return rewriter.notifyMatchFailure(op, "does not yield an extract");
    Value src = extract.getTensor();
    if (src.getParentBlock() == op.getBlock())
      return rewriter.notifyMatchFailure(op, "reads a tensor it computes");
    Value result = op->getResult(0);
    auto srcType = cast<RankedTensorType>(src.getType());
    auto resultType = cast<RankedTensorType>(result.getType());
    if (srcType.getRank() != resultType.getRank() ||
        srcType.getElementType() != resultType.getElementType())
      return rewriter.notifyMatchFailure(op, "not a copy of one shape");

    // Dimensions read at 0 from a unit dimension of the source into a
    // larger one are real broadcasts (torch's expand of a size-1 dimension).
    SmallVector<bool> broadcast(srcType.getRank(), false);
    for (auto [dim, index] : llvm::enumerate(extract.getIndices())) {
      int64_t d = dim;
      // src[..., 0, ...] of a unit dimension.
      if (isConstantIntValue(index, 0)) {
        if (srcType.getDimSize(d) != 1)
          return rewriter.notifyMatchFailure(
              op, "reads one slice of a dimension that is not unit");
        broadcast[d] = resultType.getDimSize(d) != 1;
        continue;
      }
      if (!sameDim(src, result, d))
        return rewriter.notifyMatchFailure(
            op, "a dimension of the source is not provably the result's");
      if (loopIndex(index) == d)
        continue;
      // select(n == 1, 0, i): the identity when n is the dimension's size.
      auto select = index.getDefiningOp<arith::SelectOp>();
      auto cmp = select ? select.getCondition().getDefiningOp<arith::CmpIOp>()
                        : arith::CmpIOp();
      if (!cmp || cmp.getPredicate() != arith::CmpIPredicate::eq ||
          !isConstantIntValue(select.getTrueValue(), 0) ||
          loopIndex(select.getFalseValue()) != d)
        return rewriter.notifyMatchFailure(op, "an index is not a guarded "
                                               "loop index");
      Value n = cmp.getLhs();
      if (isConstantIntValue(n, 1))
        n = cmp.getRhs();
      else if (!isConstantIntValue(cmp.getRhs(), 1))
        return rewriter.notifyMatchFailure(op, "the guard does not test a "
                                               "size against 1");
      if (!isDimSize(n, src, d))
        return rewriter.notifyMatchFailure(
            op, "the guarded size is not provably the dimension's");
    }
    if (llvm::is_contained(broadcast, true)) {
      // The broadcast as a generic reading src through a map with constant
      // 0 on the broadcast dimensions — or reading the source of an
      // expand_shape that only inserted unit dimensions, skipping them
      // (torch's repeat of K/V heads: the form static exports have).
      MLIRContext *ctx = op.getContext();
      auto dimOrZero = [&](int64_t d) {
        return broadcast[d] ? getAffineConstantExpr(0, ctx)
                            : getAffineDimExpr(d, ctx);
      };
      Value input = src;
      SmallVector<AffineExpr> exprs;
      auto expand = src.getDefiningOp<tensor::ExpandShapeOp>();
      if (expand) {
        for (const ReassociationIndices &group :
             expand.getReassociationIndices()) {
          SmallVector<int64_t> nonUnit;
          for (int64_t d : group)
            if (srcType.getDimSize(d) != 1)
              nonUnit.push_back(d);
          if (nonUnit.size() > 1) {
            exprs.clear();
            break;
          }
          exprs.push_back(
              dimOrZero(nonUnit.empty() ? group.front() : nonUnit.front()));
        }
        if (!exprs.empty())
          input = expand.getSrc();
      }
      if (input == src)
        for (int64_t d = 0; d < srcType.getRank(); ++d)
          exprs.push_back(dimOrZero(d));
      int64_t rank = resultType.getRank();
      SmallVector<AffineMap> maps = {
          AffineMap::get(rank, 0, exprs, ctx),
          AffineMap::getMultiDimIdentityMap(rank, ctx)};
      rewriter.replaceOpWithNewOp<linalg::GenericOp>(
          op, resultType, ValueRange{input}, op.getDpsInits(), maps,
          op.getIteratorTypesArray(),
          [](OpBuilder &b, Location loc, ValueRange args) {
            linalg::YieldOp::create(b, loc, args[0]);
          });
      return success();
    }
    Value replacement = src;
    if (srcType != resultType)
      replacement =
          tensor::CastOp::create(rewriter, op.getLoc(), resultType, src);
    rewriter.replaceOp(op, replacement);
    return success();
  }
};

/// `tensor.reshape` to the shape of a `tensor.from_elements` or a constant,
/// as a `tensor.expand_shape` or `tensor.collapse_shape` when the sizes
/// group exactly into the source's.
struct ReshapeToExpandCollapse : OpRewritePattern<tensor::ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto srcType = dyn_cast<RankedTensorType>(op.getSource().getType());
    auto resultType = dyn_cast<RankedTensorType>(op.getResult().getType());
    if (!srcType || !resultType)
      return rewriter.notifyMatchFailure(op, "unranked");
    SmallVector<Size> target;
    Value shape = op.getShape();
    DenseIntElementsAttr constShape;
    if (auto elements = shape.getDefiningOp<tensor::FromElementsOp>()) {
      for (Value element : elements.getElements()) {
        Value size = stripIndexCasts(element);
        APInt value;
        if (matchPattern(size, m_ConstantInt(&value)))
          target.push_back({value.getSExtValue(), Value()});
        else if (size.getType().isIndex())
          target.push_back({std::nullopt, size});
        else
          return rewriter.notifyMatchFailure(op, "a size is not an index");
      }
    } else if (matchPattern(shape, m_Constant(&constShape))) {
      for (APInt value : constShape.getValues<APInt>())
        target.push_back({value.getSExtValue(), Value()});
    } else {
      return rewriter.notifyMatchFailure(op, "the shape is not built here");
    }
    if (static_cast<int64_t>(target.size()) != resultType.getRank())
      return rewriter.notifyMatchFailure(op, "shape and type disagree");
    for (auto [size, dim] : llvm::zip(target, resultType.getShape()))
      if (size.constant && !ShapedType::isDynamic(dim) && *size.constant != dim)
        return rewriter.notifyMatchFailure(op, "shape and type disagree");

    Value src = op.getSource();
    // Does target size `t` provably equal source dimension `d`?
    auto equalsSource = [&](const Size &t, int64_t d) {
      if (t.constant)
        return !srcType.isDynamicDim(d) && srcType.getDimSize(d) == *t.constant;
      return isDimSize(t.value, src, d);
    };
    auto staticSource = [&](int64_t d) -> std::optional<int64_t> {
      if (srcType.isDynamicDim(d))
        return std::nullopt;
      return srcType.getDimSize(d);
    };
    auto staticTarget = [&](int64_t d) { return target[d].constant; };

    int64_t srcRank = srcType.getRank(), dstRank = resultType.getRank();
    bool expand = dstRank > srcRank;
    // Group the dimensions of the higher rank into those of the lower one.
    int64_t smallRank = expand ? srcRank : dstRank;
    int64_t bigRank = expand ? dstRank : srcRank;
    auto bigStatic = [&](int64_t d) {
      return expand ? staticTarget(d) : staticSource(d);
    };
    auto smallStatic = [&](int64_t d) {
      return expand ? staticSource(d) : staticTarget(d);
    };
    auto sameSize = [&](int64_t small, int64_t big) {
      return expand ? equalsSource(target[big], small)
                    : equalsSource(target[small], big);
    };
    if (smallRank == 0)
      return rewriter.notifyMatchFailure(op, "a rank-0 reshape");

    SmallVector<ReassociationIndices> groups;
    int64_t big = 0;
    for (int64_t small = 0; small < smallRank; ++small) {
      ReassociationIndices group;
      std::optional<int64_t> want = smallStatic(small);
      if (want) {
        // Static: a run of static sizes of this product (leading unit
        // dimensions included); a unit size takes one unit dimension.
        int64_t product = 1;
        while (big < bigRank && product < *want) {
          std::optional<int64_t> have = bigStatic(big);
          if (!have || *have == 0)
            break;
          product *= *have;
          group.push_back(big++);
        }
        if (group.empty() && *want == 1 && big < bigRank && bigStatic(big) == 1)
          group.push_back(big++);
        if (group.empty() || product != *want)
          return rewriter.notifyMatchFailure(op, "static sizes do not group");
      } else {
        // Dynamic: unit dimensions, then one provably equal size.
        while (big < bigRank && bigStatic(big) == 1 && !sameSize(small, big))
          group.push_back(big++);
        if (big == bigRank || !sameSize(small, big))
          return rewriter.notifyMatchFailure(
              op, "a dynamic size is not provably the source's");
        group.push_back(big++);
      }
      groups.push_back(group);
    }
    // Trailing unit dimensions join the last group.
    for (; big < bigRank; ++big) {
      if (bigStatic(big) != 1)
        return rewriter.notifyMatchFailure(op, "sizes left over");
      groups.back().push_back(big);
    }

    Location loc = op.getLoc();
    if (srcRank == dstRank) {
      rewriter.replaceOpWithNewOp<tensor::CastOp>(op, resultType, src);
      return success();
    }
    if (!expand) {
      Value collapsed =
          tensor::CollapseShapeOp::create(rewriter, loc, src, groups);
      if (collapsed.getType() != resultType)
        collapsed =
            tensor::CastOp::create(rewriter, loc, resultType, collapsed);
      rewriter.replaceOp(op, collapsed);
      return success();
    }
    SmallVector<OpFoldResult> outputShape;
    for (auto [d, size] : llvm::enumerate(target)) {
      if (!resultType.isDynamicDim(d)) {
        outputShape.push_back(rewriter.getIndexAttr(resultType.getDimSize(d)));
      } else if (size.constant) {
        outputShape.push_back(
            arith::ConstantIndexOp::create(rewriter, loc, *size.constant)
                .getResult());
      } else {
        outputShape.push_back(size.value);
      }
    }
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(op, resultType, src,
                                                       groups, outputShape);
    return success();
  }
};

struct AttnFoldShapeGuardsPass
    : attn::impl::AttnFoldShapeGuardsPassBase<AttnFoldShapeGuardsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldBroadcastGuard, ReshapeToExpandCollapse>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
