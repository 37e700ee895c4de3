//===- PackGqa.cpp - grouped query heads as rows of one head --------------===//
//
// Implements `attn-pack-gqa`: grouped-query attention with few query rows
// (decoding) becomes attention of the K/V heads whose rows are the query
// rows of all the query heads sharing each of them, so that every tiling
// strategy reads each K/V block once for the whole group.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Transforms/Passes.h"

#include "RefusalReporter.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace attn {
#define GEN_PASS_DEF_ATTNPACKGQAPASS
#include "attn/Transforms/Passes.h.inc"
} // namespace attn
} // namespace mlir

using namespace mlir;
using namespace mlir::attn;

namespace {
/// Views `t`, [B, Hq, L(, X)] when `pack` or [B, Hkv, G·L(, X)] otherwise,
/// as [B, Hkv, G, L(, X)] and collapses that into the other form: the G
/// query heads of a K/V head stacked along its rows, or back (views of the
/// same memory). `rows` is L.
Value regroupHeads(OpBuilder &b, Location loc, Value t, int64_t hkv,
                   int64_t groups, int64_t rows, bool pack) {
  auto type = cast<RankedTensorType>(t.getType());
  ArrayRef<int64_t> s = type.getShape();
  SmallVector<OpFoldResult> shape5 = {
      tensor::getMixedSize(b, loc, t, 0), b.getIndexAttr(hkv),
      b.getIndexAttr(groups), b.getIndexAttr(rows)};
  SmallVector<int64_t> static5 = {s[0], hkv, groups, rows};
  SmallVector<ReassociationIndices> heads = {{0}, {1, 2}, {3}};
  SmallVector<ReassociationIndices> stacked = {{0}, {1}, {2, 3}};
  if (type.getRank() == 4) {
    shape5.push_back(tensor::getMixedSize(b, loc, t, 3));
    static5.push_back(s[3]);
    heads.push_back({4});
    stacked.push_back({4});
  }
  auto type5 = RankedTensorType::get(static5, type.getElementType());
  Value expanded = tensor::ExpandShapeOp::create(
      b, loc, type5, t, pack ? heads : stacked, shape5);
  return tensor::CollapseShapeOp::create(b, loc, expanded,
                                         pack ? stacked : heads);
}

/// The mask [Bm, Hm, Lq, Lk] for the packed rows, [Bm, Hm', G·Lq, Lk]:
/// read for every (K/V head, group, query) — row g·Lq + i of K/V head hk is
/// row i of query head hk·G + g — with Hm' = 1 when it is broadcast over
/// the heads (a copy of G·Lq·Lk elements per batch), Hkv otherwise.
Value packMask(OpBuilder &b, Location loc, Value mask, int64_t hkv,
               int64_t groups, int64_t lq) {
  auto type = cast<RankedTensorType>(mask.getType());
  ArrayRef<int64_t> s = type.getShape();
  bool headBroadcast = s[1] == 1;
  MLIRContext *ctx = b.getContext();
  AffineExpr bb = getAffineDimExpr(0, ctx), hk = getAffineDimExpr(1, ctx),
             g = getAffineDimExpr(2, ctx), i = getAffineDimExpr(3, ctx),
             j = getAffineDimExpr(4, ctx), zero = getAffineConstantExpr(0, ctx);
  AffineMap read = AffineMap::get(
      5, 0, {bb, headBroadcast ? zero : hk * groups + g, i, j}, ctx);
  SmallVector<int64_t> static5 = {s[0], headBroadcast ? 1 : hkv, groups, lq,
                                  s[3]};
  SmallVector<Value> dynamic;
  if (ShapedType::isDynamic(s[0]))
    dynamic.push_back(tensor::DimOp::create(b, loc, mask, 0));
  if (ShapedType::isDynamic(s[3]))
    dynamic.push_back(tensor::DimOp::create(b, loc, mask, 3));
  Value init =
      tensor::EmptyOp::create(b, loc, static5, type.getElementType(), dynamic);
  auto copy = linalg::GenericOp::create(
      b, loc, init.getType(), ValueRange{mask}, ValueRange{init},
      ArrayRef<AffineMap>{read, b.getMultiDimIdentityMap(5)},
      SmallVector<utils::IteratorType>(5, utils::IteratorType::parallel),
      [](OpBuilder &nb, Location l, ValueRange args) {
        linalg::YieldOp::create(nb, l, args[0]);
      });
  return tensor::CollapseShapeOp::create(
      b, loc, copy.getResult(0),
      SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}, {4}});
}

/// Packs `op`, or says why not (a match failure, a remark with
/// report-refusals).
LogicalResult packGroupedQueries(RewriterBase &rewriter, SdpaOp op,
                                 int64_t maxRows) {
  if (!op.getTileOrigin().empty())
    return rewriter.notifyMatchFailure(
        op, "not packed: a tile of a larger attention");
  auto qType = cast<RankedTensorType>(op.getQuery().getType());
  auto kType = cast<RankedTensorType>(op.getKey().getType());
  int64_t hq = qType.getDimSize(1), hkv = kType.getDimSize(1),
          lq = qType.getDimSize(2);
  if (ShapedType::isDynamic(hq) || ShapedType::isDynamic(hkv) || hkv == hq ||
      hkv == 0 || hq % hkv != 0)
    return rewriter.notifyMatchFailure(
        op, "not packed: not grouped-query attention");
  if (ShapedType::isDynamic(lq) || lq > maxRows)
    return rewriter.notifyMatchFailure(op, [&](Diagnostic &diag) {
      diag << "not packed: more than " << maxRows
           << " query rows (or a dynamic number): not a decoding step";
    });
  // Visibility bands depend on the query's row: with one row, causal
  // sees every key (i' = Lk − 1); other bands would differ per packed
  // row.
  if (op.getWindow() || (op.getCausal() && lq != 1))
    return rewriter.notifyMatchFailure(
        op, "not packed: a causal or window band over several query rows");
  // The packed op's head and row indices are not the original ones.
  if (Block *mod = op.getScoreModBlock())
    if (!mod->getArgument(2).use_empty() || !mod->getArgument(3).use_empty())
      return rewriter.notifyMatchFailure(
          op, "not packed: the score_mod reads the query head or row");
  int64_t groups = hq / hkv;

  Location loc = op.getLoc();
  Value q = regroupHeads(rewriter, loc, op.getQuery(), hkv, groups, lq,
                         /*pack=*/true);
  Value mask = op.getMask()
                   ? packMask(rewriter, loc, op.getMask(), hkv, groups, lq)
                   : Value();
  auto outType = cast<RankedTensorType>(op.getOut().getType());
  auto qPacked = cast<RankedTensorType>(q.getType());
  auto packedOut = RankedTensorType::get(
      {qPacked.getDimSize(0), hkv, groups * lq, outType.getDimSize(3)},
      outType.getElementType());
  Type packedLse;
  if (op.getLse())
    packedLse = RankedTensorType::get({qPacked.getDimSize(0), hkv, groups * lq},
                                      rewriter.getF32Type());
  auto packed = SdpaOp::create(
      rewriter, loc, packedOut, packedLse, q, op.getKey(), op.getValue(), mask,
      op.getKvLens(), ValueRange{}, op.getScaleAttr(),
      /*causal=*/UnitAttr(), op.getWindowAttr(), op.getSoftcapAttr());
  if (!op.getScoreMod().empty()) {
    IRMapping mapping;
    op.getScoreMod().cloneInto(&packed.getScoreMod(), mapping);
  }
  SmallVector<Value> results = {regroupHeads(rewriter, loc, packed.getOut(),
                                             hkv, groups, lq,
                                             /*pack=*/false)};
  if (op.getLse())
    results.push_back(regroupHeads(rewriter, loc, packed.getLse(), hkv, groups,
                                   lq,
                                   /*pack=*/false));
  rewriter.replaceOp(op, results);
  return success();
}

struct AttnPackGqaPass : attn::impl::AttnPackGqaPassBase<AttnPackGqaPass> {
  using AttnPackGqaPassBase::AttnPackGqaPassBase;
  void runOnOperation() override {
    // One visit per op: the packed ops (K/V heads only) are not revisited.
    SmallVector<SdpaOp> ops;
    getOperation()->walk([&](SdpaOp op) { ops.push_back(op); });
    RefusalReporter reporter("attn-pack-gqa");
    IRRewriter rewriter(&getContext(), reportRefusals ? &reporter : nullptr);
    for (SdpaOp op : ops) {
      rewriter.setInsertionPoint(op);
      (void)packGroupedQueries(rewriter, op, maxRows);
    }
  }
};
} // namespace
