//===- RaiseLinalg.cpp - attention in linalg on tensors to attn.sdpa ------===//
//
// Implements `attn-raise-linalg`, Attn's one recogniser of attention (TOSA
// reaches it through the upstream tosa-to-linalg passes, see RaiseTosa.cpp):
// attention as frontends write it in upstream linalg/tensor/arith/math on
// tensors is recognised, anchored on its P·V contraction, and raised to
// attn.scores → [attn.mask] → attn.softmax → attn.context, which
// `fuseToSdpa` (the logic of `attn-fuse`) turns into one attn.sdpa.
//
// It matches what the IR computes rather than how it is grouped into ops:
// the matcher walks back from P·V (split, for matching only, from the
// elementwise steps fused into it) through the softmax (linalg.softmax or
// written out; torch's and ONNX's guards for fully masked rows), then
// composes the elementwise steps between the scores and the softmax into
// one scalar function of the score and its indices (ScoreFunction) and
// decomposes it into a scale, a soft-cap, masks and a score_mod, then finds
// the Q·Kᵀ contraction (split likewise, or at 5-D over grouped heads) and,
// through reshapes, transposes, scales and GQA repeats, the Q, K and V it
// reads. Masks that are computable at compile time (iota comparisons,
// constants) are evaluated by a small interpreter and, when they are a band,
// become `causal` or `window`. Matching is separated from building: what is
// built while matching is detached and inserted only once every check
// passed, so a refusal leaves the IR untouched.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/Utils/ConstantUtils.h"
#include "attn/Transforms/Passes.h"
#include "attn/Transforms/Transforms.h"

#include "MaskBands.h"
#include "RefusalReporter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <limits>
#include <memory>
#include <optional>

namespace mlir {
namespace attn {
#define GEN_PASS_DEF_ATTNRAISELINALGPASS
#include "attn/Transforms/Passes.h.inc"
} // namespace attn
} // namespace mlir

using namespace mlir;
using namespace mlir::attn;

//===----------------------------------------------------------------------===//
// Scalar and map helpers
//===----------------------------------------------------------------------===//

/// The value of a scalar float constant, seen through extf/truncf (torch-mlir
/// writes `arith.truncf %cst : f64 to f32` inside bodies).
static std::optional<double> getConstantFloat(Value value) {
  if (auto ext = value.getDefiningOp<arith::ExtFOp>())
    return getConstantFloat(ext.getIn());
  if (auto trunc = value.getDefiningOp<arith::TruncFOp>()) {
    std::optional<double> v = getConstantFloat(trunc.getIn());
    if (v && isa<Float32Type>(trunc.getType()))
      return static_cast<double>(static_cast<float>(*v));
    return v;
  }
  auto cst = value.getDefiningOp<arith::ConstantOp>();
  if (!cst)
    return std::nullopt;
  if (auto f = dyn_cast<FloatAttr>(cst.getValue()))
    return f.getValueAsDouble();
  return std::nullopt;
}

/// The value of a splat float tensor: a splat constant, a linalg.fill of a
/// scalar constant, or either broadcast by a generic.
static std::optional<double> getSplatFloat(Value tensor) {
  if (auto cst = tensor.getDefiningOp<arith::ConstantOp>())
    if (auto dense = dyn_cast<DenseFPElementsAttr>(cst.getValue()))
      if (dense.isSplat())
        return dense.getSplatValue<APFloat>().convertToDouble();
  if (auto fill = tensor.getDefiningOp<linalg::FillOp>())
    return getConstantFloat(fill.getInputs()[0]);
  // A fill written as a linalg.generic (linalg-morph-ops{named-to-generic}):
  // all parallel, yielding a constant or its scalar input.
  if (auto gen = tensor.getDefiningOp<linalg::GenericOp>()) {
    if (gen.getNumLoops() != gen.getNumParallelLoops() ||
        gen->getNumResults() != 1)
      return std::nullopt;
    Value y =
        cast<linalg::YieldOp>(gen.getBlock()->getTerminator()).getValues()[0];
    if (auto arg = dyn_cast<BlockArgument>(y)) {
      if (arg.getOwner() != gen.getBlock() ||
          arg.getArgNumber() >= gen.getNumDpsInputs())
        return std::nullopt;
      // A scalar, or a splat tensor broadcast (a rank-0 constant into
      // dynamic sizes, which canonicalization does not fold).
      Value in = gen.getInputs()[arg.getArgNumber()];
      return isa<ShapedType>(in.getType()) ? getSplatFloat(in)
                                           : getConstantFloat(in);
    }
    return getConstantFloat(y);
  }
  return std::nullopt;
}

/// True if `map` is the identity on `rank` dims.
static bool isIdentity(AffineMap map, unsigned rank) {
  return map.isIdentity() && map.getNumDims() == rank;
}

/// True if `map` (over `rank` loops) reads a row statistic: the leading
/// rank-1 dims in order, optionally followed by a constant 0 (a trailing unit
/// dimension).
static bool isRowStatMap(AffineMap map, unsigned rank) {
  if (map.getNumDims() != rank)
    return false;
  unsigned n = map.getNumResults();
  if (n != rank - 1 && n != rank)
    return false;
  for (unsigned k = 0; k + 1 < rank; ++k)
    if (map.getResult(k) != getAffineDimExpr(k, map.getContext()))
      return false;
  if (n == rank) {
    auto c = dyn_cast<AffineConstantExpr>(map.getResult(rank - 1));
    if (!c || c.getValue() != 0)
      return false;
  }
  return true;
}

/// The permutation reading `map`'s operand in the `expected` order
/// (expected[k] is the operand's dim perm[k]); none when `map` reads other
/// dims.
static std::optional<SmallVector<int64_t>>
readPermutation(AffineMap map, ArrayRef<AffineExpr> expected) {
  if (map.getNumResults() != expected.size())
    return std::nullopt;
  SmallVector<int64_t> perm;
  for (AffineExpr e : expected) {
    auto it = llvm::find(map.getResults(), e);
    if (it == map.getResults().end())
      return std::nullopt;
    perm.push_back(it - map.getResults().begin());
  }
  return perm;
}

static bool allParallel(linalg::LinalgOp op) {
  return op.getNumLoops() == op.getNumParallelLoops();
}

/// The block argument of `op`'s body that `value` is, if any.
static std::optional<unsigned> getBodyArgIndex(linalg::LinalgOp op,
                                               Value value) {
  auto arg = dyn_cast<BlockArgument>(value);
  if (!arg || arg.getOwner() != op.getBlock())
    return std::nullopt;
  return arg.getArgNumber();
}

static bool isZeroInit(Value init) {
  std::optional<double> v = getSplatFloat(init);
  return v && *v == 0.0;
}

//===----------------------------------------------------------------------===//
// Constant evaluation of masks
//===----------------------------------------------------------------------===//

namespace {
/// A statically shaped tensor computed at compile time; every element type
/// (i1, integers, floats) is held as a double, which is exact for the small
/// integers and the 0 / −∞ / finite floats of masks.
struct ConstTensor {
  SmallVector<int64_t> shape;
  std::vector<double> data;
  int64_t linearize(ArrayRef<int64_t> idx) const {
    int64_t lin = 0;
    for (auto [i, s] : llvm::zip_equal(idx, shape))
      lin = lin * s + i;
    return lin;
  }
};

/// Evaluates tensors that depend only on constants: arith.constant (dense or
/// dense_resource), tensor.empty, linalg.fill, reshapes, linalg.transpose,
/// linalg.broadcast, and all-parallel linalg.generic whose body uses
/// linalg.index and scalar arith ops. Anything else (a function argument, an
/// unknown op, a tensor above `kMaxElements`) makes the evaluation fail.
class ConstEvaluator {
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
      if (!op || failed.contains(op))
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
  static SmallVector<Value> getDependencies(Operation *op) {
    SmallVector<Value> deps;
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
      if (isa<linalg::FillOp>(op))
        return deps;
      for (OpOperand *in : linalgOp.getDpsInputOperands())
        if (isa<RankedTensorType>(in->get().getType()))
          deps.push_back(in->get());
      return deps;
    }
    if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(op))
      deps.push_back(op->getOperand(0));
    return deps;
  }

  static std::optional<SmallVector<int64_t>> staticShape(Type type) {
    auto t = dyn_cast<RankedTensorType>(type);
    if (!t || !t.hasStaticShape() || t.getNumElements() > kMaxElements)
      return std::nullopt;
    return llvm::to_vector(t.getShape());
  }

  bool evaluateOp(Operation *op) {
    if (op->getNumResults() == 0)
      return false;
    auto shape = staticShape(op->getResult(0).getType());
    if (!shape)
      return false;
    ConstTensor result{*shape, {}};
    int64_t n = numElements(*shape);
    if (auto cst = dyn_cast<arith::ConstantOp>(op))
      return evaluateConstant(cst, result) && store(op->getResult(0), result);
    if (isa<tensor::EmptyOp>(op)) {
      result.data.assign(n, 0.0);
      return store(op->getResult(0), result);
    }
    if (auto fill = dyn_cast<linalg::FillOp>(op)) {
      std::optional<double> v = getScalarConstant(fill.getInputs()[0]);
      if (!v)
        return false;
      result.data.assign(n, *v);
      return store(op->getResult(0), result);
    }
    if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(op)) {
      result.data = cache[op->getOperand(0)].data;
      return store(op->getResult(0), result);
    }
    if (auto transpose = dyn_cast<linalg::TransposeOp>(op)) {
      const ConstTensor &in = cache[transpose.getInput()];
      ArrayRef<int64_t> perm = transpose.getPermutation();
      result.data.resize(n);
      SmallVector<int64_t> idx, src(perm.size());
      for (int64_t lin = 0; lin < n; ++lin) {
        delinearize(lin, result.shape, idx);
        for (auto [i, p] : llvm::enumerate(perm))
          src[p] = idx[i];
        result.data[lin] = in.data[in.linearize(src)];
      }
      return store(op->getResult(0), result);
    }
    if (auto broadcast = dyn_cast<linalg::BroadcastOp>(op)) {
      const ConstTensor &in = cache[broadcast.getInput()];
      ArrayRef<int64_t> added = broadcast.getDimensions();
      result.data.resize(n);
      SmallVector<int64_t> idx, src;
      for (int64_t lin = 0; lin < n; ++lin) {
        delinearize(lin, result.shape, idx);
        src.clear();
        for (auto [d, i] : llvm::enumerate(idx))
          if (!llvm::is_contained(added, static_cast<int64_t>(d)))
            src.push_back(i);
        result.data[lin] = in.data[in.linearize(src)];
      }
      return store(op->getResult(0), result);
    }
    if (auto generic = dyn_cast<linalg::GenericOp>(op))
      return evaluateGeneric(generic);
    return false;
  }

  bool store(Value v, ConstTensor t) {
    cache[v] = std::move(t);
    return true;
  }

  static std::optional<double> getScalarConstant(Value v) {
    auto cst = v.getDefiningOp<arith::ConstantOp>();
    if (!cst)
      return std::nullopt;
    return decodeConstantScalar(cst.getValue());
  }

  static bool evaluateConstant(arith::ConstantOp cst, ConstTensor &result) {
    FailureOr<std::vector<double>> values =
        decodeConstantElements(cst.getValue());
    if (mlir::failed(values) ||
        static_cast<int64_t>(values->size()) != numElements(result.shape))
      return false;
    llvm::append_range(result.data, *values);
    return true;
  }

  bool evaluateGeneric(linalg::GenericOp op) {
    if (!allParallel(op))
      return false;
    SmallVector<AffineMap> allMaps = op.getIndexingMapsArray();
    for (AffineMap map :
         ArrayRef<AffineMap>(allMaps).drop_front(op.getNumDpsInputs()))
      if (!isIdentity(map, op.getNumLoops()))
        return false;
    Block &body = *op.getBlock();
    for (BlockArgument arg :
         body.getArguments().drop_front(op.getNumDpsInputs()))
      if (!arg.use_empty())
        return false;
    auto shape = staticShape(op->getResult(0).getType());
    if (!shape)
      return false;
    int64_t n = numElements(*shape);
    SmallVector<ConstTensor> results(op->getNumResults(),
                                     ConstTensor{*shape, {}});
    for (ConstTensor &r : results)
      r.data.resize(n);
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    SmallVector<int64_t> idx;
    DenseMap<Value, double> env;
    for (int64_t lin = 0; lin < n; ++lin) {
      delinearize(lin, *shape, idx);
      env.clear();
      for (OpOperand *in : op.getDpsInputOperands()) {
        unsigned k = in->getOperandNumber();
        Value arg = body.getArgument(k);
        if (!isa<RankedTensorType>(in->get().getType())) {
          std::optional<double> v = getScalarConstant(in->get());
          if (!v)
            return false;
          env[arg] = *v;
          continue;
        }
        const ConstTensor &t = cache[in->get()];
        SmallVector<int64_t> pos = maps[k].compose(idx);
        env[arg] = t.data[t.linearize(pos)];
      }
      for (Operation &inner : body) {
        if (auto yield = dyn_cast<linalg::YieldOp>(inner)) {
          for (auto [r, v] : llvm::enumerate(yield.getValues())) {
            std::optional<double> x = lookup(env, v);
            if (!x)
              return false;
            results[r].data[lin] = *x;
          }
          break;
        }
        if (!evaluateScalar(inner, idx, env))
          return false;
      }
    }
    for (auto [r, t] : llvm::enumerate(results))
      store(op->getResult(r), std::move(t));
    return true;
  }

  static std::optional<double> lookup(DenseMap<Value, double> &env, Value v) {
    auto it = env.find(v);
    if (it != env.end())
      return it->second;
    return getScalarConstant(v);
  }

  static bool evaluateScalar(Operation &op, ArrayRef<int64_t> idx,
                             DenseMap<Value, double> &env) {
    if (auto index = dyn_cast<linalg::IndexOp>(op)) {
      if (index.getDim() >= idx.size())
        return false;
      env[index.getResult()] = static_cast<double>(idx[index.getDim()]);
      return true;
    }
    if (auto cst = dyn_cast<arith::ConstantOp>(op)) {
      std::optional<double> v = getScalarConstant(cst);
      if (!v)
        return false;
      env[cst.getResult()] = *v;
      return true;
    }
    if (op.getNumResults() != 1)
      return false;
    SmallVector<double> args;
    for (Value operand : op.getOperands()) {
      std::optional<double> v = lookup(env, operand);
      if (!v)
        return false;
      args.push_back(*v);
    }
    auto isBool = [](double v) { return v == 0.0 || v == 1.0; };
    std::optional<double> r =
        llvm::TypeSwitch<Operation *, std::optional<double>>(&op)
            .Case<arith::AddIOp, arith::AddFOp>(
                [&](auto) { return args[0] + args[1]; })
            .Case<arith::SubIOp, arith::SubFOp>(
                [&](auto) { return args[0] - args[1]; })
            .Case<arith::MulIOp, arith::MulFOp>(
                [&](auto) { return args[0] * args[1]; })
            .Case<arith::DivFOp>([&](auto) { return args[0] / args[1]; })
            .Case<arith::NegFOp>([&](auto) { return -args[0]; })
            .Case<math::AbsIOp, math::AbsFOp>(
                [&](auto) { return std::fabs(args[0]); })
            .Case<arith::MaxSIOp, arith::MaxNumFOp>(
                [&](auto) { return std::fmax(args[0], args[1]); })
            .Case<arith::MinSIOp, arith::MinNumFOp>(
                [&](auto) { return std::fmin(args[0], args[1]); })
            .Case<arith::DivSIOp>([&](auto) -> std::optional<double> {
              if (args[1] == 0)
                return std::nullopt;
              return std::trunc(args[0] / args[1]);
            })
            .Case<arith::FloorDivSIOp>([&](auto) -> std::optional<double> {
              if (args[1] == 0)
                return std::nullopt;
              return std::floor(args[0] / args[1]);
            })
            .Case<arith::RemSIOp>([&](auto) -> std::optional<double> {
              if (args[1] == 0)
                return std::nullopt;
              return std::fmod(args[0], args[1]);
            })
            .Case<arith::MaximumFOp>(
                [&](auto) { return std::fmax(args[0], args[1]); })
            .Case<arith::MinimumFOp>(
                [&](auto) { return std::fmin(args[0], args[1]); })
            .Case<arith::IndexCastOp, arith::IndexCastUIOp, arith::ExtSIOp,
                  arith::ExtUIOp, arith::SIToFPOp, arith::UIToFPOp,
                  arith::ExtFOp>([&](auto) { return args[0]; })
            .Case<arith::TruncIOp>(
                [&](arith::TruncIOp t) -> std::optional<double> {
                  // Exact while the value fits the narrower type.
                  unsigned width = t.getType().getIntOrFloatBitWidth();
                  if (width < 2 || width > 53 ||
                      std::fabs(args[0]) >= std::ldexp(1.0, width - 1))
                    return std::nullopt;
                  return args[0];
                })
            .Case<arith::TruncFOp>(
                [&](arith::TruncFOp t) -> std::optional<double> {
                  if (isa<Float32Type>(t.getType()))
                    return static_cast<double>(static_cast<float>(args[0]));
                  return std::nullopt;
                })
            .Case<arith::AndIOp>([&](auto) -> std::optional<double> {
              if (!isBool(args[0]) || !isBool(args[1]))
                return std::nullopt;
              return (args[0] != 0 && args[1] != 0) ? 1.0 : 0.0;
            })
            .Case<arith::OrIOp>([&](auto) -> std::optional<double> {
              if (!isBool(args[0]) || !isBool(args[1]))
                return std::nullopt;
              return (args[0] != 0 || args[1] != 0) ? 1.0 : 0.0;
            })
            .Case<arith::XOrIOp>([&](auto) -> std::optional<double> {
              if (!isBool(args[0]) || !isBool(args[1]))
                return std::nullopt;
              return (args[0] != 0) != (args[1] != 0) ? 1.0 : 0.0;
            })
            .Case<arith::SelectOp>(
                [&](auto) { return args[0] != 0 ? args[1] : args[2]; })
            .Case<arith::CmpIOp>([&](arith::CmpIOp c) -> std::optional<double> {
              double a = args[0], b = args[1];
              using P = arith::CmpIPredicate;
              P p = c.getPredicate();
              if ((p == P::ult || p == P::ule || p == P::ugt || p == P::uge) &&
                  (a < 0 || b < 0))
                return std::nullopt;
              bool v;
              switch (p) {
              case P::eq:
                v = a == b;
                break;
              case P::ne:
                v = a != b;
                break;
              case P::slt:
              case P::ult:
                v = a < b;
                break;
              case P::sle:
              case P::ule:
                v = a <= b;
                break;
              case P::sgt:
              case P::ugt:
                v = a > b;
                break;
              case P::sge:
              case P::uge:
                v = a >= b;
                break;
              }
              return v ? 1.0 : 0.0;
            })
            .Case<arith::CmpFOp>([&](arith::CmpFOp c) -> std::optional<double> {
              double a = args[0], b = args[1];
              bool unordered = std::isnan(a) || std::isnan(b);
              using P = arith::CmpFPredicate;
              bool v;
              switch (c.getPredicate()) {
              case P::AlwaysFalse:
                v = false;
                break;
              case P::AlwaysTrue:
                v = true;
                break;
              case P::OEQ:
                v = !unordered && a == b;
                break;
              case P::OGT:
                v = !unordered && a > b;
                break;
              case P::OGE:
                v = !unordered && a >= b;
                break;
              case P::OLT:
                v = !unordered && a < b;
                break;
              case P::OLE:
                v = !unordered && a <= b;
                break;
              case P::ONE:
                v = !unordered && a != b;
                break;
              case P::ORD:
                v = !unordered;
                break;
              case P::UEQ:
                v = unordered || a == b;
                break;
              case P::UGT:
                v = unordered || a > b;
                break;
              case P::UGE:
                v = unordered || a >= b;
                break;
              case P::ULT:
                v = unordered || a < b;
                break;
              case P::ULE:
                v = unordered || a <= b;
                break;
              case P::UNE:
                v = unordered || a != b;
                break;
              case P::UNO:
                v = unordered;
                break;
              }
              return v ? 1.0 : 0.0;
            })
            .Default([](Operation *) { return std::nullopt; });
    if (!r)
      return false;
    env[op.getResult(0)] = *r;
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
/// exist before the raise.
struct OperandPlan {
  Value base;                // rank 4, or the chain rank (< 4)
  SmallVector<int64_t> perm; // linalg.transpose permutation on `base`
  int64_t groups = 1;        // GQA repeat factor seen through
  Value ungrouped;           // the repeated [B, Hq, L, D] copy, if grouped
  SmallVector<int64_t> groupedPerm; // `perm` for `base` when it differs
  int64_t splitB = 0; // > 0: base is [B·H, L, D], expand to B × H
  double scale = 1.0; // constant scales peeled off the way
};

/// A scalar of the score function: `value` in the body of elementwise step
/// `step`, or defined above it (see ScoreFunction).
struct Sym {
  unsigned step = 0;
  Value value;
};

/// A mask step between the scores and the softmax.
struct MaskTerm {
  Operation *op;
  Value tensor;  // float bias or i1 condition
  AffineMap map; // its indexing map over the chain's loops
  bool isBool = false;
  bool keepWhenTrue = true; // for i1: true = visible
  /// For a term computed from indices and constants only: its scalar, which
  /// the score_mod computes instead when the term is not a band.
  std::optional<Sym> expr;
};

/// A matched linalg contraction lhs · rhs.
struct Contraction {
  linalg::LinalgOp op;
  Value lhs, rhs;
  bool rhsRowsAreReduced = false; // rhs is [..., red, col]
  /// When an operand is read with its dims permuted (a transpose fused into
  /// the contraction): dim k of its canonical layout, [lead..., row, red]
  /// for lhs and [lead..., col, red] for rhs, is its dim perm[k]. Empty for
  /// the identity.
  SmallVector<int64_t> lhsPerm, rhsPerm;
  double scale = 1.0;
};

struct Chain {
  int64_t rank = 0; // rank of scores / probabilities (2, 3 or 4)
  Type scoreType;   // element type of the scores
  SmallVector<int64_t> scoresShape; // [B, H, Lq, Lk] of the chain
  OperandPlan q, k, v;
  double scale = 1.0;
  SmallVector<MaskTerm> masks;
  std::optional<double> softcap;
  /// The score function's core when it is neither a scale nor a soft-cap.
  std::optional<Sym> scoreMod;
  /// Mask terms of indices and constants that are not bands: the score_mod
  /// applies them.
  SmallVector<MaskTerm> scoreModTerms;
  /// Ops built detached while matching (masks computed from a step's body),
  /// inserted only when the attention is raised.
  SmallVector<Operation *> created;
  /// Some of B, Lq, Lk are dynamic.
  bool dynamic = false;
  /// The probabilities (the scores' shape), for relating dynamic lengths.
  Value scores;
  /// Those of `created` that are only matched against, never inserted.
  llvm::SmallPtrSet<Operation *, 4> matchOnly;
  /// Ops computed only for this attention, with what they compute.
  SmallVector<std::pair<Operation *, StringRef>> ops;
};
} // namespace

static bool isElementwise(linalg::GenericOp op) {
  if (!allParallel(op) || op.getNumDpsInits() != 1)
    return false;
  return isIdentity(op.getMatchingIndexingMap(op.getDpsInitOperand(0)),
                    op.getNumLoops());
}

/// Matches `value = generic(x) { yield x * c | c * x | x / c }` with a
/// constant c; returns x and the factor.
static std::optional<std::pair<Value, double>> matchScaleGeneric(Value value) {
  auto op = value.getDefiningOp<linalg::GenericOp>();
  if (!op || !isElementwise(op) || op.getNumDpsInputs() < 1 ||
      op.getNumDpsInputs() > 2)
    return std::nullopt;
  // The scaled operand: read element by element, of the result's type; the
  // factor: a constant, or a splat tensor operand (tosa-to-linalg).
  for (unsigned in = 0; in < op.getNumDpsInputs(); ++in) {
    if (!isIdentity(op.getIndexingMapsArray()[in], op.getNumLoops()) ||
        op.getInputs()[in].getType() != value.getType())
      continue;
    auto yield = cast<linalg::YieldOp>(op.getBlock()->getTerminator());
    Value y = yield.getValues()[0];
    Value arg = op.getBlock()->getArgument(in);
    auto factor = [&](Value v) -> std::optional<double> {
      if (auto idx = getBodyArgIndex(op, v))
        return *idx != in && *idx < op.getNumDpsInputs()
                   ? getSplatFloat(op.getInputs()[*idx])
                   : std::nullopt;
      return getConstantFloat(v);
    };
    if (op.getNumDpsInputs() == 2 &&
        !factor(op.getBlock()->getArgument(1 - in)))
      continue;
    if (auto mul = y.getDefiningOp<arith::MulFOp>()) {
      if (mul.getLhs() == arg)
        if (auto c = factor(mul.getRhs()))
          return std::make_pair(op.getInputs()[in], *c);
      if (mul.getRhs() == arg)
        if (auto c = factor(mul.getLhs()))
          return std::make_pair(op.getInputs()[in], *c);
    }
    if (auto div = y.getDefiningOp<arith::DivFOp>())
      if (div.getLhs() == arg)
        if (auto c = factor(div.getRhs()))
          return std::make_pair(op.getInputs()[in], 1.0 / *c);
  }
  return std::nullopt;
}

/// Sees through `collapse_shape(broadcast)` that repeats each K/V head
/// `groups` times: [B, Hkv, L, D] → [B, Hkv, G, L, D] → [B, Hkv·G, L, D] (or
/// [B·Hkv·G, L, D] when `rank3`).
/// Sees through a repeat of K/V heads written as tosa-to-linalg writes
/// tosa.tile: a broadcasting copy to [.., Hkv, G, ..] with unit dims around
/// (its input reads Hkv, not G), collapsed to [B, Hkv·G, L, D] (or
/// [B·Hkv·G, L, D] when `rank3`); the input, an expand_shape of
/// [B, Hkv, L, D] by the same grouping, gives the heads.
static std::optional<std::pair<Value, int64_t>>
matchTiledHeads(tensor::CollapseShapeOp collapse, bool rank3) {
  auto gen = collapse.getSrc().getDefiningOp<linalg::GenericOp>();
  int64_t rank = rank3 ? 3 : 4;
  if (!gen || !isElementwise(gen) || gen.getNumDpsInputs() != 1 ||
      collapse.getResultType().getRank() != rank ||
      cast<linalg::YieldOp>(gen.getBlock()->getTerminator()).getValues()[0] !=
          gen.getBlock()->getArgument(0))
    return std::nullopt;
  AffineMap map = gen.getIndexingMapsArray()[0];
  ArrayRef<int64_t> srcShape = collapse.getSrcType().getShape();
  auto reads = [&](int64_t d) { return map.isFunctionOfDim(d); };
  SmallVector<ReassociationIndices> reassoc =
      collapse.getReassociationIndices();
  // The role (B, H, L, D) of every src dim.
  SmallVector<int64_t> role(srcShape.size());
  int64_t groups = 0;
  for (auto [g, dims] : llvm::enumerate(reassoc)) {
    SmallVector<int64_t> nonUnit;
    for (int64_t d : dims)
      if (srcShape[d] != 1)
        nonUnit.push_back(d);
    bool heads = rank3 ? g == 0 : g == 1;
    if (!heads) {
      // B, L, D: copied, not repeated.
      if (nonUnit.size() > 1 || (nonUnit.size() == 1 && !reads(nonUnit[0])))
        return std::nullopt;
      for (int64_t d : dims)
        role[d] = rank3 ? g + 1 : g;
      continue;
    }
    // The heads: [B (rank3)], Hkv read (or absent: one KV head), G not read.
    if (nonUnit.empty() || reads(nonUnit.back()))
      return std::nullopt;
    int64_t firstHead = nonUnit.back();
    if (nonUnit.size() >= 2)
      firstHead = nonUnit[nonUnit.size() - 2];
    if (nonUnit.size() > (rank3 ? 3u : 2u) ||
        llvm::any_of(ArrayRef<int64_t>(nonUnit).drop_back(),
                     [&](int64_t d) { return !reads(d); }))
      return std::nullopt;
    if (!rank3 && nonUnit.size() == 2)
      firstHead = nonUnit[0];
    if (rank3 && nonUnit.size() == 2 && srcShape[nonUnit[0]] != 1)
      firstHead = nonUnit[0]; // [Hkv, G]; B is 1
    groups = srcShape[nonUnit.back()];
    for (int64_t d : dims)
      role[d] = (rank3 && d < firstHead) ? 0 : 1;
  }
  // The input's dims must be src dims in order; grouped by role they must
  // be the expand_shape that made the input from [B, Hkv, L, D].
  SmallVector<ReassociationIndices> expected(4);
  int64_t last = -1;
  for (auto [k, e] : llvm::enumerate(map.getResults())) {
    auto d = dyn_cast<AffineDimExpr>(e);
    if (!d || static_cast<int64_t>(d.getPosition()) <= last)
      return std::nullopt;
    last = d.getPosition();
    expected[role[last]].push_back(k);
  }
  auto expand = gen.getInputs()[0].getDefiningOp<tensor::ExpandShapeOp>();
  if (!expand || expand.getSrcType().getRank() != 4 ||
      expand.getReassociationIndices() != expected)
    return std::nullopt;
  return std::make_pair(expand.getSrc(), groups);
}

/// `basePerm`, when given, receives for a base read through a permutation
/// (a transpose fused with the repeat) the base's dim of each dim of the
/// [B, Hkv, L, D] order; it stays empty for the identity.
static std::optional<std::pair<Value, int64_t>>
matchRepeatedHeads(Value value, bool rank3,
                   SmallVectorImpl<int64_t> *basePerm = nullptr) {
  auto collapse = value.getDefiningOp<tensor::CollapseShapeOp>();
  if (collapse && collapse.getSrcType().getRank() > 5)
    return matchTiledHeads(collapse, rank3);
  if (!collapse || collapse.getSrcType().getRank() != 5)
    return std::nullopt;
  SmallVector<ReassociationIndices> expected =
      rank3 ? SmallVector<ReassociationIndices>{{0, 1, 2}, {3}, {4}}
            : SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}};
  if (collapse.getReassociationIndices() != expected)
    return std::nullopt;
  Value src = collapse.getSrc();
  int64_t groups = collapse.getSrcType().getDimSize(2);
  if (auto bcast = src.getDefiningOp<linalg::BroadcastOp>()) {
    if (bcast.getDimensions() == ArrayRef<int64_t>{2})
      return std::make_pair(bcast.getInput(), groups);
    return std::nullopt;
  }
  auto gen = src.getDefiningOp<linalg::GenericOp>();
  if (!gen || !isElementwise(gen) || gen.getNumDpsInputs() != 1)
    return std::nullopt;
  MLIRContext *ctx = gen.getContext();
  AffineMap expectedMap =
      AffineMap::get(5, 0,
                     {getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx),
                      getAffineDimExpr(3, ctx), getAffineDimExpr(4, ctx)},
                     ctx);
  auto yield = cast<linalg::YieldOp>(gen.getBlock()->getTerminator());
  if (yield.getValues()[0] != gen.getBlock()->getArgument(0))
    return std::nullopt;
  AffineMap map = gen.getIndexingMapsArray()[0];
  if (map != expectedMap) {
    std::optional<SmallVector<int64_t>> perm =
        readPermutation(map, expectedMap.getResults());
    if (!perm || !basePerm)
      return std::nullopt;
    basePerm->assign(perm->begin(), perm->end());
  }
  return std::make_pair(gen.getInputs()[0], groups);
}

/// Resolves the `rank`-d operand `value` of a contraction into a plan giving
/// it as [B, H, L, D] (transposed on its last two dims when
/// `transposeLast2`). `chainRank` is the rank of the scores; `lead` are B, H.
static OperandPlan resolveOperand(Value value, int64_t chainRank,
                                  bool transposeLast2, ArrayRef<int64_t> lead,
                                  ArrayRef<int64_t> readPerm = {}) {
  OperandPlan plan;
  auto peelScales = [&] {
    while (value.hasOneUse()) {
      auto s = matchScaleGeneric(value);
      if (!s)
        break;
      plan.scale *= s->second;
      value = s->first;
    }
  };
  peelScales();
  // Read through a permutation (a transpose fused into the contraction),
  // the transposes before it compose with it.
  int64_t rank = cast<RankedTensorType>(value.getType()).getRank();
  if (readPerm.empty() && chainRank == 4 && rank == 3) {
    auto collapse = value.getDefiningOp<tensor::CollapseShapeOp>();
    if (collapse && collapse.getSrcType().getRank() == 4 &&
        collapse.getReassociationIndices() ==
            SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}}) {
      value = collapse.getSrc();
      rank = 4;
    } else if (auto rep = matchRepeatedHeads(value, /*rank3=*/true)) {
      plan.base = rep->first;
      plan.groups = rep->second;
      plan.ungrouped = value;
      plan.splitB = lead[0];
      plan.perm = transposeLast2 ? SmallVector<int64_t>{0, 1, 3, 2}
                                 : SmallVector<int64_t>{0, 1, 2, 3};
      return plan;
    } else {
      plan.splitB = lead[0];
    }
  }
  SmallVector<int64_t> acc = readPerm.empty()
                                 ? llvm::to_vector(llvm::seq<int64_t>(0, rank))
                                 : SmallVector<int64_t>(readPerm);
  if (transposeLast2)
    std::swap(acc[rank - 2], acc[rank - 1]);
  while (true) {
    peelScales();
    auto transpose = value.getDefiningOp<linalg::TransposeOp>();
    if (!transpose)
      break;
    ArrayRef<int64_t> p = transpose.getPermutation();
    for (int64_t &a : acc)
      a = p[a];
    value = transpose.getInput();
  }
  plan.perm = acc;
  plan.base = value;
  if (rank == 4 && acc[0] == 0 && acc[1] == 1) {
    SmallVector<int64_t> basePerm;
    if (auto rep = matchRepeatedHeads(value, /*rank3=*/false, &basePerm)) {
      plan.ungrouped = value;
      plan.base = rep->first;
      plan.groups = rep->second;
      // The base read through a permutation: compose it.
      if (!basePerm.empty())
        for (int64_t a : plan.perm)
          plan.groupedPerm.push_back(basePerm[a]);
    }
  }
  return plan;
}

/// Matches a contraction linalg op (named or generic) whose body is
/// acc + (lhs · rhs · constants) and whose init is zero.
/// True if `op` has the structure of a contraction: two tensor inputs, one
/// init, one reduction loop and 2 to 4 parallel loops.
static bool isContractionShaped(linalg::LinalgOp op) {
  return op && op.getNumDpsInputs() == 2 && op.getNumDpsInits() == 1 &&
         op.hasPureTensorSemantics() && op->getNumResults() == 1 &&
         op.getNumReductionLoops() == 1 &&
         op.getNumLoops() == op.getNumParallelLoops() + 1 &&
         op.getNumLoops() >= 3 && op.getNumLoops() <= 5;
}

/// Matches a contraction-shaped op (named or generic) whose body is
/// acc + (lhs · rhs · constants) and whose init is zero; reports why not.
static FailureOr<Contraction>
matchContraction(RewriterBase &rewriter, linalg::LinalgOp op, StringRef what) {
  unsigned numLoops = op.getNumLoops();
  unsigned rank = numLoops - 1;
  auto refuseMaps = [&] {
    return rewriter.notifyMatchFailure(op, [&](Diagnostic &diag) {
      diag << "not raised: the indexing maps of the " << what
           << " contraction are not those of a batched matrix product";
    });
  };
  SmallVector<utils::IteratorType> iters = op.getIteratorTypesArray();
  unsigned red =
      llvm::find(iters, utils::IteratorType::reduction) - iters.begin();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  AffineMap outMap = maps[2];
  if (outMap.getNumResults() != rank || !outMap.isProjectedPermutation())
    return refuseMaps();
  MLIRContext *ctx = op->getContext();
  SmallVector<AffineExpr> out = llvm::to_vector(outMap.getResults());
  AffineExpr r = getAffineDimExpr(red, ctx);
  SmallVector<AffineExpr> lhsExpected(out.begin(), out.end() - 1);
  lhsExpected.push_back(r);
  // A permuted read, or none (empty) for the identity.
  auto readPerm =
      [](AffineMap map,
         ArrayRef<AffineExpr> expected) -> std::optional<SmallVector<int64_t>> {
    if (map.getResults() == expected)
      return SmallVector<int64_t>();
    return readPermutation(map, expected);
  };
  std::optional<SmallVector<int64_t>> lhsPerm = readPerm(maps[0], lhsExpected);
  if (!lhsPerm)
    return refuseMaps();
  SmallVector<AffineExpr> rhsColRed(out.begin(), out.end() - 2);
  rhsColRed.push_back(out.back());
  rhsColRed.push_back(r);
  SmallVector<AffineExpr> rhsRedCol(out.begin(), out.end() - 2);
  rhsRedCol.push_back(r);
  rhsRedCol.push_back(out.back());
  Contraction c;
  c.op = op;
  c.lhs = op.getDpsInputOperand(0)->get();
  c.rhs = op.getDpsInputOperand(1)->get();
  c.lhsPerm = *lhsPerm;
  if (maps[1].getResults() == ArrayRef<AffineExpr>(rhsRedCol)) {
    c.rhsRowsAreReduced = true;
  } else if (std::optional<SmallVector<int64_t>> rhsPerm =
                 readPerm(maps[1], rhsColRed)) {
    c.rhsPerm = *rhsPerm;
  } else {
    return refuseMaps();
  }
  // Body: yield acc + product, product a tree of mulf over a, b (possibly
  // extended) and constants.
  Block *body = op.getBlock();
  auto refuseBody = [&] {
    return rewriter.notifyMatchFailure(op, [&](Diagnostic &diag) {
      diag << "not raised: the body of the " << what
           << " contraction is not a sum of products";
    });
  };
  auto yield = dyn_cast<linalg::YieldOp>(body->getTerminator());
  if (!yield || yield.getValues().size() != 1)
    return refuseBody();
  auto add = yield.getValues()[0].getDefiningOp<arith::AddFOp>();
  if (!add)
    return refuseBody();
  Value acc = body->getArgument(2), prod;
  if (add.getLhs() == acc)
    prod = add.getRhs();
  else if (add.getRhs() == acc)
    prod = add.getLhs();
  else
    return refuseBody();
  bool sawA = false, sawB = false;
  SmallVector<Value> work{prod};
  while (!work.empty()) {
    Value x = work.pop_back_val();
    if (auto ext = x.getDefiningOp<arith::ExtFOp>())
      x = ext.getIn();
    if (x == body->getArgument(0) && !sawA) {
      sawA = true;
      continue;
    }
    if (x == body->getArgument(1) && !sawB) {
      sawB = true;
      continue;
    }
    if (auto mul = x.getDefiningOp<arith::MulFOp>();
        mul && mul->getBlock() == body) {
      work.push_back(mul.getLhs());
      work.push_back(mul.getRhs());
      continue;
    }
    if (auto cst = getConstantFloat(x)) {
      c.scale *= *cst;
      continue;
    }
    return rewriter.notifyMatchFailure(op, [&](Diagnostic &diag) {
      diag << "not raised: the " << what
           << " contraction multiplies by a value that is not a constant";
    });
  }
  if (!sawA || !sawB)
    return refuseBody();
  if (!isZeroInit(op.getDpsInitOperand(0)->get()))
    return rewriter.notifyMatchFailure(op, [&](Diagnostic &diag) {
      diag << "not raised: the " << what
           << " contraction accumulates into a non-zero initial value";
    });
  return c;
}

/// Matches a row reduction (over the key axis, the last loop) producing the
/// row statistic `stat` (rank R-1, or rank R with a trailing unit dim, maybe
/// via tensor.expand_shape). `isMax` selects max (init −∞) or sum (init 0).
/// Returns the reduced input. `silent` failures return failure() without a
/// reason; refusals are reported.
/// True if a row maximum (sum) may start from `init`: −∞ (0), or for the
/// maximum the lowest finite f32, which tosa-to-linalg uses and which gives
/// the same maximum for every row with a score above it (a row of −∞
/// scores gives NaN probabilities either way).
static bool isReductionStart(double init, bool isMax) {
  if (!isMax)
    return init == 0.0;
  return init == -std::numeric_limits<double>::infinity() ||
         init == static_cast<double>(std::numeric_limits<float>::lowest()) ||
         init == -65504.0 /* f16 */ || init == -0x1.fep127 /* bf16 */;
}

/// Checks the body (in, acc) and the init of a row reduction: max(in, acc)
/// from −∞ (or the lowest float) for `isMax`, in + acc from 0 otherwise.
/// Returns why not.
static std::optional<std::string>
checkRowReduction(Block &body, Value init, bool isMax, StringRef what) {
  Value y = cast<linalg::YieldOp>(body.getTerminator()).getValues()[0];
  Operation *def = y.getDefiningOp();
  Value in = body.getArgument(0), acc = body.getArgument(1);
  bool ok = def && def->getNumOperands() == 2 &&
            ((def->getOperand(0) == in && def->getOperand(1) == acc) ||
             (def->getOperand(0) == acc && def->getOperand(1) == in));
  ok = ok && (isMax ? isa<arith::MaximumFOp, arith::MaxNumFOp>(def)
                    : isa<arith::AddFOp>(def));
  if (!ok)
    return (Twine("the ") + what + " reduction body is not " +
            (isMax ? "a maximum" : "a sum"))
        .str();
  std::optional<double> start = getSplatFloat(init);
  if (!start || !isReductionStart(*start, isMax))
    return (Twine("the ") + what + " does not start from " +
            (isMax ? "-inf" : "0"))
        .str();
  return std::nullopt;
}

static FailureOr<Value> matchRowReduction(RewriterBase &rewriter, Value stat,
                                          int64_t rank, bool isMax,
                                          Chain &chain) {
  StringRef what = isMax ? "row maximum" : "row sum";
  if (auto expand = stat.getDefiningOp<tensor::ExpandShapeOp>()) {
    if (expand.getSrcType().getRank() != rank - 1 ||
        expand.getResultType().getDimSize(rank - 1) != 1)
      return rewriter.notifyMatchFailure(expand, [&](Diagnostic &diag) {
        diag << "not raised: the " << what << " is reshaped unexpectedly";
      });
    chain.ops.push_back({expand, what});
    stat = expand.getSrc();
  }
  // linalg.reduce over the key axis (what tosa-to-linalg writes).
  if (auto reduce = stat.getDefiningOp<linalg::ReduceOp>()) {
    auto refuseReduce = [&](const Twine &msg) {
      return rewriter.notifyMatchFailure(
          reduce, [&](Diagnostic &diag) { diag << "not raised: " << msg; });
    };
    if (reduce.getInputs().size() != 1 ||
        cast<ShapedType>(reduce.getInputs()[0].getType()).getRank() != rank)
      return refuseReduce(Twine("the ") + what + " is not a row reduction");
    if (reduce.getDimensions() != ArrayRef<int64_t>{rank - 1})
      return refuseReduce(Twine("the ") + what +
                          " does not reduce the key axis");
    if (std::optional<std::string> why = checkRowReduction(
            reduce.getCombiner().front(), reduce.getInits()[0], isMax, what))
      return refuseReduce(*why);
    chain.ops.push_back({reduce, what});
    return reduce.getInputs()[0];
  }
  auto op = stat.getDefiningOp<linalg::GenericOp>();
  Operation *blame = op ? op.getOperation() : stat.getDefiningOp();
  auto refuse = [&](const Twine &msg) {
    return rewriter.notifyMatchFailure(
        blame ? blame->getLoc() : stat.getLoc(),
        [&](Diagnostic &diag) { diag << "not raised: " << msg; });
  };
  // The reduction may carry a unit dimension before the key axis, its input
  // expanded to [..., Lq, 1, Lk] (reshapes propagated into it, as
  // linalg-fuse-elementwise-ops does with torch's keepdim statistics).
  tensor::ExpandShapeOp unitExpand;
  if (op && op.getNumLoops() == rank + 1 && op.getNumDpsInputs() == 1) {
    auto expand = op.getInputs()[0].getDefiningOp<tensor::ExpandShapeOp>();
    SmallVector<ReassociationIndices> unitBeforeKeys;
    for (int64_t d = 0; d < rank - 1; ++d)
      unitBeforeKeys.push_back({d});
    unitBeforeKeys.back().push_back(rank - 1);
    unitBeforeKeys.push_back({rank});
    if (expand && expand.getSrcType().getRank() == rank &&
        expand.getResultType().getDimSize(rank - 1) == 1 &&
        expand.getReassociationIndices() == unitBeforeKeys)
      unitExpand = expand;
  }
  int64_t loops = unitExpand ? rank + 1 : rank;
  if (!op || op.getNumDpsInputs() != 1 || op.getNumReductionLoops() != 1 ||
      op.getNumLoops() != loops)
    return refuse(Twine("the ") + what + " is not a row reduction");
  SmallVector<utils::IteratorType> iters = op.getIteratorTypesArray();
  int64_t red =
      llvm::find(iters, utils::IteratorType::reduction) - iters.begin();
  if (red != loops - 1)
    return refuse(Twine("the ") + what + " reduces dimension " + Twine(red) +
                  ", not the key axis (dimension " + Twine(loops - 1) + ")");
  unsigned resultNo = cast<OpResult>(stat).getResultNumber();
  if (resultNo != 0)
    return refuse(Twine("the ") + what + " is not the first result");
  for (OpResult other : op->getResults().drop_front())
    if (!other.use_empty())
      return refuse(Twine("the ") + what +
                    " reduction has another result with users");
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  bool rowWise = unitExpand
                     ? isIdentity(maps[0], loops) &&
                           maps[1] == AffineMap::getMultiDimIdentityMap(
                                          loops, op.getContext())
                                          .getMajorSubMap(rank)
                     : isIdentity(maps[0], rank) && isRowStatMap(maps[1], rank);
  if (!rowWise)
    return refuse(Twine("the ") + what + " does not read the scores row-wise");
  if (std::optional<std::string> why = checkRowReduction(
          *op.getBlock(), op.getDpsInitOperand(0)->get(), isMax, what))
    return refuse(*why);
  chain.ops.push_back({op, what});
  if (unitExpand) {
    chain.ops.push_back({unitExpand, what});
    return unitExpand.getSrc();
  }
  return op.getInputs()[0];
}

/// True if `tensor` is a splat of `true`: a constant, a linalg.fill or a
/// fill written as a linalg.generic.
static bool isTrueSplat(Value tensor) {
  auto isTrue = [](Value v) {
    std::optional<int64_t> c = getConstantIntValue(v);
    return c && *c != 0;
  };
  if (auto cst = tensor.getDefiningOp<arith::ConstantOp>())
    if (auto dense = dyn_cast<DenseIntElementsAttr>(cst.getValue()))
      return dense.isSplat() && !dense.getSplatValue<APInt>().isZero();
  if (auto fill = tensor.getDefiningOp<linalg::FillOp>())
    return isTrue(fill.getInputs()[0]);
  if (auto gen = tensor.getDefiningOp<linalg::GenericOp>()) {
    if (gen.getNumLoops() != gen.getNumParallelLoops() ||
        gen->getNumResults() != 1)
      return false;
    Value y =
        cast<linalg::YieldOp>(gen.getBlock()->getTerminator()).getValues()[0];
    if (auto idx = getBodyArgIndex(gen, y))
      return *idx < gen.getNumDpsInputs() &&
             !isa<ShapedType>(gen.getInputs()[*idx].getType()) &&
             isTrue(gen.getInputs()[*idx]);
    return isTrue(y);
  }
  return false;
}

/// True if `v` is `x == −∞` (x possibly extended) for the body value `x`.
static bool isNegInfTest(Value v, Value x) {
  auto cmp = v.getDefiningOp<arith::CmpFOp>();
  if (!cmp || cmp.getPredicate() != arith::CmpFPredicate::OEQ)
    return false;
  Value lhs = cmp.getLhs();
  if (auto ext = lhs.getDefiningOp<arith::ExtFOp>())
    lhs = ext.getIn();
  std::optional<double> inf = getConstantFloat(cmp.getRhs());
  return lhs == x && inf && *inf == -std::numeric_limits<double>::infinity();
}

/// Matches an elementwise step computing (x == −∞) as an i1 tensor: the
/// comparison with a −∞ constant or splat operand, x maybe extended, and
/// maybe extended by a step of its own (as tosa-to-linalg writes it).
/// Returns x; records the steps in `chain`.
static std::optional<Value> matchNegInfTensor(Value tensor, int64_t rank,
                                              Chain &chain) {
  auto isInf = tensor.getDefiningOp<linalg::GenericOp>();
  if (!isInf || !isElementwise(isInf) || isInf->getNumResults() != 1)
    return std::nullopt;
  auto cmp = cast<linalg::YieldOp>(isInf.getBlock()->getTerminator())
                 .getValues()[0]
                 .getDefiningOp<arith::CmpFOp>();
  if (!cmp || cmp.getPredicate() != arith::CmpFPredicate::OEQ)
    return std::nullopt;
  auto isNegInf = [&](Value v) {
    std::optional<double> c = getConstantFloat(v);
    if (auto idx = getBodyArgIndex(isInf, v);
        idx && *idx < isInf.getNumDpsInputs())
      c = getSplatFloat(isInf.getInputs()[*idx]);
    return c && *c == -std::numeric_limits<double>::infinity();
  };
  Value x = isNegInf(cmp.getRhs()) ? cmp.getLhs() : cmp.getRhs();
  if (!isNegInf(cmp.getRhs()) && !isNegInf(cmp.getLhs()))
    return std::nullopt;
  if (auto ext = x.getDefiningOp<arith::ExtFOp>())
    x = ext.getIn();
  auto idx = getBodyArgIndex(isInf, x);
  if (!idx || *idx >= isInf.getNumDpsInputs() ||
      !isIdentity(isInf.getIndexingMapsArray()[*idx], rank))
    return std::nullopt;
  chain.ops.push_back({isInf, "fully-masked-row test"});
  Value scores = isInf.getInputs()[*idx];
  // A widening of its own: extf of the scores, element by element.
  if (auto ext = scores.getDefiningOp<linalg::GenericOp>();
      ext && isElementwise(ext) && ext.getNumDpsInputs() == 1 &&
      isIdentity(ext.getIndexingMapsArray()[0], rank)) {
    auto extf = cast<linalg::YieldOp>(ext.getBlock()->getTerminator())
                    .getValues()[0]
                    .getDefiningOp<arith::ExtFOp>();
    if (extf && extf.getIn() == ext.getBlock()->getArgument(0)) {
      chain.ops.push_back({ext, "fully-masked-row test"});
      scores = ext.getInputs()[0];
    }
  }
  return scores;
}

/// Matches torch's "all keys of the row are −∞" test `cond`: an
/// and-reduction over the key axis of (x == −∞) — a linalg.generic or a
/// linalg.reduce (then maybe expanded to a trailing unit dim), the
/// comparison in the reduction's body or in elementwise steps before it.
/// Returns x.
static std::optional<Value> matchAllMaskedTest(Value cond, int64_t rank,
                                               Chain &chain) {
  size_t numOps = chain.ops.size();
  auto fail = [&]() -> std::optional<Value> {
    chain.ops.resize(numOps);
    return std::nullopt;
  };
  if (auto expand = cond.getDefiningOp<tensor::ExpandShapeOp>()) {
    if (expand.getSrcType().getRank() != rank - 1 ||
        expand.getResultType().getRank() != rank ||
        expand.getResultType().getDimSize(rank - 1) != 1)
      return fail();
    chain.ops.push_back({expand, "fully-masked-row test"});
    cond = expand.getSrc();
  }
  auto isAnd = [](Block &body, Value in, Value acc) -> Value {
    auto andi = cast<linalg::YieldOp>(body.getTerminator())
                    .getValues()[0]
                    .getDefiningOp<arith::AndIOp>();
    if (!andi)
      return {};
    if (andi.getLhs() == acc)
      return andi.getRhs();
    if (andi.getRhs() == acc)
      return andi.getLhs();
    return {};
  };
  if (auto reduce = cond.getDefiningOp<linalg::ReduceOp>()) {
    if (reduce.getInputs().size() != 1 ||
        reduce.getDimensions() != ArrayRef<int64_t>{rank - 1} ||
        !isTrueSplat(reduce.getInits()[0]))
      return fail();
    Block &body = reduce.getCombiner().front();
    if (isAnd(body, body.getArgument(0), body.getArgument(1)) !=
        body.getArgument(0))
      return fail();
    chain.ops.push_back({reduce, "fully-masked-row test"});
    if (std::optional<Value> x =
            matchNegInfTensor(reduce.getInputs()[0], rank, chain))
      return x;
    return fail();
  }
  auto all = cond.getDefiningOp<linalg::GenericOp>();
  if (!all || all.getNumDpsInputs() != 1 || all.getNumLoops() != rank ||
      all.getNumReductionLoops() != 1 || all->getNumResults() != 1 ||
      all.getIteratorTypesArray().back() != utils::IteratorType::reduction ||
      !isIdentity(all.getIndexingMapsArray()[0], rank) ||
      !isTrueSplat(all.getDpsInitOperand(0)->get()))
    return fail();
  Block *body = all.getBlock();
  Value test = isAnd(*body, body->getArgument(0), body->getArgument(1));
  if (!test)
    return fail();
  chain.ops.push_back({all, "fully-masked-row test"});
  if (isNegInfTest(test, body->getArgument(0)))
    return all.getInputs()[0];
  if (test != body->getArgument(0))
    return fail();
  if (std::optional<Value> x =
          matchNegInfTensor(all.getInputs()[0], rank, chain))
    return x;
  return fail();
}

/// Matches torch's "a row whose scores are all −∞ gives 0" wrapper
/// select(all_j(x == −∞), 0, p) at the body value `y` of `gen`. Returns the
/// body value p and x.
static std::optional<std::pair<Value, Value>>
matchWrapperSelect(linalg::GenericOp gen, Value y, int64_t rank, Chain &chain) {
  auto select = y.getDefiningOp<arith::SelectOp>();
  if (!select || select->getBlock() != gen.getBlock())
    return std::nullopt;
  auto c = getBodyArgIndex(gen, select.getCondition());
  if (!c || *c >= gen.getNumDpsInputs() ||
      !isRowStatMap(gen.getIndexingMapsArray()[*c], rank))
    return std::nullopt;
  std::optional<double> zero = getConstantFloat(select.getTrueValue());
  if (auto z = getBodyArgIndex(gen, select.getTrueValue());
      z && *z < gen.getNumDpsInputs())
    zero = getSplatFloat(gen.getInputs()[*z]);
  if (!zero || *zero != 0.0)
    return std::nullopt;
  std::optional<Value> x = matchAllMaskedTest(gen.getInputs()[*c], rank, chain);
  if (!x)
    return std::nullopt;
  return std::make_pair(select.getFalseValue(), *x);
}

/// Matches the wrapper as an elementwise step of its own around the
/// probabilities. Returns (p, x).
static std::optional<std::pair<Value, Value>>
matchMaskedRowWrapper(Value value, int64_t rank, Chain &chain) {
  auto sel = value.getDefiningOp<linalg::GenericOp>();
  if (!sel || !isElementwise(sel))
    return std::nullopt;
  Value y =
      cast<linalg::YieldOp>(sel.getBlock()->getTerminator()).getValues()[0];
  auto select = y.getDefiningOp<arith::SelectOp>();
  auto p = select ? getBodyArgIndex(sel, select.getFalseValue())
                  : std::optional<unsigned>();
  if (!p || *p >= sel.getNumDpsInputs() ||
      !isIdentity(sel.getIndexingMapsArray()[*p], rank))
    return std::nullopt;
  size_t numOps = chain.ops.size();
  auto wrapped = matchWrapperSelect(sel, y, rank, chain);
  if (!wrapped)
    return std::nullopt;
  chain.ops.insert(chain.ops.begin() + numOps, {sel, "probabilities"});
  return std::make_pair(sel.getInputs()[*p], wrapped->second);
}

/// Matches the NaN guard that torch's ONNX export puts after a softmax,
/// select(isnan(p), 0, p): it turns the NaN rows of fully masked scores
/// into 0, which is what attn.sdpa gives them. Returns p; records the guard.
static std::optional<Value> matchNanGuard(Value value, int64_t rank,
                                          Chain &chain) {
  auto sel = value.getDefiningOp<linalg::GenericOp>();
  if (!sel || !isElementwise(sel) || sel->getNumResults() != 1)
    return std::nullopt;
  auto select = cast<linalg::YieldOp>(sel.getBlock()->getTerminator())
                    .getValues()[0]
                    .getDefiningOp<arith::SelectOp>();
  if (!select)
    return std::nullopt;
  SmallVector<AffineMap> maps = sel.getIndexingMapsArray();
  auto input = [&](Value v) -> Value {
    auto idx = getBodyArgIndex(sel, v);
    if (!idx || *idx >= sel.getNumDpsInputs() || !isIdentity(maps[*idx], rank))
      return {};
    return sel.getInputs()[*idx];
  };
  std::optional<double> zero = getConstantFloat(select.getTrueValue());
  if (auto z = getBodyArgIndex(sel, select.getTrueValue());
      z && *z < sel.getNumDpsInputs())
    zero = getSplatFloat(sel.getInputs()[*z]);
  Value p = input(select.getFalseValue());
  Value isNan = input(select.getCondition());
  if (!zero || *zero != 0.0 || !p || !isNan)
    return std::nullopt;
  // isnan(p): p != p (une), or unordered(p, p), element by element.
  auto test = isNan.getDefiningOp<linalg::GenericOp>();
  if (!test || !isElementwise(test))
    return std::nullopt;
  auto cmp = cast<linalg::YieldOp>(test.getBlock()->getTerminator())
                 .getValues()[0]
                 .getDefiningOp<arith::CmpFOp>();
  if (!cmp || (cmp.getPredicate() != arith::CmpFPredicate::UNE &&
               cmp.getPredicate() != arith::CmpFPredicate::UNO))
    return std::nullopt;
  SmallVector<AffineMap> testMaps = test.getIndexingMapsArray();
  for (Value operand : {cmp.getLhs(), cmp.getRhs()}) {
    auto idx = getBodyArgIndex(test, operand);
    if (!idx || *idx >= test.getNumDpsInputs() ||
        !isIdentity(testMaps[*idx], rank) || test.getInputs()[*idx] != p)
      return std::nullopt;
  }
  chain.ops.push_back({sel, "probabilities"});
  chain.ops.push_back({test, "probabilities"});
  return p;
}

/// The input of an elementwise step that only rounds its operand to a
/// narrower float type (`arith.truncf`), if `value` is one.
static std::optional<Value> matchRoundingStep(Value value) {
  auto gen = value.getDefiningOp<linalg::GenericOp>();
  if (!gen || !isElementwise(gen) || gen.getNumDpsInputs() != 1 ||
      gen->getNumResults() != 1 ||
      !isIdentity(gen.getIndexingMapsArray()[0], gen.getNumLoops()))
    return std::nullopt;
  auto trunc = cast<linalg::YieldOp>(gen.getBlock()->getTerminator())
                   .getValues()[0]
                   .getDefiningOp<arith::TruncFOp>();
  if (!trunc || trunc.getIn() != gen.getBlock()->getArgument(0))
    return std::nullopt;
  return gen.getInputs()[0];
}

/// Matches the softmax producing `probs` (rank `rank`, key axis last) and
/// returns its input. Fails silently (no reason) when `probs` does not come
/// from anything softmax-like: then the contraction is not a P·V candidate.
static FailureOr<Value> matchSoftmax(RewriterBase &rewriter, Value probs,
                                     int64_t rank, Chain &chain,
                                     bool &candidate) {
  candidate = false;
  if (std::optional<Value> guarded = matchNanGuard(probs, rank, chain))
    probs = *guarded;
  // Probabilities rounded to bf16/f16 for a low-precision P·V.
  if (std::optional<Value> unrounded = matchRoundingStep(probs)) {
    chain.ops.push_back({probs.getDefiningOp(), "rounded probabilities"});
    probs = *unrounded;
  }
  if (auto softmax = probs.getDefiningOp<linalg::SoftmaxOp>()) {
    candidate = true;
    if (softmax.getDimension() != static_cast<uint64_t>(rank - 1))
      return rewriter.notifyMatchFailure(softmax, [&](Diagnostic &diag) {
        diag << "not raised: linalg.softmax normalises dimension "
             << softmax.getDimension() << ", not the key axis (dimension "
             << rank - 1 << ")";
      });
    chain.ops.push_back({softmax, "probabilities"});
    return softmax.getInput();
  }
  Value rowTestInput;
  if (auto wrapped = matchMaskedRowWrapper(probs, rank, chain)) {
    probs = wrapped->first;
    rowTestInput = wrapped->second;
  }
  // p = e / z, e * (1 / z) or e * r with r = 1 / z computed separately,
  // maybe with the wrapper in the same body.
  auto norm = probs.getDefiningOp<linalg::GenericOp>();
  if (!norm || !isElementwise(norm) || norm.getNumDpsInputs() < 2 ||
      norm.getNumDpsInputs() > 3)
    return failure();
  Block *body = norm.getBlock();
  Value y = cast<linalg::YieldOp>(body->getTerminator()).getValues()[0];
  if (!rowTestInput)
    if (auto wrapped = matchWrapperSelect(norm, y, rank, chain)) {
      y = wrapped->first;
      rowTestInput = wrapped->second;
    }
  std::optional<unsigned> eArg, zArg;
  bool reciprocalTensor = false;
  if (auto div = y.getDefiningOp<arith::DivFOp>()) {
    eArg = getBodyArgIndex(norm, div.getLhs());
    zArg = getBodyArgIndex(norm, div.getRhs());
  } else if (auto mul = y.getDefiningOp<arith::MulFOp>()) {
    for (auto [a, b] : {std::make_pair(mul.getLhs(), mul.getRhs()),
                        std::make_pair(mul.getRhs(), mul.getLhs())}) {
      auto aIdx = getBodyArgIndex(norm, a);
      if (!aIdx || !isIdentity(norm.getIndexingMapsArray()[*aIdx], rank))
        continue;
      if (auto recip = b.getDefiningOp<arith::DivFOp>()) {
        std::optional<double> one = getConstantFloat(recip.getLhs());
        if (one && *one == 1.0) {
          eArg = aIdx;
          zArg = getBodyArgIndex(norm, recip.getRhs());
          break;
        }
      } else if (auto bIdx = getBodyArgIndex(norm, b)) {
        eArg = aIdx;
        zArg = bIdx;
        reciprocalTensor = true;
        break;
      }
    }
  }
  if (!eArg || !zArg || *eArg == *zArg)
    return failure();
  SmallVector<AffineMap> maps = norm.getIndexingMapsArray();
  if (!isIdentity(maps[*eArg], rank) || !isRowStatMap(maps[*zArg], rank))
    return failure();
  Value e = norm.getInputs()[*eArg];
  auto exp = e.getDefiningOp<linalg::GenericOp>();
  if (!exp || !isElementwise(exp))
    return failure();
  Value expY =
      cast<linalg::YieldOp>(exp.getBlock()->getTerminator()).getValues()[0];
  auto expOp = expY.getDefiningOp<math::ExpOp>();
  if (!expOp)
    return failure();
  // From here on this is a softmax candidate: refusals are reported.
  candidate = true;
  chain.ops.push_back({norm, "probabilities"});
  Value z = norm.getInputs()[*zArg];
  if (reciprocalTensor) {
    auto recip = z.getDefiningOp<linalg::GenericOp>();
    std::optional<double> one;
    if (recip && isElementwise(recip) && recip.getNumDpsInputs() == 1)
      if (auto div = cast<linalg::YieldOp>(recip.getBlock()->getTerminator())
                         .getValues()[0]
                         .getDefiningOp<arith::DivFOp>())
        if (div.getRhs() == recip.getBlock()->getArgument(0))
          one = getConstantFloat(div.getLhs());
    if (!one || *one != 1.0)
      return rewriter.notifyMatchFailure(norm, "not raised: the softmax "
                                               "normaliser is not 1 / row sum");
    chain.ops.push_back({recip, "row sum"});
    z = recip.getInputs()[0];
  }
  FailureOr<Value> summed =
      matchRowReduction(rewriter, z, rank, /*isMax=*/false, chain);
  if (failed(summed))
    return failure();
  if (*summed != e)
    return rewriter.notifyMatchFailure(norm, "not raised: the softmax "
                                             "normaliser is not the row sum "
                                             "of its exponentials");
  chain.ops.push_back({exp, "exponentials"});
  // exp(x - m) in one body, or exp of a separate subtraction.
  Value x, m;
  bool mIsRowStat = false;
  auto matchSub = [&](linalg::GenericOp gen, Value subValue) {
    auto sub = subValue.getDefiningOp<arith::SubFOp>();
    if (!sub)
      return false;
    auto xIdx = getBodyArgIndex(gen, sub.getLhs());
    auto mIdx = getBodyArgIndex(gen, sub.getRhs());
    SmallVector<AffineMap> genMaps = gen.getIndexingMapsArray();
    if (!xIdx || !mIdx || !isIdentity(genMaps[*xIdx], rank) ||
        !genMaps[*mIdx].isProjectedPermutation(/*allowZeroInResults=*/true))
      return false;
    mIsRowStat = isRowStatMap(genMaps[*mIdx], rank);
    x = gen.getInputs()[*xIdx];
    m = gen.getInputs()[*mIdx];
    return true;
  };
  if (!matchSub(exp, expOp.getOperand())) {
    auto arg = getBodyArgIndex(exp, expOp.getOperand());
    auto subGen = arg ? exp.getInputs()[*arg].getDefiningOp<linalg::GenericOp>()
                      : linalg::GenericOp();
    if (!arg || !isIdentity(exp.getIndexingMapsArray()[*arg], rank) ||
        !subGen || !isElementwise(subGen) ||
        !matchSub(subGen,
                  cast<linalg::YieldOp>(subGen.getBlock()->getTerminator())
                      .getValues()[0]))
      return rewriter.notifyMatchFailure(exp, "not raised: the exponential "
                                              "is not exp(x - row max of x)");
    chain.ops.push_back({subGen, "exponentials"});
  }
  FailureOr<Value> maxed =
      matchRowReduction(rewriter, m, rank, /*isMax=*/true, chain);
  if (failed(maxed))
    return failure();
  if (!mIsRowStat)
    return rewriter.notifyMatchFailure(exp, "not raised: the subtracted "
                                            "maximum is not broadcast along "
                                            "the key axis");
  if (*maxed != x)
    return rewriter.notifyMatchFailure(exp, "not raised: the subtracted row "
                                            "maximum is not that of the "
                                            "exponentiated scores");
  if (rowTestInput && rowTestInput != x)
    return rewriter.notifyMatchFailure(probs.getLoc(),
                                       "not raised: the fully-masked-row test "
                                       "reads other scores than the softmax");
  return x;
}

//===----------------------------------------------------------------------===//
// The score function
//===----------------------------------------------------------------------===//
//
// Between the Q·Kᵀ scores and the softmax, frontends apply an elementwise
// function of the score and of its indices, spelled as one or several
// elementwise linalg.generic ops (fused or not). The matcher composes their
// bodies into one scalar function f(s, b, h, i, j) and decomposes it, from
// the outside in, into what attn.sdpa names:
//
//   f = visibility(add(core(s), bias...), ...)
//
// where the visibility terms are `select(c, x, -inf)` with a condition that
// does not depend on the score, and the biases are addends that do not
// either. Both become mask terms: a tensor operand read directly when the
// body reads it as is, or otherwise a tensor computed by a new
// linalg.generic from the body's own ops (e.g. an iota comparison fused into
// the scale), which the constant evaluator may then turn into a band. The
// core is then a scale (c·s), a soft-cap (m·tanh(a·s)), or any other pure
// scalar function of the score, the indices and constants, which becomes
// the `score_mod` region.

namespace {
/// The score function as the elementwise steps computing it: a DAG over the
/// scores' domain, each step reading the raw scores or other steps' results
/// element by element (steps[0] produces the softmax input). A scalar of it
/// is a Sym; the raw scores are the Sym (steps.size(), raw).
class ScoreFunction {
public:
  explicit ScoreFunction(int64_t rank) : rank(rank) {}

  /// Collects the elementwise steps from the softmax input `x` back to the
  /// first value that is not an elementwise step. Fails (with a reason) on a
  /// step that does not read the scores element by element.
  LogicalResult collect(RewriterBase &rewriter, Value x);

  unsigned numSteps() const { return steps.size(); }
  /// The collapse merging [B, Hkv, G] scores into the query heads, when
  /// steps before it are on grouped (5-D) scores.
  tensor::CollapseShapeOp getGroupCollapse() const { return groupCollapse; }
  bool isGroupedStep(unsigned step) const {
    return step < steps.size() && groupedSteps[step];
  }
  linalg::GenericOp step(unsigned i) const { return steps[i]; }
  Value rawScores() const { return raw; }
  Sym top() const {
    if (steps.empty())
      return {0, raw};
    return resolve({0, yielded(0)});
  }

  /// Follows block arguments that carry a step's result or the scores.
  Sym resolve(Sym s) const {
    while (true) {
      if (isScores(s))
        return s;
      auto arg = dyn_cast<BlockArgument>(s.value);
      linalg::GenericOp gen = steps[s.step];
      if (!arg || arg.getOwner() != gen.getBlock() ||
          arg.getArgNumber() >= gen.getNumDpsInputs() ||
          !isIdentity(gen.getIndexingMapsArray()[arg.getArgNumber()],
                      gen.getNumLoops()))
        return s;
      Value in = gen.getInputs()[arg.getArgNumber()];
      if (groupCollapse && in == groupCollapse.getResult())
        in = groupCollapse.getSrc();
      if (in == raw)
        return Sym{static_cast<unsigned>(steps.size()), raw};
      auto it = producerStep.find(in);
      if (it == producerStep.end())
        return s;
      s = Sym{it->second, yielded(it->second)};
    }
  }
  bool isScores(Sym s) const {
    return s.step == steps.size() && s.value == raw;
  }
  /// The input operand of the step that `s` is the block argument of.
  std::optional<unsigned> inputIndex(Sym s) const {
    if (s.step >= steps.size())
      return std::nullopt;
    auto arg = dyn_cast<BlockArgument>(s.value);
    if (!arg || arg.getOwner() != steps[s.step].getBlock() ||
        arg.getArgNumber() >= steps[s.step].getNumDpsInputs())
      return std::nullopt;
    return arg.getArgNumber();
  }
  /// True if `s` is a block argument of its step's init (output) operand.
  bool isInitArg(Sym s) const {
    if (s.step >= steps.size())
      return false;
    auto arg = dyn_cast<BlockArgument>(s.value);
    return arg && arg.getOwner() == steps[s.step].getBlock() &&
           arg.getArgNumber() >= steps[s.step].getNumDpsInputs();
  }
  /// The op of the step body that defines `s`, or null (block arguments,
  /// values from above).
  Operation *bodyOp(Sym s) const {
    if (s.step >= steps.size())
      return nullptr;
    Operation *def = s.value.getDefiningOp();
    return def && def->getBlock() == steps[s.step].getBlock() ? def : nullptr;
  }
  /// The float constant that `s` is: an arith.constant (through extf/truncf)
  /// or a splat tensor operand.
  std::optional<double> constant(Sym s) const {
    s = resolve(s);
    if (std::optional<double> c = getConstantFloat(s.value))
      return c;
    if (auto idx = inputIndex(s))
      return getSplatFloat(steps[s.step].getInputs()[*idx]);
    return std::nullopt;
  }
  Sym operand(Sym s, Value v) const { return resolve({s.step, v}); }

  bool dependsOnScores(Sym s);

  /// True if `s` is computed from the indices and constants only, by pure
  /// scalar ops of its step (no input, nothing from above).
  bool isIndexOnly(Sym s);

  /// The constant c with s = c · scores, if `s` is linear in the scores.
  std::optional<double> linearFactor(Sym s);

  /// Checks that `s` can be the body of a score_mod: the scores, indices,
  /// constants and pure scalar ops of the steps. On failure `why` says what
  /// stands in the way and `blame` the step.
  bool isScoreModExpr(Sym s, std::string &why, unsigned &blame);

  /// Emits `s` with `builder`, the scores and indices taken from `args`
  /// (score, b, h, i, j).
  Value emit(OpBuilder &builder, Location loc, Sym s, ValueRange args);

  /// Builds, detached, a linalg.generic over the scores' domain computing
  /// the score-free term `s` from the ops of its step's body, and records
  /// it (and its init) in `created`.
  /// Its domain is the dims the term reads (and the query and key dims);
  /// `termMap` maps the scores' loops to it.
  FailureOr<Value> materialize(Sym s, SmallVectorImpl<Operation *> &created,
                               std::string &why, bool &readsInputs,
                               AffineMap &termMap);

private:
  Value yielded(unsigned i) const {
    return cast<linalg::YieldOp>(steps[i].getBlock()->getTerminator())
        .getValues()[0];
  }
  static std::pair<unsigned, void *> key(Sym s) {
    return {s.step, s.value.getAsOpaquePointer()};
  }

  int64_t rank;
  Value raw;
  // Op handles: mutable so that const queries can call their accessors.
  mutable SmallVector<linalg::GenericOp> steps; // the last applied first
  DenseMap<Value, unsigned> producerStep;       // a step's result → step
  SmallVector<bool> groupedSteps;               // per step: on 5-D scores
  mutable tensor::CollapseShapeOp groupCollapse;
  DenseMap<std::pair<unsigned, void *>, bool> dependsMemo;
  DenseMap<std::pair<unsigned, void *>, Value> emitted;
};
} // namespace

/// Builds, detached, a linalg.generic computing the body value `x` of the
/// generic `op` from the ops of its body and the inputs they read, over the
/// loops of `op` that `x` depends on and `keepDims`, in loop order. `dims`
/// receives those loops; `readsOutside` whether `x` reads anything but
/// indices and constants (an input, or a value from above). Fails with
/// `why` when `x` reads the init, goes through an op with effects or
/// regions, or has a dynamic shape.
static FailureOr<linalg::GenericOp>
buildBodyValue(linalg::GenericOp op, Value x, ArrayRef<int64_t> keepDims,
               SmallVectorImpl<int64_t> &dims, bool &readsOutside,
               std::string &why) {
  Block *body = op.getBlock();
  llvm::SetVector<Operation *> slice;
  SmallVector<unsigned> inputs;
  readsOutside = false;
  SmallVector<Value> worklist{x};
  while (!worklist.empty()) {
    Value w = worklist.pop_back_val();
    if (auto idx = getBodyArgIndex(op, w)) {
      if (*idx >= op.getNumDpsInputs()) {
        why = "a value computed in a step reads the step's init";
        return failure();
      }
      if (!llvm::is_contained(inputs, *idx))
        inputs.push_back(*idx);
      readsOutside = true;
      continue;
    }
    Operation *def = w.getDefiningOp();
    if (!def || def->getBlock() != body) {
      readsOutside |= !matchPattern(w, m_Constant());
      continue;
    }
    if (slice.contains(def))
      continue;
    if (def->getNumRegions() != 0 || !isMemoryEffectFree(def)) {
      why = (Twine("a value computed in a step goes through '") +
             def->getName().getStringRef() + "'")
                .str();
      return failure();
    }
    slice.insert(def);
    llvm::append_range(worklist, def->getOperands());
  }
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  MLIRContext *ctx = op.getContext();
  int64_t numLoops = op.getNumLoops();
  llvm::SmallBitVector used(numLoops);
  for (int64_t d : keepDims)
    used.set(d);
  for (unsigned k : inputs)
    for (int64_t d = 0; d < numLoops; ++d)
      if (maps[k].isFunctionOfDim(d))
        used.set(d);
  for (Operation *o : slice)
    if (auto index = dyn_cast<linalg::IndexOp>(o))
      used.set(index.getDim());
  SmallVector<AffineExpr> toNew(numLoops, getAffineConstantExpr(0, ctx));
  SmallVector<int64_t> newPos(numLoops, -1), shape;
  dims.clear();
  for (int64_t d = 0; d < numLoops; ++d)
    if (used.test(d)) {
      newPos[d] = dims.size();
      toNew[d] = getAffineDimExpr(dims.size(), ctx);
      dims.push_back(d);
      shape.push_back(ranges[d]);
    }
  if (ShapedType::isDynamicShape(shape)) {
    why = "a value computed in a step has a dynamic shape";
    return failure();
  }
  int64_t rank = dims.size();
  SmallVector<Operation *> ordered(slice.begin(), slice.end());
  llvm::sort(ordered,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  OpBuilder builder(ctx);
  Location loc = op.getLoc();
  auto empty = tensor::EmptyOp::create(builder, loc, shape, x.getType());
  SmallVector<Value> ins;
  SmallVector<AffineMap> newMaps;
  for (unsigned k : inputs) {
    ins.push_back(op.getInputs()[k]);
    newMaps.push_back(maps[k].replaceDimsAndSymbols(toNew, {}, rank, 0));
  }
  newMaps.push_back(builder.getMultiDimIdentityMap(rank));
  return linalg::GenericOp::create(
      builder, loc, TypeRange{empty.getType()}, ins,
      ValueRange{empty.getResult()}, newMaps,
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location l, ValueRange args) {
        IRMapping mapping;
        for (auto [k, arg] : llvm::zip(inputs, args))
          mapping.map(body->getArgument(k), arg);
        for (Operation *o : ordered) {
          if (auto index = dyn_cast<linalg::IndexOp>(o)) {
            mapping.map(index.getResult(),
                        linalg::IndexOp::create(b, l, newPos[index.getDim()])
                            .getResult());
            continue;
          }
          b.clone(*o, mapping);
        }
        linalg::YieldOp::create(b, l, mapping.lookupOrDefault(x));
      });
}

/// The value `v` is computed, through elementwise generics and reshapes,
/// from a linalg op with a reduction loop (a contraction's result).
static bool computedByContraction(Value v, int depth = 12) {
  while (depth-- > 0) {
    Operation *def = v.getDefiningOp();
    if (!def)
      return false;
    if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp, tensor::ReshapeOp,
            tensor::CastOp>(def)) {
      v = def->getOperand(0);
      continue;
    }
    // (A tosa.matmul that tosa-to-linalg left alone is a contraction too.)
    if (def->getName().getStringRef() == "tosa.matmul")
      return true;
    auto linalgOp = dyn_cast<linalg::LinalgOp>(def);
    if (!linalgOp)
      return false;
    if (linalgOp.getNumReductionLoops() == 1 && linalgOp.getNumDpsInputs() >= 2)
      return true;
    if (!allParallel(linalgOp))
      return false;
    // An elementwise step: follow its inputs of the same shape (a
    // comparison of the scores is of another element type).
    bool found = false;
    auto resultType = cast<ShapedType>(def->getResult(0).getType());
    for (OpOperand *in : linalgOp.getDpsInputOperands())
      if (auto inType = dyn_cast<ShapedType>(in->get().getType());
          inType && inType.getShape() == resultType.getShape() &&
          computedByContraction(in->get(), depth))
        found = true;
    return found;
  }
  return false;
}

LogicalResult ScoreFunction::collect(RewriterBase &rewriter, Value x) {
  // The steps form a DAG over the scores' domain: a step may read several
  // values computed from the scores (s·c + s, select(s > 0, s, a·s)), each
  // the raw scores or another step's result, read element by element.
  SmallVector<Value> work = {x};
  bool combines = false, twoRaws = false;
  while (!work.empty()) {
    Value v = work.pop_back_val();
    if (v == raw || producerStep.contains(v))
      continue;
    // Grouped-query scores [B, Hkv, G, Lq, Lk] merged into the heads: the
    // steps before the merge are on 5-D scores.
    auto collapse = v.getDefiningOp<tensor::CollapseShapeOp>();
    if (collapse && rank == 4 && v.hasOneUse() &&
        (!groupCollapse || groupCollapse == collapse) &&
        collapse.getSrcType().getRank() == 5 &&
        collapse.getReassociationIndices() ==
            SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}}) {
      groupCollapse = collapse;
      work.push_back(collapse.getSrc());
      continue;
    }
    auto gen = v.getDefiningOp<linalg::GenericOp>();
    if (!gen || !isElementwise(gen) || gen->getNumResults() != 1) {
      // The raw scores: one value.
      if (raw) {
        twoRaws = true;
        break;
      }
      raw = v;
      continue;
    }
    // The score operands: read element by element, computed from the
    // contraction; without one, the one operand of the scores' type.
    auto shapeOf = [](Value t) {
      return cast<RankedTensorType>(t.getType()).getShape();
    };
    SmallVector<Value> inputs;
    for (OpOperand *in : gen.getDpsInputOperands())
      if (isa<RankedTensorType>(in->get().getType()) &&
          shapeOf(in->get()) == shapeOf(v) &&
          isIdentity(gen.getMatchingIndexingMap(in), gen.getNumLoops()) &&
          computedByContraction(in->get()) &&
          !llvm::is_contained(inputs, in->get()))
        inputs.push_back(in->get());
    if (inputs.empty())
      for (OpOperand *in : gen.getDpsInputOperands())
        if (in->get().getType() == v.getType() &&
            isIdentity(gen.getMatchingIndexingMap(in), gen.getNumLoops()) &&
            !llvm::is_contained(inputs, in->get()))
          inputs.push_back(in->get());
    if (inputs.size() != 1 &&
        !(inputs.size() > 1 && llvm::all_of(inputs, [&](Value in) {
            return computedByContraction(in);
          })))
      return rewriter.notifyMatchFailure(gen, [&](Diagnostic &diag) {
        diag << "not raised: an elementwise step on the scores does not "
                "read them element by element";
      });
    if (inputs.size() > 1)
      combines = true;
    producerStep[v] = steps.size();
    steps.push_back(gen);
    groupedSteps.push_back(shapeOf(v).size() == static_cast<size_t>(rank) + 1);
    llvm::append_range(work, inputs);
  }
  if (!raw || twoRaws || (combines && groupCollapse))
    return rewriter.notifyMatchFailure(
        steps.empty() ? x.getDefiningOp() : steps.back().getOperation(),
        [&](Diagnostic &diag) {
          diag << "not raised: an elementwise step combines the scores with "
                  "another value computed from them, which the score "
                  "function does not follow";
        });
  return success();
}

bool ScoreFunction::dependsOnScores(Sym s) {
  s = resolve(s);
  if (isScores(s))
    return true;
  Operation *def = bodyOp(s);
  if (!def)
    return false;
  auto [it, inserted] = dependsMemo.try_emplace(key(s), false);
  if (!inserted)
    return it->second;
  bool depends = llvm::any_of(def->getOperands(), [&](Value v) {
    return dependsOnScores({s.step, v});
  });
  dependsMemo[key(s)] = depends;
  return depends;
}

bool ScoreFunction::isIndexOnly(Sym s) {
  s = resolve(s);
  if (isScores(s) || isGroupedStep(s.step))
    return false;
  if (matchPattern(s.value, m_Constant()))
    return true;
  Operation *def = bodyOp(s);
  if (!def)
    return false;
  if (isa<linalg::IndexOp>(def))
    return true;
  if (def->getNumResults() != 1 || def->getNumRegions() != 0 ||
      !isMemoryEffectFree(def))
    return false;
  return llvm::all_of(def->getOperands(), [&](Value v) {
    return isIndexOnly({s.step, v});
  });
}

std::optional<double> ScoreFunction::linearFactor(Sym s) {
  s = resolve(s);
  if (isScores(s))
    return 1.0;
  Operation *def = bodyOp(s);
  if (!def)
    return std::nullopt;
  if (auto mul = dyn_cast<arith::MulFOp>(def)) {
    Sym l = operand(s, mul.getLhs()), r = operand(s, mul.getRhs());
    if (std::optional<double> c = constant(r))
      if (std::optional<double> f = linearFactor(l))
        return *c * *f;
    if (std::optional<double> c = constant(l))
      if (std::optional<double> f = linearFactor(r))
        return *c * *f;
    return std::nullopt;
  }
  if (auto div = dyn_cast<arith::DivFOp>(def)) {
    if (std::optional<double> c = constant(operand(s, div.getRhs())))
      if (std::optional<double> f = linearFactor(operand(s, div.getLhs())))
        return *f / *c;
    return std::nullopt;
  }
  if (auto neg = dyn_cast<arith::NegFOp>(def))
    if (std::optional<double> f = linearFactor(operand(s, neg.getOperand())))
      return -*f;
  return std::nullopt;
}

/// Scalar types a score_mod body may compute with.
static bool isScalarType(Type type) {
  return isa<FloatType, IntegerType, IndexType>(type);
}

bool ScoreFunction::isScoreModExpr(Sym s, std::string &why, unsigned &blame) {
  s = resolve(s);
  if (isScores(s) || constant(s))
    return true;
  if (auto cst = s.value.getDefiningOp<arith::ConstantOp>())
    return isScalarType(cst.getType());
  blame = std::min<unsigned>(s.step, steps.size() - 1);
  if (auto idx = inputIndex(s)) {
    auto type =
        dyn_cast<RankedTensorType>(steps[s.step].getInputs()[*idx].getType());
    why = type && type.getNumElements() != 1
              ? "the score function reads a tensor, which a score_mod "
                "cannot capture"
              : "the score function reads a value that is not a "
                "compile-time constant";
    return false;
  }
  if (isInitArg(s)) {
    why = "an elementwise step on the scores reads its init";
    return false;
  }
  Operation *def = bodyOp(s);
  if (!def) {
    why = "the score function reads a value that is not a compile-time "
          "constant";
    return false;
  }
  if (isa<linalg::IndexOp>(def)) {
    if (!isGroupedStep(s.step))
      return true;
    why = "the score function reads an index of the grouped scores";
    return false;
  }
  if (def->getNumResults() != 1 || def->getNumRegions() != 0 ||
      !isMemoryEffectFree(def) ||
      !llvm::all_of(def->getOperandTypes(), isScalarType) ||
      !isScalarType(def->getResult(0).getType())) {
    why = (Twine("the scores go through '") + def->getName().getStringRef() +
           "', which has no score_mod form")
              .str();
    return false;
  }
  for (Value operandValue : def->getOperands())
    if (!isScoreModExpr({s.step, operandValue}, why, blame))
      return false;
  return true;
}

Value ScoreFunction::emit(OpBuilder &builder, Location loc, Sym s,
                          ValueRange args) {
  s = resolve(s);
  if (isScores(s))
    return args[0];
  auto it = emitted.find(key(s));
  if (it != emitted.end())
    return it->second;
  Value result;
  std::optional<double> c = constant(s);
  if (c && isa<FloatType>(s.value.getType())) {
    // A float constant, maybe rounded or a splat tensor operand.
    result = arith::ConstantOp::create(
        builder, loc, builder.getFloatAttr(s.value.getType(), *c));
  } else if (auto cst = s.value.getDefiningOp<arith::ConstantOp>()) {
    result = builder.clone(*cst)->getResult(0);
  } else {
    Operation *def = bodyOp(s);
    if (auto index = dyn_cast<linalg::IndexOp>(def)) {
      result = args[1 + (4 - rank) + index.getDim()];
    } else {
      IRMapping mapping;
      for (Value v : def->getOperands())
        mapping.map(v, emit(builder, loc, {s.step, v}, args));
      result = builder.clone(*def, mapping)->getResult(0);
    }
  }
  emitted[key(s)] = result;
  return result;
}

FailureOr<Value>
ScoreFunction::materialize(Sym s, SmallVectorImpl<Operation *> &created,
                           std::string &why, bool &readsInputs,
                           AffineMap &termMap) {
  if (isGroupedStep(s.step)) {
    why = "a mask is applied to the grouped scores, before the heads are "
          "merged";
    return failure();
  }
  // Over the dims it reads, and always the query and key dims.
  SmallVector<int64_t> dims;
  FailureOr<linalg::GenericOp> term = buildBodyValue(
      steps[s.step], s.value, {rank - 2, rank - 1}, dims, readsInputs, why);
  if (failed(term))
    return failure();
  created.push_back(term->getDpsInitOperand(0)->get().getDefiningOp());
  created.push_back(*term);
  SmallVector<AffineExpr> exprs;
  for (int64_t d : dims)
    exprs.push_back(getAffineDimExpr(d, term->getContext()));
  termMap = AffineMap::get(rank, 0, exprs, term->getContext());
  return term->getResult(0);
}

/// Decomposes the score function between the raw scores and the softmax
/// input `x` into chain.scale, chain.softcap, mask terms and the score_mod.
/// Returns the raw scores.
static FailureOr<Value> matchScoreFunction(RewriterBase &rewriter, Value x,
                                           Chain &chain, ScoreFunction &fn) {
  if (failed(fn.collect(rewriter, x)))
    return failure();
  auto refuse = [&](unsigned step, const Twine &msg) {
    return rewriter.notifyMatchFailure(fn.step(step), [&](Diagnostic &diag) {
      diag << "not raised: " << msg;
    });
  };
  Sym cur = fn.top();
  if (fn.numSteps() != 0 && !fn.dependsOnScores(cur))
    return refuse(0, "the softmax input does not depend on the scores");

  // Visibility selects and biases, from the outside in.
  struct Term {
    Sym value;
    bool isBool;
    bool keepWhenTrue;
  };
  SmallVector<Term> terms;
  bool finiteFill = false;
  while (Operation *def = fn.bodyOp(cur)) {
    if (auto sel = dyn_cast<arith::SelectOp>(def)) {
      Sym cond = fn.operand(cur, sel.getCondition());
      Sym t = fn.operand(cur, sel.getTrueValue());
      Sym f = fn.operand(cur, sel.getFalseValue());
      bool td = fn.dependsOnScores(t), fd = fn.dependsOnScores(f);
      if (fn.dependsOnScores(cond) || td == fd)
        break;
      std::optional<double> fill = fn.constant(td ? f : t);
      if (!fill)
        break;
      if (*fill != -std::numeric_limits<double>::infinity()) {
        finiteFill = true;
        break;
      }
      terms.push_back({cond, /*isBool=*/true, /*keepWhenTrue=*/td});
      cur = td ? t : f;
      continue;
    }
    if (auto add = dyn_cast<arith::AddFOp>(def)) {
      Sym l = fn.operand(cur, add.getLhs()), r = fn.operand(cur, add.getRhs());
      bool ld = fn.dependsOnScores(l), rd = fn.dependsOnScores(r);
      if (ld == rd)
        break;
      terms.push_back({ld ? r : l, /*isBool=*/false, true});
      cur = ld ? l : r;
      continue;
    }
    break;
  }

  // The core: scale, soft-cap or score_mod.
  if (std::optional<double> factor = fn.linearFactor(cur)) {
    chain.scale *= *factor;
  } else {
    std::optional<double> softcap, inner;
    if (auto mul = dyn_cast_or_null<arith::MulFOp>(fn.bodyOp(cur)))
      for (auto [a, b] : {std::make_pair(mul.getLhs(), mul.getRhs()),
                          std::make_pair(mul.getRhs(), mul.getLhs())}) {
        std::optional<double> m = fn.constant(fn.operand(cur, b));
        Sym th = fn.operand(cur, a);
        auto tanh = dyn_cast_or_null<math::TanhOp>(fn.bodyOp(th));
        if (!m || *m <= 0 || !std::isfinite(*m) || !tanh)
          continue;
        if ((inner = fn.linearFactor(fn.operand(th, tanh.getOperand())))) {
          softcap = m;
          break;
        }
      }
    if (softcap) {
      chain.softcap = *softcap;
      chain.scale *= *inner * *softcap;
    } else {
      std::string why;
      unsigned blame = 0;
      if (!fn.isScoreModExpr(cur, why, blame))
        return refuse(blame, finiteFill ? "the masked scores are filled with "
                                          "another value than -inf"
                                        : StringRef(why));
      chain.scoreMod = cur;
    }
  }

  // Mask terms: an operand read as is, or a tensor computed from the body.
  for (const Term &term : terms) {
    Sym v = fn.resolve(term.value);
    Type elt = v.value.getType();
    if (term.isBool ? !elt.isInteger(1) : elt != chain.scoreType)
      return refuse(v.step, term.isBool
                                ? "the select on the scores is not a mask"
                                : "the additive mask has another element "
                                  "type than the scores");
    if (fn.isGroupedStep(v.step))
      return refuse(v.step, "a mask is applied to the grouped scores, "
                            "before the heads are merged");
    if (auto idx = fn.inputIndex(v)) {
      linalg::GenericOp gen = fn.step(v.step);
      Value tensor = gen.getInputs()[*idx];
      if (isa<RankedTensorType>(tensor.getType())) {
        chain.masks.push_back({gen, tensor, gen.getIndexingMapsArray()[*idx],
                               term.isBool, term.keepWhenTrue, std::nullopt});
        continue;
      }
    }
    // With dynamic lengths nothing is evaluated at compile time: a term of
    // the indices is followed symbolically instead.
    // It is fitted to a band symbolically, or computed by the score_mod.
    if (chain.dynamic && fn.isIndexOnly(v)) {
      chain.masks.push_back({fn.step(v.step), Value(), AffineMap(), term.isBool,
                             term.keepWhenTrue, v});
      continue;
    }
    std::string why;
    bool readsInputs = false;
    AffineMap termMap;
    FailureOr<Value> tensor =
        fn.materialize(v, chain.created, why, readsInputs, termMap);
    if (failed(tensor))
      return refuse(v.step, why);
    std::optional<Sym> expr;
    if (!readsInputs)
      expr = v;
    chain.masks.push_back({fn.step(v.step), *tensor, termMap, term.isBool,
                           term.keepWhenTrue, expr});
  }

  if (fn.getGroupCollapse())
    chain.ops.push_back({fn.getGroupCollapse(), "scores"});
  for (unsigned i = 0; i < fn.numSteps(); ++i) {
    linalg::GenericOp gen = fn.step(i);
    bool masks = llvm::any_of(chain.masks, [&](const MaskTerm &m) {
      return m.op == gen.getOperation();
    });
    chain.ops.push_back({gen, masks ? "masked scores" : "scaled scores"});
  }
  return fn.rawScores();
}

/// Splits a contraction fused with elementwise steps before it
/// (linalg-fuse-elementwise-ops moves the softmax normalisation into P·V,
/// bias adds and rotary embeddings into Q·Kᵀ and P·V): for a generic with
/// one reduction loop whose body is acc + X · Y, builds (detached) a
/// generic for each factor that is not an input as is, and the plain
/// contraction of the two. The factor generics and their inits are
/// appended to `created`, the contraction too and to `matchOnly`: the
/// matcher reads it, the raise never inserts it. Returns null when `op` is
/// not of that form.
static linalg::GenericOp
splitFusedContraction(linalg::GenericOp op,
                      SmallVectorImpl<Operation *> &created,
                      llvm::SmallPtrSetImpl<Operation *> &matchOnly) {
  if (op.getNumDpsInits() != 1 || op->getNumResults() != 1 ||
      !op.hasPureTensorSemantics() || op.getNumReductionLoops() != 1 ||
      op.getNumLoops() < 3 || op.getNumLoops() > 6 || op.getNumDpsInputs() < 2)
    return {};
  Block *body = op.getBlock();
  Value acc = body->getArgument(op.getNumDpsInputs());
  auto add = cast<linalg::YieldOp>(body->getTerminator())
                 .getValues()[0]
                 .getDefiningOp<arith::AddFOp>();
  if (!add || (add.getLhs() != acc && add.getRhs() != acc))
    return {};
  auto mul = (add.getLhs() == acc ? add.getRhs() : add.getLhs())
                 .getDefiningOp<arith::MulFOp>();
  if (!mul || mul->getBlock() != body)
    return {};
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  MLIRContext *ctx = op.getContext();
  int64_t numLoops = op.getNumLoops();
  // Each factor: an input read as is, or a new generic.
  SmallVector<Value> factors;
  SmallVector<AffineMap> factorMaps;
  SmallVector<Operation *> built;
  for (Value x : {mul.getLhs(), mul.getRhs()}) {
    if (auto idx = getBodyArgIndex(op, x);
        idx && *idx < op.getNumDpsInputs() &&
        isa<RankedTensorType>(op.getInputs()[*idx].getType())) {
      factors.push_back(op.getInputs()[*idx]);
      factorMaps.push_back(maps[*idx]);
      continue;
    }
    SmallVector<int64_t> dims;
    bool readsOutside = false;
    std::string why;
    FailureOr<linalg::GenericOp> factor =
        buildBodyValue(op, x, {}, dims, readsOutside, why);
    if (failed(factor) || !readsOutside) {
      if (succeeded(factor)) {
        Operation *init = factor->getDpsInitOperand(0)->get().getDefiningOp();
        (*factor)->erase();
        init->erase();
      }
      for (Operation *b : llvm::reverse(built))
        b->erase();
      return {};
    }
    built.push_back(factor->getDpsInitOperand(0)->get().getDefiningOp());
    built.push_back(*factor);
    factors.push_back(factor->getResult(0));
    SmallVector<AffineExpr> exprs;
    for (int64_t d : dims)
      exprs.push_back(getAffineDimExpr(d, ctx));
    factorMaps.push_back(AffineMap::get(numLoops, 0, exprs, ctx));
  }
  OpBuilder builder(ctx);
  auto contraction = linalg::GenericOp::create(
      builder, op.getLoc(), op->getResultTypes(), factors, op.getOutputs(),
      ArrayRef<AffineMap>{factorMaps[0], factorMaps[1], maps.back()},
      op.getIteratorTypesArray(),
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value prod = arith::MulFOp::create(b, l, args[0], args[1]);
        linalg::YieldOp::create(
            b, l, arith::AddFOp::create(b, l, args[2], prod).getResult());
      });
  llvm::append_range(created, built);
  created.push_back(contraction);
  matchOnly.insert(contraction);
  return contraction;
}

/// `v` without its dim `dim` along which it is constant: the input of a
/// linalg.broadcast adding only `dim`, or a new detached generic (appended
/// to `created`) recomputing an elementwise generic whose inputs and
/// indices do not read `dim`. Null when `v` is not of that form.
static Value dropBroadcastDim(Value v, int64_t dim,
                              SmallVectorImpl<Operation *> &created) {
  if (auto bcast = v.getDefiningOp<linalg::BroadcastOp>())
    return bcast.getDimensions() == ArrayRef<int64_t>{dim} ? bcast.getInput()
                                                           : Value();
  auto gen = v.getDefiningOp<linalg::GenericOp>();
  if (!gen || !isElementwise(gen) || gen->getNumResults() != 1)
    return {};
  Block *body = gen.getBlock();
  for (BlockArgument arg :
       body->getArguments().drop_front(gen.getNumDpsInputs()))
    if (!arg.use_empty())
      return {};
  for (OpOperand *in : gen.getDpsInputOperands())
    if (gen.getMatchingIndexingMap(in).isFunctionOfDim(dim))
      return {};
  for (auto index : body->getOps<linalg::IndexOp>())
    if (static_cast<int64_t>(index.getDim()) == dim)
      return {};
  MLIRContext *ctx = gen.getContext();
  int64_t rank = gen.getNumLoops();
  SmallVector<AffineExpr> drop;
  for (int64_t d = 0; d < rank; ++d)
    drop.push_back(d == dim ? getAffineConstantExpr(0, ctx)
                            : getAffineDimExpr(d < dim ? d : d - 1, ctx));
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape.erase(shape.begin() + dim);
  if (ShapedType::isDynamicShape(shape))
    return {};
  OpBuilder builder(ctx);
  Location loc = gen.getLoc();
  auto empty =
      tensor::EmptyOp::create(builder, loc, shape, type.getElementType());
  created.push_back(empty);
  SmallVector<AffineMap> maps;
  for (OpOperand *in : gen.getDpsInputOperands())
    maps.push_back(gen.getMatchingIndexingMap(in).replaceDimsAndSymbols(
        drop, {}, rank - 1, 0));
  maps.push_back(builder.getMultiDimIdentityMap(rank - 1));
  auto reduced = linalg::GenericOp::create(
      builder, loc, TypeRange{empty.getType()}, gen.getInputs(),
      ValueRange{empty.getResult()}, maps,
      SmallVector<utils::IteratorType>(rank - 1, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location l, ValueRange args) {
        IRMapping mapping;
        for (auto [arg, newArg] : llvm::zip(body->getArguments(), args))
          mapping.map(arg, newArg);
        for (Operation &o : body->without_terminator()) {
          if (auto index = dyn_cast<linalg::IndexOp>(o)) {
            int64_t d = index.getDim();
            mapping.map(
                index.getResult(),
                linalg::IndexOp::create(b, l, d < dim ? d : d - 1).getResult());
            continue;
          }
          b.clone(o, mapping);
        }
        linalg::YieldOp::create(
            b, l,
            mapping.lookupOrDefault(
                cast<linalg::YieldOp>(body->getTerminator()).getValues()[0]));
      });
  created.push_back(reduced);
  return reduced.getResult(0);
}

/// Grouped-query scores computed at 5-D, [B, Hkv, G, Lq, Lk], and collapsed
/// to the query heads (reshape propagation, e.g. in
/// linalg-fuse-elementwise-ops, moves the repeat of K into Q·Kᵀ): peels
/// constant scales, and builds (detached) the 4-D Q·Kᵀ over the query heads
/// that the matcher reads, with K repeated by a broadcast when it is the
/// same for the G heads of a group (the raise then indexes it). Returns the
/// 4-D contraction, or null with a reason reported.
static linalg::GenericOp flattenGroupedScores(RewriterBase &rewriter, Value s5,
                                              Operation *blame,
                                              RankedTensorType collapsedType,
                                              Chain &chain,
                                              linalg::LinalgOp &qkReal) {
  auto refuse = [&](Operation *op, const Twine &msg) {
    (void)rewriter.notifyMatchFailure(
        op, [&](Diagnostic &diag) { diag << "not raised: " << msg; });
    return linalg::GenericOp();
  };
  auto gen = s5.getDefiningOp<linalg::GenericOp>();
  if (!gen || gen.getNumLoops() != 6 || gen.getNumReductionLoops() != 1 ||
      gen.getIteratorTypesArray().back() != utils::IteratorType::reduction)
    return refuse(blame, "the grouped scores are not computed by a Q·Kᵀ "
                         "contraction over the groups");
  qkReal = gen;
  linalg::GenericOp qk5 = gen;
  if (!isContractionShaped(gen) &&
      !(qk5 = splitFusedContraction(gen, chain.created, chain.matchOnly)))
    return refuse(gen, "the grouped Q·Kᵀ contraction is not a sum of "
                       "products");
  MLIRContext *ctx = gen.getContext();
  SmallVector<AffineMap> maps = qk5.getIndexingMapsArray();
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  // Loops (b, hkv, g, i, j, r).
  auto lhsPerm = readPermutation(maps[0], {d(0), d(1), d(2), d(3), d(5)});
  auto rhsPermG = readPermutation(maps[1], {d(0), d(1), d(2), d(4), d(5)});
  auto rhsPermKv = readPermutation(maps[1], {d(0), d(1), d(4), d(5)});
  if (maps[2] != AffineMap::getMultiDimIdentityMap(6, ctx).getMajorSubMap(5) ||
      !lhsPerm || !(rhsPermG || rhsPermKv))
    return refuse(gen, "the indexing maps of the grouped Q·Kᵀ contraction "
                       "are not those of a batched matrix product");
  OpBuilder builder(ctx);
  Location loc = gen.getLoc();
  auto track = [&](Operation *op) {
    chain.created.push_back(op);
    return op->getResult(0);
  };
  // The operand in its canonical layout: transposes peeled, one added.
  auto canonical = [&](Value v, ArrayRef<int64_t> perm) -> Value {
    SmallVector<int64_t> acc(perm);
    while (auto t = v.getDefiningOp<linalg::TransposeOp>()) {
      ArrayRef<int64_t> p = t.getPermutation();
      for (int64_t &a : acc)
        a = p[a];
      v = t.getInput();
    }
    if (llvm::equal(acc, llvm::seq<int64_t>(0, acc.size())))
      return v;
    auto type = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> shape;
    for (int64_t a : acc)
      shape.push_back(type.getDimSize(a));
    Value init = track(
        tensor::EmptyOp::create(builder, loc, shape, type.getElementType()));
    return track(linalg::TransposeOp::create(builder, loc, v, init, acc));
  };
  SmallVector<ReassociationIndices> mergeGroups{{0}, {1, 2}, {3}, {4}};
  Value q5 = canonical(qk5.getInputs()[0], *lhsPerm);
  Value q4 =
      track(tensor::CollapseShapeOp::create(builder, loc, q5, mergeGroups));
  auto q5Type = cast<RankedTensorType>(q5.getType());
  int64_t groups = q5Type.getDimSize(2);
  Value kv = rhsPermKv ? canonical(qk5.getInputs()[1], *rhsPermKv) : Value();
  Value k4;
  if (!kv) {
    Value k5 = canonical(qk5.getInputs()[1], *rhsPermG);
    kv = dropBroadcastDim(k5, 2, chain.created);
    if (!kv)
      k4 =
          track(tensor::CollapseShapeOp::create(builder, loc, k5, mergeGroups));
  }
  if (!k4) {
    auto kvType = cast<RankedTensorType>(kv.getType());
    SmallVector<int64_t> shape(kvType.getShape());
    shape.insert(shape.begin() + 2, groups);
    Value init = track(
        tensor::EmptyOp::create(builder, loc, shape, kvType.getElementType()));
    Value k5 = track(linalg::BroadcastOp::create(builder, loc, kv, init,
                                                 ArrayRef<int64_t>{2}));
    k4 = track(tensor::CollapseShapeOp::create(builder, loc, k5, mergeGroups));
  }
  // The 4-D contraction over (b, h, i, j, r).
  Type f32 = collapsedType.getElementType();
  Value zero =
      arith::ConstantOp::create(builder, loc, builder.getFloatAttr(f32, 0.0));
  chain.created.push_back(zero.getDefiningOp());
  Value init = track(
      tensor::EmptyOp::create(builder, loc, collapsedType.getShape(), f32));
  Value filled = track(linalg::FillOp::create(builder, loc, zero, init));
  auto map4 = [&](ArrayRef<int64_t> dims) {
    SmallVector<AffineExpr> exprs;
    for (int64_t i : dims)
      exprs.push_back(d(i));
    return AffineMap::get(5, 0, exprs, ctx);
  };
  SmallVector<utils::IteratorType> iters(4, utils::IteratorType::parallel);
  iters.push_back(utils::IteratorType::reduction);
  auto contraction = linalg::GenericOp::create(
      builder, loc, TypeRange{collapsedType}, ValueRange{q4, k4},
      ValueRange{filled},
      ArrayRef<AffineMap>{map4({0, 1, 2, 4}), map4({0, 1, 3, 4}),
                          map4({0, 1, 2, 3})},
      iters, [&](OpBuilder &b, Location l, ValueRange args) {
        Value prod = arith::MulFOp::create(b, l, args[0], args[1]);
        linalg::YieldOp::create(
            b, l, arith::AddFOp::create(b, l, args[2], prod).getResult());
      });
  chain.created.push_back(contraction);
  chain.matchOnly.insert(contraction);
  return contraction;
}

//===----------------------------------------------------------------------===//
// Building
//===----------------------------------------------------------------------===//

static bool isIdentityPerm(ArrayRef<int64_t> perm) {
  for (auto [i, p] : llvm::enumerate(perm))
    if (static_cast<int64_t>(i) != p)
      return false;
  return true;
}

/// Builds the [B, H, L, D] value of `plan` before the current insertion point.
static Value buildOperand(RewriterBase &rewriter, Location loc,
                          const OperandPlan &plan, int64_t chainRank,
                          bool grouped) {
  Value v = grouped ? plan.base : plan.ungrouped ? plan.ungrouped : plan.base;
  SmallVector<int64_t> perm =
      grouped && !plan.groupedPerm.empty() ? plan.groupedPerm : plan.perm;
  if (!grouped && plan.ungrouped && plan.splitB) {
    // The ungrouped value is the collapsed [B·H, L, D] copy.
    perm = perm[2] == 3 ? SmallVector<int64_t>{0, 2, 1}
                        : SmallVector<int64_t>{0, 1, 2};
  }
  auto type = cast<RankedTensorType>(v.getType());
  if (!isIdentityPerm(perm)) {
    SmallVector<int64_t> shape;
    SmallVector<Value> dynamicSizes;
    for (int64_t p : perm) {
      shape.push_back(type.getDimSize(p));
      if (type.isDynamicDim(p))
        dynamicSizes.push_back(tensor::DimOp::create(rewriter, loc, v, p));
    }
    Value init = tensor::EmptyOp::create(rewriter, loc, shape,
                                         type.getElementType(), dynamicSizes);
    v = linalg::TransposeOp::create(rewriter, loc, v, init, perm)
            .getResult()[0];
    type = cast<RankedTensorType>(v.getType());
  }
  if (type.getRank() == 4)
    return v;
  SmallVector<int64_t> shape;
  SmallVector<ReassociationIndices> reassoc;
  if (type.getRank() == 3) {
    int64_t b = plan.splitB ? plan.splitB : 1;
    shape = {b, type.getDimSize(0) / b, type.getDimSize(1), type.getDimSize(2)};
    reassoc = {{0, 1}, {2}, {3}};
  } else {
    shape = {1, 1, type.getDimSize(0), type.getDimSize(1)};
    reassoc = {{0, 1, 2}, {3}};
  }
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  return tensor::ExpandShapeOp::create(rewriter, loc, resultType, v, reassoc);
}

/// Maps the 4-D loops (b, h, i, j) to the chain's loops.
static AffineMap chainFrom4D(MLIRContext *ctx, int64_t chainRank) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 4 - chainRank; d < 4; ++d)
    exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(4, 0, exprs, ctx);
}

/// Builds the attn.mask `mask` operand of `term`: [B|1, H|1, Lq, Lk],
/// i1 true = visible or the float bias.
static Value buildMaskOperand(RewriterBase &rewriter, Location loc,
                              const MaskTerm &term, const Chain &chain,
                              Value q4, Value k4) {
  MLIRContext *ctx = rewriter.getContext();
  AffineMap map = term.map.compose(chainFrom4D(ctx, chain.rank));
  auto srcType = cast<RankedTensorType>(term.tensor.getType());
  SmallVector<int64_t> shape(chain.scoresShape);
  for (int64_t d = 0; d < 2; ++d)
    if (!map.isFunctionOfDim(d))
      shape[d] = 1;
  // Used directly when it already is [B|1, H|1, Lq, Lk] read as such.
  bool direct = !term.isBool || term.keepWhenTrue;
  if (direct && srcType.getRank() == 4 &&
      srcType.getShape() == ArrayRef<int64_t>(shape)) {
    for (int64_t d = 0; d < 4; ++d) {
      AffineExpr e = map.getResult(d);
      if (e == getAffineDimExpr(d, ctx))
        continue;
      auto c = dyn_cast<AffineConstantExpr>(e);
      if (!(c && c.getValue() == 0 && shape[d] == 1))
        direct = false;
    }
    if (direct)
      return term.tensor;
  }
  Type elt = srcType.getElementType();
  // Dynamic B, Lq, Lk are those of Q and K.
  SmallVector<Value> dynamicSizes;
  for (auto [d, size] : llvm::enumerate(shape))
    if (ShapedType::isDynamic(size))
      dynamicSizes.push_back(tensor::DimOp::create(
          rewriter, loc, d == 3 ? k4 : q4, d == 3 ? 2 : d));
  Value init = tensor::EmptyOp::create(rewriter, loc, shape, elt, dynamicSizes);
  // Loops over the (possibly unit) b, h dims read index 0 where unit.
  SmallVector<AffineExpr> fixed;
  for (AffineExpr e : map.getResults()) {
    for (int64_t d = 0; d < 2; ++d)
      if (shape[d] == 1)
        e = e.replace(getAffineDimExpr(d, ctx), getAffineConstantExpr(0, ctx));
    fixed.push_back(e);
  }
  AffineMap inMap = AffineMap::get(4, 0, fixed, ctx);
  bool invert = term.isBool && !term.keepWhenTrue;
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

/// The band of a mask term of dynamic-length scores, when the query and key
/// lengths are provably one size (a band of j − i is then Attn's
/// bottom-right-aligned band) and the term is a function of j − i
/// (MaskBands.h); nullopt otherwise.
static std::optional<Band> classifySymbolicMask(const MaskTerm &term,
                                                const Chain &chain) {
  if (!chain.scores || chain.rank != 4)
    return std::nullopt;
  FailureOr<bool> square =
      ValueBoundsConstraintSet::areEqual({chain.scores, 2}, {chain.scores, 3});
  if (failed(square) || !*square)
    return std::nullopt;
  auto visible = [&](double v) -> std::optional<bool> {
    if (term.isBool)
      return (v != 0.0) == term.keepWhenTrue;
    if (v == 0.0)
      return true;
    if (v == -std::numeric_limits<double>::infinity())
      return false;
    return std::nullopt;
  };
  if (term.tensor)
    return fitSymbolicBand(term.tensor, term.map, visible);
  if (term.expr)
    return fitSymbolicBand(term.op, term.expr->value, visible);
  return std::nullopt;
}

/// Classifies a compile-time mask: as a band (returned), as "keep as
/// operand" (nullopt with `keep` set), or fails to evaluate (nullopt).
static std::optional<Band> classifyConstantMask(ConstEvaluator &evaluator,
                                                const MaskTerm &term,
                                                const Chain &chain) {
  const ConstTensor *t = evaluator.evaluate(term.tensor);
  if (!t)
    return std::nullopt;
  int64_t rank = chain.rank;
  int64_t lq = chain.scoresShape[2], lk = chain.scoresShape[3];
  SmallVector<int64_t> leadShape(chain.scoresShape.begin() + (4 - rank),
                                 chain.scoresShape.end() - 2);
  int64_t numLead = 1;
  for (int64_t s : leadShape)
    numLead *= s;
  if (numLead * lq * lk > ConstEvaluator::kMaxElements)
    return std::nullopt;
  std::vector<bool> visible(lq * lk), first(lq * lk);
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
        double v = t->data[t->linearize(term.map.compose(idx))];
        bool vis;
        if (term.isBool) {
          vis = (v != 0.0) == term.keepWhenTrue;
        } else if (v == 0.0) {
          vis = true;
        } else if (v == -std::numeric_limits<double>::infinity()) {
          vis = false;
        } else {
          return std::nullopt;
        }
        if (lead == 0)
          first[i * lk + j] = vis;
        else if (first[i * lk + j] != vis)
          return std::nullopt;
      }
  }
  SmallVector<bool> flat(first.begin(), first.end());
  return fitBand(flat, lq, lk);
}

//===----------------------------------------------------------------------===//
// Core function
//===----------------------------------------------------------------------===//

FailureOr<SdpaOp> mlir::attn::raiseLinalgAttention(RewriterBase &rewriter,
                                                   linalg::LinalgOp root) {
  Chain chain;
  // Ops built detached while matching (fused contractions split, masks
  // computed from a step's body) are erased unless they were inserted.
  llvm::scope_exit eraseDetached([&] {
    for (Operation *op : llvm::reverse(chain.created))
      if (!op->getBlock())
        op->erase();
  });
  linalg::LinalgOp pvOp = root;
  if (!isContractionShaped(root)) {
    auto gen = dyn_cast<linalg::GenericOp>(root.getOperation());
    if (!gen ||
        !(pvOp = splitFusedContraction(gen, chain.created, chain.matchOnly)))
      return failure();
  }
  Value probs = pvOp.getDpsInputOperand(0)->get();
  int64_t rootRank = cast<RankedTensorType>(probs.getType()).getRank();
  chain.rank = rootRank;
  if (rootRank == 3)
    if (auto collapse = probs.getDefiningOp<tensor::CollapseShapeOp>())
      if (collapse.getSrcType().getRank() == 4 &&
          collapse.getReassociationIndices() ==
              SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}}) {
        chain.rank = 4;
        probs = collapse.getSrc();
        chain.ops.push_back({collapse, "probabilities"});
      }
  bool candidate = false;
  FailureOr<Value> scoresIn =
      matchSoftmax(rewriter, probs, chain.rank, chain, candidate);
  if (failed(scoresIn))
    return failure();
  FailureOr<Contraction> pv = matchContraction(rewriter, pvOp, "P·V");
  if (failed(pv))
    return failure();

  auto probsType = cast<RankedTensorType>(probs.getType());
  chain.scores = probs;
  chain.dynamic =
      !probsType.hasStaticShape() ||
      !cast<ShapedType>(root->getResult(0).getType()).hasStaticShape();
  // Dynamic batch and sequence lengths: on [B, H, Lq, Lk] scores, with the
  // heads static (attn.sdpa's C3; head sizes are checked below).
  if (chain.dynamic && (chain.rank != 4 || probsType.isDynamicDim(1)))
    return rewriter.notifyMatchFailure(root, [&](Diagnostic &diag) {
      diag << "not raised: dynamic shapes are supported on [B, H, Lq, Lk] "
              "scores with a static number of heads, not on "
           << probsType;
    });
  chain.scoresShape.assign(4 - chain.rank, 1);
  llvm::append_range(chain.scoresShape, probsType.getShape());

  ScoreFunction scoreFn(chain.rank);
  chain.scoreType = getElementTypeOrSelf(scoresIn->getType());
  FailureOr<Value> rawScores =
      matchScoreFunction(rewriter, *scoresIn, chain, scoreFn);
  if (failed(rawScores))
    return failure();

  // The Q·Kᵀ contraction, possibly on heads collapsed into the batch.
  Value scores = *rawScores;
  int64_t qkRank = chain.rank;
  if (chain.rank == 4)
    if (auto expand = scores.getDefiningOp<tensor::ExpandShapeOp>())
      if (expand.getSrcType().getRank() == 3 &&
          expand.getReassociationIndices() ==
              SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}}) {
        chain.ops.push_back({expand, "scores"});
        scores = expand.getSrc();
        qkRank = 3;
      }
  auto qkOp = scores.getDefiningOp<linalg::LinalgOp>();
  linalg::LinalgOp qkMatch = qkOp;
  if (tensor::CollapseShapeOp collapse = scoreFn.getGroupCollapse()) {
    qkMatch = flattenGroupedScores(rewriter, scores, collapse,
                                   collapse.getResultType(), chain, qkOp);
    if (!qkMatch)
      return failure();
    scores = qkMatch->getResult(0);
  } else if (qkOp && !isContractionShaped(qkOp))
    if (auto gen = dyn_cast<linalg::GenericOp>(qkOp.getOperation()))
      qkMatch = splitFusedContraction(gen, chain.created, chain.matchOnly);
  if (!qkMatch || !isContractionShaped(qkMatch)) {
    Operation *blame = chain.ops.back().first;
    return rewriter.notifyMatchFailure(blame, "not raised: the softmax input "
                                              "is not computed from a Q·Kᵀ "
                                              "contraction");
  }
  FailureOr<Contraction> qk = matchContraction(rewriter, qkMatch, "Q·Kᵀ");
  if (failed(qk))
    return failure();
  if (cast<RankedTensorType>(scores.getType()).getRank() != qkRank)
    return rewriter.notifyMatchFailure(qkOp, "not raised: the Q·Kᵀ "
                                             "contraction has another rank "
                                             "than the softmax");
  chain.ops.push_back({qkOp, "scores"});
  chain.scale *= qk->scale;

  // Element types. Q, K, V and the output alike. The result of P·V may be
  // rounded to them by an elementwise step of its own, which the raise
  // then replaces.
  Type qElt = getElementTypeOrSelf(qk->lhs.getType());
  Type kElt = getElementTypeOrSelf(qk->rhs.getType());
  Type vElt = getElementTypeOrSelf(pv->rhs.getType());
  Operation *replaced = root;
  if (root->hasOneUse())
    if (Operation *user = *root->getUsers().begin();
        user->getNumResults() == 1 && matchRoundingStep(user->getResult(0)) &&
        getElementTypeOrSelf(user->getResult(0).getType()) == vElt &&
        !getElementTypeOrSelf(root->getResult(0).getType()).isF16() &&
        user->getBlock() == root->getBlock())
      replaced = user;
  Type oElt = getElementTypeOrSelf(replaced->getResult(0).getType());
  // Scores and probabilities: f32, as attn.sdpa keeps them; for bf16/f16
  // attention also rounded to that type between steps, which the raised
  // op computes without (it only adds precision: the documented contract
  // of low-precision raising).
  bool lowPrecision = (qElt.isBF16() || qElt.isF16()) && qElt == kElt &&
                      qElt == vElt && vElt == oElt;
  for (auto [op, what] : chain.ops)
    for (Value result : op->getResults()) {
      // (The fully-masked-row test compares exactly in any precision.)
      if (what == "fully-masked-row test")
        continue;
      Type elt = getElementTypeOrSelf(result.getType());
      if (isa<FloatType>(elt) && !elt.isF32() && !(lowPrecision && elt == qElt))
        return rewriter.notifyMatchFailure(
            op, [&, what = what](Diagnostic &diag) {
              diag << "not raised: the " << what << " are computed in " << elt
                   << ", while attn.sdpa keeps them in f32";
              if (!lowPrecision)
                diag << " (only bf16/f16 attention may round them to its own "
                        "type)";
            });
    }

  if (qElt != kElt || qElt != vElt || vElt != oElt)
    return rewriter.notifyMatchFailure(root, [&](Diagnostic &diag) {
      diag << "not raised: mixed element types (query " << qElt << ", key "
           << kElt << ", value " << vElt << ", output " << oElt
           << ") would change numerics";
    });

  ArrayRef<int64_t> lead = ArrayRef<int64_t>(chain.scoresShape).take_front(2);
  chain.q = resolveOperand(qk->lhs, chain.rank, /*transposeLast2=*/false, lead,
                           qk->lhsPerm);
  chain.k = resolveOperand(qk->rhs, chain.rank, qk->rhsRowsAreReduced, lead,
                           qk->rhsPerm);
  chain.v = resolveOperand(pv->rhs, chain.rank, !pv->rhsRowsAreReduced, lead,
                           pv->rhsPerm);
  if (!pv->lhsPerm.empty())
    return rewriter.notifyMatchFailure(root, "not raised: the P·V "
                                             "contraction reads the "
                                             "probabilities transposed");
  chain.scale *= chain.q.scale * chain.k.scale;
  if (chain.v.scale != 1.0)
    return rewriter.notifyMatchFailure(root, "not raised: the values are "
                                             "scaled");

  // Intermediates must not be used outside of the attention.
  llvm::SmallPtrSet<Operation *, 16> inChain;
  inChain.insert(root);
  for (auto [op, what] : chain.ops)
    inChain.insert(op);
  Block *block = root->getBlock();
  for (auto [op, what] : chain.ops) {
    if (!op->getBlock())
      continue; // built for matching only
    if (op->getBlock() != block)
      return rewriter.notifyMatchFailure(op, "not raised: the attention "
                                             "spans several blocks");
    for (Operation *user : op->getUsers())
      if (!inChain.contains(user))
        return rewriter.notifyMatchFailure(
            op, [&, what = what](Diagnostic &diag) {
              diag << "not raised: the " << what
                   << " have another user, so they must stay materialised";
            });
  }

  // Masks: compile-time bands become causal/window, at most one tensor stays.
  ConstEvaluator evaluator;
  Band band;
  const MaskTerm *operandMask = nullptr;
  int64_t lq = chain.scoresShape[2], lk = chain.scoresShape[3];
  for (const MaskTerm &term : chain.masks) {
    std::optional<Band> b;
    if (term.tensor)
      b = classifyConstantMask(evaluator, term, chain);
    if (!b && chain.dynamic)
      b = classifySymbolicMask(term, chain);
    if (b) {
      if (b->left)
        band.left = band.left ? std::min(*band.left, *b->left) : *b->left;
      if (b->right)
        band.right = band.right ? std::min(*band.right, *b->right) : *b->right;
      continue;
    }
    if (term.expr) {
      chain.scoreModTerms.push_back(term);
      continue;
    }
    if (operandMask)
      return rewriter.notifyMatchFailure(term.op, "not raised: more than one "
                                                  "mask tensor");
    operandMask = &term;
  }
  if ((chain.scoreMod || !chain.scoreModTerms.empty()) &&
      !chain.scoreType.isF32())
    return rewriter.notifyMatchFailure(root, [&](Diagnostic &diag) {
      diag << "not raised: the score_mod would compute on " << chain.scoreType
           << " scores, while its region takes f32";
    });
  if (band.left && band.right && *band.left + *band.right < 0)
    return rewriter.notifyMatchFailure(root, "not raised: the masks leave no "
                                             "key visible");

  // Shapes of Q, K, V once built.
  auto shapeOf = [&](const OperandPlan &plan, bool grouped) {
    Value v = grouped ? plan.base : plan.ungrouped ? plan.ungrouped : plan.base;
    auto type = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> shape;
    SmallVector<int64_t> perm =
        grouped && !plan.groupedPerm.empty() ? plan.groupedPerm : plan.perm;
    if (!grouped && plan.ungrouped && plan.splitB)
      perm = perm[2] == 3 ? SmallVector<int64_t>{0, 2, 1}
                          : SmallVector<int64_t>{0, 1, 2};
    for (int64_t p : perm)
      shape.push_back(type.getDimSize(p));
    if (shape.size() == 3) {
      int64_t b = plan.splitB ? plan.splitB : 1;
      shape = {b, shape[0] / b, shape[1], shape[2]};
    } else if (shape.size() == 2) {
      shape = {1, 1, shape[0], shape[1]};
    }
    return shape;
  };
  bool grouped = chain.k.groups == chain.v.groups;
  SmallVector<int64_t> qs = shapeOf(chain.q, true),
                       ks = shapeOf(chain.k, grouped),
                       vs = shapeOf(chain.v, grouped);
  int64_t b = chain.scoresShape[0], hq = chain.scoresShape[1];
  if (ShapedType::isDynamic(qs[3]) || ShapedType::isDynamic(vs[3]) ||
      ShapedType::isDynamic(ks[1]))
    return rewriter.notifyMatchFailure(root, "not raised: the head sizes and "
                                             "the number of K/V heads must be "
                                             "static (attn.sdpa's C3)");
  if (!(qs[0] == b && qs[1] == hq && qs[2] == lq && ks[0] == b && ks[2] == lk &&
        ks[3] == qs[3] && vs[0] == b && vs[1] == ks[1] && vs[2] == lk &&
        ks[1] > 0 && hq % ks[1] == 0))
    return rewriter.notifyMatchFailure(root, "not raised: Q, K and V do not "
                                             "have attention's shapes");

  // Build the decomposed chain and fuse it.
  Location loc = root->getLoc();
  rewriter.setInsertionPoint(root);
  // From here on the IR owns the ops built while matching, except those
  // only matched against.
  SmallVector<Operation *> created;
  llvm::erase_if(chain.ops, [&](const auto &entry) {
    return chain.matchOnly.contains(entry.first);
  });
  for (Operation *op : llvm::reverse(chain.created))
    if (chain.matchOnly.contains(op))
      op->erase();
  for (Operation *op : chain.created)
    if (!chain.matchOnly.contains(op))
      created.push_back(op);
  chain.created.clear();
  for (Operation *op : created)
    rewriter.insert(op);
  Value q4 = buildOperand(rewriter, loc, chain.q, chain.rank, true);
  Value k4 = buildOperand(rewriter, loc, chain.k, chain.rank, grouped);
  Value v4 = buildOperand(rewriter, loc, chain.v, chain.rank, grouped);
  auto f32 = rewriter.getF32Type();
  auto scoresType = RankedTensorType::get(chain.scoresShape, f32);
  Value s = ScoresOp::create(
      rewriter, loc, scoresType, q4, k4, rewriter.getF32FloatAttr(chain.scale),
      chain.softcap ? rewriter.getF32FloatAttr(*chain.softcap) : FloatAttr());
  bool causal = !band.left && band.right && *band.right == 0;
  bool hasWindow = !causal && (band.left || band.right);
  if (operandMask || causal || hasWindow) {
    Value maskValue =
        operandMask
            ? buildMaskOperand(rewriter, loc, *operandMask, chain, q4, k4)
            : Value();
    DenseI64ArrayAttr window;
    // An unbounded side: i' = i + Lk − Lq ranges over [Lk − Lq, Lk − 1],
    // so Lq + Lk covers every key from every query on either side.
    if (hasWindow)
      window =
          rewriter.getDenseI64ArrayAttr({band.left ? *band.left : lq + lk,
                                         band.right ? *band.right : lq + lk});
    s = MaskOp::create(rewriter, loc, scoresType, s, maskValue,
                       /*kv_lens=*/Value(),
                       causal ? rewriter.getUnitAttr() : nullptr, window);
  }
  Value p = SoftmaxOp::create(rewriter, loc, scoresType, s);
  auto outType = RankedTensorType::get({b, hq, lq, vs[3]},
                                       getElementTypeOrSelf(v4.getType()));
  auto context = ContextOp::create(rewriter, loc, outType, p, v4);
  Value result = context.getResult();
  auto rootType = cast<RankedTensorType>(replaced->getResult(0).getType());
  if (rootType.getRank() == 3)
    result = tensor::CollapseShapeOp::create(
        rewriter, loc, rootType, result,
        SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}});
  else if (rootType.getRank() == 2)
    result = tensor::CollapseShapeOp::create(
        rewriter, loc, rootType, result,
        SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});
  rewriter.replaceOp(replaced, result);
  if (replaced != root)
    rewriter.eraseOp(root);

  // The score_mod body, emitted from the steps before they are erased.
  std::unique_ptr<Block> scoreMod;
  if (chain.scoreMod || !chain.scoreModTerms.empty()) {
    scoreMod = std::make_unique<Block>();
    Type index = rewriter.getIndexType();
    scoreMod->addArguments({f32, index, index, index, index},
                           SmallVector<Location>(5, loc));
    ValueRange args = scoreMod->getArguments();
    // (The block has no region yet, so the builder takes the context.)
    OpBuilder builder(rewriter.getContext());
    builder.setInsertionPointToEnd(scoreMod.get());
    Value modified = chain.scoreMod
                         ? scoreFn.emit(builder, loc, *chain.scoreMod, args)
                         : args[0];
    // Biases and visibility commute with each other and follow the core.
    for (const MaskTerm &term : chain.scoreModTerms) {
      Value v = scoreFn.emit(builder, loc, *term.expr, args);
      if (!term.isBool) {
        modified = arith::AddFOp::create(builder, loc, modified, v);
        continue;
      }
      Value ninf = arith::ConstantOp::create(
          builder, loc,
          builder.getF32FloatAttr(-std::numeric_limits<float>::infinity()));
      modified = term.keepWhenTrue
                     ? arith::SelectOp::create(builder, loc, v, modified, ninf)
                     : arith::SelectOp::create(builder, loc, v, ninf, modified);
    }
    YieldOp::create(builder, loc, modified);
  }

  SmallVector<Operation *> dead;
  for (auto [op, what] : chain.ops)
    if (op->getBlock() && !llvm::is_contained(dead, op))
      dead.push_back(op);
  llvm::sort(dead,
             [](Operation *a, Operation *b) { return b->isBeforeInBlock(a); });
  llvm::SmallPtrSet<Operation *, 16> erased;
  for (Operation *op : dead)
    if (op->use_empty()) {
      rewriter.eraseOp(op);
      erased.insert(op);
    }
  for (Operation *op : llvm::reverse(created))
    if (!erased.contains(op) && op->use_empty())
      rewriter.eraseOp(op);
  FailureOr<SdpaOp> sdpa = fuseToSdpa(rewriter, context);
  if (succeeded(sdpa) && scoreMod)
    rewriter.modifyOpInPlace(
        *sdpa, [&] { sdpa->getScoreMod().push_back(scoreMod.release()); });
  return sdpa;
}

//===----------------------------------------------------------------------===//
// Patterns and pass
//===----------------------------------------------------------------------===//

namespace {
struct RaiseLinalgAttention : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;
  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    return raiseLinalgAttention(rewriter, op);
  }
};

/// True if the body of a row reduction of `in` computes a row statistic of a
/// softmax: a maximum, or a sum of exponentials (computed in the body or
/// by `in`'s producer).
static bool isSoftmaxStatistic(Block &body, Value in) {
  Operation *y = cast<linalg::YieldOp>(body.getTerminator())
                     .getValues()[0]
                     .getDefiningOp();
  if (isa_and_nonnull<arith::MaximumFOp, arith::MaxNumFOp>(y))
    return true;
  if (!isa_and_nonnull<arith::AddFOp>(y))
    return false;
  Operation *producer = in.getDefiningOp();
  return !body.getOps<math::ExpOp>().empty() ||
         (producer && producer->getNumRegions() == 1 &&
          !producer->getRegion(0).getOps<math::ExpOp>().empty());
}

/// A softmax-like op over a contraction's result: linalg.softmax, or a row
/// reduction (max, or sum of exponentials) of such a result.
static bool isSoftmaxLike(Operation *op) {
  if (auto softmax = dyn_cast<linalg::SoftmaxOp>(op))
    return computedByContraction(softmax.getInput());
  if (auto reduce = dyn_cast<linalg::ReduceOp>(op))
    return reduce.getInputs().size() == 1 &&
           isSoftmaxStatistic(reduce.getCombiner().front(),
                              reduce.getInputs()[0]) &&
           computedByContraction(reduce.getInputs()[0]);
  auto gen = dyn_cast<linalg::GenericOp>(op);
  if (!gen || gen.getNumReductionLoops() != 1 || gen.getNumDpsInputs() != 1 ||
      gen->getNumResults() < 1 ||
      gen.getIteratorTypesArray().back() != utils::IteratorType::reduction)
    return false;
  return isSoftmaxStatistic(*gen.getBlock(), gen.getInputs()[0]) &&
         computedByContraction(gen.getInputs()[0]);
}

struct AttnRaiseLinalgPass
    : attn::impl::AttnRaiseLinalgPassBase<AttnRaiseLinalgPass> {
  using AttnRaiseLinalgPassBase::AttnRaiseLinalgPassBase;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateRaiseLinalgPatterns(patterns);
    RefusalReporter reporter("attn-raise-linalg");
    if (failed(applyReportingRefusals(getOperation(), std::move(patterns),
                                      "attn-raise-linalg", reportRefusals,
                                      &reporter)))
      return signalPassFailure();
    if (reportRefusals)
      reportSilentRefusals(reporter);
  }

  /// No silent refusal: a function that still holds a softmax over a
  /// contraction's result, and for which no reason was reported, gets one.
  void reportSilentRefusals(const RefusalReporter &reporter) {
    llvm::DenseSet<Location> reported;
    for (Location loc : reporter.getReportedLocations())
      reported.insert(loc);
    getOperation()->walk([&](FunctionOpInterface func) {
      Operation *softmax = nullptr;
      bool explained = false;
      func->walk([&](Operation *op) {
        if (reported.contains(op->getLoc()))
          explained = true;
        if (!softmax && isSoftmaxLike(op))
          softmax = op;
      });
      if (!softmax || explained)
        return;
      auto dynamic = [](Type t) {
        auto shaped = dyn_cast<ShapedType>(t);
        return shaped && !shaped.hasStaticShape();
      };
      if (llvm::any_of(softmax->getOperandTypes(), dynamic) ||
          llvm::any_of(softmax->getResultTypes(), dynamic)) {
        emitRemark(softmax->getLoc())
            << "attn-raise-linalg: not raised: this softmax of a "
               "contraction's result has dynamic shapes, and the chain "
               "around it is not one the raising follows with dynamic "
               "sizes (torch-mlir's run-time broadcast guards, reshapes to "
               "shape tensors and size arithmetic are removed by "
               "int-range-optimizations, canonicalize, cse and "
               "attn-fold-shape-guards, as attn-cpu-pipeline does)";
        return;
      }
      // Is it read by a contraction at all?
      SmallVector<Operation *> work(softmax->getUsers().begin(),
                                    softmax->getUsers().end());
      Operation *contraction = nullptr;
      for (int steps = 0; !work.empty() && steps < 64 && !contraction;
           ++steps) {
        Operation *user = work.pop_back_val();
        auto linalgOp = dyn_cast<linalg::LinalgOp>(user);
        if (linalgOp && linalgOp.getNumReductionLoops() == 1 &&
            linalgOp.getNumDpsInputs() >= 2 && !isSoftmaxLike(user)) {
          contraction = user;
          break;
        }
        if (linalgOp || isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp,
                            tensor::ReshapeOp, tensor::CastOp>(user))
          llvm::append_range(work, user->getUsers());
      }
      InFlightDiagnostic diag = emitRemark(softmax->getLoc())
                                << "attn-raise-linalg: not raised: ";
      if (!contraction) {
        diag << "this softmax of a contraction's result is not contracted "
                "with values (no P·V reads the probabilities)";
        return;
      }
      diag << "the contraction reading this softmax is not a P·V "
              "contraction the raising recognises";
      diag.attachNote(contraction->getLoc()) << "the contraction";
    });
  }
};
} // namespace

void mlir::attn::populateRaiseLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<RaiseLinalgAttention>(patterns.getContext());
}
