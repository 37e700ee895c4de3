//===- Interpreter.cpp - Float64 interpreter of tensor functions ----------===//
//
// Implements evaluateFunction: a walk over the entry block of a `func.func`
// that keeps one RefTensor per tensor SSA value and one slot per scalar, and
// evaluates each attn op with the float64 kernels of Reference.h, each
// structured linalg op by iterating its loop domain and running its body at
// every point, and the tensor reshapes, slices and concatenations that
// frontends put around attention. Before anything runs, every op is checked
// for support, and each region (the score_mod of attn.sdpa, the body of a
// linalg op) and each function-level scalar op is compiled into a
// ScalarProgram, so evaluating a point neither looks up values by name nor
// dispatches on op names. Each op checks its actual operand shapes against
// their types and against each other (the verifier's constraints, now on the
// runtime sizes) and its computed result shapes against the result types,
// which makes the shape-only mode a cheap validation of runtime inputs: it
// only propagates shapes and the index scalars that sizes depend on.
//
//===----------------------------------------------------------------------===//

#include "attn/Evaluation/Interpreter.h"

#include "attn/Dialect/Attn/Utils/ConstantUtils.h"
#include "attn/Evaluation/FlopCount.h"

#include "ScalarProgram.h"

#include "attn/Dialect/Attn/IR/AttnDialect.h"
#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <array>
#include <cassert>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::runtime;

//===----------------------------------------------------------------------===//
// Messages
//===----------------------------------------------------------------------===//

/// Formats a runtime shape as "[2, 4, 5, 8]".
static std::string formatShape(llvm::ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << '[';
  llvm::interleaveComma(shape, os);
  os << ']';
  return text;
}

/// Whether the runtime `shape` has the rank of `type` and agrees with its
/// static dimensions.
static bool matchesType(llvm::ArrayRef<int64_t> shape, RankedTensorType type) {
  if (static_cast<int64_t>(shape.size()) != type.getRank())
    return false;
  for (auto [dim, typeDim] : llvm::zip_equal(shape, type.getShape()))
    if (dim < 0 || (!ShapedType::isDynamic(typeDim) && dim != typeDim))
      return false;
  return true;
}

/// The number of elements of `shape` as a double (never overflows), and
/// whether it fits in int64.
static double getNumElements(llvm::ArrayRef<int64_t> shape, bool &fits) {
  double n = 1;
  int64_t exact = 1;
  fits = true;
  for (int64_t d : shape) {
    n *= static_cast<double>(d);
    if (fits && llvm::MulOverflow(exact, d, exact))
      fits = false;
  }
  return n;
}

//===----------------------------------------------------------------------===//
// Function evaluation
//===----------------------------------------------------------------------===//

namespace {

/// Names of the four dimensions of a [B, H, Lq, Lk] scores-shaped tensor,
/// used in mask messages.
struct ScoresDimNames {
  StringRef batch, heads, queries, keys;
};

/// Evaluates one function; see evaluateFunction.
class FunctionEvaluator {
public:
  FunctionEvaluator(func::FuncOp func, bool computeValues)
      : func(func), computeValues(computeValues) {}

  EvalResult run(ArrayRef<RefTensor> args);

private:
  /// Checks that every op is supported and compiles the regions and the
  /// function-level scalar ops.
  LogicalResult prepare();
  /// prepare() for one op of the entry block.
  LogicalResult prepareOp(Operation &op);
  /// Compiles `body`, a region of `op`, with loop indices `indexNames`.
  LogicalResult prepareBody(Operation *op, Block &body, std::string context,
                            std::vector<std::string> indexNames);
  /// Checks `args` against the function arguments and binds them.
  LogicalResult bindArguments(ArrayRef<RefTensor> args);

  LogicalResult evaluate(Operation *op);
  LogicalResult evaluate(MhaOp op);
  LogicalResult evaluate(LinearOp op);
  LogicalResult evaluate(SplitHeadsOp op);
  LogicalResult evaluate(MergeHeadsOp op);
  LogicalResult evaluate(ScoresOp op);
  LogicalResult evaluate(MaskOp op);
  LogicalResult evaluate(SoftmaxOp op);
  LogicalResult evaluate(ContextOp op);
  LogicalResult evaluate(SdpaOp op);
  LogicalResult evaluate(arith::ConstantOp op);
  LogicalResult evaluate(tensor::CastOp op);
  LogicalResult evaluate(func::ReturnOp op);
  LogicalResult evaluate(linalg::SoftmaxOp op);
  LogicalResult evaluate(linalg::LinalgOp op);
  LogicalResult evaluate(tensor::EmptyOp op);
  LogicalResult evaluate(tensor::ExpandShapeOp op);
  LogicalResult evaluate(tensor::CollapseShapeOp op);
  LogicalResult evaluate(tensor::ExtractSliceOp op);
  LogicalResult evaluate(tensor::InsertSliceOp op);
  LogicalResult evaluate(tensor::ConcatOp op);
  LogicalResult evaluate(tensor::DimOp op);
  LogicalResult evaluate(tensor::ExtractOp op);
  /// Runs a function-level scalar op compiled into `scalars`.
  LogicalResult evaluateScalarOp(Operation *op);

  /// Records a failure with `status` and `message` (already located).
  LogicalResult fail(EvalStatus status, std::string message);
  /// Records an Invalid failure of `op`.
  LogicalResult invalid(Operation *op, const Twine &message) {
    return fail(EvalStatus::Invalid, formatOpMessage(op, message));
  }

  /// Returns the tensor of `value`, operand `name` of `op`, after checking
  /// its shape against the type of `value`; null (and a recorded failure)
  /// otherwise. The pointer is valid until the next call to setResult.
  const RefTensor *lookup(Operation *op, Value value, StringRef name);
  /// Checks that `actual` (described by `actualName`) equals `expected`.
  LogicalResult checkEqual(Operation *op, StringRef actualName, int64_t actual,
                           StringRef expectedName, int64_t expected);
  /// Checks Hq % Hkv == 0 with both positive.
  LogicalResult checkHeadRatio(Operation *op, StringRef queryName,
                               int64_t numQueryHeads, StringRef kvName,
                               int64_t numKvHeads);
  /// Checks an optional mask [B|1, H|1, Lq, Lk] and kv_lens [B] against the
  /// scores shape `scores`. Only a mask dimension that is statically 1 in
  /// `maskValue`'s type broadcasts; a dynamic one must match at run time.
  LogicalResult checkMaskShapes(Operation *op, Value maskValue,
                                const RefTensor *mask, const RefTensor *kvLens,
                                ArrayRef<int64_t> scores,
                                const ScoresDimNames &names);
  /// Checks the shape of `tensor` against the type of result `value` (named
  /// `name`) and binds it.
  LogicalResult setResult(Operation *op, Value value, StringRef name,
                          RefTensor tensor);
  /// Returns `compute()` when values are computed, else an empty tensor of
  /// `shape`; the shape of a computed tensor is `shape` too.
  template <typename ComputeFn>
  RefTensor produce(std::vector<int64_t> shape, ComputeFn compute);

  /// Returns the value of `size` (an attribute or an index scalar), which
  /// `op` uses as `name`; fails (Unsupported) when it depends on tensor data
  /// that the shape-only mode does not compute.
  FailureOr<int64_t> getIndexValue(Operation *op, OpFoldResult size,
                                   StringRef name);
  /// getIndexValue for a list of sizes, offsets or strides.
  FailureOr<SmallVector<int64_t>>
  getIndexValues(Operation *op, ArrayRef<OpFoldResult> sizes, StringRef name);
  /// Writes the function-level scalars that `program` captures into it.
  void bindCaptures(ScalarProgram &program);

  func::FuncOp func;
  bool computeValues;
  DenseMap<Value, RefTensor> values;
  /// The function-level scalars: one slot per scalar value, and one
  /// instruction per scalar op, run when the walk reaches it.
  ScalarProgram scalars{"", {}};
  /// The scalars the shape-only mode does not know (read from tensor data).
  DenseSet<Value> unknownScalars;
  /// The function-level scalar ops compiled into `scalars`.
  DenseSet<Operation *> scalarOps;
  /// The compiled region of each attn.sdpa with a score_mod and each linalg
  /// op.
  DenseMap<Operation *, std::unique_ptr<ScalarProgram>> bodies;
  EvalResult result;
};

} // namespace

LogicalResult FunctionEvaluator::fail(EvalStatus status, std::string message) {
  result.status = status;
  result.message = std::move(message);
  return failure();
}

const RefTensor *FunctionEvaluator::lookup(Operation *op, Value value,
                                           StringRef name) {
  auto it = values.find(value);
  if (it == values.end()) {
    (void)invalid(op, Twine("uses ") + name + ", which has no value");
    return nullptr;
  }
  auto type = cast<RankedTensorType>(value.getType());
  if (!matchesType(it->second.shape, type)) {
    (void)invalid(op,
                  Twine(name) + " has shape " + formatShape(it->second.shape) +
                      ", which does not match its type " + formatType(type));
    return nullptr;
  }
  return &it->second;
}

LogicalResult FunctionEvaluator::checkEqual(Operation *op, StringRef actualName,
                                            int64_t actual,
                                            StringRef expectedName,
                                            int64_t expected) {
  if (actual == expected)
    return success();
  return invalid(op, actualName + " " + Twine(actual) + " does not match " +
                         expectedName + " " + Twine(expected));
}

LogicalResult FunctionEvaluator::checkHeadRatio(Operation *op,
                                                StringRef queryName,
                                                int64_t numQueryHeads,
                                                StringRef kvName,
                                                int64_t numKvHeads) {
  if (numQueryHeads > 0 && numKvHeads > 0 && numQueryHeads % numKvHeads == 0)
    return success();
  return invalid(op, queryName + " " + Twine(numQueryHeads) +
                         " is not a positive multiple of " + kvName + " " +
                         Twine(numKvHeads));
}

LogicalResult FunctionEvaluator::checkMaskShapes(Operation *op, Value maskValue,
                                                 const RefTensor *mask,
                                                 const RefTensor *kvLens,
                                                 ArrayRef<int64_t> scores,
                                                 const ScoresDimNames &names) {
  if (mask) {
    ArrayRef<int64_t> m = mask->shape;
    auto maskType = cast<RankedTensorType>(maskValue.getType());
    if (maskType.getDimSize(0) != 1 &&
        failed(checkEqual(op, "mask batch size", m[0], names.batch, scores[0])))
      return failure();
    if (maskType.getDimSize(1) != 1 &&
        failed(checkEqual(op, "mask head count", m[1], names.heads, scores[1])))
      return failure();
    if (failed(checkEqual(op, "mask query length", m[2], names.queries,
                          scores[2])) ||
        failed(checkEqual(op, "mask key length", m[3], names.keys, scores[3])))
      return failure();
  }
  if (kvLens)
    return checkEqual(op, "kv_lens size", kvLens->shape[0], names.batch,
                      scores[0]);
  return success();
}

LogicalResult FunctionEvaluator::setResult(Operation *op, Value value,
                                           StringRef name, RefTensor tensor) {
  auto type = cast<RankedTensorType>(value.getType());
  if (!matchesType(tensor.shape, type))
    return invalid(op, Twine(name) + " has shape " + formatShape(tensor.shape) +
                           ", which does not match its type " +
                           formatType(type));
  bool fits;
  result.referenceBytes += 8 * getNumElements(tensor.shape, fits);
  if (!fits)
    return invalid(op, Twine(name) + " has shape " + formatShape(tensor.shape) +
                           ", more than 2^63 elements");
  values[value] = std::move(tensor);
  return success();
}

template <typename ComputeFn>
RefTensor FunctionEvaluator::produce(std::vector<int64_t> shape,
                                     ComputeFn compute) {
  if (!computeValues) {
    RefTensor tensor;
    tensor.shape = std::move(shape);
    return tensor;
  }
  RefTensor tensor = compute();
  assert(tensor.shape == shape && "reference kernel disagrees on the shape");
  return tensor;
}

LogicalResult FunctionEvaluator::evaluate(MhaOp op) {
  const RefTensor *x = lookup(op, op.getInput(), "input");
  const RefTensor *wq = x ? lookup(op, op.getWq(), "wq") : nullptr;
  const RefTensor *wk = wq ? lookup(op, op.getWk(), "wk") : nullptr;
  const RefTensor *wv = wk ? lookup(op, op.getWv(), "wv") : nullptr;
  const RefTensor *wo = wv ? lookup(op, op.getWo(), "wo") : nullptr;
  if (!wo)
    return failure();
  int64_t batch = x->shape[0], len = x->shape[1], embed = x->shape[2];
  auto numHeads = static_cast<int64_t>(op.getNumHeads());
  int64_t numKvHeads = op.getNumKvHeadsOrDefault();
  if (failed(checkEqual(op, "wq row count", wq->shape[0],
                        "input embedding size", embed)) ||
      failed(checkEqual(op, "wk row count", wk->shape[0],
                        "input embedding size", embed)) ||
      failed(checkEqual(op, "wv row count", wv->shape[0],
                        "input embedding size", embed)) ||
      failed(checkHeadRatio(op, "num_heads", numHeads, "num_kv_heads",
                            numKvHeads)))
    return failure();
  // The head layout is static and checked by the verifier.
  int64_t headDim = wq->shape[1] / numHeads;
  int64_t valueDim = wv->shape[1] / numKvHeads;
  if (failed(checkEqual(op, "wk column count", wk->shape[1],
                        "num_kv_heads x head size", numKvHeads * headDim)) ||
      failed(checkEqual(op, "wo row count", wo->shape[0],
                        "num_heads x value head size", numHeads * valueDim)))
    return failure();
  bool causal = op.getCausal();
  double scale = 1.0 / std::sqrt(static_cast<double>(headDim));
  if (std::optional<APFloat> scaleAttr = op.getScale())
    scale = toDouble(*scaleAttr);

  bool fits;
  result.scoreElements +=
      getNumElements({batch, numHeads, len, len}, fits);
  RefTensor out = produce({batch, len, wo->shape[1]}, [&] {
    return refMha(*x, *wq, *wk, *wv, *wo, numHeads, numKvHeads, scale, causal);
  });
  return setResult(op, op.getResult(), "result", std::move(out));
}

LogicalResult FunctionEvaluator::evaluate(LinearOp op) {
  const RefTensor *x = lookup(op, op.getInput(), "input");
  const RefTensor *w = x ? lookup(op, op.getWeight(), "weight") : nullptr;
  if (!w)
    return failure();
  const RefTensor *bias = nullptr;
  if (op.getBias() && !(bias = lookup(op, op.getBias(), "bias")))
    return failure();
  if (x->shape.size() < 2)
    return invalid(op, "input must have rank 2 or 3");
  int64_t in = x->shape.back(), out = w->shape[1];
  if (failed(checkEqual(op, "weight row count", w->shape[0],
                        "input contraction size", in)) ||
      (bias && failed(checkEqual(op, "bias size", bias->shape[0],
                                 "weight column count", out))))
    return failure();
  std::vector<int64_t> shape = x->shape;
  shape.back() = out;
  RefTensor y =
      produce(std::move(shape), [&] { return refLinear(*x, *w, bias); });
  return setResult(op, op.getResult(), "result", std::move(y));
}

LogicalResult FunctionEvaluator::evaluate(SplitHeadsOp op) {
  const RefTensor *x = lookup(op, op.getInput(), "input");
  if (!x)
    return failure();
  // H and D are static dimensions of the result type (verifier C2).
  RankedTensorType resultType = op.getResult().getType();
  int64_t numHeads = resultType.getDimSize(1);
  int64_t headDim = resultType.getDimSize(3);
  if (numHeads <= 0)
    return invalid(op,
                   "result head count " + Twine(numHeads) + " is not positive");
  if (failed(checkEqual(op, "input feature size", x->shape[2],
                        "result heads x head size", numHeads * headDim)))
    return failure();
  RefTensor y = produce({x->shape[0], numHeads, x->shape[1], headDim},
                        [&] { return refSplitHeads(*x, numHeads); });
  return setResult(op, op.getResult(), "result", std::move(y));
}

LogicalResult FunctionEvaluator::evaluate(MergeHeadsOp op) {
  const RefTensor *x = lookup(op, op.getInput(), "input");
  if (!x)
    return failure();
  ArrayRef<int64_t> s = x->shape;
  RefTensor y =
      produce({s[0], s[2], s[1] * s[3]}, [&] { return refMergeHeads(*x); });
  return setResult(op, op.getResult(), "result", std::move(y));
}

LogicalResult FunctionEvaluator::evaluate(ScoresOp op) {
  const RefTensor *q = lookup(op, op.getQuery(), "query");
  const RefTensor *k = q ? lookup(op, op.getKey(), "key") : nullptr;
  if (!k)
    return failure();
  ArrayRef<int64_t> qs = q->shape, ks = k->shape;
  if (failed(
          checkEqual(op, "key batch size", ks[0], "query batch size", qs[0])) ||
      failed(
          checkEqual(op, "key head size", ks[3], "query head size", qs[3])) ||
      failed(checkHeadRatio(op, "query head count", qs[1], "key head count",
                            ks[1])))
    return failure();
  double scale = op.getScaleOrDefault();
  std::optional<double> softcap;
  if (std::optional<APFloat> cap = op.getSoftcap())
    softcap = toDouble(*cap);
  RefTensor s = produce({qs[0], qs[1], qs[2], ks[2]}, [&] {
    return refScores(*q, *k, scale, softcap, ScoreModFn());
  });
  return setResult(op, op.getResult(), "result", std::move(s));
}

/// Returns the (left, right) band of an optional `window` attribute.
static std::optional<std::pair<int64_t, int64_t>>
getWindowSpec(std::optional<ArrayRef<int64_t>> window) {
  // The verifier guarantees two elements.
  if (!window || window->size() != 2)
    return std::nullopt;
  return std::make_pair((*window)[0], (*window)[1]);
}

/// Whether `value` is an i1 tensor (a boolean mask).
static bool isBoolTensor(Value value) {
  return cast<RankedTensorType>(value.getType()).getElementType().isInteger(1);
}

LogicalResult FunctionEvaluator::evaluate(MaskOp op) {
  const RefTensor *scores = lookup(op, op.getScores(), "scores");
  if (!scores)
    return failure();
  const RefTensor *mask = nullptr, *kvLens = nullptr;
  if (op.getMask() && !(mask = lookup(op, op.getMask(), "mask")))
    return failure();
  if (op.getKvLens() && !(kvLens = lookup(op, op.getKvLens(), "kv_lens")))
    return failure();
  ScoresDimNames names{"scores batch size", "scores head count",
                       "scores query length", "scores key length"};
  if (failed(checkMaskShapes(op, op.getMask(), mask, kvLens, scores->shape,
                             names)))
    return failure();
  MaskSpec spec;
  spec.mask = mask;
  spec.maskIsBool = mask && isBoolTensor(op.getMask());
  spec.kvLens = kvLens;
  spec.causal = op.getCausal();
  spec.window = getWindowSpec(op.getWindow());
  RefTensor y = produce(scores->shape, [&] { return refMask(*scores, spec); });
  return setResult(op, op.getResult(), "result", std::move(y));
}

LogicalResult FunctionEvaluator::evaluate(SoftmaxOp op) {
  const RefTensor *x = lookup(op, op.getInput(), "input");
  if (!x)
    return failure();
  if (x->shape.empty())
    return invalid(op, "input must have rank >= 1");
  RefTensor y = produce(x->shape, [&] { return refSoftmax(*x, nullptr); });
  return setResult(op, op.getResult(), "result", std::move(y));
}

LogicalResult FunctionEvaluator::evaluate(ContextOp op) {
  const RefTensor *p = lookup(op, op.getProbs(), "probs");
  const RefTensor *v = p ? lookup(op, op.getValue(), "value") : nullptr;
  if (!v)
    return failure();
  ArrayRef<int64_t> ps = p->shape, vs = v->shape;
  if (failed(checkEqual(op, "value batch size", vs[0], "probs batch size",
                        ps[0])) ||
      failed(checkEqual(op, "value sequence length", vs[2], "probs key length",
                        ps[3])) ||
      failed(checkHeadRatio(op, "probs head count", ps[1], "value head count",
                            vs[1])))
    return failure();
  RefTensor out =
      produce({ps[0], ps[1], ps[2], vs[3]}, [&] { return refContext(*p, *v); });
  return setResult(op, op.getResult(), "result", std::move(out));
}

LogicalResult FunctionEvaluator::evaluate(SdpaOp op) {
  const RefTensor *q = lookup(op, op.getQuery(), "query");
  const RefTensor *k = q ? lookup(op, op.getKey(), "key") : nullptr;
  const RefTensor *v = k ? lookup(op, op.getValue(), "value") : nullptr;
  if (!v)
    return failure();
  const RefTensor *mask = nullptr, *kvLens = nullptr;
  if (op.getMask() && !(mask = lookup(op, op.getMask(), "mask")))
    return failure();
  if (op.getKvLens() && !(kvLens = lookup(op, op.getKvLens(), "kv_lens")))
    return failure();
  ArrayRef<int64_t> qs = q->shape, ks = k->shape, vs = v->shape;
  if (failed(
          checkEqual(op, "key batch size", ks[0], "query batch size", qs[0])) ||
      failed(checkEqual(op, "value batch size", vs[0], "query batch size",
                        qs[0])) ||
      failed(
          checkEqual(op, "key head size", ks[3], "query head size", qs[3])) ||
      failed(
          checkEqual(op, "value head count", vs[1], "key head count", ks[1])) ||
      failed(checkHeadRatio(op, "query head count", qs[1], "key head count",
                            ks[1])) ||
      failed(checkEqual(op, "value sequence length", vs[2],
                        "key sequence length", ks[2])))
    return failure();
  int64_t batch = qs[0], numHeads = qs[1], qLen = qs[2], kvLen = ks[2];
  ScoresDimNames names{"query batch size", "query head count",
                       "query sequence length", "key sequence length"};
  if (failed(checkMaskShapes(op, op.getMask(), mask, kvLens,
                             {batch, numHeads, qLen, kvLen}, names)))
    return failure();

  SdpaSpec spec{};
  spec.scale = op.getScaleOrDefault();
  if (std::optional<APFloat> cap = op.getSoftcap())
    spec.softcap = toDouble(*cap);
  // The tile_origin places the op in a larger problem. Its values matter
  // only to the values computed: the shape-only mode leaves them unread
  // (they may come from tensor data it does not know).
  std::array<int64_t, 4> origin = {0, 0, 0, 0}; // b0, h0, i0, j0
  if (computeValues && !op.getTileOrigin().empty()) {
    FailureOr<SmallVector<int64_t>> values = getIndexValues(
        op, getAsOpFoldResult(op.getTileOrigin()), "tile_origin operand");
    if (failed(values))
      return failure();
    origin = {(*values)[0], (*values)[1], (*values)[2],
              values->size() == 6 ? (*values)[4] : 0};
    spec.mask.queryOffset = origin[2];
    spec.mask.fullQueryLen = (*values)[3];
    if (values->size() == 6) {
      spec.mask.keyOffset = origin[3];
      spec.mask.fullKeyLen = (*values)[5];
    }
  }
  ScalarProgram *scoreMod = nullptr;
  if (auto it = bodies.find(op); it != bodies.end()) {
    scoreMod = it->second.get();
    bindCaptures(*scoreMod);
    spec.scoreMod = [scoreMod, origin](double score, int64_t b, int64_t h,
                                       int64_t qIdx, int64_t kvIdx) {
      b += origin[0];
      h += origin[1];
      qIdx += origin[2];
      kvIdx += origin[3];
      std::array<Scalar, 5> args;
      args[0].f = score;
      args[1].i = b;
      args[2].i = h;
      args[3].i = qIdx;
      args[4].i = kvIdx;
      scoreMod->run(args, {b, h, qIdx, kvIdx});
      return scoreMod->getSlot(scoreMod->getResultSlots().front()).f;
    };
  }
  spec.mask.mask = mask;
  spec.mask.maskIsBool = mask && isBoolTensor(op.getMask());
  spec.mask.kvLens = kvLens;
  spec.mask.causal = op.getCausal();
  spec.mask.window = getWindowSpec(op.getWindow());

  bool fits;
  result.scoreElements += getNumElements({batch, numHeads, qLen, kvLen}, fits);
  bool wantLse = static_cast<bool>(op.getLse());
  RefTensor lse;
  lse.shape = {batch, numHeads, qLen};
  RefTensor out = produce({batch, numHeads, qLen, vs[3]}, [&] {
    return refSdpa(*q, *k, *v, spec, wantLse ? &lse : nullptr);
  });
  if (scoreMod && !scoreMod->getError().empty())
    return fail(EvalStatus::Invalid, scoreMod->getError());
  if (failed(setResult(op, op.getOut(), "out", std::move(out))))
    return failure();
  if (wantLse)
    return setResult(op, op.getLse(), "lse", std::move(lse));
  return success();
}

//===----------------------------------------------------------------------===//
// Constants and scalars
//===----------------------------------------------------------------------===//

/// How a tensor element is read into a Scalar and written back.
enum class ScalarKind { Float, Bool, Int };

static ScalarKind getScalarKind(Type elementType) {
  if (isa<FloatType>(elementType))
    return ScalarKind::Float;
  if (elementType.isInteger(1))
    return ScalarKind::Bool;
  return ScalarKind::Int;
}

/// Reads a tensor element (0/1 for i1, exact integers) as a Scalar.
static Scalar toScalar(double value, ScalarKind kind) {
  Scalar scalar;
  if (kind == ScalarKind::Float)
    scalar.f = value;
  else if (kind == ScalarKind::Bool)
    scalar.i = value != 0.0 ? -1 : 0;
  else if (std::isfinite(value))
    scalar.i = static_cast<int64_t>(value);
  return scalar;
}

/// Writes a Scalar as a tensor element.
static double fromScalar(const Scalar &scalar, ScalarKind kind) {
  if (kind == ScalarKind::Float)
    return scalar.f;
  if (kind == ScalarKind::Bool)
    return scalar.i != 0 ? 1.0 : 0.0;
  return static_cast<double>(scalar.i);
}

LogicalResult FunctionEvaluator::evaluate(arith::ConstantOp op) {
  // Scalar constants are stored in `scalars` by prepare(), which admits only
  // tensors that decodeConstantElements reads.
  auto type = dyn_cast<RankedTensorType>(op.getType());
  if (!type)
    return success();
  RefTensor tensor;
  tensor.shape.assign(type.getShape().begin(), type.getShape().end());
  if (computeValues)
    tensor.data = *decodeConstantElements(op.getValue());
  return setResult(op, op.getResult(), "result", std::move(tensor));
}

LogicalResult FunctionEvaluator::evaluateScalarOp(Operation *op) {
  // A scalar computed from unread tensor data stays unknown.
  if (llvm::any_of(op->getOperands(), [&](Value operand) {
        return unknownScalars.contains(operand);
      })) {
    unknownScalars.insert(op->getResult(0));
    return success();
  }
  scalars.runOp(op);
  if (!scalars.getError().empty())
    return fail(EvalStatus::Invalid, scalars.getError());
  return success();
}

FailureOr<int64_t> FunctionEvaluator::getIndexValue(Operation *op,
                                                    OpFoldResult size,
                                                    StringRef name) {
  if (std::optional<int64_t> constant = getConstantIntValue(size))
    return *constant;
  auto value = cast<Value>(size);
  // prepare() gives every scalar operand a slot.
  if (unknownScalars.contains(value)) {
    (void)fail(EvalStatus::Unsupported,
               formatOpMessage(op, Twine("has a ") + name +
                                       " computed from tensor data, which "
                                       "the shape-only evaluation does not "
                                       "read: no float64 reference"));
    return failure();
  }
  return scalars.getSlot(scalars.lookupSlot(value)).i;
}

FailureOr<SmallVector<int64_t>>
FunctionEvaluator::getIndexValues(Operation *op, ArrayRef<OpFoldResult> sizes,
                                  StringRef name) {
  SmallVector<int64_t> values;
  for (OpFoldResult size : sizes) {
    FailureOr<int64_t> value = getIndexValue(op, size, name);
    if (failed(value))
      return failure();
    values.push_back(*value);
  }
  return values;
}

void FunctionEvaluator::bindCaptures(ScalarProgram &program) {
  // prepare() admits only captures of function-level scalars.
  for (auto [value, slot] : program.getCaptures())
    program.getSlot(slot) = scalars.getSlot(scalars.lookupSlot(value));
}

//===----------------------------------------------------------------------===//
// Tensor ops
//===----------------------------------------------------------------------===//

/// Returns the row-major strides of `shape`.
static SmallVector<int64_t> getStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

/// Returns the product of `shape`.
static int64_t getNumElements(ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  return count;
}

/// Returns a message when the slice (offsets, sizes, strides) does not lie
/// inside a tensor of `shape` named `name`, else an empty string.
static std::string checkSlice(StringRef name, ArrayRef<int64_t> shape,
                              ArrayRef<int64_t> offsets,
                              ArrayRef<int64_t> sizes,
                              ArrayRef<int64_t> strides) {
  for (auto [d, dim] : llvm::enumerate(shape)) {
    std::string where = "slice dimension #" + std::to_string(d) + " (offset " +
                        std::to_string(offsets[d]) + ", size " +
                        std::to_string(sizes[d]) + ", stride " +
                        std::to_string(strides[d]) + ")";
    if (sizes[d] < 0)
      return where + " has a negative size";
    if (sizes[d] == 0)
      continue;
    int64_t first = offsets[d];
    int64_t last = offsets[d] + (sizes[d] - 1) * strides[d];
    if (std::min(first, last) < 0 || std::max(first, last) >= dim)
      return where + " is out of bounds of the " + name.str() + " size " +
             std::to_string(dim);
  }
  return "";
}

/// Calls `fn` with the row-major offset, in a tensor of `shape`, of each
/// element of the slice (offsets, sizes, strides), in row-major order.
static void forEachInSlice(ArrayRef<int64_t> shape, ArrayRef<int64_t> offsets,
                           ArrayRef<int64_t> sizes, ArrayRef<int64_t> strides,
                           function_ref<void(int64_t)> fn) {
  if (llvm::is_contained(sizes, 0))
    return;
  SmallVector<int64_t> tensorStrides = getStrides(shape);
  auto rank = static_cast<int64_t>(shape.size());
  SmallVector<int64_t> steps(rank), index(rank, 0);
  int64_t offset = 0;
  for (int64_t d = 0; d < rank; ++d) {
    steps[d] = strides[d] * tensorStrides[d];
    offset += offsets[d] * tensorStrides[d];
  }
  while (true) {
    fn(offset);
    int64_t d = rank - 1;
    for (; d >= 0; --d) {
      if (++index[d] < sizes[d]) {
        offset += steps[d];
        break;
      }
      offset -= (sizes[d] - 1) * steps[d];
      index[d] = 0;
    }
    if (d < 0)
      return;
  }
}

LogicalResult FunctionEvaluator::evaluate(tensor::EmptyOp op) {
  FailureOr<SmallVector<int64_t>> sizes =
      getIndexValues(op, op.getMixedSizes(), "size");
  if (failed(sizes))
    return failure();
  for (auto [d, size] : llvm::enumerate(*sizes))
    if (size < 0)
      return invalid(op, "size #" + Twine(d) + " is negative (" + Twine(size) +
                             ")");
  std::vector<int64_t> shape(sizes->begin(), sizes->end());
  // The contents are undefined: NaN makes a float read of them visible.
  bool isFloat = isa<FloatType>(op.getType().getElementType());
  RefTensor empty = produce(shape, [&] {
    RefTensor tensor;
    tensor.shape = shape;
    tensor.data.assign(getNumElements(shape),
                       isFloat ? std::numeric_limits<double>::quiet_NaN()
                               : 0.0);
    return tensor;
  });
  return setResult(op, op.getResult(), "result", std::move(empty));
}

LogicalResult FunctionEvaluator::evaluate(tensor::ExpandShapeOp op) {
  const RefTensor *source = lookup(op, op.getSrc(), "source");
  if (!source)
    return failure();
  FailureOr<SmallVector<int64_t>> sizes =
      getIndexValues(op, op.getMixedOutputShape(), "output size");
  if (failed(sizes))
    return failure();
  for (auto [group, dims] : llvm::enumerate(op.getReassociationIndices())) {
    int64_t product = 1;
    for (int64_t d : dims) {
      if ((*sizes)[d] < 0)
        return invalid(op, "output size #" + Twine(d) + " is negative (" +
                               Twine((*sizes)[d]) + ")");
      product *= (*sizes)[d];
    }
    if (product != source->shape[group])
      return invalid(op, "output sizes of group #" + Twine(group) +
                             " multiply to " + Twine(product) +
                             ", not to the source size " +
                             Twine(source->shape[group]));
  }
  std::vector<int64_t> shape(sizes->begin(), sizes->end());
  RefTensor expanded = produce(shape, [&] {
    RefTensor tensor;
    tensor.shape = shape;
    tensor.data = source->data;
    return tensor;
  });
  return setResult(op, op.getResult(), "result", std::move(expanded));
}

LogicalResult FunctionEvaluator::evaluate(tensor::CollapseShapeOp op) {
  const RefTensor *source = lookup(op, op.getSrc(), "source");
  if (!source)
    return failure();
  std::vector<int64_t> shape;
  for (const ReassociationIndices &dims : op.getReassociationIndices()) {
    int64_t product = 1;
    for (int64_t d : dims)
      product *= source->shape[d];
    shape.push_back(product);
  }
  RefTensor collapsed = produce(shape, [&] {
    RefTensor tensor;
    tensor.shape = shape;
    tensor.data = source->data;
    return tensor;
  });
  return setResult(op, op.getResult(), "result", std::move(collapsed));
}

LogicalResult FunctionEvaluator::evaluate(tensor::ExtractSliceOp op) {
  const RefTensor *source = lookup(op, op.getSource(), "source");
  if (!source)
    return failure();
  FailureOr<SmallVector<int64_t>> offsets =
      getIndexValues(op, op.getMixedOffsets(), "offset");
  if (failed(offsets))
    return failure();
  FailureOr<SmallVector<int64_t>> sizes =
      getIndexValues(op, op.getMixedSizes(), "size");
  if (failed(sizes))
    return failure();
  FailureOr<SmallVector<int64_t>> strides =
      getIndexValues(op, op.getMixedStrides(), "stride");
  if (failed(strides))
    return failure();
  std::string error =
      checkSlice("source", source->shape, *offsets, *sizes, *strides);
  if (!error.empty())
    return invalid(op, error);
  llvm::SmallBitVector dropped = op.getDroppedDims();
  std::vector<int64_t> shape;
  for (auto [d, size] : llvm::enumerate(*sizes))
    if (!dropped.test(d))
      shape.push_back(size);
  RefTensor slice = produce(shape, [&] {
    RefTensor tensor;
    tensor.shape = shape;
    tensor.data.reserve(getNumElements(shape));
    forEachInSlice(
        source->shape, *offsets, *sizes, *strides,
        [&](int64_t offset) { tensor.data.push_back(source->data[offset]); });
    return tensor;
  });
  return setResult(op, op.getResult(), "result", std::move(slice));
}

LogicalResult FunctionEvaluator::evaluate(tensor::InsertSliceOp op) {
  const RefTensor *source = lookup(op, op.getSource(), "source");
  const RefTensor *dest = source ? lookup(op, op.getDest(), "dest") : nullptr;
  if (!dest)
    return failure();
  FailureOr<SmallVector<int64_t>> offsets =
      getIndexValues(op, op.getMixedOffsets(), "offset");
  if (failed(offsets))
    return failure();
  FailureOr<SmallVector<int64_t>> sizes =
      getIndexValues(op, op.getMixedSizes(), "size");
  if (failed(sizes))
    return failure();
  FailureOr<SmallVector<int64_t>> strides =
      getIndexValues(op, op.getMixedStrides(), "stride");
  if (failed(strides))
    return failure();
  std::string error =
      checkSlice("dest", dest->shape, *offsets, *sizes, *strides);
  if (!error.empty())
    return invalid(op, error);
  llvm::SmallBitVector dropped = op.getDroppedDims();
  std::vector<int64_t> sliceShape;
  for (auto [d, size] : llvm::enumerate(*sizes))
    if (!dropped.test(d))
      sliceShape.push_back(size);
  if (sliceShape != source->shape)
    return invalid(op, "source has shape " + formatShape(source->shape) +
                           ", but the slice has shape " +
                           formatShape(sliceShape));
  RefTensor inserted = produce(dest->shape, [&] {
    RefTensor tensor = *dest;
    size_t next = 0;
    forEachInSlice(
        dest->shape, *offsets, *sizes, *strides,
        [&](int64_t offset) { tensor.data[offset] = source->data[next++]; });
    return tensor;
  });
  return setResult(op, op.getResult(), "result", std::move(inserted));
}

LogicalResult FunctionEvaluator::evaluate(tensor::ConcatOp op) {
  uint64_t dim = op.getDim();
  SmallVector<const RefTensor *> inputs;
  for (auto [index, input] : llvm::enumerate(op.getInputs())) {
    const RefTensor *tensor =
        lookup(op, input, ("input #" + Twine(index)).str());
    if (!tensor)
      return failure();
    inputs.push_back(tensor);
  }
  std::vector<int64_t> shape = inputs.front()->shape;
  shape[dim] = 0;
  for (auto [index, input] : llvm::enumerate(inputs)) {
    for (auto [d, size] : llvm::enumerate(input->shape)) {
      if (d == dim)
        continue;
      if (size != shape[d])
        return invalid(op, "input #" + Twine(index) + " has shape " +
                               formatShape(input->shape) +
                               ", which does not match input #0 shape " +
                               formatShape(inputs.front()->shape) +
                               " outside dimension " + Twine(dim));
    }
    shape[dim] += input->shape[dim];
  }
  RefTensor concat = produce(shape, [&] {
    RefTensor tensor;
    tensor.shape = shape;
    tensor.data.reserve(getNumElements(shape));
    int64_t outer = getNumElements(ArrayRef<int64_t>(shape).take_front(dim));
    for (int64_t o = 0; o < outer; ++o) {
      for (const RefTensor *input : inputs) {
        int64_t inner =
            getNumElements(ArrayRef<int64_t>(input->shape).drop_front(dim));
        auto first = input->data.begin() + o * inner;
        tensor.data.insert(tensor.data.end(), first, first + inner);
      }
    }
    return tensor;
  });
  return setResult(op, op.getResult(), "result", std::move(concat));
}

LogicalResult FunctionEvaluator::evaluate(tensor::DimOp op) {
  const RefTensor *source = lookup(op, op.getSource(), "source");
  if (!source)
    return failure();
  FailureOr<int64_t> index = getIndexValue(op, op.getIndex(), "index");
  if (failed(index))
    return failure();
  auto rank = static_cast<int64_t>(source->shape.size());
  if (*index < 0 || *index >= rank)
    return invalid(op, "index " + Twine(*index) + " is out of range for rank " +
                           Twine(rank));
  scalars.getSlot(scalars.lookupSlot(op.getResult())).i = source->shape[*index];
  return success();
}

LogicalResult FunctionEvaluator::evaluate(tensor::ExtractOp op) {
  const RefTensor *source = lookup(op, op.getTensor(), "tensor");
  if (!source)
    return failure();
  bool known = true;
  SmallVector<int64_t> indices;
  for (Value index : op.getIndices()) {
    known = known && !unknownScalars.contains(index);
    if (known)
      indices.push_back(scalars.getSlot(scalars.lookupSlot(index)).i);
  }
  if (known)
    for (auto [index, dim] : llvm::zip_equal(indices, source->shape))
      if (index < 0 || index >= dim)
        return invalid(op, "indices " + formatShape(indices) +
                               " are out of bounds of the shape " +
                               formatShape(source->shape));
  if (!computeValues || !known) {
    unknownScalars.insert(op.getResult());
    return success();
  }
  int64_t offset = 0;
  for (auto [index, stride] :
       llvm::zip_equal(indices, getStrides(source->shape)))
    offset += index * stride;
  scalars.getSlot(scalars.lookupSlot(op.getResult())) =
      toScalar(source->data[offset], getScalarKind(op.getType()));
  return success();
}

LogicalResult FunctionEvaluator::evaluate(tensor::CastOp op) {
  const RefTensor *source = lookup(op, op.getSource(), "source");
  if (!source)
    return failure();
  return setResult(op, op.getResult(), "result", *source);
}

LogicalResult FunctionEvaluator::evaluate(func::ReturnOp op) {
  for (auto [index, operand] : llvm::enumerate(op.getOperands())) {
    const RefTensor *tensor =
        lookup(op, operand, ("operand #" + Twine(index)).str());
    if (!tensor)
      return failure();
    result.results.push_back(*tensor);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Linalg ops
//===----------------------------------------------------------------------===//

LogicalResult FunctionEvaluator::evaluate(linalg::SoftmaxOp op) {
  const RefTensor *x = lookup(op, op.getInput(), "input");
  const RefTensor *init = x ? lookup(op, op.getOutput(), "output") : nullptr;
  if (!init)
    return failure();
  if (init->shape != x->shape)
    return invalid(op, "output has shape " + formatShape(init->shape) +
                           ", but the input has shape " +
                           formatShape(x->shape));
  // Upstream semantics (SoftmaxOp::decomposeOperation): m = maxnum over the
  // dimension from -inf, e = exp(x - m), y = e / sum(e). A row of all -inf
  // gives NaN.
  int64_t dim = op.getDimension();
  RefTensor y = produce(x->shape, [&] {
    ArrayRef<int64_t> shape = x->shape;
    int64_t outer = getNumElements(shape.take_front(dim));
    int64_t size = shape[dim];
    int64_t inner = getNumElements(shape.drop_front(dim + 1));
    RefTensor tensor;
    tensor.shape = x->shape;
    tensor.data.resize(x->data.size());
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t i = 0; i < inner; ++i) {
        int64_t base = o * size * inner + i;
        double max = -std::numeric_limits<double>::infinity();
        for (int64_t j = 0; j < size; ++j)
          max = std::fmax(max, x->data[base + j * inner]);
        double sum = 0.0;
        for (int64_t j = 0; j < size; ++j) {
          double e = std::exp(x->data[base + j * inner] - max);
          tensor.data[base + j * inner] = e;
          sum += e;
        }
        for (int64_t j = 0; j < size; ++j)
          tensor.data[base + j * inner] /= sum;
      }
    }
    return tensor;
  });
  return setResult(op, op.getResult()[0], "result", std::move(y));
}

/// Adds `scale` times the linear form of `expr` (c + sum of coefs[d] * d) to
/// `coefs` and `constant`; fails when `expr` is not linear in the loops
/// (mod, floordiv, ceildiv, or a product of loops).
static bool addLinearForm(AffineExpr expr, int64_t scale,
                          MutableArrayRef<int64_t> coefs, int64_t &constant) {
  if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
    coefs[dim.getPosition()] += scale;
    return true;
  }
  if (auto cst = dyn_cast<AffineConstantExpr>(expr)) {
    constant += scale * cst.getValue();
    return true;
  }
  auto binary = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!binary)
    return false;
  AffineExpr lhs = binary.getLHS(), rhs = binary.getRHS();
  if (expr.getKind() == AffineExprKind::Add)
    return addLinearForm(lhs, scale, coefs, constant) &&
           addLinearForm(rhs, scale, coefs, constant);
  if (expr.getKind() != AffineExprKind::Mul)
    return false;
  if (auto cst = dyn_cast<AffineConstantExpr>(rhs))
    return addLinearForm(lhs, scale * cst.getValue(), coefs, constant);
  if (auto cst = dyn_cast<AffineConstantExpr>(lhs))
    return addLinearForm(rhs, scale * cst.getValue(), coefs, constant);
  return false;
}

/// Evaluates `expr` (no symbols) at the loop indices `point`.
static int64_t evaluateAffine(AffineExpr expr, ArrayRef<int64_t> point) {
  if (auto dim = dyn_cast<AffineDimExpr>(expr))
    return point[dim.getPosition()];
  if (auto cst = dyn_cast<AffineConstantExpr>(expr))
    return cst.getValue();
  auto binary = cast<AffineBinaryOpExpr>(expr);
  int64_t lhs = evaluateAffine(binary.getLHS(), point);
  int64_t rhs = evaluateAffine(binary.getRHS(), point);
  switch (expr.getKind()) {
  case AffineExprKind::Add:
    return lhs + rhs;
  case AffineExprKind::Mul:
    return lhs * rhs;
  case AffineExprKind::FloorDiv:
    return rhs == 0 ? 0 : llvm::divideFloorSigned(lhs, rhs);
  case AffineExprKind::CeilDiv:
    return rhs == 0 ? 0 : llvm::divideCeilSigned(lhs, rhs);
  case AffineExprKind::Mod:
    return rhs == 0 ? 0 : lhs - llvm::divideFloorSigned(lhs, rhs) * rhs;
  default:
    llvm_unreachable("not a binary affine expression");
  }
}

/// Returns bounds [lo, hi] of `expr` (no symbols) over the loop indices
/// 0 <= d < sizes[d], every size positive. Exact for sums of scaled loops;
/// conservative otherwise.
static std::pair<int64_t, int64_t> boundAffine(AffineExpr expr,
                                               ArrayRef<int64_t> sizes) {
  if (auto dim = dyn_cast<AffineDimExpr>(expr))
    return {0, sizes[dim.getPosition()] - 1};
  if (auto cst = dyn_cast<AffineConstantExpr>(expr))
    return {cst.getValue(), cst.getValue()};
  auto binary = cast<AffineBinaryOpExpr>(expr);
  auto [lhsLo, lhsHi] = boundAffine(binary.getLHS(), sizes);
  auto [rhsLo, rhsHi] = boundAffine(binary.getRHS(), sizes);
  switch (expr.getKind()) {
  case AffineExprKind::Add:
    return {lhsLo + rhsLo, lhsHi + rhsHi};
  case AffineExprKind::Mul: {
    std::array<int64_t, 4> corners = {lhsLo * rhsLo, lhsLo * rhsHi,
                                      lhsHi * rhsLo, lhsHi * rhsHi};
    return {*llvm::min_element(corners), *llvm::max_element(corners)};
  }
  case AffineExprKind::FloorDiv:
  case AffineExprKind::CeilDiv:
  case AffineExprKind::Mod: {
    // Pure affine maps divide by positive constants only.
    if (rhsLo != rhsHi || rhsLo <= 0)
      return {std::numeric_limits<int64_t>::min(),
              std::numeric_limits<int64_t>::max()};
    if (expr.getKind() == AffineExprKind::FloorDiv)
      return {llvm::divideFloorSigned(lhsLo, rhsLo),
              llvm::divideFloorSigned(lhsHi, rhsLo)};
    if (expr.getKind() == AffineExprKind::CeilDiv)
      return {llvm::divideCeilSigned(lhsLo, rhsLo),
              llvm::divideCeilSigned(lhsHi, rhsLo)};
    if (lhsLo >= 0 && lhsHi < rhsLo)
      return {lhsLo, lhsHi};
    return {0, rhsLo - 1};
  }
  default:
    llvm_unreachable("not a binary affine expression");
  }
}

namespace {
/// How a linalg op reads or writes one operand at each point of its loops.
struct OperandAccess {
  /// The tensor data (null for a scalar operand).
  double *data = nullptr;
  ScalarKind kind = ScalarKind::Float;
  /// A scalar operand's value.
  Scalar scalar;
  /// When the map is linear: offset = constant + sum of coefs[d] * d.
  bool isLinear = true;
  SmallVector<int64_t> coefs;
  int64_t constant = 0;
  /// Otherwise: the map and the operand strides.
  AffineMap map;
  SmallVector<int64_t> strides;

  int64_t getOffset(ArrayRef<int64_t> point) const {
    int64_t offset = constant;
    if (isLinear) {
      for (auto [coef, index] : llvm::zip_equal(coefs, point))
        offset += coef * index;
      return offset;
    }
    for (auto [expr, stride] : llvm::zip_equal(map.getResults(), strides))
      offset += evaluateAffine(expr, point) * stride;
    return offset;
  }
};
} // namespace

LogicalResult FunctionEvaluator::evaluate(linalg::LinalgOp op) {
  unsigned numLoops = op.getNumLoops();
  unsigned numInputs = op.getNumDpsInputs();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  MutableArrayRef<OpOperand> operands = op->getOpOperands();

  // Operand tensors, null for scalars. prepare() checked the maps.
  SmallVector<const RefTensor *> tensors(operands.size(), nullptr);
  for (OpOperand &operand : operands) {
    if (!isa<RankedTensorType>(operand.get().getType()))
      continue;
    unsigned number = operand.getOperandNumber();
    tensors[number] =
        lookup(op, operand.get(), ("operand #" + Twine(number)).str());
    if (!tensors[number])
      return failure();
  }

  // Loop sizes from the operand dimensions indexed by a bare loop, which
  // must agree; prepare() checked that every loop has one.
  SmallVector<int64_t> loopSizes(numLoops, -1);
  SmallVector<std::pair<unsigned, unsigned>> sizeSource(numLoops);
  for (auto [number, tensor] : llvm::enumerate(tensors)) {
    if (!tensor)
      continue;
    for (auto [r, expr] : llvm::enumerate(maps[number].getResults())) {
      auto dim = dyn_cast<AffineDimExpr>(expr);
      if (!dim)
        continue;
      unsigned d = dim.getPosition();
      int64_t size = tensor->shape[r];
      if (loopSizes[d] < 0) {
        loopSizes[d] = size;
        sizeSource[d] = {number, r};
        continue;
      }
      if (size != loopSizes[d])
        return invalid(op, "operand #" + Twine(number) + " dimension #" +
                               Twine(r) + " has size " + Twine(size) +
                               ", but operand #" + Twine(sizeSource[d].first) +
                               " dimension #" + Twine(sizeSource[d].second) +
                               " gives loop d" + Twine(d) + " size " +
                               Twine(loopSizes[d]));
    }
  }
  int64_t numPoints = getNumElements(loopSizes);

  // Other indexing expressions must stay inside their dimension.
  if (numPoints > 0) {
    for (auto [number, tensor] : llvm::enumerate(tensors)) {
      if (!tensor)
        continue;
      for (auto [r, expr] : llvm::enumerate(maps[number].getResults())) {
        if (isa<AffineDimExpr>(expr))
          continue;
        auto [lo, hi] = boundAffine(expr, loopSizes);
        if (lo < 0 || hi >= tensor->shape[r])
          return invalid(op, "operand #" + Twine(number) + " dimension #" +
                                 Twine(r) + " is indexed from " + Twine(lo) +
                                 " to " + Twine(hi) + ", outside its size " +
                                 Twine(tensor->shape[r]));
      }
    }
  }
  // The results start as the inits and are updated in loop order.
  std::vector<RefTensor> outs;
  for (const RefTensor *init : ArrayRef(tensors).drop_front(numInputs)) {
    RefTensor out;
    out.shape = init->shape;
    if (computeValues)
      out.data = init->data;
    outs.push_back(std::move(out));
  }

  if (computeValues && numPoints > 0) {
    ScalarProgram &body = *bodies.find(op)->second;
    bindCaptures(body);
    SmallVector<OperandAccess> accesses(operands.size());
    for (auto [number, access] : llvm::enumerate(accesses)) {
      Value value = operands[number].get();
      auto type = dyn_cast<RankedTensorType>(value.getType());
      access.kind = getScalarKind(getElementTypeOrSelf(value.getType()));
      if (!type) {
        access.scalar = scalars.getSlot(scalars.lookupSlot(value));
        continue;
      }
      access.data = number < numInputs
                        ? const_cast<double *>(tensors[number]->data.data())
                        : outs[number - numInputs].data.data();
      access.map = maps[number];
      access.strides = getStrides(tensors[number]->shape);
      access.coefs.assign(numLoops, 0);
      for (auto [expr, stride] :
           llvm::zip_equal(access.map.getResults(), access.strides))
        access.isLinear =
            access.isLinear &&
            addLinearForm(expr, stride, access.coefs, access.constant);
      if (!access.isLinear)
        access.constant = 0;
    }

    // linalg.map has no block arguments for its inits.
    unsigned numArgs = op.getBlock()->getNumArguments();
    SmallVector<Scalar> args(numArgs);
    SmallVector<int64_t> point(numLoops, 0), offsets(operands.size(), 0);
    ArrayRef<unsigned> resultSlots = body.getResultSlots();
    for (int64_t n = 0; n < numPoints; ++n) {
      for (auto [number, access] : llvm::enumerate(accesses)) {
        if (access.data)
          offsets[number] = access.getOffset(point);
        if (number < numArgs)
          args[number] =
              access.data ? toScalar(access.data[offsets[number]], access.kind)
                          : access.scalar;
      }
      body.run(args, point);
      if (!body.getError().empty())
        return fail(EvalStatus::Invalid, body.getError());
      for (auto [r, slot] : llvm::enumerate(resultSlots)) {
        const OperandAccess &access = accesses[numInputs + r];
        access.data[offsets[numInputs + r]] =
            fromScalar(body.getSlot(slot), access.kind);
      }
      for (int64_t d = static_cast<int64_t>(numLoops) - 1; d >= 0; --d) {
        if (++point[d] < loopSizes[d])
          break;
        point[d] = 0;
      }
    }
  }

  for (auto [r, out] : llvm::enumerate(outs))
    if (failed(setResult(op, op->getResult(r), ("result #" + Twine(r)).str(),
                         std::move(out))))
      return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

namespace {
/// A list of op classes (or op interfaces) with membership and dispatch to
/// the class of an op, in list order.
template <typename... OpTys> struct OpList {
  static bool contains(Operation *op) { return isa<OpTys...>(op); }

  template <typename Fn>
  static std::optional<LogicalResult> dispatch(Operation *op, Fn &&fn) {
    std::optional<LogicalResult> result;
    (void)((isa<OpTys>(op) ? (result = fn(cast<OpTys>(op)), true) : false) ||
           ...);
    return result;
  }
};

/// The ops with a float64 evaluation (besides function-level scalar ops):
/// the one list that prepare() admits and evaluate() dispatches on.
using EvaluatedOps =
    OpList<MhaOp, LinearOp, SplitHeadsOp, MergeHeadsOp, ScoresOp, MaskOp,
           SoftmaxOp, ContextOp, SdpaOp, arith::ConstantOp, tensor::CastOp,
           func::ReturnOp, linalg::SoftmaxOp, tensor::EmptyOp,
           tensor::ExpandShapeOp, tensor::CollapseShapeOp,
           tensor::ExtractSliceOp, tensor::InsertSliceOp, tensor::ConcatOp,
           tensor::DimOp, tensor::ExtractOp, linalg::LinalgOp>;
} // namespace

LogicalResult FunctionEvaluator::evaluate(Operation *op) {
  if (scalarOps.contains(op))
    return evaluateScalarOp(op);
  std::optional<LogicalResult> evaluated = EvaluatedOps::dispatch(
      op, [&](auto concreteOp) { return evaluate(concreteOp); });
  if (!evaluated)
    return fail(EvalStatus::Unsupported,
                formatOpMessage(op, "has no float64 reference"));
  if (failed(*evaluated))
    return failure();
  // The operands' shapes, checked by the op's evaluation, give its FLOPs.
  std::vector<std::vector<int64_t>> shapes;
  for (Value operand : op->getOperands()) {
    auto it = values.find(operand);
    shapes.push_back(it == values.end() ? std::vector<int64_t>()
                                        : it->second.shape);
  }
  result.flops += countFlops(op, shapes);
  return success();
}

LogicalResult
FunctionEvaluator::prepareBody(Operation *op, Block &body, std::string context,
                               std::vector<std::string> indexNames) {
  std::string message;
  std::unique_ptr<ScalarProgram> program = ScalarProgram::compileBlock(
      body, std::move(context), std::move(indexNames), message);
  if (!program)
    return fail(EvalStatus::Unsupported, std::move(message));
  for (auto [value, slot] : program->getCaptures())
    if (scalars.lookupSlot(value) < 0)
      return fail(EvalStatus::Unsupported,
                  formatOpMessage(op, "has a region that uses a value of "
                                      "type " +
                                          formatType(value.getType()) +
                                          " from outside: no float64 "
                                          "reference"));
  bodies[op] = std::move(program);
  return success();
}

LogicalResult FunctionEvaluator::prepareOp(Operation &op) {
  auto unsupported = [&](const Twine &detail) {
    std::string text = detail.str();
    if (!text.empty())
      text += ' ';
    return fail(EvalStatus::Unsupported,
                formatOpMessage(&op, text + "has no float64 reference"));
  };

  // Function-level scalar ops: constants are stored at once, other ops run
  // as the walk reaches them; tensor.dim and tensor.extract write a slot.
  bool isScalarSource = isa<tensor::DimOp, tensor::ExtractOp>(op);
  if (!isScalarSource && op.getNumResults() == 1 &&
      !isa<ShapedType>(op.getResult(0).getType())) {
    size_t numCaptures = scalars.getCaptures().size();
    std::string message;
    if (failed(scalars.compileOp(op, message)))
      return fail(EvalStatus::Unsupported, std::move(message));
    if (scalars.getCaptures().size() != numCaptures)
      return unsupported("on a value that is not computed in the function");
    if (!isa<arith::ConstantOp>(op))
      scalarOps.insert(&op);
    return success();
  }
  if (!EvaluatedOps::contains(&op))
    return unsupported("");

  if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
    auto type = dyn_cast<RankedTensorType>(constant.getType());
    if (!type || !isSupportedScalarType(type.getElementType()))
      return unsupported("with a value of type " +
                         formatType(constant.getType()));
    if (std::optional<std::string> error =
            getConstantDecodeError(constant.getValue()))
      return unsupported("with " + *error);
    return success();
  }

  // Results are ranked tensors (or the scalar of tensor.dim and
  // tensor.extract), operands ranked tensors or function-level scalars.
  for (Type type : op.getResultTypes()) {
    auto tensorType = dyn_cast<RankedTensorType>(type);
    if (tensorType ? !isSupportedScalarType(tensorType.getElementType())
                   : !isScalarSource || !isSupportedScalarType(type))
      return unsupported("with a result of type " + formatType(type));
  }
  if (isScalarSource)
    scalars.addSlot(op.getResult(0));
  for (Value operand : op.getOperands()) {
    Type type = operand.getType();
    if (auto tensorType = dyn_cast<RankedTensorType>(type)) {
      if (!isSupportedScalarType(tensorType.getElementType()))
        return unsupported("on " + formatType(type));
      continue;
    }
    if (isa<func::ReturnOp>(op) || scalars.lookupSlot(operand) < 0)
      return unsupported("on " + formatType(type));
  }

  if (auto sdpa = dyn_cast<SdpaOp>(op)) {
    if (Block *scoreMod = sdpa.getScoreModBlock())
      return prepareBody(&op, *scoreMod,
                         "in the score_mod of 'attn.sdpa' at " +
                             formatLocation(sdpa.getLoc()),
                         {"b", "h", "q_idx", "kv_idx"});
    return success();
  }

  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp)
    return success();
  if (!linalgOp.hasPureTensorSemantics())
    return unsupported("on memrefs");
  unsigned numLoops = linalgOp.getNumLoops();
  llvm::SmallBitVector sized(numLoops);
  for (auto [operand, map] :
       llvm::zip_equal(op.getOpOperands(), linalgOp.getIndexingMapsArray())) {
    if (map.getNumSymbols() != 0 || map.getNumDims() != numLoops)
      return unsupported("with an indexing map with symbols");
    if (!isa<RankedTensorType>(operand.get().getType()))
      continue;
    for (AffineExpr expr : map.getResults())
      if (auto dim = dyn_cast<AffineDimExpr>(expr))
        sized.set(dim.getPosition());
  }
  if (!sized.all())
    return unsupported("with a loop that indexes no operand dimension alone");
  Block *body = linalgOp.getBlock();
  unsigned numInputs = linalgOp.getNumDpsInputs();
  unsigned numArgs = body->getNumArguments();
  if (numArgs != numInputs && numArgs != op.getNumOperands())
    return unsupported("with a body of " + Twine(numArgs) + " arguments");
  std::vector<std::string> loopNames;
  for (unsigned d = 0; d < numLoops; ++d)
    loopNames.push_back("d" + std::to_string(d));
  if (failed(prepareBody(&op, *body,
                         "in the body of '" +
                             op.getName().getStringRef().str() + "' at " +
                             formatLocation(op.getLoc()),
                         std::move(loopNames))))
    return failure();
  if (bodies[&op]->getResultSlots().size() != op.getNumResults())
    return unsupported("with a body that yields " +
                       Twine(bodies[&op]->getResultSlots().size()) +
                       " values for " + Twine(op.getNumResults()) + " results");
  return success();
}

LogicalResult FunctionEvaluator::prepare() {
  if (func.isExternal() || !func.getBody().hasOneBlock())
    return fail(
        EvalStatus::Unsupported,
        formatLocation(func.getLoc()) + ": function @" +
            func.getSymName().str() +
            (func.isExternal() ? " has no body" : " has more than one block") +
            ": no float64 reference for it");
  for (Operation &op : func.getBody().front())
    if (failed(prepareOp(op)))
      return failure();
  return success();
}
LogicalResult FunctionEvaluator::bindArguments(ArrayRef<RefTensor> args) {
  std::string name = "function @" + func.getSymName().str();
  Block &entry = func.getBody().front();
  if (args.size() != entry.getNumArguments())
    return fail(EvalStatus::Invalid,
                formatLocation(func.getLoc()) + ": " + name + " takes " +
                    std::to_string(entry.getNumArguments()) +
                    " arguments, got " + std::to_string(args.size()));
  for (auto [arg, tensor] : llvm::zip_equal(entry.getArguments(), args)) {
    std::string prefix = formatLocation(arg.getLoc()) + ": " + name +
                         " argument #" + std::to_string(arg.getArgNumber());
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type)
      return fail(EvalStatus::Unsupported, prefix + " of type " +
                                               formatType(arg.getType()) +
                                               " has no float64 reference");
    if (!matchesType(tensor.shape, type))
      return fail(EvalStatus::Invalid,
                  prefix + " has shape " + formatShape(tensor.shape) +
                      ", which does not match its type " + formatType(type));
    bool fits;
    result.referenceBytes += 8 * getNumElements(tensor.shape, fits);
    if (!fits)
      return fail(EvalStatus::Invalid, prefix + " has shape " +
                                           formatShape(tensor.shape) +
                                           ", more than 2^63 elements");
    if (computeValues &&
        static_cast<int64_t>(tensor.data.size()) != tensor.numElements())
      return fail(EvalStatus::Invalid,
                  prefix + " holds " + std::to_string(tensor.data.size()) +
                      " values, but its shape " + formatShape(tensor.shape) +
                      " has " + std::to_string(tensor.numElements()));
    RefTensor bound;
    bound.shape = tensor.shape;
    if (computeValues)
      bound.data = tensor.data;
    values[arg] = std::move(bound);
  }
  return success();
}

EvalResult FunctionEvaluator::run(ArrayRef<RefTensor> args) {
  func.walk([&](Operation *op) {
    if (op->getName().getDialectNamespace() ==
        AttnDialect::getDialectNamespace()) {
      result.hasAttnOps = true;
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (succeeded(prepare()) && succeeded(bindArguments(args))) {
    for (Operation &op : func.getBody().front())
      if (failed(evaluate(&op)))
        break;
  }
  if (result.status != EvalStatus::Ok)
    result.results.clear();
  return std::move(result);
}

EvalResult mlir::attn::runtime::evaluateFunction(func::FuncOp func,
                                                 ArrayRef<RefTensor> args,
                                                 bool computeValues) {
  return FunctionEvaluator(func, computeValues).run(args);
}
