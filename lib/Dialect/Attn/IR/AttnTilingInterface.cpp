//===- AttnTilingInterface.cpp - TilingInterface of attn.sdpa -------------===//
//
// Implements the TilingInterface of `attn.sdpa` over its parallel iteration
// space (B, Hq, Lq, Dv), so that upstream tiling (scf::tileUsingSCF, the
// transform ops `tile_using_for` / `tile_using_forall`) splits it into tiles
// of queries. Every tile sees all keys; its `tile_origin` records where its
// queries sit in the full problem (and keeps the key origin j0, Lk_total of
// a six-operand origin), so causal/window alignment and score_mod indices
// stay those of the untiled op. The key dimension is a reduction
// with online-softmax state and is handled by `attn-tile-flash`.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace mlir::attn;

SmallVector<utils::IteratorType> SdpaOp::getLoopIteratorTypes() {
  return SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel);
}

SmallVector<Range> SdpaOp::getIterationDomain(OpBuilder &b) {
  Location loc = getLoc();
  OpFoldResult zero = b.getIndexAttr(0), one = b.getIndexAttr(1);
  SmallVector<Range> domain;
  for (int64_t d = 0; d < 3; ++d)
    domain.push_back(
        Range{zero, tensor::getMixedSize(b, loc, getQuery(), d), one});
  domain.push_back(Range{zero, b.getIndexAttr(getValueHeadDim()), one});
  return domain;
}

/// A ranked tensor type of `sizes` (static where they are constants).
static RankedTensorType getTileType(ArrayRef<OpFoldResult> sizes,
                                    Type elementType) {
  SmallVector<int64_t> shape;
  for (OpFoldResult size : sizes)
    shape.push_back(getConstantIntValue(size).value_or(ShapedType::kDynamic));
  return RankedTensorType::get(shape, elementType);
}

static Value extractTile(OpBuilder &b, Location loc, Value source,
                         ArrayRef<OpFoldResult> offsets,
                         ArrayRef<OpFoldResult> sizes) {
  SmallVector<OpFoldResult> strides(offsets.size(), b.getIndexAttr(1));
  auto type = cast<RankedTensorType>(source.getType());
  return tensor::ExtractSliceOp::create(
      b, loc, getTileType(sizes, type.getElementType()), source, offsets,
      sizes, strides);
}

FailureOr<TilingResult>
SdpaOp::getTiledImplementation(OpBuilder &b, ArrayRef<OpFoldResult> offsets,
                               ArrayRef<OpFoldResult> sizes) {
  Location loc = getLoc();
  MLIRContext *ctx = getContext();
  std::optional<int64_t> headTile = getConstantIntValue(sizes[1]);
  std::optional<int64_t> valueTile = getConstantIntValue(sizes[3]);
  if (!headTile || !valueTile)
    return emitOpError() << "cannot be tiled with a non-constant tile of "
                            "heads or of the value head dimension (tiles of "
                            "attn.sdpa keep static head counts and sizes)";
  int64_t group = getNumQueryHeads() / getNumKvHeads();
  if (*headTile % group != 0 && group % *headTile != 0)
    return emitOpError() << "cannot be tiled with " << *headTile
                         << " query heads per tile: the tile must cover whole "
                            "groups of "
                         << group << " query heads or divide one";
  if (getLse() && *valueTile != getValueHeadDim())
    return emitOpError() << "cannot tile the value head dimension when the "
                            "lse result is present (each tile would "
                            "recompute and overwrite it)";

  // K/V heads read by the query heads [h0, h0 + th).
  AffineExpr h0;
  bindSymbols(ctx, h0);
  OpFoldResult kvHeadOffset = affine::makeComposedFoldedAffineApply(
      b, loc, h0.floorDiv(group), {offsets[1]});
  OpFoldResult kvHeadSize =
      b.getIndexAttr(*headTile % group == 0 ? *headTile / group : 1);

  OpFoldResult zero = b.getIndexAttr(0), one = b.getIndexAttr(1);
  OpFoldResult keyLen = tensor::getMixedSize(b, loc, getKey(), 2);
  SmallVector<Operation *> slices;
  auto slice = [&](Value source, ArrayRef<OpFoldResult> tileOffsets,
                   ArrayRef<OpFoldResult> tileSizes) {
    Value tile = extractTile(b, loc, source, tileOffsets, tileSizes);
    slices.push_back(tile.getDefiningOp());
    return tile;
  };
  Value q = slice(getQuery(), {offsets[0], offsets[1], offsets[2], zero},
                  {sizes[0], sizes[1], sizes[2],
                   b.getIndexAttr(getHeadDim())});
  Value k = slice(getKey(), {offsets[0], kvHeadOffset, zero, zero},
                  {sizes[0], kvHeadSize, keyLen, b.getIndexAttr(getHeadDim())});
  Value v = slice(getValue(), {offsets[0], kvHeadOffset, zero, offsets[3]},
                  {sizes[0], kvHeadSize, keyLen, sizes[3]});
  Value mask;
  if (Value fullMask = getMask()) {
    // Statically unit batch/head dimensions broadcast and are not sliced.
    auto maskType = cast<RankedTensorType>(fullMask.getType());
    bool unitBatch = maskType.getDimSize(0) == 1;
    bool unitHead = maskType.getDimSize(1) == 1;
    mask = slice(fullMask,
                 {unitBatch ? zero : offsets[0], unitHead ? zero : offsets[1],
                  offsets[2], zero},
                 {unitBatch ? one : sizes[0], unitHead ? one : sizes[1],
                  sizes[2], keyLen});
  }
  Value kvLens;
  if (getKvLens())
    kvLens = slice(getKvLens(), {offsets[0]}, {sizes[0]});

  // The tile's origin in the full problem.
  auto add = [&](Value base, OpFoldResult offset) -> Value {
    AffineExpr s0, s1;
    bindSymbols(ctx, s0, s1);
    OpFoldResult sum = affine::makeComposedFoldedAffineApply(
        b, loc, s0 + s1, {base ? OpFoldResult(base) : zero, offset});
    return getValueOrCreateConstantIndexOp(b, loc, sum);
  };
  SmallVector<Value> origin = {
      add(getBatchOffset(), offsets[0]), add(getHeadOffset(), offsets[1]),
      add(getQueryOffset(), offsets[2]),
      getFullQueryLen()
          ? getFullQueryLen()
          : Value(tensor::DimOp::create(b, loc, getQuery(), 2))};
  // Every tile sees all keys of the op, so the keys keep their origin.
  if (getKeyOffset()) {
    origin.push_back(getKeyOffset());
    origin.push_back(getFullKeyLen());
  }

  Type outType = getTileType(sizes, getOut().getType().getElementType());
  Type lseType = getLse() ? getTileType(sizes.take_front(3), b.getF32Type())
                          : Type();
  auto tiled = SdpaOp::create(b, loc, outType, lseType, q, k, v, mask, kvLens,
                              origin, getScaleAttr(), getCausalAttr(),
                              getWindowAttr(), getSoftcapAttr());
  IRMapping mapping;
  getScoreMod().cloneInto(&tiled.getScoreMod(), mapping);
  return TilingResult{{tiled}, SmallVector<Value>(tiled->getResults()), slices};
}

LogicalResult SdpaOp::getResultTilePosition(
    OpBuilder &b, unsigned resultNumber, ArrayRef<OpFoldResult> offsets,
    ArrayRef<OpFoldResult> sizes, SmallVector<OpFoldResult> &resultOffsets,
    SmallVector<OpFoldResult> &resultSizes) {
  unsigned rank = resultNumber == 0 ? 4 : 3;
  resultOffsets.assign(offsets.begin(), offsets.begin() + rank);
  resultSizes.assign(sizes.begin(), sizes.begin() + rank);
  return success();
}

FailureOr<TilingResult>
SdpaOp::generateResultTileValue(OpBuilder &b, unsigned resultNumber,
                                ArrayRef<OpFoldResult> offsets,
                                ArrayRef<OpFoldResult> sizes) {
  SmallVector<OpFoldResult> iterOffsets(offsets), iterSizes(sizes);
  if (resultNumber == 1) {
    // The lse does not depend on Dv: compute the whole value dimension.
    iterOffsets.push_back(b.getIndexAttr(0));
    iterSizes.push_back(b.getIndexAttr(getValueHeadDim()));
  }
  return getTiledImplementation(b, iterOffsets, iterSizes);
}
