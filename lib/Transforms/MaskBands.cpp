//===- MaskBands.cpp - visibility bands of compile-time masks -------------===//
//
// Fits Attn's bottom-right-aligned visibility band to a visibility plane
// (see MaskBands.h).
//
//===----------------------------------------------------------------------===//

#include "MaskBands.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

#include <cmath>
#include <functional>

using namespace mlir;
using namespace mlir::attn;

bool mlir::attn::bandVisible(const Band &band, int64_t i, int64_t j, int64_t lq,
                             int64_t lk) {
  int64_t d = i + lk - lq;
  if (band.left && j < d - *band.left)
    return false;
  if (band.right && j > d + *band.right)
    return false;
  return true;
}

std::optional<Band> mlir::attn::fitBand(ArrayRef<bool> visible, int64_t lq,
                                        int64_t lk) {
  Band band;
  for (int64_t i = 0; i < lq; ++i) {
    int64_t d = i + lk - lq, lo = -1, hi = -1;
    for (int64_t j = 0; j < lk; ++j)
      if (visible[i * lk + j]) {
        if (lo < 0)
          lo = j;
        hi = j;
      }
    if (lo < 0)
      continue;
    if (lo > 0) {
      if (band.left && *band.left != d - lo)
        return std::nullopt;
      band.left = d - lo;
    }
    if (hi < lk - 1) {
      if (band.right && *band.right != hi - d)
        return std::nullopt;
      band.right = hi - d;
    }
  }
  for (int64_t i = 0; i < lq; ++i)
    for (int64_t j = 0; j < lk; ++j)
      if (visible[i * lk + j] != bandVisible(band, i, j, lq, lk))
        return std::nullopt;
  return band;
}

int64_t mlir::attn::numElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t s : shape)
    n *= s;
  return n;
}

void mlir::attn::delinearize(int64_t lin, ArrayRef<int64_t> shape,
                             SmallVectorImpl<int64_t> &idx) {
  idx.assign(shape.size(), 0);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    idx[d] = lin % shape[d];
    lin /= shape[d];
  }
}

//===----------------------------------------------------------------------===//
// Symbolic bands
//===----------------------------------------------------------------------===//

namespace {
/// An index of a tensor as the mask's computation reads it: ci·i + cj·j +
/// c0 in the query and key indices, or a batch/head index (`other`).
struct IJIndex {
  int64_t ci = 0, cj = 0, c0 = 0;
  bool other = false;
};

/// A scalar of the computation: how to evaluate it at (i, j), whether it
/// is affine in (i, j) (and with which coefficients), and whether it
/// depends on j − i alone.
struct IJValue {
  std::function<double(int64_t, int64_t)> eval;
  std::optional<IJIndex> affine;
  bool dOnly = false;
};

IJValue constantValue(double c) {
  IJValue v;
  v.eval = [c](int64_t, int64_t) { return c; };
  if (c == std::floor(c) && std::abs(c) < 1e15)
    v.affine = IJIndex{0, 0, static_cast<int64_t>(c), false};
  v.dOnly = true;
  return v;
}

IJValue affineValue(IJIndex a) {
  IJValue v;
  v.eval = [a](int64_t i, int64_t j) {
    return static_cast<double>(a.ci * i + a.cj * j + a.c0);
  };
  v.affine = a;
  v.dOnly = a.ci == -a.cj;
  return v;
}

class MaskTracer {
public:
  /// The sum of the magnitudes of the constants the computation adds: the
  /// function of d = j − i is constant beyond it on each side.
  int64_t constantBound = 0;

  std::optional<IJValue> traceTensor(Value t, ArrayRef<IJIndex> idx) {
    if (++steps > kMaxSteps)
      return std::nullopt;
    auto type = dyn_cast<RankedTensorType>(t.getType());
    if (!type || static_cast<int64_t>(idx.size()) != type.getRank())
      return std::nullopt;
    // The only index of a unit dimension is 0.
    SmallVector<IJIndex> at(idx.begin(), idx.end());
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (type.getDimSize(d) == 1)
        at[d] = IJIndex();
    Operation *def = t.getDefiningOp();
    if (!def)
      return std::nullopt;
    if (auto cst = dyn_cast<arith::ConstantOp>(def)) {
      auto dense = dyn_cast<DenseElementsAttr>(cst.getValue());
      if (!dense || !dense.isSplat())
        return std::nullopt;
      return splat(dense);
    }
    if (auto fill = dyn_cast<linalg::FillOp>(def))
      return outside(fill.getInputs()[0]);
    if (auto cast = dyn_cast<tensor::CastOp>(def))
      return traceTensor(cast.getSource(), at);
    if (auto expand = dyn_cast<tensor::ExpandShapeOp>(def)) {
      SmallVector<IJIndex> src;
      for (const ReassociationIndices &group :
           expand.getReassociationIndices()) {
        std::optional<IJIndex> one = singleNonUnit(group, type, at);
        if (!one)
          return std::nullopt;
        src.push_back(*one);
      }
      return traceTensor(expand.getSrc(), src);
    }
    if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(def)) {
      RankedTensorType srcType = collapse.getSrcType();
      SmallVector<IJIndex> src(srcType.getRank());
      for (auto [r, group] :
           llvm::enumerate(collapse.getReassociationIndices())) {
        int64_t nonUnit = -1;
        for (int64_t d : group)
          if (srcType.getDimSize(d) != 1) {
            if (nonUnit >= 0)
              return std::nullopt;
            nonUnit = d;
          }
        if (nonUnit >= 0)
          src[nonUnit] = at[r];
      }
      return traceTensor(collapse.getSrc(), src);
    }
    auto gen = dyn_cast<linalg::GenericOp>(def);
    if (!gen || gen.getNumLoops() != gen.getNumParallelLoops())
      return std::nullopt;
    unsigned result = cast<OpResult>(t).getResultNumber();
    AffineMap outMap = gen.getIndexingMapMatchingResult(cast<OpResult>(t));
    if (!outMap.isPermutation())
      return std::nullopt;
    SmallVector<IJIndex> loops(gen.getNumLoops());
    for (auto [pos, e] : llvm::enumerate(outMap.getResults()))
      loops[cast<AffineDimExpr>(e).getPosition()] = at[pos];
    Value y = gen.getBlock()->getTerminator()->getOperand(result);
    return traceScalar(gen, y, loops);
  }

  std::optional<IJValue> traceScalar(linalg::GenericOp gen, Value v,
                                     ArrayRef<IJIndex> loops) {
    if (++steps > kMaxSteps)
      return std::nullopt;
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      if (arg.getOwner() != gen.getBlock() ||
          arg.getArgNumber() >= gen.getNumDpsInputs())
        return std::nullopt;
      OpOperand *in = gen.getDpsInputOperand(arg.getArgNumber());
      AffineMap map = gen.getMatchingIndexingMap(in);
      if (!isa<RankedTensorType>(in->get().getType()))
        return outside(in->get());
      SmallVector<IJIndex> idx;
      for (AffineExpr e : map.getResults()) {
        if (auto dim = dyn_cast<AffineDimExpr>(e))
          idx.push_back(loops[dim.getPosition()]);
        else if (auto c = dyn_cast<AffineConstantExpr>(e))
          idx.push_back(IJIndex{0, 0, c.getValue(), false});
        else
          return std::nullopt;
      }
      return traceTensor(in->get(), idx);
    }
    Operation *op = v.getDefiningOp();
    if (op->getBlock() != gen.getBlock())
      return outside(v);
    if (auto index = dyn_cast<linalg::IndexOp>(op)) {
      IJIndex a = loops[index.getDim()];
      if (a.other)
        return std::nullopt;
      return affineValue(a);
    }
    if (auto cst = dyn_cast<arith::ConstantOp>(op))
      return outside(cst);
    SmallVector<IJValue> args;
    for (Value operand : op->getOperands()) {
      std::optional<IJValue> a = traceScalar(gen, operand, loops);
      if (!a)
        return std::nullopt;
      args.push_back(*a);
    }
    return combine(op, args);
  }

  /// A value defined outside the bodies: a constant.
  std::optional<IJValue> outside(Value v) {
    Attribute attr;
    if (!matchPattern(v, m_Constant(&attr)))
      return std::nullopt;
    if (auto i = dyn_cast<IntegerAttr>(attr)) {
      int64_t c = i.getType().isInteger(1) ? (i.getValue().isZero() ? 0 : 1)
                                           : i.getValue().getSExtValue();
      constantBound += std::abs(c);
      return constantValue(static_cast<double>(c));
    }
    if (auto f = dyn_cast<FloatAttr>(attr))
      return constantValue(f.getValueAsDouble());
    if (auto dense = dyn_cast<DenseElementsAttr>(attr))
      if (dense.isSplat())
        return splat(dense);
    return std::nullopt;
  }

private:
  static constexpr int kMaxSteps = 4096;
  int steps = 0;

  std::optional<IJValue> splat(DenseElementsAttr dense) {
    Type elt = dense.getElementType();
    if (elt.isInteger(1))
      return constantValue(dense.getSplatValue<bool>() ? 1 : 0);
    if (isa<IntegerType>(elt)) {
      int64_t c = dense.getSplatValue<APInt>().getSExtValue();
      constantBound += std::abs(c);
      return constantValue(static_cast<double>(c));
    }
    if (isa<FloatType>(elt))
      return constantValue(dense.getSplatValue<APFloat>().convertToDouble());
    return std::nullopt;
  }

  /// The index of the one non-unit dimension of `group` (0 when all are
  /// unit); nullopt when several are not unit.
  static std::optional<IJIndex> singleNonUnit(ArrayRef<int64_t> group,
                                              RankedTensorType type,
                                              ArrayRef<IJIndex> at) {
    std::optional<IJIndex> found;
    for (int64_t d : group) {
      if (type.getDimSize(d) == 1)
        continue;
      if (found)
        return std::nullopt;
      found = at[d];
    }
    return found ? *found : IJIndex();
  }

  std::optional<IJValue> combine(Operation *op, ArrayRef<IJValue> args) {
    bool allD = llvm::all_of(args, [](const IJValue &a) { return a.dOnly; });
    auto compose = [&](auto fn) -> std::optional<IJValue> {
      if (!allD)
        return std::nullopt;
      IJValue v;
      SmallVector<std::function<double(int64_t, int64_t)>> evals;
      for (const IJValue &a : args)
        evals.push_back(a.eval);
      v.eval = [evals, fn](int64_t i, int64_t j) {
        SmallVector<double, 3> x;
        for (const auto &e : evals)
          x.push_back(e(i, j));
        return fn(ArrayRef<double>(x));
      };
      v.dOnly = true;
      return v;
    };
    auto affine2 = [&](int64_t sign) -> std::optional<IJValue> {
      if (args[0].affine && args[1].affine) {
        IJIndex a = *args[0].affine, b = *args[1].affine;
        IJIndex r{a.ci + sign * b.ci, a.cj + sign * b.cj, a.c0 + sign * b.c0,
                  false};
        return affineValue(r);
      }
      return compose([sign](ArrayRef<double> x) { return x[0] + sign * x[1]; });
    };
    // Casts keep the value.
    if (isa<arith::IndexCastOp, arith::ExtSIOp, arith::ExtUIOp, arith::SIToFPOp,
            arith::UIToFPOp, arith::ExtFOp, arith::TruncFOp>(op))
      return args[0];
    if (isa<arith::AddIOp, arith::AddFOp>(op))
      return affine2(1);
    if (isa<arith::SubIOp, arith::SubFOp>(op))
      return affine2(-1);
    if (isa<arith::MulIOp>(op)) {
      for (int k = 0; k < 2; ++k) {
        const IJValue &a = args[k], &b = args[1 - k];
        if (b.affine && b.affine->ci == 0 && b.affine->cj == 0 && a.affine) {
          int64_t c = b.affine->c0;
          return affineValue(
              {a.affine->ci * c, a.affine->cj * c, a.affine->c0 * c, false});
        }
      }
      return compose([](ArrayRef<double> x) { return x[0] * x[1]; });
    }
    if (isa<arith::MulFOp>(op))
      return compose([](ArrayRef<double> x) { return x[0] * x[1]; });
    if (isa<arith::NegFOp>(op))
      return compose([](ArrayRef<double> x) { return -x[0]; });
    if (isa<math::AbsIOp, math::AbsFOp>(op))
      return compose([](ArrayRef<double> x) { return std::abs(x[0]); });
    if (isa<arith::MinSIOp, arith::MinimumFOp, arith::MinNumFOp>(op))
      return compose([](ArrayRef<double> x) { return std::min(x[0], x[1]); });
    if (isa<arith::MaxSIOp, arith::MaximumFOp, arith::MaxNumFOp>(op))
      return compose([](ArrayRef<double> x) { return std::max(x[0], x[1]); });
    if (isa<arith::AndIOp>(op) && op->getResult(0).getType().isInteger(1))
      return compose(
          [](ArrayRef<double> x) { return double(x[0] != 0 && x[1] != 0); });
    if (isa<arith::OrIOp>(op) && op->getResult(0).getType().isInteger(1))
      return compose(
          [](ArrayRef<double> x) { return double(x[0] != 0 || x[1] != 0); });
    if (isa<arith::XOrIOp>(op) && op->getResult(0).getType().isInteger(1))
      return compose([](ArrayRef<double> x) {
        return double((x[0] != 0) != (x[1] != 0));
      });
    if (isa<arith::SelectOp>(op))
      return compose(
          [](ArrayRef<double> x) { return x[0] != 0 ? x[1] : x[2]; });
    if (auto cmp = dyn_cast<arith::CmpIOp>(op)) {
      // Signed comparisons; unsigned ones agree on the non-negative values
      // only, which j − i is not.
      arith::CmpIPredicate p = cmp.getPredicate();
      using P = arith::CmpIPredicate;
      if (p != P::eq && p != P::ne && p != P::slt && p != P::sle &&
          p != P::sgt && p != P::sge)
        return std::nullopt;
      // a ≶ b decides on a − b: a function of j − i when the difference of
      // two affine values is (j ≤ i, i − j < W).
      if (!allD && args[0].affine && args[1].affine) {
        IJIndex a = *args[0].affine, b = *args[1].affine;
        if (a.ci - b.ci == -(a.cj - b.cj))
          allD = true;
      }
      return compose([p](ArrayRef<double> x) {
        switch (p) {
        case P::eq:
          return double(x[0] == x[1]);
        case P::ne:
          return double(x[0] != x[1]);
        case P::slt:
          return double(x[0] < x[1]);
        case P::sle:
          return double(x[0] <= x[1]);
        case P::sgt:
          return double(x[0] > x[1]);
        default:
          return double(x[0] >= x[1]);
        }
      });
    }
    return std::nullopt;
  }
};

/// Fits the band of a function `value` of d = j − i with breakpoints within
/// `bound`.
std::optional<Band>
fitBandOfD(const IJValue &value, int64_t bound,
           llvm::function_ref<std::optional<bool>(double)> visible) {
  constexpr int64_t kMaxBound = 1 << 20;
  if (!value.dOnly || bound > kMaxBound)
    return std::nullopt;
  int64_t reach = bound + 2;
  std::optional<int64_t> lo, hi;
  bool seenGap = false;
  for (int64_t d = -reach; d <= reach; ++d) {
    int64_t i = d < 0 ? -d : 0, j = i + d;
    std::optional<bool> vis = visible(value.eval(i, j));
    if (!vis)
      return std::nullopt;
    if (*vis) {
      if (seenGap)
        return std::nullopt; // two intervals
      if (!lo)
        lo = d;
      hi = d;
    } else if (lo) {
      seenGap = true;
    }
  }
  if (!lo)
    return std::nullopt;
  Band band;
  if (*lo > -reach)
    band.left = -*lo;
  if (*hi < reach)
    band.right = *hi;
  return band;
}
} // namespace

std::optional<Band> mlir::attn::fitSymbolicBand(
    Value tensor, AffineMap map,
    llvm::function_ref<std::optional<bool>(double)> visible) {
  if (map.getNumDims() != 4)
    return std::nullopt;
  SmallVector<IJIndex> idx;
  for (AffineExpr e : map.getResults()) {
    if (auto c = dyn_cast<AffineConstantExpr>(e)) {
      idx.push_back(IJIndex{0, 0, c.getValue(), false});
      continue;
    }
    auto dim = dyn_cast<AffineDimExpr>(e);
    if (!dim)
      return std::nullopt;
    switch (dim.getPosition()) {
    case 2:
      idx.push_back(IJIndex{1, 0, 0, false});
      break;
    case 3:
      idx.push_back(IJIndex{0, 1, 0, false});
      break;
    default:
      idx.push_back(IJIndex{0, 0, 0, true});
    }
  }
  MaskTracer tracer;
  std::optional<IJValue> value = tracer.traceTensor(tensor, idx);
  if (!value)
    return std::nullopt;
  return fitBandOfD(*value, tracer.constantBound, visible);
}

std::optional<Band> mlir::attn::fitSymbolicBand(
    Operation *step, Value scalar,
    llvm::function_ref<std::optional<bool>(double)> visible) {
  auto gen = dyn_cast<linalg::GenericOp>(step);
  if (!gen || gen.getNumLoops() != 4 || gen->getNumResults() != 1 ||
      !gen.getIndexingMapMatchingResult(gen->getResult(0)).isIdentity())
    return std::nullopt;
  SmallVector<IJIndex> loops = {IJIndex{0, 0, 0, true}, IJIndex{0, 0, 0, true},
                                IJIndex{1, 0, 0, false},
                                IJIndex{0, 1, 0, false}};
  MaskTracer tracer;
  std::optional<IJValue> value = tracer.traceScalar(gen, scalar, loops);
  if (!value)
    return std::nullopt;
  return fitBandOfD(*value, tracer.constantBound, visible);
}
