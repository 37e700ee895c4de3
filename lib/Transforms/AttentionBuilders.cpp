//===- AttentionBuilders.cpp - linalg builders for attention --------------===//
//
// Implements the builders of AttentionBuilders.h.
//
//===----------------------------------------------------------------------===//

#include "AttentionBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/IRMapping.h"

#include <limits>

using namespace mlir;
using utils::IteratorType;

namespace mlir {
namespace attn {
namespace builders {
//===----------------------------------------------------------------------===//
// Small builders
//===----------------------------------------------------------------------===//

Value extToF32(OpBuilder &b, Location loc, Value v) {
  if (v.getType().isF32())
    return v;
  return arith::ExtFOp::create(b, loc, b.getF32Type(), v);
}

Value castFromF32(OpBuilder &b, Location loc, Value v, Type elt) {
  if (elt.isF32())
    return v;
  return arith::TruncFOp::create(b, loc, elt, v);
}

Value f32Constant(OpBuilder &b, Location loc, double value) {
  return arith::ConstantOp::create(
      b, loc, b.getF32FloatAttr(static_cast<float>(value)));
}

Value negInf(OpBuilder &b, Location loc) {
  return f32Constant(b, loc, -std::numeric_limits<double>::infinity());
}

/// A tensor of `sizes` filled with the f32 constant `value`.
Value createFilledF32(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
                      double value) {
  Value empty = tensor::EmptyOp::create(b, loc, sizes, b.getF32Type());
  return linalg::FillOp::create(b, loc, f32Constant(b, loc, value), empty)
      .getResult(0);
}

SmallVector<IteratorType> parallelThenReduction(int64_t numParallel) {
  SmallVector<IteratorType> iterators(numParallel, IteratorType::parallel);
  iterators.push_back(IteratorType::reduction);
  return iterators;
}

/// An elementwise `linalg.generic` over `inputs` (all of the shape of
/// `shapeSource`) producing a tensor of `resultElt`.
Value buildElementwise(
    OpBuilder &b, Location loc, Value shapeSource, ValueRange inputs,
    ArrayRef<AffineMap> inputMaps, Type resultElt,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  Value init = tensor::EmptyOp::create(
      b, loc, tensor::getMixedSizes(b, loc, shapeSource), resultElt);
  return buildElementwiseInto(b, loc, init, inputs, inputMaps, body);
}

Value buildElementwiseInto(
    OpBuilder &b, Location loc, Value init, ValueRange inputs,
    ArrayRef<AffineMap> inputMaps,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  int64_t rank = cast<RankedTensorType>(init.getType()).getRank();
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<IteratorType> iterators(rank, IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), inputs, init, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, body(nb, nloc, args));
      });
  return generic.getResult(0);
}

/// Casts `v` to `type` with `tensor.cast` when the verifier allowed the op's
/// result to be more static than its operands (e.g. `?` input, `2` result).
Value castToType(OpBuilder &b, Location loc, Value v, Type type) {
  if (v.getType() == type)
    return v;
  return tensor::CastOp::create(b, loc, type, v);
}

/// Rounds an f32 tensor to `elt` (no-op for f32).
Value convertTensor(OpBuilder &b, Location loc, Value t, Type elt) {
  auto type = cast<RankedTensorType>(t.getType());
  if (type.getElementType() == elt)
    return t;
  return buildElementwise(
      b, loc, t, t, b.getMultiDimIdentityMap(type.getRank()), elt,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        return castFromF32(nb, nloc, extToF32(nb, nloc, args[0]), elt);
      });
}

//===----------------------------------------------------------------------===//
// Attention building blocks
//===----------------------------------------------------------------------===//

/// init + Σ lhs · rhs over the last of 5 loops (4 parallel), in f32, with
/// the indexing `maps` (lhs, rhs, init).
static Value contractInto(OpBuilder &b, Location loc, Value lhs, Value rhs,
                          Value init, ArrayRef<AffineMap> maps) {
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), ValueRange{lhs, rhs}, init, maps,
      parallelThenReduction(4),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value prod = arith::MulFOp::create(
            nb, nloc, extToF32(nb, nloc, args[0]), extToF32(nb, nloc, args[1]));
        linalg::YieldOp::create(
            nb, nloc, Value(arith::AddFOp::create(nb, nloc, prod, args[2])));
      });
  return generic.getResult(0);
}

/// The expression of the K/V head read by query head `h`.
AffineExpr kvHeadExpr(AffineExpr h, int64_t numQueryHeads, int64_t numKvHeads) {
  int64_t group = numQueryHeads / numKvHeads;
  return group == 1 ? h : h.floorDiv(group);
}

/// s[b, h, i, j] = Σ_d q[b, h, i, d] · k[b, h / g, j, d], in f32, unscaled.
Value buildQueryKeyProduct(OpBuilder &b, Location loc, Value q, Value k) {
  auto qType = cast<RankedTensorType>(q.getType());
  auto kType = cast<RankedTensorType>(k.getType());
  MLIRContext *ctx = b.getContext();
  AffineExpr bD, hD, iD, jD, dD;
  bindDims(ctx, bD, hD, iD, jD, dD);
  AffineExpr kvHead = kvHeadExpr(hD, qType.getDimSize(1), kType.getDimSize(1));
  SmallVector<AffineMap> maps = {
      AffineMap::get(5, 0, {bD, hD, iD, dD}, ctx),
      AffineMap::get(5, 0, {bD, kvHead, jD, dD}, ctx),
      AffineMap::get(5, 0, {bD, hD, iD, jD}, ctx)};
  SmallVector<OpFoldResult> sizes = {
      tensor::getMixedSize(b, loc, q, 0), tensor::getMixedSize(b, loc, q, 1),
      tensor::getMixedSize(b, loc, q, 2), tensor::getMixedSize(b, loc, k, 2)};
  Value init = createFilledF32(b, loc, sizes, 0.0);
  return contractInto(b, loc, q, k, init, maps);
}

/// Applies `epilogue` to every score of `scores` ([B, Hq, Lq, Lk]) and rounds
/// the result to `resultElt`.
Value buildScoreEpilogue(OpBuilder &b, Location loc, Value scores,
                         const ScoreEpilogue &epilogue, Type resultElt) {
  MLIRContext *ctx = b.getContext();
  auto scoresType = cast<RankedTensorType>(scores.getType());
  SmallVector<Value> inputs = {scores};
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(4)};
  if (epilogue.mask) {
    // Unit batch/head dimensions of the mask broadcast.
    auto maskType = cast<RankedTensorType>(epilogue.mask.getType());
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < 4; ++d)
      exprs.push_back(d < 2 && maskType.getDimSize(d) == 1 &&
                              scoresType.getDimSize(d) != 1
                          ? getAffineConstantExpr(0, ctx)
                          : getAffineDimExpr(d, ctx));
    inputs.push_back(epilogue.mask);
    maps.push_back(AffineMap::get(4, 0, exprs, ctx));
  }
  if (epilogue.kvLens) {
    inputs.push_back(epilogue.kvLens);
    maps.push_back(AffineMap::get(4, 0, getAffineDimExpr(0, ctx), ctx));
  }
  // Bottom-right alignment: query i sits at i + (Lk - Lq) in the full
  // problem's key coordinates.
  Value alignOffset;
  if (epilogue.causal || epilogue.window) {
    Value lq = epilogue.fullQueryLen
                   ? epilogue.fullQueryLen
                   : Value(tensor::DimOp::create(b, loc, scores, 2));
    Value lk = epilogue.fullKeyLen
                   ? epilogue.fullKeyLen
                   : Value(tensor::DimOp::create(b, loc, scores, 3));
    alignOffset = arith::SubIOp::create(b, loc, lk, lq);
  }

  return buildElementwise(
      b, loc, scores, inputs, maps, resultElt,
      [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
        unsigned next = 1;
        Value maskArg = epilogue.mask ? args[next++] : Value();
        Value lensArg = epilogue.kvLens ? args[next++] : Value();
        Value s = extToF32(nb, nloc, args[0]);
        if (epilogue.scale)
          s = arith::MulFOp::create(nb, nloc, s,
                                    f32Constant(nb, nloc, *epilogue.scale));
        if (epilogue.softcap) {
          Value cap = f32Constant(nb, nloc, *epilogue.softcap);
          Value t = math::TanhOp::create(
              nb, nloc, arith::DivFOp::create(nb, nloc, s, cap));
          s = arith::MulFOp::create(nb, nloc, cap, t);
        }
        // Indices in the full problem.
        SmallVector<Value> indices;
        if (epilogue.scoreMod || epilogue.hasVisibility()) {
          Value offsets[] = {epilogue.batchOffset, epilogue.headOffset,
                             epilogue.queryOffset, epilogue.keyOffset};
          for (int64_t d = 0; d < 4; ++d) {
            Value index = linalg::IndexOp::create(nb, nloc, d);
            if (offsets[d])
              index = arith::AddIOp::create(nb, nloc, index, offsets[d]);
            indices.push_back(index);
          }
        }
        if (Block *block = epilogue.scoreMod) {
          IRMapping mapping;
          mapping.map(block->getArgument(0), s);
          for (int64_t d = 0; d < 4; ++d)
            mapping.map(block->getArgument(d + 1), indices[d]);
          for (Operation &op : block->without_terminator())
            nb.clone(op, mapping);
          s = mapping.lookup(block->getTerminator()->getOperand(0));
        }
        if (maskArg && isa<FloatType>(maskArg.getType()))
          s = arith::AddFOp::create(nb, nloc, s, extToF32(nb, nloc, maskArg));
        if (!epilogue.hasVisibility())
          return castFromF32(nb, nloc, s, resultElt);

        Value visible =
            arith::ConstantOp::create(nb, nloc, nb.getBoolAttr(true));
        auto conjoin = [&](Value cond) {
          visible = arith::AndIOp::create(nb, nloc, visible, cond);
        };
        if (alignOffset) {
          // diff = j - i' with i' = i + Lk - Lq.
          Value queryPos =
              arith::AddIOp::create(nb, nloc, indices[2], alignOffset);
          Value diff = arith::SubIOp::create(nb, nloc, indices[3], queryPos);
          auto indexConst = [&](int64_t v) -> Value {
            return arith::ConstantIndexOp::create(nb, nloc, v);
          };
          if (epilogue.causal)
            conjoin(arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::sle,
                                          diff, indexConst(0)));
          if (epilogue.window) {
            // The verifier guarantees left > INT64_MIN, so -left is exact.
            conjoin(arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::sge,
                                          diff,
                                          indexConst(-(*epilogue.window)[0])));
            conjoin(arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::sle,
                                          diff,
                                          indexConst((*epilogue.window)[1])));
          }
        }
        if (maskArg && !isa<FloatType>(maskArg.getType()))
          conjoin(maskArg);
        if (lensArg) {
          Value j =
              arith::IndexCastOp::create(nb, nloc, nb.getI64Type(), indices[3]);
          Value len =
              arith::ExtSIOp::create(nb, nloc, nb.getI64Type(), lensArg);
          conjoin(arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::slt, j,
                                        len));
        }
        if (epilogue.keyLimit)
          conjoin(arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::slt,
                                        indices[3], epilogue.keyLimit));
        s = arith::SelectOp::create(nb, nloc, visible, s, negInf(nb, nloc));
        return castFromF32(nb, nloc, s, resultElt);
      });
}

/// The row maximum with -inf replaced by 0, so that exp(x - max) is 0 rather
/// than NaN on fully masked rows.
Value safeMaxValue(OpBuilder &b, Location loc, Value max) {
  Value isNegInf = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, max,
                                         negInf(b, loc));
  return arith::SelectOp::create(b, loc, isNegInf, f32Constant(b, loc, 0.0),
                                 max);
}

/// softmax(x) along the last dimension, max-subtracted, statistics in f32.
SoftmaxParts buildSoftmax(OpBuilder &b, Location loc, Value x, Type probsElt) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(x.getType());
  unsigned rank = type.getRank();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, x);
  SmallVector<OpFoldResult> rowSizes(sizes.begin(), sizes.end() - 1);
  AffineMap full = AffineMap::getMultiDimIdentityMap(rank, ctx);
  // The row map drops the last loop; for rank 1 it has no result at all.
  AffineMap row = AffineMap::get(
      rank, 0,
      AffineMap::getMultiDimIdentityMap(rank, ctx).getResults().drop_back(),
      ctx);

  auto reduceRows =
      [&](Value input, double initValue,
          function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
        Value init = createFilledF32(b, loc, rowSizes, initValue);
        return reduceLastDim(b, loc, input, init, combine);
      };

  Value max =
      reduceRows(x, -std::numeric_limits<double>::infinity(),
                 [](OpBuilder &nb, Location nloc, Value v, Value acc) -> Value {
                   return arith::MaximumFOp::create(nb, nloc, v, acc);
                 });
  Value safeMax = buildElementwise(
      b, loc, max, max, AffineMap::getMultiDimIdentityMap(rank - 1, ctx),
      b.getF32Type(), [](OpBuilder &nb, Location nloc, ValueRange args) {
        return safeMaxValue(nb, nloc, args[0]);
      });
  Value exps = buildElementwise(
      b, loc, x, ValueRange{x, safeMax}, {full, row}, b.getF32Type(),
      [](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
        Value shifted = arith::SubFOp::create(
            nb, nloc, extToF32(nb, nloc, args[0]), args[1]);
        return math::ExpOp::create(nb, nloc, shifted);
      });
  Value sum = reduceRows(
      exps, 0.0, [](OpBuilder &nb, Location nloc, Value v, Value acc) -> Value {
        return arith::AddFOp::create(nb, nloc, v, acc);
      });
  Value probs = buildElementwise(
      b, loc, x, ValueRange{exps, sum}, {full, row}, probsElt,
      [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
        Value zero = f32Constant(nb, nloc, 0.0);
        Value isEmpty = arith::CmpFOp::create(
            nb, nloc, arith::CmpFPredicate::OEQ, args[1], zero);
        Value p = arith::DivFOp::create(nb, nloc, args[0], args[1]);
        p = arith::SelectOp::create(nb, nloc, isEmpty, zero, p);
        return castFromF32(nb, nloc, p, probsElt);
      });
  return {probs, safeMax, sum};
}

/// lse = safeMax + log(sum): -inf exactly for fully masked rows.
Value buildLogSumExp(OpBuilder &b, Location loc, const SoftmaxParts &parts) {
  auto type = cast<RankedTensorType>(parts.sum.getType());
  AffineMap id = b.getMultiDimIdentityMap(type.getRank());
  return buildElementwise(
      b, loc, parts.sum, ValueRange{parts.safeMax, parts.sum}, {id, id},
      b.getF32Type(), [](OpBuilder &nb, Location nloc, ValueRange args) {
        Value log = math::LogOp::create(nb, nloc, args[1]);
        return Value(arith::AddFOp::create(nb, nloc, args[0], log));
      });
}

/// out[b, h, i, e] = Σ_j p[b, h, i, j] · v[b, h / g, j, e], accumulated in
/// f32 and rounded to `resultElt`.
Value accumulateContext(OpBuilder &b, Location loc, Value p, Value v,
                        Value init) {
  auto pType = cast<RankedTensorType>(p.getType());
  auto vType = cast<RankedTensorType>(v.getType());
  MLIRContext *ctx = b.getContext();
  AffineExpr bD, hD, iD, eD, jD;
  bindDims(ctx, bD, hD, iD, eD, jD);
  AffineExpr kvHead = kvHeadExpr(hD, pType.getDimSize(1), vType.getDimSize(1));
  SmallVector<AffineMap> maps = {
      AffineMap::get(5, 0, {bD, hD, iD, jD}, ctx),
      AffineMap::get(5, 0, {bD, kvHead, jD, eD}, ctx),
      AffineMap::get(5, 0, {bD, hD, iD, eD}, ctx)};
  return contractInto(b, loc, p, v, init, maps);
}

Value buildContext(OpBuilder &b, Location loc, Value p, Value v,
                   Type resultElt) {
  SmallVector<OpFoldResult> sizes = {
      tensor::getMixedSize(b, loc, p, 0), tensor::getMixedSize(b, loc, p, 1),
      tensor::getMixedSize(b, loc, p, 2), tensor::getMixedSize(b, loc, v, 3)};
  Value init = createFilledF32(b, loc, sizes, 0.0);
  return convertTensor(b, loc, accumulateContext(b, loc, p, v, init),
                       resultElt);
}

Value reduceLastDim(
    OpBuilder &b, Location loc, Value input, Value init,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  MLIRContext *ctx = b.getContext();
  unsigned rank = cast<RankedTensorType>(input.getType()).getRank();
  AffineMap full = AffineMap::getMultiDimIdentityMap(rank, ctx);
  AffineMap row = AffineMap::get(rank, 0, full.getResults().drop_back(), ctx);
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), input, init, ArrayRef<AffineMap>{full, row},
      parallelThenReduction(rank - 1),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(
            nb, nloc, combine(nb, nloc, extToF32(nb, nloc, args[0]), args[1]));
      });
  return generic.getResult(0);
}

} // namespace builders
} // namespace attn
} // namespace mlir
