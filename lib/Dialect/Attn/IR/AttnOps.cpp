//===- AttnOps.cpp - Attn dialect operations ------------------------------===//
//
// Verifiers, accessors and interface implementations of the `attn` ops. Each
// verifier check names the constraint (C1, C2, ...) of the op description it
// enforces, so a diagnostic can be traced back to the specification.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::attn;

//===----------------------------------------------------------------------===//
// Shared verification helpers
//===----------------------------------------------------------------------===//

/// Prints a dimension size, `?` for a dynamic one.
static std::string dimToString(int64_t dim) {
  return ShapedType::isDynamic(dim) ? std::string("?") : std::to_string(dim);
}

/// Two sizes are compatible unless both are static and differ.
static bool areCompatible(int64_t lhs, int64_t rhs) {
  return ShapedType::isDynamic(lhs) || ShapedType::isDynamic(rhs) ||
         lhs == rhs;
}

/// Checks that `actual` (dimension `what` of `actualName`) is compatible with
/// `expected` (the same dimension of `expectedName`).
static LogicalResult checkDim(Operation *op, StringRef constraint,
                              StringRef what, StringRef actualName,
                              int64_t actual, StringRef expectedName,
                              int64_t expected) {
  if (areCompatible(actual, expected))
    return success();
  return op->emitOpError()
         << constraint << ": " << what << " of " << actualName << " ("
         << dimToString(actual) << ") does not match " << expectedName << " ("
         << dimToString(expected) << ")";
}

/// Checks that the given sizes are static.
static LogicalResult checkStatic(Operation *op, StringRef constraint,
                                 ArrayRef<std::pair<StringRef, int64_t>> dims) {
  for (auto [name, size] : dims)
    if (ShapedType::isDynamic(size))
      return op->emitOpError()
             << constraint << ": " << name << " must be static";
  return success();
}

/// Checks the head ratio Hq % Hkv == 0 (grouped-query attention).
static LogicalResult checkHeadRatio(Operation *op, StringRef constraint,
                                    int64_t numQueryHeads,
                                    int64_t numKvHeads) {
  if (numQueryHeads > 0 && numKvHeads > 0 && numQueryHeads % numKvHeads == 0)
    return success();
  return op->emitOpError() << constraint << ": number of query heads ("
                           << numQueryHeads
                           << ") is not a positive multiple of the number of "
                              "key/value heads ("
                           << numKvHeads << ")";
}

static LogicalResult checkScale(Operation *op, StringRef constraint,
                                std::optional<APFloat> scale,
                                std::optional<APFloat> softcap) {
  if (scale && !scale->isFinite())
    return op->emitOpError() << constraint << ": scale must be finite";
  if (softcap && (!softcap->isFinite() || softcap->isNegative() ||
                  softcap->isZero()))
    return op->emitOpError()
           << constraint << ": softcap must be finite and > 0, got "
           << softcap->convertToDouble();
  return success();
}

static LogicalResult checkWindow(Operation *op, StringRef constraint,
                                 std::optional<ArrayRef<int64_t>> window) {
  if (!window)
    return success();
  if (window->size() != 2)
    return op->emitOpError() << constraint
                             << ": window must have 2 elements [left, right], "
                                "got "
                             << window->size();
  int64_t left = (*window)[0], right = (*window)[1];
  int64_t sum;
  if (llvm::AddOverflow(left, right, sum) ? left < 0 : sum < 0)
    return op->emitOpError()
           << constraint << ": window [" << left << ", " << right
           << "] is empty (left + right must be >= 0)";
  return success();
}

/// Checks an optional mask [B|1, Hq|1, Lq, Lk] and optional kv_lens [B].
static LogicalResult checkMaskOperands(Operation *op, StringRef maskConstraint,
                                       StringRef lensConstraint,
                                       TypedValue<RankedTensorType> mask,
                                       TypedValue<RankedTensorType> kvLens,
                                       ArrayRef<int64_t> scoresShape) {
  if (mask) {
    ArrayRef<int64_t> m = mask.getType().getShape();
    if (m[0] != 1 && failed(checkDim(op, maskConstraint, "batch size", "mask",
                                     m[0], "the scores", scoresShape[0])))
      return failure();
    if (m[1] != 1 && failed(checkDim(op, maskConstraint, "head count", "mask",
                                     m[1], "the scores", scoresShape[1])))
      return failure();
    if (failed(checkDim(op, maskConstraint, "query length", "mask", m[2],
                        "the scores", scoresShape[2])) ||
        failed(checkDim(op, maskConstraint, "key length", "mask", m[3],
                        "the scores", scoresShape[3])))
      return failure();
  }
  if (kvLens && failed(checkDim(op, lensConstraint, "batch size", "kv_lens",
                                kvLens.getType().getDimSize(0), "the scores",
                                scoresShape[0])))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// (S1): bounded sizes
//===----------------------------------------------------------------------===//

bool mlir::attn::hasBoundedByteSize(ArrayRef<int64_t> shape,
                                    uint64_t elementBytes) {
  uint64_t bytes = elementBytes;
  for (int64_t d : shape) {
    if (ShapedType::isDynamic(d))
      continue;
    bool overflow = false;
    bytes = llvm::SaturatingMultiply(bytes, static_cast<uint64_t>(d),
                                     &overflow);
    if (overflow)
      return false;
  }
  return bytes <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
}

LogicalResult mlir::attn::AttnTrait::verifyBoundedSizes(Operation *op) {
  auto check = [&](Type type, StringRef kind, unsigned index) -> LogicalResult {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor)
      return success();
    uint64_t elementBytes =
        (tensor.getElementType().getIntOrFloatBitWidth() + 7) / 8;
    if (!tensor.getElementType().isIntOrFloat() ||
        hasBoundedByteSize(tensor.getShape(), elementBytes))
      return success();
    return op->emitOpError() << "S1: " << kind << " #" << index << " of type "
                             << type << " has 2^63 bytes or more";
  };
  for (auto [i, type] : llvm::enumerate(op->getOperandTypes()))
    if (failed(check(type, "operand", i)))
      return failure();
  for (auto [i, type] : llvm::enumerate(op->getResultTypes()))
    if (failed(check(type, "result", i)))
      return failure();
  return success();
}

static double getDefaultScale(int64_t headDim) {
  return 1.0 / std::sqrt(static_cast<double>(headDim));
}

//===----------------------------------------------------------------------===//
// MhaOp
//===----------------------------------------------------------------------===//

int64_t MhaOp::getNumKvHeadsOrDefault() {
  return getNumKvHeads().value_or(getNumHeads());
}

int64_t MhaOp::getHeadDim() {
  return getWq().getType().getDimSize(1) / getNumHeads();
}

int64_t MhaOp::getValueHeadDim() {
  return getWv().getType().getDimSize(1) / getNumKvHeadsOrDefault();
}

LogicalResult MhaOp::verify() {
  ArrayRef<int64_t> x = getInput().getType().getShape();
  ArrayRef<int64_t> wq = getWq().getType().getShape();
  ArrayRef<int64_t> wk = getWk().getType().getShape();
  ArrayRef<int64_t> wv = getWv().getType().getShape();
  ArrayRef<int64_t> wo = getWo().getType().getShape();
  ArrayRef<int64_t> out = getResult().getType().getShape();
  Operation *op = getOperation();
  if (failed(checkStatic(op, "C3",
                         {{"the embedding size of input", x[2]},
                          {"the shape of wq", wq[0]},
                          {"the shape of wq", wq[1]},
                          {"the shape of wk", wk[0]},
                          {"the shape of wk", wk[1]},
                          {"the shape of wv", wv[0]},
                          {"the shape of wv", wv[1]},
                          {"the shape of wo", wo[0]},
                          {"the shape of wo", wo[1]}})))
    return failure();
  int64_t numHeads = getNumHeads(), numKvHeads = getNumKvHeadsOrDefault();
  if (numHeads <= 0 || numKvHeads <= 0)
    return emitOpError() << "C2: num_heads (" << numHeads
                         << ") and num_kv_heads (" << numKvHeads
                         << ") must be > 0";
  if (failed(checkHeadRatio(op, "C2", numHeads, numKvHeads)))
    return failure();
  for (auto [name, w] : {std::make_pair("wq", wq), std::make_pair("wk", wk),
                         std::make_pair("wv", wv)})
    if (w[0] != x[2])
      return emitOpError() << "C1: rows of " << name << " (" << w[0]
                           << ") do not match the embedding size of input ("
                           << x[2] << ")";
  if (wq[1] % numHeads != 0)
    return emitOpError() << "C3: columns of wq (" << wq[1]
                         << ") do not divide into " << numHeads << " heads";
  int64_t headDim = wq[1] / numHeads;
  if (headDim <= 0)
    return emitOpError() << "C3: the head size must be > 0, got " << headDim;
  if (wk[1] != numKvHeads * headDim)
    return emitOpError() << "C3: columns of wk (" << wk[1] << ") must be "
                         << numKvHeads << " heads of size " << headDim;
  if (wv[1] % numKvHeads != 0)
    return emitOpError() << "C3: columns of wv (" << wv[1]
                         << ") do not divide into " << numKvHeads << " heads";
  int64_t valueHeadDim = wv[1] / numKvHeads;
  if (wo[0] != numHeads * valueHeadDim)
    return emitOpError() << "C1: rows of wo (" << wo[0] << ") must be "
                         << numHeads << " heads of size " << valueHeadDim;
  if (failed(checkDim(op, "C1", "batch size", "the result", out[0], "input",
                      x[0])) ||
      failed(checkDim(op, "C1", "sequence length", "the result", out[1],
                      "input", x[1])) ||
      failed(checkDim(op, "C1", "feature size", "the result", out[2],
                      "the columns of wo", wo[1])))
    return failure();
  return checkScale(op, "C4", getScaleAttr() ? std::optional(getScaleAttr().getValue()) : std::nullopt,
                    std::nullopt);
}

//===----------------------------------------------------------------------===//
// LinearOp
//===----------------------------------------------------------------------===//

LogicalResult LinearOp::verify() {
  RankedTensorType inputType = getInput().getType();
  ArrayRef<int64_t> w = getWeight().getType().getShape();
  ArrayRef<int64_t> out = getResult().getType().getShape();
  Operation *op = getOperation();
  int64_t rank = inputType.getRank();
  if (rank != 2 && rank != 3)
    return emitOpError() << "C1: input must have rank 2 or 3, got " << rank;
  if (failed(checkDim(op, "C2", "contraction size", "weight", w[0], "input",
                      inputType.getDimSize(rank - 1))))
    return failure();
  if (getBias()) {
    RankedTensorType biasType = getBias().getType();
    if (biasType.getRank() != 1)
      return emitOpError() << "C3: bias must have rank 1, got "
                           << biasType.getRank();
    if (biasType.getElementType() != inputType.getElementType())
      return emitOpError() << "C3: bias element type "
                           << biasType.getElementType()
                           << " does not match input element type "
                           << inputType.getElementType();
    if (failed(checkDim(op, "C3", "size", "bias", biasType.getDimSize(0),
                        "the columns of weight", w[1])))
      return failure();
  }
  if (static_cast<int64_t>(out.size()) != rank)
    return emitOpError() << "C4: result must have rank " << rank << ", got "
                         << out.size();
  for (int64_t i = 0; i < rank - 1; ++i)
    if (failed(checkDim(op, "C4", "dimension " + std::to_string(i),
                        "the result", out[i], "input",
                        inputType.getDimSize(i))))
      return failure();
  return checkDim(op, "C4", "last dimension", "the result", out[rank - 1],
                  "the columns of weight", w[1]);
}

//===----------------------------------------------------------------------===//
// SplitHeadsOp / MergeHeadsOp
//===----------------------------------------------------------------------===//

/// Shared by split_heads and merge_heads: `flat` is [B, L, F], `split` is
/// [B, H, L, D].
static LogicalResult verifyHeadLayout(Operation *op, StringRef flatName,
                                      ArrayRef<int64_t> flat,
                                      StringRef splitName,
                                      ArrayRef<int64_t> split) {
  if (failed(checkDim(op, "C1", "batch size", splitName, split[0], flatName,
                      flat[0])) ||
      failed(checkDim(op, "C1", "sequence length", splitName, split[2],
                      flatName, flat[1])) ||
      failed(checkStatic(op, "C2",
                         {{"the number of heads", split[1]},
                          {"the head size", split[3]},
                          {"the feature size", flat[2]}})))
    return failure();
  if (flat[2] != split[1] * split[3])
    return op->emitOpError()
           << "C2: feature size of " << flatName << " (" << flat[2]
           << ") is not heads x head size (" << split[1] << " x " << split[3]
           << ")";
  return success();
}

LogicalResult SplitHeadsOp::verify() {
  return verifyHeadLayout(getOperation(), "input",
                          getInput().getType().getShape(), "the result",
                          getResult().getType().getShape());
}

LogicalResult MergeHeadsOp::verify() {
  return verifyHeadLayout(getOperation(), "the result",
                          getResult().getType().getShape(), "input",
                          getInput().getType().getShape());
}

//===----------------------------------------------------------------------===//
// ScoresOp
//===----------------------------------------------------------------------===//

double ScoresOp::getScaleOrDefault() {
  if (std::optional<APFloat> scale = getScale())
    return scale->convertToDouble();
  return getDefaultScale(getQuery().getType().getDimSize(3));
}

LogicalResult ScoresOp::verify() {
  ArrayRef<int64_t> q = getQuery().getType().getShape();
  ArrayRef<int64_t> k = getKey().getType().getShape();
  RankedTensorType resultType = getResult().getType();
  ArrayRef<int64_t> s = resultType.getShape();
  Operation *op = getOperation();
  if (failed(checkStatic(op, "C2",
                         {{"the number of query heads", q[1]},
                          {"the number of key heads", k[1]},
                          {"the head size", q[3]}})) ||
      failed(checkHeadRatio(op, "C2", q[1], k[1])))
    return failure();
  if (q[3] <= 0)
    return emitOpError() << "C2: the head size must be > 0, got " << q[3];
  if (failed(checkDim(op, "C1", "batch size", "key", k[0], "query", q[0])) ||
      failed(checkDim(op, "C1", "head size", "key", k[3], "query", q[3])) ||
      failed(checkDim(op, "C1", "batch size", "the result", s[0], "query",
                      q[0])) ||
      failed(checkDim(op, "C1", "head count", "the result", s[1], "query",
                      q[1])) ||
      failed(checkDim(op, "C1", "query length", "the result", s[2], "query",
                      q[2])) ||
      failed(checkDim(op, "C1", "key length", "the result", s[3], "key",
                      k[2])))
    return failure();
  Type resultElt = resultType.getElementType();
  if (!resultElt.isF32() &&
      resultElt != getQuery().getType().getElementType())
    return emitOpError() << "C3: result element type " << resultElt
                         << " must be f32 or the query element type "
                         << getQuery().getType().getElementType();
  return checkScale(op, "C4", getScale(), getSoftcap());
}

//===----------------------------------------------------------------------===//
// MaskOp
//===----------------------------------------------------------------------===//

LogicalResult MaskOp::verify() {
  Operation *op = getOperation();
  if (failed(checkMaskOperands(op, "C2", "C3", getMask(), getKvLens(),
                               getScores().getType().getShape())))
    return failure();
  return checkWindow(op, "C4", getWindow());
}

//===----------------------------------------------------------------------===//
// SoftmaxOp
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::verify() {
  if (getInput().getType().getRank() < 1)
    return emitOpError() << "C1: input must have rank >= 1";
  return success();
}

//===----------------------------------------------------------------------===//
// ContextOp
//===----------------------------------------------------------------------===//

LogicalResult ContextOp::verify() {
  ArrayRef<int64_t> p = getProbs().getType().getShape();
  ArrayRef<int64_t> v = getValue().getType().getShape();
  RankedTensorType resultType = getResult().getType();
  ArrayRef<int64_t> o = resultType.getShape();
  Operation *op = getOperation();
  if (failed(checkStatic(op, "C2",
                         {{"the number of query heads", p[1]},
                          {"the number of value heads", v[1]},
                          {"the value head size", v[3]}})) ||
      failed(checkHeadRatio(op, "C2", p[1], v[1])) ||
      failed(checkDim(op, "C1", "batch size", "value", v[0], "probs", p[0])) ||
      failed(checkDim(op, "C1", "key length", "value", v[2], "probs", p[3])) ||
      failed(checkDim(op, "C1", "batch size", "the result", o[0], "probs",
                      p[0])) ||
      failed(checkDim(op, "C1", "head count", "the result", o[1], "probs",
                      p[1])) ||
      failed(checkDim(op, "C1", "query length", "the result", o[2], "probs",
                      p[2])) ||
      failed(checkDim(op, "C1", "head size", "the result", o[3], "value",
                      v[3])))
    return failure();
  if (resultType.getElementType() != getValue().getType().getElementType())
    return emitOpError() << "C1: result element type "
                         << resultType.getElementType()
                         << " does not match value element type "
                         << getValue().getType().getElementType();
  return success();
}

//===----------------------------------------------------------------------===//
// SdpaOp
//===----------------------------------------------------------------------===//

double SdpaOp::getScaleOrDefault() {
  if (std::optional<APFloat> scale = getScale())
    return scale->convertToDouble();
  return getDefaultScale(getHeadDim());
}

Block *SdpaOp::getScoreModBlock() {
  Region &region = getScoreMod();
  return region.empty() ? nullptr : &region.front();
}

LogicalResult SdpaOp::verify() {
  RankedTensorType qType = getQuery().getType();
  RankedTensorType kType = getKey().getType();
  RankedTensorType vType = getValue().getType();
  RankedTensorType outType = getOut().getType();
  ArrayRef<int64_t> q = qType.getShape(), k = kType.getShape(),
                    v = vType.getShape(), o = outType.getShape();
  Operation *op = getOperation();

  // sdpa_c1
  Type elt = qType.getElementType();
  if (kType.getElementType() != elt || vType.getElementType() != elt)
    return emitOpError() << "C1: query, key and value must have the same "
                            "element type, got "
                         << elt << ", " << kType.getElementType() << " and "
                         << vType.getElementType();
  if (outType.getElementType() != elt)
    return emitOpError() << "C1: out element type "
                         << outType.getElementType()
                         << " does not match query element type " << elt;
  // sdpa_c3
  if (failed(checkStatic(op, "C3",
                         {{"the number of query heads", q[1]},
                          {"the number of key heads", k[1]},
                          {"the number of value heads", v[1]},
                          {"the head size", q[3]},
                          {"the value head size", v[3]}})))
    return failure();
  if (q[3] <= 0)
    return emitOpError() << "C3: the head size must be > 0, got " << q[3];
  if (v[1] != k[1])
    return emitOpError() << "C3: value has " << v[1] << " heads but key has "
                         << k[1];
  if (failed(checkHeadRatio(op, "C3", q[1], k[1])))
    return failure();
  // sdpa_c2, sdpa_c4, sdpa_c5, sdpa_c6
  if (failed(checkDim(op, "C2", "batch size", "key", k[0], "query", q[0])) ||
      failed(checkDim(op, "C2", "batch size", "value", v[0], "query", q[0])) ||
      failed(checkDim(op, "C4", "head size", "key", k[3], "query", q[3])) ||
      failed(checkDim(op, "C5", "sequence length", "value", v[2], "key",
                      k[2])) ||
      failed(checkDim(op, "C2", "batch size", "out", o[0], "query", q[0])) ||
      failed(checkDim(op, "C6", "head count", "out", o[1], "query", q[1])) ||
      failed(checkDim(op, "C6", "query length", "out", o[2], "query", q[2])) ||
      failed(checkDim(op, "C6", "head size", "out", o[3], "value", v[3])))
    return failure();
  // sdpa_c7, sdpa_c8
  SmallVector<int64_t> scoresShape = {q[0], q[1], q[2], k[2]};
  if (failed(checkMaskOperands(op, "C7", "C8", getMask(), getKvLens(),
                               scoresShape)))
    return failure();
  // sdpa_c9, sdpa_c10
  if (failed(checkScale(op, "C9", getScale(), getSoftcap())) ||
      failed(checkWindow(op, "C10", getWindow())))
    return failure();
  // sdpa_c13
  size_t numOrigin = getTileOrigin().size();
  if (numOrigin != 0 && numOrigin != 4 && numOrigin != 6)
    return emitOpError() << "C13: tile_origin must have 4 operands (b0, h0, "
                            "i0, Lq_total) or 6 (b0, h0, i0, Lq_total, j0, "
                            "Lk_total), got "
                         << numOrigin;
  // sdpa_c11
  if (TypedValue<RankedTensorType> lse = getLse()) {
    ArrayRef<int64_t> l = lse.getType().getShape();
    if (failed(checkDim(op, "C11", "batch size", "lse", l[0], "query", q[0])) ||
        failed(checkDim(op, "C11", "head count", "lse", l[1], "query", q[1])) ||
        failed(checkDim(op, "C11", "query length", "lse", l[2], "query",
                        q[2])))
      return failure();
  }
  return success();
}

LogicalResult SdpaOp::verifyRegions() {
  Block *body = getScoreModBlock();
  if (!body)
    return success();
  // sdpa_c12
  MLIRContext *ctx = getContext();
  Type f32 = Float32Type::get(ctx), index = IndexType::get(ctx);
  SmallVector<Type> expected = {f32, index, index, index, index};
  if (body->getArgumentTypes() != ArrayRef<Type>(expected)) {
    InFlightDiagnostic diag =
        emitOpError() << "C12: score_mod block must have arguments (f32, "
                         "index, index, index, index), got (";
    llvm::interleaveComma(body->getArgumentTypes(), diag);
    return diag << ")";
  }
  auto yield = dyn_cast<YieldOp>(body->getTerminator());
  if (!yield)
    return emitOpError() << "C12: score_mod must be terminated by attn.yield";
  if (yield.getValues().size() != 1 ||
      yield.getValues().front().getType() != f32) {
    InFlightDiagnostic diag =
        yield.emitOpError() << "C12: must yield exactly one f32 score, got (";
    llvm::interleaveComma(yield.getValues().getTypes(), diag);
    return diag << ")";
  }
  // Values from above cannot be used: the op is IsolatedFromAbove.
  WalkResult walk = getScoreMod().walk([&](Operation *nested) {
    if (!isMemoryEffectFree(nested)) {
      nested->emitOpError()
          << "C12: score_mod of attn.sdpa must be free of side effects";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(walk.wasInterrupted());
}

LogicalResult
SdpaOp::reifyResultShapes(OpBuilder &b,
                          ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  Location loc = getLoc();
  auto querySize = [&](int64_t dim) -> OpFoldResult {
    return tensor::getMixedSize(b, loc, getQuery(), dim);
  };
  reifiedReturnShapes.push_back({querySize(0), querySize(1), querySize(2),
                                 b.getIndexAttr(getValueHeadDim())});
  if (getLse())
    reifiedReturnShapes.push_back({querySize(0), querySize(1), querySize(2)});
  return success();
}

#define GET_OP_CLASSES
#include "attn/Dialect/Attn/IR/AttnOps.cpp.inc"
