//===- TileFlash.cpp - attn.sdpa to FlashAttention loop nests -------------===//
//
// Implements `attn-tile-flash`. Queries are tiled through the TilingInterface
// of attn.sdpa (upstream scf::tileUsingSCF into an scf.forall); each tile is
// then decomposed into loops over blocks of keys that carry the online
// softmax state (row max, row sum, unnormalised output). Key blocks are
// classified from the query block's bounds: invisible blocks are skipped,
// fully visible ones run without visibility arithmetic, boundary blocks are
// masked. The per-block computation reuses the builders of the unfused
// lowering, so both strategies share one definition of every score.
//
//===----------------------------------------------------------------------===//

#include "attn/Transforms/Passes.h"
#include "attn/Transforms/Transforms.h"

#include "AttentionBuilders.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Utils/Utils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include "llvm/Support/DebugLog.h"
#include "llvm/Support/FormatVariadic.h"

#include <limits>

#define DEBUG_TYPE "attn-tile-flash"

namespace mlir {
namespace attn {
#define GEN_PASS_DEF_ATTNTILEFLASHPASS
#include "attn/Transforms/Passes.h.inc"
} // namespace attn
} // namespace mlir

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::builders;

/// Window bounds are clamped to ±2^40 keys before they enter index
/// arithmetic: larger values mean "unbounded" for any real sequence, and the
/// clamp keeps `position + bound` from overflowing.
static int64_t clampWindowBound(int64_t bound) {
  constexpr int64_t kLimit = int64_t(1) << 40;
  return std::clamp(bound, -kLimit, kLimit);
}

namespace {
/// The key blocks of one query block, in units of blocks: [lo, unmaskedLo)
/// and [unmaskedHi, hi) are masked, [unmaskedLo, unmaskedHi) is fully
/// visible, everything outside [lo, hi) is invisible.
template <typename T>
struct KeyBlockRanges {
  T lo, unmaskedLo, unmaskedHi, hi;
};

/// Integer operations for the classification, over index Values (IR,
/// builders::IndexMath) or int64_t (compile-time report), so both follow
/// one formula.
using IRIndexMath = IndexMath;

struct IntIndexMath {
  int64_t c(int64_t v) { return v; }
  int64_t add(int64_t x, int64_t y) { return x + y; }
  int64_t sub(int64_t x, int64_t y) { return x - y; }
  int64_t min(int64_t x, int64_t y) { return std::min(x, y); }
  int64_t max(int64_t x, int64_t y) { return std::max(x, y); }
  int64_t floorDiv(int64_t x, int64_t y) { return llvm::divideFloorSigned(x, y); }
  int64_t ceilDiv(int64_t x, int64_t y) { return llvm::divideCeilSigned(x, y); }
  int64_t selectGe(int64_t x, int64_t y, int64_t a, int64_t b) {
    return x >= y ? a : b;
  }
};

/// What restricts the visible keys of a query block.
struct Visibility {
  bool causal = false;
  std::optional<std::pair<int64_t, int64_t>> window;
};
} // namespace

/// Classifies the blocks of `blockSize` keys that start at `keyBegin` and
/// cover [keyBegin, keyEnd), for the queries at aligned positions
/// [firstPos, lastPos] (i' = i + Lk - Lq), when only the first `visibleLen`
/// keys may be visible (kv_lens). Block indices are relative to keyBegin.
template <typename Math, typename T>
static KeyBlockRanges<T>
classifyKeyBlocks(Math m, const Visibility &vis, T firstPos, T lastPos,
                  T keyBegin, T keyEnd, T visibleLen, int64_t blockSize,
                  bool onlyFullUnmasked = false) {
  // Keys any query of the block sees: [lo, hi); keys all of them see:
  // [allLo, allHi).
  T lo = keyBegin, hi = m.min(keyEnd, visibleLen);
  T allLo = lo, allHi = hi;
  if (vis.causal) {
    hi = m.min(hi, m.add(lastPos, m.c(1)));
    allHi = m.min(allHi, m.add(firstPos, m.c(1)));
  }
  if (vis.window) {
    int64_t left = clampWindowBound(vis.window->first);
    int64_t right = clampWindowBound(vis.window->second);
    lo = m.max(lo, m.sub(firstPos, m.c(left)));
    hi = m.min(hi, m.add(lastPos, m.c(right + 1)));
    allLo = m.max(allLo, m.sub(lastPos, m.c(left)));
    allHi = m.min(allHi, m.add(firstPos, m.c(right + 1)));
  }
  // Relative to keyBegin from here on.
  lo = m.sub(m.max(lo, keyBegin), keyBegin);
  hi = m.sub(hi, keyBegin);
  allLo = m.sub(allLo, keyBegin);
  allHi = m.sub(allHi, keyBegin);
  T keyLen = m.sub(keyEnd, keyBegin);
  T size = m.c(blockSize);
  KeyBlockRanges<T> r;
  r.lo = m.floorDiv(lo, size);
  r.hi = m.max(m.ceilDiv(m.max(hi, m.c(0)), size), r.lo);
  r.unmaskedLo = m.min(m.max(m.ceilDiv(allLo, size), r.lo), r.hi);
  // A block is fully visible when all its keys are; the last block may be
  // partial, so when every key up to the end is visible it counts too.
  T fullBlocksEnd = m.selectGe(allHi, keyLen, m.ceilDiv(keyLen, size),
                               m.floorDiv(allHi, size));
  if (onlyFullUnmasked)
    fullBlocksEnd = m.min(fullBlocksEnd, m.floorDiv(keyLen, size));
  r.unmaskedHi = m.max(m.min(fullBlocksEnd, r.hi), r.unmaskedLo);
  return r;
}

/// `source` padded with zeros at the end of dimension `dim` to `size`.
static Value padDimTo(OpBuilder &b, Location loc, Value source, int64_t dim,
                      int64_t size) {
  auto type = cast<RankedTensorType>(source.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[dim] = size;
  Value zero =
      arith::ConstantOp::create(b, loc, b.getZeroAttr(type.getElementType()));
  return tensor::createPadHighOp(
      RankedTensorType::get(shape, type.getElementType()), source, zero,
      /*nofold=*/false, loc, b);
}

static Visibility getVisibility(SdpaOp op) {
  Visibility vis;
  vis.causal = op.getCausal();
  if (std::optional<ArrayRef<int64_t>> window = op.getWindow())
    vis.window = std::make_pair((*window)[0], (*window)[1]);
  return vis;
}

OnlineSoftmaxState mlir::attn::buildOnlineSoftmax(OpBuilder &rewriter,
                                                  SdpaOp op, int64_t tileKv,
                                                  Value keyBegin, Value keyEnd,
                                                  bool staticBlocks,
                                                  int64_t padRows) {
  Location loc = op.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  IRIndexMath im{rewriter, loc};

  Value q = op.getQuery(), k = op.getKey(), v = op.getValue();
  Value mask = op.getMask();
  auto qType = cast<RankedTensorType>(q.getType());
  Value queryLen = tensor::DimOp::create(rewriter, loc, q, 2);
  // Padding the rows of a partial query tile (and of a per-query mask) gives
  // the block computations static sizes; the padded rows are dropped by
  // finalizeOnlineSoftmax.
  Value realRows;
  auto staticExceptRows = [](Value value) {
    auto type = cast<RankedTensorType>(value.getType());
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (d != 2 && type.isDynamicDim(d))
        return false;
    return true;
  };
  if (staticBlocks && padRows > 0 && qType.isDynamicDim(2) &&
      staticExceptRows(q) && (!mask || staticExceptRows(mask)) &&
      !cast<RankedTensorType>(v.getType()).isDynamicDim(3)) {
    realRows = queryLen;
    LDBG() << "query rows padded to " << padRows << " (static blocks)";
    q = padDimTo(rewriter, loc, q, 2, padRows);
    qType = cast<RankedTensorType>(q.getType());
    if (mask && cast<RankedTensorType>(mask.getType()).getDimSize(2) != 1)
      mask = padDimTo(rewriter, loc, mask, 2, padRows);
  }
  SmallVector<OpFoldResult> qSizes = tensor::getMixedSizes(rewriter, loc, q);
  SmallVector<OpFoldResult> rowSizes(qSizes.begin(), qSizes.begin() + 3);
  SmallVector<OpFoldResult> accSizes = rowSizes;
  accSizes.push_back(rewriter.getIndexAttr(op.getValueHeadDim()));
  double negInfinity = -std::numeric_limits<double>::infinity();
  Value m0 = createFilledF32(rewriter, loc, rowSizes, negInfinity);
  Value l0 = createFilledF32(rewriter, loc, rowSizes, 0.0);
  Value acc0 = createFilledF32(rewriter, loc, accSizes, 0.0);

  // Positions of this block of queries in the full problem, and of its
  // keys: key j of the op is key keyOffset + j of fullKeyLen keys.
  Value keyLen = tensor::DimOp::create(rewriter, loc, k, 2);
  Value queryOffset = op.getQueryOffset() ? op.getQueryOffset() : im.c(0);
  Value fullQueryLen = op.getFullQueryLen() ? op.getFullQueryLen() : queryLen;
  Value keyOffset = op.getKeyOffset();
  Value fullKeyLen = op.getFullKeyLen() ? op.getFullKeyLen() : keyLen;
  // i' of row 0, in the op's own key coordinates: key j is visible from a
  // query at position p iff keyOffset + j compares with p as a full-problem
  // key would, i.e. iff j compares with p - keyOffset.
  Value firstPos = im.add(queryOffset, im.sub(fullKeyLen, fullQueryLen));
  if (keyOffset)
    firstPos = im.sub(firstPos, keyOffset);
  Value lastPos = im.add(firstPos, im.sub(queryLen, im.c(1)));

  // kv_lens bounds the visible keys when the block has a single batch.
  Visibility vis = getVisibility(op);
  Value visibleLen = keyLen;
  bool lensBound = op.getKvLens() && qType.getDimSize(0) == 1;
  if (lensBound) {
    Value len = tensor::ExtractOp::create(rewriter, loc, op.getKvLens(),
                                          ValueRange{im.c(0)});
    len = arith::IndexCastOp::create(rewriter, loc, rewriter.getIndexType(),
                                     len);
    if (keyOffset)
      len = im.sub(len, keyOffset);
    visibleLen = im.max(len, im.c(0));
  }
  if (!keyBegin)
    keyBegin = im.c(0);
  if (!keyEnd)
    keyEnd = keyLen;
  // The end of the keys in the full problem, for the padding of partial
  // blocks.
  Value globalKeyEnd = keyOffset ? im.add(keyEnd, keyOffset) : keyEnd;
  KeyBlockRanges<Value> ranges =
      classifyKeyBlocks(im, vis, firstPos, lastPos, keyBegin, keyEnd,
                        visibleLen, tileKv, /*onlyFullUnmasked=*/staticBlocks);
  LDBG() << "key blocks of " << tileKv
         << " keys classified in the IR (masked / unmasked / masked loops)"
         << (lensBound ? ", bounded by kv_lens" : "")
         << (staticBlocks ? ", unmasked blocks static" : "");

  ScoreEpilogue base;
  base.scale = op.getScaleOrDefault();
  if (staticBlocks && base.scale) {
    // The scale multiplies the queries once per tile instead of every block
    // of scores ((s·q)·k = s·(q·k) up to rounding).
    LDBG() << "scale " << *base.scale << " folded into the query tile";
    AffineMap id = rewriter.getMultiDimIdentityMap(4);
    double factor = *base.scale;
    q = buildElementwise(rewriter, loc, q, q, id, rewriter.getF32Type(),
                         [&](OpBuilder &nb, Location l2, ValueRange args) {
                           return Value(arith::MulFOp::create(
                               nb, l2, extToF32(nb, l2, args[0]),
                               f32Constant(nb, l2, factor)));
                         });
    base.scale = std::nullopt;
  }
  if (std::optional<APFloat> cap = op.getSoftcap())
    base.softcap = cap->convertToDouble();
  base.scoreMod = op.getScoreModBlock();
  base.batchOffset = op.getBatchOffset();
  base.headOffset = op.getHeadOffset();
  base.queryOffset = op.getQueryOffset();
  base.fullQueryLen = fullQueryLen;
  base.fullKeyLen = fullKeyLen;

  AffineMap id4 = AffineMap::getMultiDimIdentityMap(4, ctx);
  AffineMap row4 = AffineMap::get(4, 0, id4.getResults().drop_back(), ctx);
  AffineMap id3 = AffineMap::getMultiDimIdentityMap(3, ctx);

  // With a static Lk that the blocks divide, every block is full (split-KV
  // partitions are whole blocks with static blocks): nothing is padded.
  int64_t staticKeyLen = cast<RankedTensorType>(k.getType()).getDimSize(2);
  bool allBlocksFull = staticBlocks && !ShapedType::isDynamic(staticKeyLen) &&
                       staticKeyLen % tileKv == 0;

  // One block of keys [j0, j0 + size): scores, then the online update.
  auto buildBlock = [&](OpBuilder &b, Location nloc, Value blockIndex,
                        ValueRange state, bool masked) -> SmallVector<Value> {
    IRIndexMath bm{b, nloc};
    Value j0 = bm.add(keyBegin, arith::MulIOp::create(b, nloc, blockIndex,
                                                      bm.c(tileKv)));
    // Unmasked blocks are full when the blocks are static; masked ones may
    // be partial and are then padded to `tileKv` keys that the epilogue
    // masks out.
    OpFoldResult size =
        staticBlocks && (!masked || allBlocksFull)
            ? OpFoldResult(b.getIndexAttr(tileKv))
            : OpFoldResult(bm.min(bm.c(tileKv), bm.sub(keyEnd, j0)));
    bool padKeys = staticBlocks && masked && !allBlocksFull;
    auto slice = [&](Value source, int64_t dim) -> Value {
      SmallVector<OpFoldResult> offsets(4, b.getIndexAttr(0));
      offsets[dim] = j0;
      SmallVector<OpFoldResult> sizes =
          tensor::getMixedSizes(b, nloc, source);
      sizes[dim] = size;
      SmallVector<OpFoldResult> strides(4, b.getIndexAttr(1));
      Value result = tensor::ExtractSliceOp::create(b, nloc, source, offsets,
                                                    sizes, strides);
      return padKeys ? padDimTo(b, nloc, result, dim, tileKv) : result;
    };
    auto keySlice = [&](Value source) { return slice(source, 2); };
    ScoreEpilogue epilogue = base;
    // Scores see full-problem key indices; the mask is the op's own block.
    epilogue.keyOffset = keyOffset ? bm.add(j0, keyOffset) : j0;
    if (mask)
      epilogue.mask = slice(mask, 3);
    if (padKeys)
      epilogue.keyLimit = globalKeyEnd;
    if (masked) {
      epilogue.causal = op.getCausal();
      epilogue.window = op.getWindow();
      epilogue.kvLens = op.getKvLens();
    } else if (!lensBound) {
      // Without a single batch, key padding is decided per element.
      epilogue.kvLens = op.getKvLens();
    }
    Value scores = buildQueryKeyProduct(b, nloc, q, keySlice(k));
    scores = buildScoreEpilogue(b, nloc, scores, epilogue, b.getF32Type());

    // The state is updated in place (destination-passing into the
    // loop-carried tensors), so the loop needs no buffer per iteration:
    // every read of the old row maximum comes before it is overwritten.
    Value m = state[0], l = state[1], acc = state[2];
    Type f32 = b.getF32Type();
    SmallVector<OpFoldResult> rowSizes = tensor::getMixedSizes(b, nloc, m);
    // maxnumf: a NaN score still reaches the output through exp, and the
    // reduction lowers to plain vector max instructions.
    auto maxOf = [](OpBuilder &nb, Location l2, Value x, Value y) -> Value {
      return arith::MaxNumFOp::create(nb, l2, x, y);
    };
    Value blockMax = reduceLastDim(
        b, nloc, scores,
        createFilledF32(b, nloc, rowSizes,
                        -std::numeric_limits<double>::infinity()),
        maxOf);
    Value mNext = buildElementwise(
        b, nloc, m, ValueRange{m, blockMax}, {id3, id3}, f32,
        [&](OpBuilder &nb, Location l2, ValueRange args) {
          return maxOf(nb, l2, args[0], args[1]);
        });
    Value mSafe = buildElementwise(
        b, nloc, mNext, mNext, id3, f32,
        [](OpBuilder &nb, Location l2, ValueRange args) {
          return safeMaxValue(nb, l2, args[0]);
        });
    Value alpha = buildElementwise(
        b, nloc, m, ValueRange{m, mSafe}, {id3, id3}, f32,
        [](OpBuilder &nb, Location l2, ValueRange args) -> Value {
          return math::ExpOp::create(
              nb, l2, arith::SubFOp::create(nb, l2, args[0], args[1]));
        });
    Value probs = buildElementwise(
        b, nloc, scores, ValueRange{scores, mSafe}, {id4, row4}, f32,
        [](OpBuilder &nb, Location l2, ValueRange args) -> Value {
          return math::ExpOp::create(
              nb, l2, arith::SubFOp::create(nb, l2, args[0], args[1]));
        });
    auto scale = [](OpBuilder &nb, Location l2, ValueRange args) -> Value {
      return arith::MulFOp::create(nb, l2, args[0], args[1]);
    };
    Value lScaled = buildElementwiseInto(b, nloc, l, ValueRange{alpha},
                                         {id3}, [&](OpBuilder &nb,
                                                    Location l2,
                                                    ValueRange args) {
                                           return scale(nb, l2,
                                                        {args[1], args[0]});
                                         });
    Value lNew = reduceLastDim(
        b, nloc, probs, lScaled,
        [](OpBuilder &nb, Location l2, Value x, Value y) -> Value {
          return arith::AddFOp::create(nb, l2, x, y);
        });
    Value accScaled = buildElementwiseInto(
        b, nloc, acc, ValueRange{alpha}, {row4},
        [&](OpBuilder &nb, Location l2, ValueRange args) {
          return scale(nb, l2, {args[1], args[0]});
        });
    Value accNew = accumulateContext(b, nloc, probs, keySlice(v), accScaled);
    // Last: the new maximum into the old one's tensor (recomputed rather
    // than copied, which canonicalisation would fold away).
    Value mNew = buildElementwiseInto(
        b, nloc, m, ValueRange{blockMax}, {id3},
        [&](OpBuilder &nb, Location l2, ValueRange args) {
          return maxOf(nb, l2, args[1], args[0]);
        });
    return {mNew, lNew, accNew};
  };

  // The three ranges of key blocks, each a loop carrying the state.
  SmallVector<Value> state = {m0, l0, acc0};
  auto buildLoop = [&](Value lo, Value hi, bool masked) {
    auto loop = scf::ForOp::create(
        rewriter, loc, lo, hi, im.c(1), state,
        [&](OpBuilder &b, Location nloc, Value iv, ValueRange iterArgs) {
          scf::YieldOp::create(b, nloc,
                               buildBlock(b, nloc, iv, iterArgs, masked));
        });
    state.assign(loop.getResults().begin(), loop.getResults().end());
  };
  buildLoop(ranges.lo, ranges.unmaskedLo, /*masked=*/true);
  buildLoop(ranges.unmaskedLo, ranges.unmaskedHi, /*masked=*/false);
  buildLoop(ranges.unmaskedHi, ranges.hi, /*masked=*/true);
  return {state[0], state[1], state[2], realRows};
}

SmallVector<Value> mlir::attn::finalizeOnlineSoftmax(
    OpBuilder &rewriter, Location loc, const OnlineSoftmaxState &s,
    Type outType, Type lseType) {
  MLIRContext *ctx = rewriter.getContext();
  AffineMap id4 = AffineMap::getMultiDimIdentityMap(4, ctx);
  AffineMap row4 = AffineMap::get(4, 0, id4.getResults().drop_back(), ctx);
  AffineMap id3 = AffineMap::getMultiDimIdentityMap(3, ctx);
  SmallVector<Value> state = {s.max, s.sum, s.acc};
  // Padded query rows are dropped first.
  if (s.rows) {
    for (Value &value : state) {
      auto type = cast<RankedTensorType>(value.getType());
      SmallVector<OpFoldResult> offsets(type.getRank(),
                                        rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes =
          tensor::getMixedSizes(rewriter, loc, value);
      sizes[2] = s.rows;
      SmallVector<OpFoldResult> strides(type.getRank(),
                                        rewriter.getIndexAttr(1));
      value = tensor::ExtractSliceOp::create(rewriter, loc, value, offsets,
                                             sizes, strides);
    }
  }
  // out = acc / l (0 on fully masked rows), lse = m + log(l).
  Type outElt = getElementTypeOrSelf(outType);
  Value out = buildElementwise(
      rewriter, loc, state[2], ValueRange{state[2], state[1]}, {id4, row4},
      outElt, [&](OpBuilder &nb, Location l2, ValueRange args) {
        Value zero = f32Constant(nb, l2, 0.0);
        Value isEmpty = arith::CmpFOp::create(
            nb, l2, arith::CmpFPredicate::OEQ, args[1], zero);
        Value o = arith::DivFOp::create(nb, l2, args[0], args[1]);
        o = arith::SelectOp::create(nb, l2, isEmpty, zero, o);
        return castFromF32(nb, l2, o, outElt);
      });
  SmallVector<Value> results = {castToType(rewriter, loc, out, outType)};
  if (lseType) {
    Value value = buildElementwise(
        rewriter, loc, state[0], ValueRange{state[0], state[1]}, {id3, id3},
        rewriter.getF32Type(), [](OpBuilder &nb, Location l2, ValueRange args) {
          Value log = math::LogOp::create(nb, l2, args[1]);
          return Value(arith::AddFOp::create(
              nb, l2, safeMaxValue(nb, l2, args[0]), log));
        });
    results.push_back(castToType(rewriter, loc, value, lseType));
  }
  return results;
}

FailureOr<SmallVector<Value>>
mlir::attn::decomposeToOnlineSoftmax(RewriterBase &rewriter, SdpaOp op,
                                     int64_t tileKv, bool staticBlocks,
                                     int64_t padRows) {
  if (tileKv <= 0) {
    LDBG() << "refused at " << op.getLoc() << ": tile-kv " << tileKv;
    return rewriter.notifyMatchFailure(op, "tile-kv must be > 0");
  }
  rewriter.setInsertionPoint(op);
  OnlineSoftmaxState state = buildOnlineSoftmax(
      rewriter, op, tileKv, Value(), Value(), staticBlocks, padRows);
  SmallVector<Value> results = finalizeOnlineSoftmax(
      rewriter, op.getLoc(), state, op.getOut().getType(),
      op.getLse() ? op.getLse().getType() : Type());
  rewriter.replaceOp(op, results);
  return results;
}

SmallVector<Attribute> mlir::attn::getGpuBlockMapping(MLIRContext *ctx) {
  return {gpu::GPUBlockMappingAttr::get(ctx, gpu::MappingId::DimZ),
          gpu::GPUBlockMappingAttr::get(ctx, gpu::MappingId::DimY),
          gpu::GPUBlockMappingAttr::get(ctx, gpu::MappingId::DimX)};
}

FailureOr<SmallVector<Value>>
mlir::attn::tileToFlash(RewriterBase &rewriter, SdpaOp op,
                        const FlashTilingOptions &options) {
  if (options.tileQ <= 0 || options.tileKv <= 0) {
    LDBG() << "refused at " << op.getLoc() << ": tile-q " << options.tileQ
           << ", tile-kv " << options.tileKv;
    return rewriter.notifyMatchFailure(op, "tile sizes must be > 0");
  }
  // Query tiles larger than the problem only add padding.
  int64_t tileQ = options.tileQ;
  int64_t queryLen = op.getQuery().getType().getDimSize(2);
  if (!ShapedType::isDynamic(queryLen))
    tileQ = std::max<int64_t>(1, std::min(tileQ, queryLen));
  scf::SCFTilingOptions tiling;
  tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  tiling.setTileSizes({rewriter.getIndexAttr(1), rewriter.getIndexAttr(1),
                       rewriter.getIndexAttr(tileQ), rewriter.getIndexAttr(0)});
  tiling.setMapping(options.mapping);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), tiling);
  if (failed(tiled)) {
    LDBG() << "tiling the queries of attn.sdpa at " << op.getLoc() << " failed";
    return failure();
  }
  rewriter.replaceOp(op, tiled->replacements);
  auto tile = cast<SdpaOp>(tiled->tiledOps.back());
  // Blocks larger than the problem only add padding.
  int64_t tileKv = options.tileKv;
  int64_t keyLen = tile.getKey().getType().getDimSize(2);
  if (!ShapedType::isDynamic(keyLen))
    tileKv = std::max<int64_t>(1, std::min(tileKv, keyLen));
  LDBG() << "tiled attn.sdpa at " << op.getLoc() << ": " << tileQ
         << " queries x " << tileKv << " keys per block (requested "
         << options.tileQ << "x" << options.tileKv << ")"
         << (options.staticBlocks ? ", static blocks" : "");
  if (failed(decomposeToOnlineSoftmax(rewriter, tile, tileKv,
                                      options.staticBlocks, tileQ)))
    return failure();
  return tiled->replacements;
}

/// The key-block classification of `op` over all query tiles, when its
/// sizes and its tile_origin's positions are static and kv_lens does not
/// decide it at run time.
static std::optional<std::string>
describeClassification(SdpaOp op, const FlashTilingOptions &options) {
  int64_t lq = op.getQuery().getType().getDimSize(2);
  int64_t lk = op.getKey().getType().getDimSize(2);
  if (ShapedType::isDynamic(lq) || ShapedType::isDynamic(lk) ||
      op.getKvLens())
    return std::nullopt;
  // Query i of the op sits at key position i + shift of its own keys (the
  // formula of buildOnlineSoftmax with constant origins).
  int64_t queryOffset = 0, fullQueryLen = lq, keyOffset = 0, fullKeyLen = lk;
  auto constant = [](Value value, int64_t &result) {
    std::optional<int64_t> c = getConstantIntValue(value);
    if (c)
      result = *c;
    return c.has_value();
  };
  if (op.getQueryOffset() &&
      (!constant(op.getQueryOffset(), queryOffset) ||
       !constant(op.getFullQueryLen(), fullQueryLen)))
    return std::nullopt;
  if (op.getKeyOffset() && (!constant(op.getKeyOffset(), keyOffset) ||
                            !constant(op.getFullKeyLen(), fullKeyLen)))
    return std::nullopt;
  int64_t shift = queryOffset + fullKeyLen - fullQueryLen - keyOffset;
  Visibility vis = getVisibility(op);
  int64_t blocksPerRow = llvm::divideCeil(lk, options.tileKv);
  int64_t total = 0, unmasked = 0, masked = 0;
  for (int64_t i0 = 0; i0 < lq; i0 += options.tileQ) {
    int64_t rows = std::min(options.tileQ, lq - i0);
    KeyBlockRanges<int64_t> r = classifyKeyBlocks(
        IntIndexMath{}, vis, i0 + shift, i0 + rows - 1 + shift, int64_t(0),
        lk, lk, options.tileKv);
    total += blocksPerRow;
    unmasked += r.unmaskedHi - r.unmaskedLo;
    masked += (r.unmaskedLo - r.lo) + (r.hi - r.unmaskedHi);
  }
  int64_t skipped = total - unmasked - masked;
  return llvm::formatv("attn-tile-flash: {0}x{1} tiles: {2} of {3} key "
                       "blocks skipped ({4:F1}%), {5} unmasked, {6} masked",
                       options.tileQ, options.tileKv, skipped, total,
                       total ? 100.0 * skipped / total : 0.0, unmasked, masked)
      .str();
}

namespace {
struct AttnTileFlashPass
    : attn::impl::AttnTileFlashPassBase<AttnTileFlashPass> {
  using AttnTileFlashPassBase::AttnTileFlashPassBase;
  void runOnOperation() override {
    FlashTilingOptions options;
    options.tileQ = tileQ;
    options.tileKv = tileKv;
    options.staticBlocks = staticBlocks;
    if (gpuBlocks)
      options.mapping = getGpuBlockMapping(&getContext());
    if (tileQ <= 0 || tileKv <= 0) {
      getOperation()->emitError()
          << "attn-tile-flash: tile-q and tile-kv must be > 0, got "
          << options.tileQ << " and " << options.tileKv;
      return signalPassFailure();
    }
    SmallVector<SdpaOp> ops;
    getOperation()->walk([&](SdpaOp op) { ops.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (SdpaOp op : ops) {
      if (report) {
        if (std::optional<std::string> text =
                describeClassification(op, options))
          op.emitRemark() << *text;
        else
          op.emitRemark() << "attn-tile-flash: " << options.tileQ << "x"
                          << options.tileKv
                          << " tiles: key blocks are classified at run time "
                             "(dynamic sizes, kv_lens or a tile_origin that "
                             "is not constant)";
      }
      if (failed(tileToFlash(rewriter, op, options)))
        return signalPassFailure();
    }
  }
};
} // namespace
