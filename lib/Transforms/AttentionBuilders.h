//===- AttentionBuilders.h - linalg builders for attention ------*- C++ -*-===//
//
// Builders shared by the lowerings of attention (attn-lower-unfused,
// attn-tile-flash, attn-split-kv): the Q·Kᵀ contraction, the per-score epilogue
// (scale, softcap, score_mod, masks, visibility), the softmax pieces and P·V,
// all as linalg on tensors with f32 accumulation. Private to lib/Transforms.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_TRANSFORMS_ATTENTIONBUILDERS_H
#define ATTN_LIB_TRANSFORMS_ATTENTIONBUILDERS_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/TypeUtilities.h"

#include <optional>

namespace mlir {
namespace attn {
namespace builders {

/// Everything applied to one score after the dot product, in the order the
/// op descriptions fix: scale, softcap, score_mod, float mask, visibility.
struct ScoreEpilogue {
  std::optional<double> scale;
  std::optional<double> softcap;
  Block *scoreMod = nullptr;
  Value mask;
  Value kvLens;
  /// Keys at or past this index of the full problem are invisible (the
  /// padding of a partial key block); null: none.
  Value keyLimit;
  bool causal = false;
  std::optional<ArrayRef<int64_t>> window;
  /// Where this block of scores sits in the full problem: offsets added to
  /// the local (b, h, i, j) indices, and the full sequence lengths used for
  /// the bottom-right alignment. Null values mean 0 and the block's own
  /// sizes.
  Value batchOffset, headOffset, queryOffset, keyOffset;
  Value fullQueryLen, fullKeyLen;

  bool hasVisibility() const {
    return causal || window || kvLens || keyLimit ||
           (mask && isa<IntegerType>(getElementTypeOrSelf(mask)));
  }
};

/// The pieces of a materialised softmax over the last dimension.
struct SoftmaxParts {
  Value probs;
  /// Row maximum with -inf replaced by 0 ([..] without the last dim), f32.
  Value safeMax;
  /// Row sum of exp(x - safeMax), f32; 0 exactly for fully masked rows.
  Value sum;
};

Value extToF32(OpBuilder &b, Location loc, Value v);

Value castFromF32(OpBuilder &b, Location loc, Value v, Type elt);

Value f32Constant(OpBuilder &b, Location loc, double value);

Value negInf(OpBuilder &b, Location loc);

/// Index arithmetic at one insertion point (signed unless named otherwise).
struct IndexMath {
  OpBuilder &b;
  Location loc;
  Value c(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value min(Value x, Value y) { return arith::MinSIOp::create(b, loc, x, y); }
  Value max(Value x, Value y) { return arith::MaxSIOp::create(b, loc, x, y); }
  Value floorDiv(Value x, Value y) {
    return arith::FloorDivSIOp::create(b, loc, x, y);
  }
  Value ceilDiv(Value x, Value y) {
    return arith::CeilDivSIOp::create(b, loc, x, y);
  }
  /// x / y and x mod y for non-negative values.
  Value divU(Value x, Value y) { return arith::DivUIOp::create(b, loc, x, y); }
  Value remU(Value x, Value y) { return arith::RemUIOp::create(b, loc, x, y); }
  Value cmp(arith::CmpIPredicate predicate, Value x, Value y) {
    return arith::CmpIOp::create(b, loc, predicate, x, y);
  }
  Value select(Value cond, Value x, Value y) {
    return arith::SelectOp::create(b, loc, cond, x, y);
  }
  /// x >= y ? a : bv
  Value selectGe(Value x, Value y, Value a, Value bv) {
    return select(cmp(arith::CmpIPredicate::sge, x, y), a, bv);
  }
};

/// A tensor of `sizes` filled with the f32 constant `value`.
Value createFilledF32(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
                      double value);

SmallVector<utils::IteratorType> parallelThenReduction(int64_t numParallel);

/// An elementwise `linalg.generic` over `inputs` (all of the shape of
/// `shapeSource`) producing a tensor of `resultElt`.
Value buildElementwise(
    OpBuilder &b, Location loc, Value shapeSource, ValueRange inputs,
    ArrayRef<AffineMap> inputMaps, Type resultElt,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body);

/// Like buildElementwise, writing into `init` (destination-passing), so that
/// the result may reuse its buffer.
Value buildElementwiseInto(
    OpBuilder &b, Location loc, Value init, ValueRange inputs,
    ArrayRef<AffineMap> inputMaps,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body);

/// Casts `v` to `type` with `tensor.cast` when the verifier allowed the op's
/// result to be more static than its operands (e.g. `?` input, `2` result).
Value castToType(OpBuilder &b, Location loc, Value v, Type type);

/// Rounds an f32 tensor to `elt` (no-op for f32).
Value convertTensor(OpBuilder &b, Location loc, Value t, Type elt);

/// The expression of the K/V head read by query head `h`.
AffineExpr kvHeadExpr(AffineExpr h, int64_t numQueryHeads, int64_t numKvHeads);

/// s[b, h, i, j] = Σ_d q[b, h, i, d] · k[b, h / g, j, d], in f32, unscaled.
Value buildQueryKeyProduct(OpBuilder &b, Location loc, Value q, Value k);

/// Applies `epilogue` to every score of `scores` ([B, Hq, Lq, Lk]) and rounds
/// the result to `resultElt`.
Value buildScoreEpilogue(OpBuilder &b, Location loc, Value scores,
                         const ScoreEpilogue &epilogue, Type resultElt);

/// The row maximum with -inf replaced by 0, so that exp(x - max) is 0 rather
/// than NaN on fully masked rows.
Value safeMaxValue(OpBuilder &b, Location loc, Value max);

/// softmax(x) along the last dimension, max-subtracted, statistics in f32.
SoftmaxParts buildSoftmax(OpBuilder &b, Location loc, Value x, Type probsElt);

/// lse = safeMax + log(sum): -inf exactly for fully masked rows.
Value buildLogSumExp(OpBuilder &b, Location loc, const SoftmaxParts &parts);

/// out[b, h, i, e] = Σ_j p[b, h, i, j] · v[b, h / g, j, e], accumulated in
/// f32 and rounded to `resultElt`.
Value buildContext(OpBuilder &b, Location loc, Value p, Value v,
                   Type resultElt);

/// init[b, h, i, e] + Σ_j p[b, h, i, j] · v[b, h / g, j, e] in f32 (`init`
/// is an f32 tensor [B, Hq, Lq, Dv]).
Value accumulateContext(OpBuilder &b, Location loc, Value p, Value v,
                        Value init);

/// Reduces `input` over its last dimension into `init` (its shape without
/// the last dimension, f32) with `combine(value, accumulator)`.
Value reduceLastDim(
    OpBuilder &b, Location loc, Value input, Value init,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine);

} // namespace builders
} // namespace attn
} // namespace mlir

#endif // ATTN_LIB_TRANSFORMS_ATTENTIONBUILDERS_H
