//===- SplitKv.cpp - split-KV attention (flash-decoding) ------------------===//
//
// Implements `attn-split-kv`: the keys of attn.sdpa are split into
// contiguous partitions computed in parallel (an scf.forall), each with the
// online-softmax loop of attn-tile-flash over its keys, producing a partial
// output and its log-sum-exp; the partitions are combined with the
// log-sum-exp rule. This parallelises decoding (short Lq, long Lk), where
// tiling the queries leaves the machine idle.
//
//===----------------------------------------------------------------------===//

#include "attn/Transforms/Passes.h"
#include "attn/Transforms/Transforms.h"

#include "AttentionBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include "llvm/Support/DebugLog.h"

#include <limits>

#define DEBUG_TYPE "attn-split-kv"

namespace mlir {
namespace attn {
#define GEN_PASS_DEF_ATTNSPLITKVPASS
#include "attn/Transforms/Passes.h.inc"
} // namespace attn
} // namespace mlir

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::builders;

/// The number of partitions for `numSplits == 0`: one per 4 blocks of keys,
/// between 1 and 16; 4 when Lk is only known at run time.
static int64_t chooseNumSplits(SdpaOp op, int64_t tileKv) {
  int64_t keyLen = op.getKey().getType().getDimSize(2);
  if (ShapedType::isDynamic(keyLen))
    return 4;
  return std::clamp<int64_t>(llvm::divideCeil(keyLen, 4 * tileKv), 1, 16);
}

FailureOr<SmallVector<Value>>
mlir::attn::splitKv(RewriterBase &rewriter, SdpaOp op,
                    const SplitKvOptions &options) {
  int64_t numSplits = options.numSplits;
  int64_t tileKv = options.tileKv;
  bool staticBlocks = options.staticBlocks;
  if (numSplits < 0 || tileKv <= 0) {
    LDBG() << "refused at " << op.getLoc() << ": num-splits " << numSplits
           << ", tile-kv " << tileKv;
    return rewriter.notifyMatchFailure(
        op, "num-splits must be >= 0 and tile-kv > 0");
  }
  if (numSplits == 0)
    numSplits = chooseNumSplits(op, tileKv);
  // Blocks larger than the problem only add padding.
  int64_t staticKeyLen = op.getKey().getType().getDimSize(2);
  if (!ShapedType::isDynamic(staticKeyLen))
    tileKv = std::max<int64_t>(1, std::min(tileKv, staticKeyLen));
  LDBG() << "splitting attn.sdpa at " << op.getLoc() << " into " << numSplits
         << (options.numSplits == 0 ? " (chosen)" : "")
         << " key partitions, blocks of " << tileKv << " keys"
         << (staticBlocks ? ", static blocks" : "");
  Location loc = op.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  rewriter.setInsertionPoint(op);

  Value q = op.getQuery();
  SmallVector<OpFoldResult> rowSizes =
      tensor::getMixedSizes(rewriter, loc, q);
  rowSizes.pop_back();
  SmallVector<OpFoldResult> outSizes = rowSizes;
  outSizes.push_back(rewriter.getIndexAttr(op.getValueHeadDim()));
  auto withSplits = [&](ArrayRef<OpFoldResult> sizes) {
    SmallVector<OpFoldResult> result = {rewriter.getIndexAttr(numSplits)};
    result.append(sizes.begin(), sizes.end());
    return result;
  };
  Type f32 = rewriter.getF32Type();
  Value partialOuts =
      tensor::EmptyOp::create(rewriter, loc, withSplits(outSizes), f32);
  Value partialLses =
      tensor::EmptyOp::create(rewriter, loc, withSplits(rowSizes), f32);

  // Partition s covers keys [s·chunk, min((s + 1)·chunk, Lk)).
  Value keyLen = tensor::DimOp::create(rewriter, loc, op.getKey(), 2);
  Value chunk = arith::CeilDivSIOp::create(
      rewriter, loc, keyLen,
      arith::ConstantIndexOp::create(rewriter, loc, numSplits));
  if (staticBlocks) {
    // Whole blocks per partition, so only the last block of the keys can be
    // partial (and padded).
    Value blockSize = arith::ConstantIndexOp::create(rewriter, loc, tileKv);
    chunk = arith::MulIOp::create(
        rewriter, loc,
        arith::CeilDivSIOp::create(rewriter, loc, chunk, blockSize),
        blockSize);
  }
  auto forall = scf::ForallOp::create(
      rewriter, loc, ArrayRef<OpFoldResult>{rewriter.getIndexAttr(numSplits)},
      ValueRange{partialOuts, partialLses}, /*mapping=*/std::nullopt);
  {
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(forall.getTerminator());
    Value s = forall.getInductionVars()[0];
    Value begin = arith::MinSIOp::create(
        rewriter, loc, arith::MulIOp::create(rewriter, loc, s, chunk), keyLen);
    Value end = arith::MinSIOp::create(
        rewriter, loc, arith::AddIOp::create(rewriter, loc, begin, chunk),
        keyLen);
    OnlineSoftmaxState state =
        buildOnlineSoftmax(rewriter, op, tileKv, begin, end, staticBlocks);
    auto outType = RankedTensorType::get(
        cast<RankedTensorType>(state.acc.getType()).getShape(), f32);
    auto lseType = RankedTensorType::get(
        cast<RankedTensorType>(state.max.getType()).getShape(), f32);
    SmallVector<Value> partial =
        finalizeOnlineSoftmax(rewriter, loc, state, outType, lseType);

    // Sizes are computed in the body: the in_parallel terminator only holds
    // the inserts.
    SmallVector<SmallVector<OpFoldResult>> sizes;
    for (Value source : partial) {
      sizes.push_back({rewriter.getIndexAttr(1)});
      llvm::append_range(sizes.back(),
                         tensor::getMixedSizes(rewriter, loc, source));
    }
    rewriter.setInsertionPointToStart(forall.getTerminator().getBody());
    for (auto [source, dest, size] :
         llvm::zip_equal(partial, forall.getRegionIterArgs(), sizes)) {
      SmallVector<OpFoldResult> offsets(size.size(), rewriter.getIndexAttr(0));
      offsets[0] = s;
      SmallVector<OpFoldResult> strides(size.size(), rewriter.getIndexAttr(1));
      tensor::ParallelInsertSliceOp::create(rewriter, loc, source, dest,
                                            offsets, size, strides);
    }
  }
  Value outs = forall.getResult(0), lses = forall.getResult(1);

  // Combine: M = max_s lse_s, Z = Σ_s exp(lse_s - M),
  // out = Σ_s exp(lse_s - M)·out_s / Z, lse = M + log Z.
  AffineExpr d0, d1, d2, d3, d4;
  bindDims(ctx, d0, d1, d2, d3, d4);
  auto reduceSplits = [&](Value init, ValueRange inputs,
                          ArrayRef<AffineMap> maps, unsigned numLoops,
                          function_ref<Value(OpBuilder &, Location, ValueRange)>
                              body) {
    // The output drops the split dimension, which is the last loop.
    SmallVector<AffineMap> allMaps(maps);
    allMaps.push_back(AffineMap::get(
        numLoops, 0,
        AffineMap::getMultiDimIdentityMap(numLoops, ctx).getResults().drop_back(),
        ctx));
    return linalg::GenericOp::create(
               rewriter, loc, init.getType(), inputs, init, allMaps,
               parallelThenReduction(numLoops - 1),
               [&](OpBuilder &nb, Location nloc, ValueRange args) {
                 linalg::YieldOp::create(nb, nloc, body(nb, nloc, args));
               })
        .getResult(0);
  };
  AffineMap lseBySplit = AffineMap::get(4, 0, {d3, d0, d1, d2}, ctx);
  Value maxLse = reduceSplits(
      createFilledF32(rewriter, loc, rowSizes,
                      -std::numeric_limits<double>::infinity()),
      lses, {lseBySplit}, 4,
      [](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
        return arith::MaximumFOp::create(nb, nloc, args[0], args[1]);
      });
  AffineMap id3 = AffineMap::getMultiDimIdentityMap(3, ctx);
  Value safeMax = buildElementwise(
      rewriter, loc, maxLse, maxLse, id3, f32,
      [](OpBuilder &nb, Location nloc, ValueRange args) {
        return safeMaxValue(nb, nloc, args[0]);
      });
  auto weight = [](OpBuilder &nb, Location nloc, Value lse, Value max) {
    return math::ExpOp::create(nb, nloc,
                               arith::SubFOp::create(nb, nloc, lse, max));
  };
  AffineMap rowOf4 = AffineMap::get(4, 0, {d0, d1, d2}, ctx);
  Value sum = reduceSplits(
      createFilledF32(rewriter, loc, rowSizes, 0.0), ValueRange{lses, safeMax},
      {lseBySplit, rowOf4}, 4,
      [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
        return arith::AddFOp::create(nb, nloc, weight(nb, nloc, args[0], args[1]),
                                     args[2]);
      });
  Value weighted = reduceSplits(
      createFilledF32(rewriter, loc, outSizes, 0.0),
      ValueRange{outs, lses, safeMax},
      {AffineMap::get(5, 0, {d4, d0, d1, d2, d3}, ctx),
       AffineMap::get(5, 0, {d4, d0, d1, d2}, ctx),
       AffineMap::get(5, 0, {d0, d1, d2}, ctx)},
      5, [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
        Value w = weight(nb, nloc, args[1], args[2]);
        return arith::AddFOp::create(
            nb, nloc, arith::MulFOp::create(nb, nloc, w, args[0]), args[3]);
      });
  OnlineSoftmaxState combined = {safeMax, sum, weighted};
  SmallVector<Value> results = finalizeOnlineSoftmax(
      rewriter, loc, combined, op.getOut().getType(),
      op.getLse() ? op.getLse().getType() : Type());
  rewriter.replaceOp(op, results);
  return results;
}

namespace {
struct AttnSplitKvPass : attn::impl::AttnSplitKvPassBase<AttnSplitKvPass> {
  using AttnSplitKvPassBase::AttnSplitKvPassBase;
  void runOnOperation() override {
    if (numSplits < 0 || tileKv <= 0) {
      getOperation()->emitError()
          << "attn-split-kv: num-splits must be >= 0 and tile-kv > 0, got "
          << int64_t(numSplits) << " and " << int64_t(tileKv);
      return signalPassFailure();
    }
    SplitKvOptions options;
    options.numSplits = numSplits;
    options.tileKv = tileKv;
    options.staticBlocks = staticBlocks;
    SmallVector<SdpaOp> ops;
    getOperation()->walk([&](SdpaOp op) { ops.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (SdpaOp op : ops)
      if (failed(splitKv(rewriter, op, options)))
        return signalPassFailure();
  }
};
} // namespace
