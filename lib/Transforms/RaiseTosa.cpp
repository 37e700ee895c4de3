//===- RaiseTosa.cpp - attention in TOSA to attn.sdpa ---------------------===//
//
// Implements `attn-raise-tosa`: attention as frontends (torch-mlir's TOSA
// output) write it in TOSA is recognised, anchored on its P·V tosa.matmul,
// and raised to attn.scores → [attn.mask] → attn.softmax → attn.context,
// which `fuseToSdpa` (the logic of `attn-fuse`) turns into one attn.sdpa.
//
// The matcher walks back from P·V: through the heads reshape to the softmax
// (tosa.reduce_max / sub / exp / reduce_sum / reciprocal / mul, optionally
// inside torch's "fully masked row → 0" select), then through the
// elementwise steps on the scores (constant scales, additive masks, −∞
// selects) to the Q·Kᵀ tosa.matmul and, through reshapes, transposes, scales
// and GQA tiles, to the Q, K and V it reads. Constant subgraphs (tosa.const
// and the TOSA ops torch-mlir builds masks and scales from) are evaluated at
// compile time; masks that are a band become `causal` or `window`. Nothing is
// created before every check passed, so a refusal leaves the IR untouched.
// The glue that is built (head reshapes, transposes, mask broadcasts) is
// tensor/linalg on tensors, which Attn's pipelines lower.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/Utils/ConstantUtils.h"
#include "attn/Transforms/Passes.h"
#include "attn/Transforms/Transforms.h"

#include "MaskBands.h"
#include "RefusalReporter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <limits>
#include <optional>

namespace mlir {
namespace attn {
#define GEN_PASS_DEF_ATTNRAISETOSAPASS
#include "attn/Transforms/Passes.h.inc"
} // namespace attn
} // namespace mlir

using namespace mlir;
using namespace mlir::attn;

/// `type` as printed.
static std::string typeString(Type type) {
  std::string str;
  llvm::raw_string_ostream os(str);
  os << type;
  return str;
}

static constexpr double kNegInf = -std::numeric_limits<double>::infinity();

//===----------------------------------------------------------------------===//
// Constant evaluation
//===----------------------------------------------------------------------===//

namespace {
/// A statically shaped tensor computed at compile time; every element type
/// (i1, integers, floats) is held as a double, which is exact for the small
/// integers and the 0 / −∞ / finite floats of masks and scales.
struct ConstTensor {
  SmallVector<int64_t> shape;
  std::vector<double> data;

  /// The element at `idx` (of a tensor of the same rank it broadcasts to:
  /// unit dimensions read index 0).
  double at(ArrayRef<int64_t> idx) const {
    int64_t lin = 0;
    for (auto [i, s] : llvm::zip_equal(idx, shape))
      lin = lin * s + (s == 1 ? 0 : i);
    return data[lin];
  }
  /// The common value of all elements, if they are all equal.
  std::optional<double> uniform() const {
    if (data.empty())
      return std::nullopt;
    for (double v : data)
      if (!(v == data.front()) && !(std::isnan(v) && std::isnan(data.front())))
        return std::nullopt;
    return data.front();
  }
};

/// Evaluates TOSA tensors that depend only on constants: tosa.const (dense
/// or dense_resource), reshapes, casts, transposes, tiles and the
/// elementwise ops with TOSA broadcasting that frontends build masks and
/// scales from. Anything else (a function argument, an unknown op, a tensor
/// above `kMaxElements`) makes the evaluation fail.
class TosaConstEvaluator {
public:
  static constexpr int64_t kMaxElements = 1 << 20;

  const ConstTensor *evaluate(Value root) {
    SmallVector<Value> stack{root};
    int64_t steps = 0;
    while (!stack.empty()) {
      if (++steps > 4096)
        return nullptr;
      Value v = stack.back();
      if (cache.count(v)) {
        stack.pop_back();
        continue;
      }
      Operation *op = v.getDefiningOp();
      if (!op || failed.contains(op) || !isSupported(op))
        return nullptr;
      bool ready = true;
      for (Value dep : getDependencies(op))
        if (!cache.count(dep)) {
          stack.push_back(dep);
          ready = false;
        }
      if (!ready)
        continue;
      if (!evaluateOp(op)) {
        failed.insert(op);
        return nullptr;
      }
      stack.pop_back();
    }
    return &cache[root];
  }

private:
  static bool isSupported(Operation *op) {
    return isa<tosa::ConstOp, tosa::ReshapeOp, tosa::CastOp,
               tosa::TransposeOp, tosa::TileOp, tosa::AddOp, tosa::SubOp,
               tosa::MulOp, tosa::MaximumOp, tosa::MinimumOp, tosa::EqualOp,
               tosa::GreaterOp, tosa::GreaterEqualOp, tosa::LogicalAndOp,
               tosa::LogicalOrOp, tosa::LogicalXorOp, tosa::LogicalNotOp,
               tosa::SelectOp, tosa::NegateOp, tosa::ReciprocalOp>(op);
  }

  /// The tensor operands an op's value depends on (not its !tosa.shape
  /// operands).
  static SmallVector<Value> getDependencies(Operation *op) {
    SmallVector<Value> deps;
    if (isa<tosa::ReshapeOp, tosa::TileOp>(op)) {
      deps.push_back(op->getOperand(0));
      return deps;
    }
    for (Value operand : op->getOperands())
      if (isa<RankedTensorType>(operand.getType()))
        deps.push_back(operand);
    return deps;
  }

  static std::optional<SmallVector<int64_t>> staticShape(Type type) {
    auto t = dyn_cast<RankedTensorType>(type);
    if (!t || !t.hasStaticShape() || t.getNumElements() > kMaxElements)
      return std::nullopt;
    return llvm::to_vector(t.getShape());
  }


  /// Rounds `v` to what an element of type `elt` holds, or fails where that
  /// is not exact in a double we can reason about.
  static std::optional<double> roundTo(double v, Type elt) {
    if (elt.isF32())
      return static_cast<double>(static_cast<float>(v));
    if (elt.isF64())
      return v;
    if (elt.isInteger(1))
      return v != 0.0 ? 1.0 : 0.0;
    if (auto i = dyn_cast<IntegerType>(elt)) {
      if (std::isnan(v) || std::isinf(v) || std::fabs(v) > 9.0e15)
        return std::nullopt;
      return std::nearbyint(v);
    }
    return std::nullopt;
  }

  bool evaluateOp(Operation *op) {
    Value result = op->getResult(0);
    auto shape = staticShape(result.getType());
    if (!shape)
      return false;
    Type elt = getElementTypeOrSelf(result.getType());
    ConstTensor out{*shape, {}};
    int64_t n = numElements(*shape);
    if (auto cst = dyn_cast<tosa::ConstOp>(op))
      return evaluateConstant(cst.getValues(), n, out) &&
             store(result, std::move(out));
    if (isa<tosa::ReshapeOp>(op)) {
      out.data = cache[op->getOperand(0)].data;
      return store(result, std::move(out));
    }
    if (isa<tosa::CastOp>(op)) {
      for (double v : cache[op->getOperand(0)].data) {
        std::optional<double> r = roundTo(v, elt);
        if (!r)
          return false;
        out.data.push_back(*r);
      }
      return store(result, std::move(out));
    }
    SmallVector<int64_t> idx, src;
    if (auto transpose = dyn_cast<tosa::TransposeOp>(op)) {
      const ConstTensor &in = cache[transpose.getInput1()];
      ArrayRef<int32_t> perm = transpose.getPerms();
      out.data.resize(n);
      src.resize(perm.size());
      for (int64_t lin = 0; lin < n; ++lin) {
        delinearize(lin, out.shape, idx);
        for (auto [i, p] : llvm::enumerate(perm))
          src[p] = idx[i];
        out.data[lin] = in.at(src);
      }
      return store(result, std::move(out));
    }
    if (auto tile = dyn_cast<tosa::TileOp>(op)) {
      const ConstTensor &in = cache[tile.getInput1()];
      out.data.resize(n);
      src.resize(in.shape.size());
      for (int64_t lin = 0; lin < n; ++lin) {
        delinearize(lin, out.shape, idx);
        for (auto [d, i] : llvm::enumerate(idx))
          src[d] = i % in.shape[d];
        int64_t l = 0;
        for (auto [i, s] : llvm::zip_equal(src, in.shape))
          l = l * s + i;
        out.data[lin] = in.data[l];
      }
      return store(result, std::move(out));
    }
    // Elementwise ops with TOSA broadcasting (operands of the result's rank).
    SmallVector<const ConstTensor *> args;
    for (Value operand : op->getOperands()) {
      const ConstTensor &t = cache[operand];
      if (t.shape.size() != out.shape.size())
        return false;
      args.push_back(&t);
    }
    if (auto mul = dyn_cast<tosa::MulOp>(op)) {
      std::optional<double> shift = args[2]->uniform();
      if (!shift || *shift != 0.0)
        return false;
      args.pop_back();
    }
    if (isa<tosa::NegateOp>(op)) {
      // Zero points must be zero.
      for (const ConstTensor *zp : ArrayRef(args).drop_front()) {
        std::optional<double> z = zp->uniform();
        if (!z || *z != 0.0)
          return false;
      }
      args.resize(1);
    }
    out.data.resize(n);
    SmallVector<double> vals(args.size());
    for (int64_t lin = 0; lin < n; ++lin) {
      delinearize(lin, out.shape, idx);
      for (auto [k, a] : llvm::enumerate(args))
        vals[k] = a->at(idx);
      std::optional<double> r = apply(op, vals);
      if (!r)
        return false;
      std::optional<double> rounded = roundTo(*r, elt);
      if (!rounded)
        return false;
      out.data[lin] = *rounded;
    }
    return store(result, std::move(out));
  }

  static std::optional<double> apply(Operation *op, ArrayRef<double> a) {
    auto b = [](bool v) { return v ? 1.0 : 0.0; };
    return llvm::TypeSwitch<Operation *, std::optional<double>>(op)
        .Case<tosa::AddOp>([&](auto) { return a[0] + a[1]; })
        .Case<tosa::SubOp>([&](auto) { return a[0] - a[1]; })
        .Case<tosa::MulOp>([&](auto) { return a[0] * a[1]; })
        .Case<tosa::MaximumOp>([&](auto) { return std::fmax(a[0], a[1]); })
        .Case<tosa::MinimumOp>([&](auto) { return std::fmin(a[0], a[1]); })
        .Case<tosa::EqualOp>([&](auto) { return b(a[0] == a[1]); })
        .Case<tosa::GreaterOp>([&](auto) { return b(a[0] > a[1]); })
        .Case<tosa::GreaterEqualOp>([&](auto) { return b(a[0] >= a[1]); })
        .Case<tosa::LogicalAndOp>(
            [&](auto) { return b(a[0] != 0 && a[1] != 0); })
        .Case<tosa::LogicalOrOp>(
            [&](auto) { return b(a[0] != 0 || a[1] != 0); })
        .Case<tosa::LogicalXorOp>(
            [&](auto) { return b((a[0] != 0) != (a[1] != 0)); })
        .Case<tosa::LogicalNotOp>([&](auto) { return b(a[0] == 0); })
        .Case<tosa::SelectOp>(
            [&](auto) { return a[0] != 0 ? a[1] : a[2]; })
        .Case<tosa::NegateOp>([&](auto) { return -a[0]; })
        .Case<tosa::ReciprocalOp>([&](auto) { return 1.0 / a[0]; })
        .Default([](Operation *) { return std::nullopt; });
  }

  bool store(Value v, ConstTensor t) {
    cache[v] = std::move(t);
    return true;
  }

  static bool evaluateConstant(Attribute attr, int64_t n, ConstTensor &out) {
    FailureOr<std::vector<double>> values = decodeConstantElements(attr);
    if (mlir::failed(values) || static_cast<int64_t>(values->size()) != n)
      return false;
    llvm::append_range(out.data, *values);
    return true;
  }

  DenseMap<Value, ConstTensor> cache;
  llvm::SmallPtrSet<Operation *, 4> failed;
};
} // namespace

//===----------------------------------------------------------------------===//
// Matching
//===----------------------------------------------------------------------===//

namespace {
/// How one of Q, K, V is obtained as a [B, H, L, D] tensor from values that
/// exist before the raise: `base`, expanded from [B·H, L, D] when rank 3,
/// then transposed by `perm`.
struct OperandPlan {
  Value base;
  SmallVector<int64_t> perm{0, 1, 2, 3};
  int64_t groups = 1;  // GQA repeat factor seen through
  double scale = 1.0;  // constant scales peeled off the way
};

/// A mask step between the scores and the softmax.
struct MaskTerm {
  Operation *op;
  Value tensor;              // float bias or i1 condition, chain rank
  bool isBool = false;
  bool keepWhenTrue = true;  // for i1: true = visible
};

struct Chain {
  int64_t rank = 0;                  // rank of scores / probabilities (3, 4)
  SmallVector<int64_t> scoresShape;  // [B, H, Lq, Lk] of the chain
  double scale = 1.0;
  SmallVector<MaskTerm> masks;
  /// Ops computed only for this attention, with what they compute.
  SmallVector<std::pair<Operation *, StringRef>> ops;
};

/// The matcher of one candidate: state shared by the steps.
class TosaAttentionMatcher {
public:
  TosaAttentionMatcher(RewriterBase &rewriter, tosa::MatMulOp root)
      : rewriter(rewriter), root(root) {}

  FailureOr<SdpaOp> run();

private:
  LogicalResult refuse(Operation *op, const Twine &msg) {
    return rewriter.notifyMatchFailure(
        op, [&](Diagnostic &diag) { diag << "not raised: " << msg; });
  }

  /// The key axis of the chain.
  int64_t keyAxis() const { return chain.rank - 1; }

  bool isSoftmaxNormalisation(Value value);
  FailureOr<Value> matchRowReduction(Operation *user, Value stat, bool isMax);
  FailureOr<Value> matchSoftmax(Value probs, Value &rowTestInput);
  std::optional<Value> matchMaskedRowWrapper(Value probs, Value &rowTest);
  FailureOr<Value> matchScoreSteps(Value x);
  LogicalResult checkZeroPoints(tosa::MatMulOp matmul, StringRef what);
  std::optional<double> uniformConstant(Value v, bool &nonUniform);
  bool reachesMatmul(Value v);
  OperandPlan resolveOperand(Value value, bool transposed, bool peelScales,
                             bool allowGroups);
  SmallVector<int64_t> shapeOf(const OperandPlan &plan);
  Value buildOperand(Location loc, const OperandPlan &plan);
  Value buildMaskOperand(Location loc, const MaskTerm &term);
  std::optional<Band> classifyConstantMask(const MaskTerm &term);

  RewriterBase &rewriter;
  tosa::MatMulOp root;
  Chain chain;
  TosaConstEvaluator evaluator;
};
} // namespace

/// The uniform value of a constant tensor `v`; sets `nonUniform` when it is
/// constant with several values.
std::optional<double> TosaAttentionMatcher::uniformConstant(Value v,
                                                            bool &nonUniform) {
  nonUniform = false;
  const ConstTensor *t = evaluator.evaluate(v);
  if (!t)
    return std::nullopt;
  std::optional<double> u = t->uniform();
  nonUniform = !u;
  return u;
}

/// True if `v` is computed from a tosa.matmul through elementwise steps and
/// reshapes (the scores side of a step, as opposed to a mask or a scale).
bool TosaAttentionMatcher::reachesMatmul(Value v) {
  SmallVector<Value> work{v};
  llvm::SmallPtrSet<Operation *, 16> seen;
  while (!work.empty() && seen.size() < 64) {
    Operation *op = work.pop_back_val().getDefiningOp();
    if (!op || !seen.insert(op).second)
      continue;
    if (isa<tosa::MatMulOp>(op))
      return true;
    if (!isa<tosa::MulOp, tosa::AddOp, tosa::SubOp, tosa::SelectOp,
             tosa::ReshapeOp, tosa::CastOp>(op))
      continue;
    for (Value operand : op->getOperands())
      if (isa<RankedTensorType>(operand.getType()))
        work.push_back(operand);
  }
  return false;
}

/// True if `value` is exp(..) · reciprocal(..) (either order): the last step
/// of a softmax written out in TOSA.
bool TosaAttentionMatcher::isSoftmaxNormalisation(Value value) {
  auto mul = value.getDefiningOp<tosa::MulOp>();
  if (!mul)
    return false;
  Value a = mul.getInput1(), b = mul.getInput2();
  return (a.getDefiningOp<tosa::ExpOp>() &&
          b.getDefiningOp<tosa::ReciprocalOp>()) ||
         (b.getDefiningOp<tosa::ExpOp>() &&
          a.getDefiningOp<tosa::ReciprocalOp>());
}

LogicalResult TosaAttentionMatcher::checkZeroPoints(tosa::MatMulOp matmul,
                                                    StringRef what) {
  for (Value zp : {matmul.getAZp(), matmul.getBZp()}) {
    const ConstTensor *t = evaluator.evaluate(zp);
    std::optional<double> z = t ? t->uniform() : std::nullopt;
    if (!z || *z != 0.0)
      return refuse(matmul, Twine("the ") + what +
                                " tosa.matmul has a zero point that is not "
                                "a constant 0");
  }
  return success();
}

/// Matches a tosa.reduce_max / reduce_sum over the key axis producing `stat`
/// and returns the reduced input.
FailureOr<Value> TosaAttentionMatcher::matchRowReduction(Operation *user,
                                                         Value stat,
                                                         bool isMax) {
  StringRef what = isMax ? "row maximum" : "row sum";
  Operation *op = stat.getDefiningOp();
  Value input;
  uint32_t axis = 0;
  if (auto max = dyn_cast_or_null<tosa::ReduceMaxOp>(op); max && isMax) {
    input = max.getInput();
    axis = max.getAxis();
  } else if (auto sum = dyn_cast_or_null<tosa::ReduceSumOp>(op);
             sum && !isMax) {
    input = sum.getInput();
    axis = sum.getAxis();
  } else {
    return refuse(op ? op : user,
                  Twine("the ") + what + " is not a tosa." +
                      (isMax ? "reduce_max" : "reduce_sum"));
  }
  if (static_cast<int64_t>(axis) != keyAxis())
    return refuse(op, Twine("the ") + what + " reduces dimension " +
                          Twine(axis) + ", not the key axis (dimension " +
                          Twine(keyAxis()) + ")");
  chain.ops.push_back({op, what});
  return input;
}

/// Matches torch's "a row whose scores are all −∞ gives 0" wrapper:
/// select(reduce_all(cast(x) == −∞), 0, p). Returns p and sets `rowTest` to
/// x.
std::optional<Value>
TosaAttentionMatcher::matchMaskedRowWrapper(Value probs, Value &rowTest) {
  auto sel = probs.getDefiningOp<tosa::SelectOp>();
  if (!sel)
    return std::nullopt;
  bool nonUniform;
  std::optional<double> zero = uniformConstant(sel.getInput2(), nonUniform);
  if (!zero || *zero != 0.0)
    return std::nullopt;
  auto all = sel.getInput1().getDefiningOp<tosa::ReduceAllOp>();
  if (!all || static_cast<int64_t>(all.getAxis()) != keyAxis())
    return std::nullopt;
  auto eq = all.getInput().getDefiningOp<tosa::EqualOp>();
  if (!eq)
    return std::nullopt;
  Value x;
  for (auto [a, b] : {std::make_pair(eq.getInput1(), eq.getInput2()),
                      std::make_pair(eq.getInput2(), eq.getInput1())}) {
    std::optional<double> inf = uniformConstant(b, nonUniform);
    if (inf && *inf == kNegInf) {
      x = a;
      break;
    }
  }
  if (!x)
    return std::nullopt;
  chain.ops.push_back({sel, "probabilities"});
  chain.ops.push_back({all, "fully-masked-row test"});
  chain.ops.push_back({eq, "fully-masked-row test"});
  if (auto cast = x.getDefiningOp<tosa::CastOp>()) {
    chain.ops.push_back({cast, "fully-masked-row test"});
    x = cast.getInput();
  }
  rowTest = x;
  return sel.getInput3();
}

/// Matches the softmax producing `probs` and returns its input. Fails
/// silently when `probs` does not come from anything softmax-like: then the
/// matmul is not a P·V candidate.
FailureOr<Value> TosaAttentionMatcher::matchSoftmax(Value probs,
                                                    Value &rowTestInput) {
  if (std::optional<Value> wrapped = matchMaskedRowWrapper(probs, rowTestInput))
    probs = *wrapped;
  if (!isSoftmaxNormalisation(probs)) {
    // Something applied to the probabilities after a softmax (dropout, a
    // rescaling): a candidate, but not attention.
    if (Operation *def = probs.getDefiningOp())
      for (Value operand : def->getOperands())
        if (isSoftmaxNormalisation(operand))
          return refuse(def, Twine("the probabilities go through '") +
                                 def->getName().getStringRef() +
                                 "' after the softmax (dropout or a "
                                 "rescaling)");
    return failure();
  }
  auto norm = probs.getDefiningOp<tosa::MulOp>();
  chain.ops.push_back({norm, "probabilities"});
  bool nonUniform;
  std::optional<double> shift = uniformConstant(norm.getShift(), nonUniform);
  if (!shift || *shift != 0.0)
    return refuse(norm, "the softmax normalisation tosa.mul has a shift that "
                        "is not a constant 0");
  bool expFirst = norm.getInput1().getDefiningOp<tosa::ExpOp>() != nullptr;
  auto exp = (expFirst ? norm.getInput1() : norm.getInput2())
                 .getDefiningOp<tosa::ExpOp>();
  auto recip = (expFirst ? norm.getInput2() : norm.getInput1())
                   .getDefiningOp<tosa::ReciprocalOp>();
  if (exp.getType() != norm.getType())
    return refuse(norm, "the exponentials are broadcast by the softmax "
                        "normalisation");
  chain.ops.push_back({recip, "row sum"});
  FailureOr<Value> summed =
      matchRowReduction(recip, recip.getInput1(), /*isMax=*/false);
  if (failed(summed))
    return failure();
  if (*summed != exp.getResult())
    return refuse(norm, "the softmax normaliser is not the row sum of its "
                        "exponentials");
  chain.ops.push_back({exp, "exponentials"});
  auto sub = exp.getInput1().getDefiningOp<tosa::SubOp>();
  if (!sub || sub.getType() != sub.getInput1().getType())
    return refuse(exp, "the exponential is not exp(x - row max of x)");
  chain.ops.push_back({sub, "exponentials"});
  Value x = sub.getInput1();
  FailureOr<Value> maxed =
      matchRowReduction(sub, sub.getInput2(), /*isMax=*/true);
  if (failed(maxed))
    return failure();
  if (*maxed != x)
    return refuse(sub, "the subtracted row maximum is not that of the "
                       "exponentiated scores");
  if (rowTestInput && rowTestInput != x)
    return refuse(probs.getDefiningOp() ? probs.getDefiningOp() : norm,
                  "the fully-masked-row test reads other scores than the "
                  "softmax");
  return x;
}

/// Walks back from the softmax input `x` through the elementwise steps on
/// the scores (scale, additive mask, −∞ select) to the raw scores.
FailureOr<Value> TosaAttentionMatcher::matchScoreSteps(Value x) {
  // Walking back visits the last-applied step first: a mask met after a
  // scale was applied before that scale.
  bool sawScale = false;
  auto checkNotBroadcast = [&](Operation *op, Value scores) {
    if (scores.getType() != op->getResult(0).getType())
      return refuse(op, "the mask is not broadcastable to the scores: it "
                        "broadcasts them to another shape");
    return success();
  };
  while (Operation *def = x.getDefiningOp()) {
    if (auto mul = dyn_cast<tosa::MulOp>(def)) {
      bool lhsScores = reachesMatmul(mul.getInput1());
      if (lhsScores == reachesMatmul(mul.getInput2()))
        return refuse(mul, "the scores are multiplied by a non-constant "
                           "scale");
      Value scores = lhsScores ? mul.getInput1() : mul.getInput2();
      Value other = lhsScores ? mul.getInput2() : mul.getInput1();
      bool nonUniform;
      std::optional<double> shift = uniformConstant(mul.getShift(), nonUniform);
      if (!shift || *shift != 0.0)
        return refuse(mul, "the scale tosa.mul has a shift that is not a "
                           "constant 0");
      std::optional<double> c = uniformConstant(other, nonUniform);
      if (!c)
        return refuse(mul, nonUniform ? "the scale of the scores is not "
                                        "uniform"
                                      : "the scale of the scores is not a "
                                        "compile-time constant");
      if (failed(checkNotBroadcast(mul, scores)))
        return failure();
      chain.scale *= *c;
      sawScale = true;
      chain.ops.push_back({mul, "scaled scores"});
      x = scores;
      continue;
    }
    if (auto add = dyn_cast<tosa::AddOp>(def)) {
      bool lhsScores = reachesMatmul(add.getInput1());
      if (lhsScores == reachesMatmul(add.getInput2()))
        return refuse(add, "the scores are added to something that is not a "
                           "mask tensor");
      Value scores = lhsScores ? add.getInput1() : add.getInput2();
      Value bias = lhsScores ? add.getInput2() : add.getInput1();
      if (getElementTypeOrSelf(bias.getType()) !=
          getElementTypeOrSelf(scores.getType()))
        return refuse(add, "the additive mask has another element type than "
                           "the scores");
      if (failed(checkNotBroadcast(add, scores)))
        return failure();
      if (sawScale)
        return refuse(add, "the scores are scaled after a mask is applied");
      chain.masks.push_back({add, bias, false, true});
      chain.ops.push_back({add, "masked scores"});
      x = scores;
      continue;
    }
    if (auto sel = dyn_cast<tosa::SelectOp>(def)) {
      bool trueIsScores = reachesMatmul(sel.getInput2());
      if (trueIsScores == reachesMatmul(sel.getInput3()))
        return refuse(sel, "the select on the scores is not a mask");
      Value scores = trueIsScores ? sel.getInput2() : sel.getInput3();
      Value fill = trueIsScores ? sel.getInput3() : sel.getInput2();
      bool nonUniform;
      std::optional<double> f = uniformConstant(fill, nonUniform);
      if (!f || *f != kNegInf)
        return refuse(sel, "the masked scores are filled with another value "
                           "than -inf");
      if (failed(checkNotBroadcast(sel, scores)))
        return failure();
      if (sawScale)
        return refuse(sel, "the scores are scaled after a mask is applied");
      chain.masks.push_back({sel, sel.getInput1(), true, trueIsScores});
      chain.ops.push_back({sel, "masked scores"});
      x = scores;
      continue;
    }
    if (isa<tosa::ReshapeOp, tosa::MatMulOp>(def))
      break;
    return refuse(def, Twine("the scores go through '") +
                           def->getName().getStringRef() +
                           "', which is not a scale, an additive mask or a "
                           "-inf select");
  }
  return x;
}

static bool isIdentityPerm(ArrayRef<int64_t> perm) {
  for (auto [i, p] : llvm::enumerate(perm))
    if (static_cast<int64_t>(i) != p)
      return false;
  return true;
}

/// Resolves the matmul operand `value` ([B·H, L, D], or [B·H, D, L] when
/// `transposed`) into a plan giving it as [B, H, L, D].
OperandPlan TosaAttentionMatcher::resolveOperand(Value value, bool transposed,
                                                 bool peelScales,
                                                 bool allowGroups) {
  OperandPlan plan;
  int64_t b = chain.scoresShape[0];
  auto shapeOfValue = [](Value v) {
    return cast<RankedTensorType>(v.getType()).getShape();
  };
  auto peelScale = [&]() {
    if (!peelScales || !value.hasOneUse())
      return false;
    auto mul = value.getDefiningOp<tosa::MulOp>();
    if (!mul)
      return false;
    bool nonUniform;
    std::optional<double> shift = uniformConstant(mul.getShift(), nonUniform);
    if (!shift || *shift != 0.0)
      return false;
    for (auto [a, c] : {std::make_pair(mul.getInput1(), mul.getInput2()),
                        std::make_pair(mul.getInput2(), mul.getInput1())}) {
      if (a.getType() != mul.getType())
        continue;
      if (std::optional<double> s = uniformConstant(c, nonUniform)) {
        plan.scale *= *s;
        value = a;
        return true;
      }
    }
    return false;
  };
  // [B, Hkv, G, L, D] = tile([B, Hkv, 1, L, D] = reshape([B, Hkv, L, D])).
  auto matchRepeat = [&](Value fiveD) -> std::optional<std::pair<Value, int64_t>> {
    auto tile = fiveD.getDefiningOp<tosa::TileOp>();
    if (!tile)
      return std::nullopt;
    ArrayRef<int64_t> in = shapeOfValue(tile.getInput1());
    ArrayRef<int64_t> out = shapeOfValue(tile.getResult());
    if (in.size() != 5 || in[0] != out[0] || in[1] != out[1] || in[2] != 1 ||
        in[3] != out[3] || in[4] != out[4])
      return std::nullopt;
    auto reshape = tile.getInput1().getDefiningOp<tosa::ReshapeOp>();
    if (!reshape)
      return std::nullopt;
    ArrayRef<int64_t> base = shapeOfValue(reshape.getInput1());
    if (base.size() != 4 || base[0] != in[0] || base[1] != in[1] ||
        base[2] != in[3] || base[3] != in[4])
      return std::nullopt;
    return std::make_pair(reshape.getInput1(), out[2]);
  };

  // `acc[d]` is the dimension of `value` (seen as [B, H, x, y] when it is
  // [B·H, x, y]) that dimension d of [B, H, L, D] reads.
  SmallVector<int64_t> acc =
      transposed ? SmallVector<int64_t>{0, 1, 3, 2}
                 : SmallVector<int64_t>{0, 1, 2, 3};
  auto peelTranspose = [&](int64_t rank) {
    auto transpose = value.getDefiningOp<tosa::TransposeOp>();
    if (!transpose)
      return false;
    ArrayRef<int32_t> p = transpose.getPerms();
    SmallVector<int64_t> p4;
    if (rank == 4) {
      p4.assign(p.begin(), p.end());
    } else {
      if (p[0] != 0)
        return false;
      p4 = {0, 1, p[1] + 1, p[2] + 1};
    }
    for (int64_t &a : acc)
      a = p4[a];
    value = transpose.getInput1();
    return true;
  };
  while (peelScale() || peelTranspose(3)) {
  }
  auto reshape = value.getDefiningOp<tosa::ReshapeOp>();
  ArrayRef<int64_t> s3 = shapeOfValue(value);
  Value src = reshape ? reshape.getInput1() : Value();
  ArrayRef<int64_t> srcShape = src ? shapeOfValue(src) : ArrayRef<int64_t>();
  if (src && srcShape.size() == 4 && srcShape[0] == b &&
      srcShape[0] * srcShape[1] == s3[0] && srcShape[2] == s3[1] &&
      srcShape[3] == s3[2]) {
    value = src;
  } else if (src && allowGroups && srcShape.size() == 5 &&
             srcShape[0] == b &&
             srcShape[0] * srcShape[1] * srcShape[2] == s3[0] &&
             srcShape[3] == s3[1] && srcShape[4] == s3[2]) {
    if (auto rep = matchRepeat(src)) {
      plan.base = rep->first;
      plan.groups = rep->second;
      plan.perm = acc;
      return plan;
    }
    plan.base = value;
    plan.perm = acc;
    return plan;
  } else {
    plan.base = value;
    plan.perm = acc;
    return plan;
  }
  // The values met on the way, with the permutation they need and the
  // number of scales peeled off before them.
  struct Visited {
    Value value;
    SmallVector<int64_t> acc;
    int64_t scales;
  };
  SmallVector<Visited> visited;
  int64_t scales = 0;
  while (true) {
    visited.push_back({value, acc, scales});
    if (peelScale()) {
      ++scales;
      continue;
    }
    if (!peelTranspose(4))
      break;
  }
  plan.base = value;
  plan.perm = acc;
  if (allowGroups && acc[0] == 0 && acc[1] == 1)
    if (auto r = value.getDefiningOp<tosa::ReshapeOp>()) {
      ArrayRef<int64_t> from = shapeOfValue(r.getInput1());
      ArrayRef<int64_t> to = shapeOfValue(value);
      if (from.size() == 5 && from[0] == to[0] &&
          from[1] * from[2] == to[1] && from[3] == to[2] && from[4] == to[3])
        if (auto rep = matchRepeat(r.getInput1())) {
          plan.base = rep->first;
          plan.groups = rep->second;
        }
    }
  // Reuse an existing value that already is [B, H, L, D] with all the
  // scales peeled off, rather than rebuilding it from further up.
  if (plan.groups == 1)
    for (const Visited &v : visited)
      if (v.scales == scales && isIdentityPerm(v.acc)) {
        plan.base = v.value;
        plan.perm = v.acc;
        break;
      }
  return plan;
}

/// The [B, H, L, D] shape `plan` builds.
SmallVector<int64_t> TosaAttentionMatcher::shapeOf(const OperandPlan &plan) {
  auto type = cast<RankedTensorType>(plan.base.getType());
  SmallVector<int64_t> shape = llvm::to_vector(type.getShape());
  if (shape.size() == 3) {
    int64_t b = chain.scoresShape[0];
    shape = {b, shape[0] / b, shape[1], shape[2]};
  }
  SmallVector<int64_t> result;
  for (int64_t p : plan.perm)
    result.push_back(shape[p]);
  return result;
}

/// Builds the [B, H, L, D] value of `plan` at the insertion point.
Value TosaAttentionMatcher::buildOperand(Location loc,
                                         const OperandPlan &plan) {
  Value v = plan.base;
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getRank() == 3) {
    int64_t b = chain.scoresShape[0];
    auto expanded = RankedTensorType::get(
        {b, type.getDimSize(0) / b, type.getDimSize(1), type.getDimSize(2)},
        type.getElementType());
    v = tensor::ExpandShapeOp::create(
        rewriter, loc, expanded, v,
        SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}});
    type = expanded;
  }
  if (isIdentityPerm(plan.perm))
    return v;
  SmallVector<int64_t> shape;
  for (int64_t p : plan.perm)
    shape.push_back(type.getDimSize(p));
  Value init =
      tensor::EmptyOp::create(rewriter, loc, shape, type.getElementType());
  return linalg::TransposeOp::create(rewriter, loc, v, init, plan.perm)
      .getResult()[0];
}

/// Builds the attn.mask `mask` operand of `term`: [B|1, H|1, Lq, Lk], i1
/// true = visible or the float bias.
Value TosaAttentionMatcher::buildMaskOperand(Location loc,
                                             const MaskTerm &term) {
  MLIRContext *ctx = rewriter.getContext();
  auto srcType = cast<RankedTensorType>(term.tensor.getType());
  ArrayRef<int64_t> src = srcType.getShape();
  int64_t offset = 4 - chain.rank;
  // The mask dimension read by each of the 4 loops (b, h, i, j), if any.
  auto srcDim = [&](int64_t d) -> std::optional<int64_t> {
    if (d < offset)
      return std::nullopt;
    return d - offset;
  };
  SmallVector<int64_t> shape(chain.scoresShape);
  for (int64_t d = 0; d < 2; ++d) {
    std::optional<int64_t> s = srcDim(d);
    if (!s || src[*s] == 1)
      shape[d] = 1;
  }
  bool invert = term.isBool && !term.keepWhenTrue;
  if (!invert && srcType.getShape() == ArrayRef<int64_t>(shape))
    return term.tensor;
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < 4; ++d) {
    std::optional<int64_t> s = srcDim(d);
    if (!s)
      continue;
    exprs.push_back(src[*s] == 1 ? getAffineConstantExpr(0, ctx)
                                 : getAffineDimExpr(d, ctx));
  }
  AffineMap inMap = AffineMap::get(4, 0, exprs, ctx);
  Value init =
      tensor::EmptyOp::create(rewriter, loc, shape, srcType.getElementType());
  auto gen = linalg::GenericOp::create(
      rewriter, loc, init.getType(), ValueRange{term.tensor}, ValueRange{init},
      ArrayRef<AffineMap>{inMap, rewriter.getMultiDimIdentityMap(4)},
      SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value v = args[0];
        if (invert) {
          Value t = arith::ConstantOp::create(b, l, b.getBoolAttr(true));
          v = arith::XOrIOp::create(b, l, v, t);
        }
        linalg::YieldOp::create(b, l, v);
      });
  return gen.getResult(0);
}

/// Classifies a compile-time mask as a band, or fails (then it stays an
/// operand).
std::optional<Band>
TosaAttentionMatcher::classifyConstantMask(const MaskTerm &term) {
  const ConstTensor *t = evaluator.evaluate(term.tensor);
  if (!t || static_cast<int64_t>(t->shape.size()) != chain.rank)
    return std::nullopt;
  int64_t rank = chain.rank;
  int64_t lq = chain.scoresShape[2], lk = chain.scoresShape[3];
  SmallVector<int64_t> leadShape(t->shape.begin(), t->shape.end() - 2);
  int64_t numLead = 1;
  for (int64_t s : leadShape)
    numLead *= s;
  if (numLead * lq * lk > TosaConstEvaluator::kMaxElements)
    return std::nullopt;
  SmallVector<bool> first(lq * lk);
  SmallVector<int64_t> idx(rank);
  for (int64_t lead = 0; lead < numLead; ++lead) {
    int64_t rem = lead;
    for (int64_t d = leadShape.size() - 1; d >= 0; --d) {
      idx[d] = rem % leadShape[d];
      rem /= leadShape[d];
    }
    for (int64_t i = 0; i < lq; ++i)
      for (int64_t j = 0; j < lk; ++j) {
        idx[rank - 2] = i;
        idx[rank - 1] = j;
        double v = t->at(idx);
        bool vis;
        if (term.isBool)
          vis = (v != 0.0) == term.keepWhenTrue;
        else if (v == 0.0)
          vis = true;
        else if (v == kNegInf)
          vis = false;
        else
          return std::nullopt;
        if (lead == 0)
          first[i * lk + j] = vis;
        else if (first[i * lk + j] != vis)
          return std::nullopt;
      }
  }
  return fitBand(first, lq, lk);
}

FailureOr<SdpaOp> TosaAttentionMatcher::run() {
  Operation *rootOp = root;
  // P, possibly with the heads collapsed into the batch.
  Value probs = root.getA();
  auto probs3 = cast<RankedTensorType>(probs.getType());
  chain.rank = 3;
  if (auto reshape = probs.getDefiningOp<tosa::ReshapeOp>()) {
    auto src = cast<RankedTensorType>(reshape.getInput1().getType());
    if (src.getRank() == 4 && src.hasStaticShape() &&
        probs3.hasStaticShape() &&
        src.getDimSize(0) * src.getDimSize(1) == probs3.getDimSize(0) &&
        src.getDimSize(2) == probs3.getDimSize(1) &&
        src.getDimSize(3) == probs3.getDimSize(2)) {
      chain.rank = 4;
      chain.ops.push_back({reshape, "probabilities"});
      probs = reshape.getInput1();
    }
  }
  Value rowTest;
  FailureOr<Value> scoresIn = matchSoftmax(probs, rowTest);
  if (failed(scoresIn))
    return failure();
  // From here on this is a candidate: refusals are reported.
  if (failed(checkZeroPoints(root, "P·V")))
    return failure();
  auto probsType = cast<RankedTensorType>(probs.getType());
  if (!probsType.hasStaticShape() ||
      !cast<ShapedType>(root.getType()).hasStaticShape())
    return refuse(root, "dynamic shapes are not supported yet");
  chain.scoresShape.assign(4 - chain.rank, 1);
  llvm::append_range(chain.scoresShape, probsType.getShape());

  FailureOr<Value> rawScores = matchScoreSteps(*scoresIn);
  if (failed(rawScores))
    return failure();

  // The Q·Kᵀ matmul, its heads collapsed into the batch.
  Value scores = *rawScores;
  if (chain.rank == 4) {
    auto reshape = scores.getDefiningOp<tosa::ReshapeOp>();
    auto src = reshape ? dyn_cast<RankedTensorType>(
                             reshape.getInput1().getType())
                       : RankedTensorType();
    if (!src || src.getRank() != 3 || !src.hasStaticShape() ||
        src.getDimSize(0) != chain.scoresShape[0] * chain.scoresShape[1]) {
      Operation *blame = scores.getDefiningOp() ? scores.getDefiningOp()
                                                : chain.ops.back().first;
      return refuse(blame, "the softmax input is not computed from a Q·Kᵀ "
                           "tosa.matmul");
    }
    chain.ops.push_back({reshape, "scores"});
    scores = reshape.getInput1();
  }
  auto qk = scores.getDefiningOp<tosa::MatMulOp>();
  if (!qk) {
    Operation *blame = scores.getDefiningOp() ? scores.getDefiningOp()
                                              : chain.ops.back().first;
    return refuse(blame, "the softmax input is not computed from a Q·Kᵀ "
                         "tosa.matmul");
  }
  if (failed(checkZeroPoints(qk, "Q·Kᵀ")))
    return failure();
  chain.ops.push_back({qk, "scores"});

  // Element types: scores and probabilities in f32, Q/K/V alike, P·V in the
  // element type of V.
  for (auto [op, what] : chain.ops) {
    if (what == "fully-masked-row test")
      continue;
    for (Value result : op->getResults()) {
      Type elt = getElementTypeOrSelf(result.getType());
      if (isa<FloatType>(elt) && !elt.isF32())
        return refuse(op, Twine("the ") + what + " are computed in " +
                              typeString(elt) +
                              ", while attn.sdpa keeps them in f32");
    }
  }
  Type qElt = getElementTypeOrSelf(qk.getA().getType());
  Type kElt = getElementTypeOrSelf(qk.getB().getType());
  Type vElt = getElementTypeOrSelf(root.getB().getType());
  Type oElt = getElementTypeOrSelf(root.getType());
  if (qElt != kElt || qElt != vElt || vElt != oElt)
    return refuse(root, "mixed element types (query " + typeString(qElt) +
                            ", key " + typeString(kElt) + ", value " +
                            typeString(vElt) + ", output " +
                            typeString(oElt) +
                            ") would change numerics");

  // Q, K, V as [B, H, L, D]; GQA repeats are seen through when K and V
  // agree on them.
  OperandPlan q = resolveOperand(qk.getA(), /*transposed=*/false,
                                 /*peelScales=*/true, /*allowGroups=*/false);
  OperandPlan k = resolveOperand(qk.getB(), /*transposed=*/true,
                                 /*peelScales=*/true, /*allowGroups=*/true);
  OperandPlan v = resolveOperand(root.getB(), /*transposed=*/false,
                                 /*peelScales=*/false, /*allowGroups=*/true);
  if (k.groups != v.groups) {
    k = resolveOperand(qk.getB(), true, true, false);
    v = resolveOperand(root.getB(), false, false, false);
  }
  chain.scale *= q.scale * k.scale;

  // Intermediates must not be used outside of the attention.
  llvm::SmallPtrSet<Operation *, 16> inChain;
  inChain.insert(rootOp);
  for (auto [op, what] : chain.ops)
    inChain.insert(op);
  Block *block = rootOp->getBlock();
  for (auto [op, what] : chain.ops) {
    if (op->getBlock() != block)
      return refuse(op, "the attention spans several blocks");
    for (Operation *user : op->getUsers())
      if (!inChain.contains(user))
        return refuse(op, Twine("the ") + what +
                              " have another user, so they must stay "
                              "materialised");
  }

  // Masks: compile-time bands become causal/window, at most one tensor stays.
  Band band;
  const MaskTerm *operandMask = nullptr;
  int64_t lq = chain.scoresShape[2], lk = chain.scoresShape[3];
  for (const MaskTerm &term : chain.masks) {
    if (std::optional<Band> b = classifyConstantMask(term)) {
      if (b->left)
        band.left = band.left ? std::min(*band.left, *b->left) : *b->left;
      if (b->right)
        band.right = band.right ? std::min(*band.right, *b->right) : *b->right;
      continue;
    }
    if (!cast<RankedTensorType>(term.tensor.getType()).hasStaticShape())
      return refuse(term.op, "the mask has a dynamic shape");
    if (operandMask)
      return refuse(term.op, "more than one mask tensor");
    operandMask = &term;
  }
  if (band.left && band.right && *band.left + *band.right < 0)
    return refuse(root, "the masks leave no key visible");

  SmallVector<int64_t> qs = shapeOf(q), ks = shapeOf(k), vs = shapeOf(v);
  int64_t b = chain.scoresShape[0], hq = chain.scoresShape[1];
  if (!(qs[0] == b && qs[1] == hq && qs[2] == lq && ks[0] == b &&
        ks[2] == lk && ks[3] == qs[3] && vs[0] == b && vs[1] == ks[1] &&
        vs[2] == lk && ks[1] > 0 && hq % ks[1] == 0))
    return refuse(root, "Q, K and V do not have attention's shapes");

  // Build the decomposed chain and fuse it.
  Location loc = root.getLoc();
  rewriter.setInsertionPoint(root);
  Value q4 = buildOperand(loc, q);
  Value k4 = buildOperand(loc, k);
  Value v4 = buildOperand(loc, v);
  auto f32 = rewriter.getF32Type();
  auto scoresType = RankedTensorType::get(chain.scoresShape, f32);
  Value s = ScoresOp::create(rewriter, loc, scoresType, q4, k4,
                             rewriter.getF32FloatAttr(chain.scale),
                             /*softcap=*/nullptr);
  bool causal = !band.left && band.right && *band.right == 0;
  bool hasWindow = !causal && (band.left || band.right);
  if (operandMask || causal || hasWindow) {
    Value maskValue =
        operandMask ? buildMaskOperand(loc, *operandMask) : Value();
    DenseI64ArrayAttr window;
    if (hasWindow)
      window = rewriter.getDenseI64ArrayAttr(
          {band.left ? *band.left : lk, band.right ? *band.right : lk});
    s = MaskOp::create(rewriter, loc, scoresType, s, maskValue,
                       /*kv_lens=*/Value(),
                       causal ? rewriter.getUnitAttr() : nullptr, window);
  }
  Value p = SoftmaxOp::create(rewriter, loc, scoresType, s);
  auto outType = RankedTensorType::get({b, hq, lq, vs[3]}, vElt);
  auto context = ContextOp::create(rewriter, loc, outType, p, v4);
  // The [B·H, Lq, Dv] result is usually reshaped back to heads at once:
  // that reshape is replaced by the 4-D result.
  Operation *replaced = rootOp;
  Value result = context.getResult();
  if (root->hasOneUse())
    if (auto user = dyn_cast<tosa::ReshapeOp>(*root->user_begin());
        user && user.getType() == outType)
      replaced = user;
  if (replaced == rootOp)
    result = tensor::CollapseShapeOp::create(
        rewriter, loc, root.getType(), result,
        SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}});
  rewriter.replaceOp(replaced, result);
  if (replaced != rootOp)
    rewriter.eraseOp(rootOp);

  SmallVector<Operation *> dead;
  for (auto [op, what] : chain.ops)
    if (!llvm::is_contained(dead, op))
      dead.push_back(op);
  llvm::sort(dead, [](Operation *a, Operation *b) {
    return b->isBeforeInBlock(a);
  });
  for (Operation *op : dead)
    if (op->use_empty())
      rewriter.eraseOp(op);
  return fuseToSdpa(rewriter, context);
}

//===----------------------------------------------------------------------===//
// Core function, patterns and pass
//===----------------------------------------------------------------------===//

FailureOr<SdpaOp> mlir::attn::raiseTosaAttention(RewriterBase &rewriter,
                                                 tosa::MatMulOp op) {
  return TosaAttentionMatcher(rewriter, op).run();
}

namespace {
struct RaiseTosaAttention : OpRewritePattern<tosa::MatMulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::MatMulOp op,
                                PatternRewriter &rewriter) const override {
    return raiseTosaAttention(rewriter, op);
  }
};

struct AttnRaiseTosaPass
    : attn::impl::AttnRaiseTosaPassBase<AttnRaiseTosaPass> {
  using AttnRaiseTosaPassBase::AttnRaiseTosaPassBase;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateRaiseTosaPatterns(patterns);
    if (failed(applyReportingRefusals(getOperation(), std::move(patterns),
                                      "attn-raise-tosa", reportRefusals)))
      signalPassFailure();
  }
};
} // namespace

void mlir::attn::populateRaiseTosaPatterns(RewritePatternSet &patterns) {
  patterns.add<RaiseTosaAttention>(patterns.getContext());
}
