//===- FlopCount.cpp - Floating-point operations of attention ops ---------===//
//
// Counts the FLOPs of attn ops and linalg contractions from their actual
// operand shapes, independently of how (or whether) they are evaluated.
//
//===----------------------------------------------------------------------===//

#include "attn/Evaluation/FlopCount.h"

#include "attn/Dialect/Attn/IR/AttnOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::attn;

/// FLOPs of the attention core: Q·Kᵀ and P·V, halved when causal.
static double getAttentionFlops(double batch, double numHeads, double qLen,
                                double kvLen, double headDim, double valueDim,
                                bool causal) {
  double flops =
      2.0 * batch * numHeads * qLen * kvLen * (headDim + valueDim);
  return causal ? flops / 2 : flops;
}

/// Whether every shape has the rank `ranks` gives (0: any).
static bool hasRanks(ArrayRef<std::vector<int64_t>> shapes,
                     ArrayRef<size_t> ranks) {
  if (shapes.size() < ranks.size())
    return false;
  for (auto [shape, rank] : llvm::zip(shapes, ranks))
    if (rank && shape.size() != rank)
      return false;
  return true;
}

static double countContractionFlops(linalg::LinalgOp op,
                                    ArrayRef<std::vector<int64_t>> shapes) {
  if (!linalg::isaContractionOpInterface(op))
    return 0;
  SmallVector<int64_t> loopSizes(op.getNumLoops(), -1);
  for (auto [operand, map] :
       llvm::zip(op->getOpOperands(), op.getIndexingMapsArray())) {
    const std::vector<int64_t> &shape = shapes[operand.getOperandNumber()];
    if (shape.size() != map.getNumResults())
      continue;
    for (auto [r, expr] : llvm::enumerate(map.getResults()))
      if (auto dim = dyn_cast<AffineDimExpr>(expr))
        loopSizes[dim.getPosition()] = shape[r];
  }
  double points = 1;
  for (int64_t size : loopSizes) {
    if (size < 0)
      return 0;
    points *= static_cast<double>(size);
  }
  return 2.0 * points;
}

double mlir::attn::countFlops(Operation *op,
                              ArrayRef<std::vector<int64_t>> shapes) {
  if (shapes.size() != op->getNumOperands())
    return 0;
  return llvm::TypeSwitch<Operation *, double>(op)
      .Case([&](SdpaOp sdpa) -> double {
        if (!hasRanks(shapes, {4, 4, 4}))
          return 0;
        const auto &q = shapes[0], &k = shapes[1], &v = shapes[2];
        return getAttentionFlops(q[0], q[1], q[2], k[2], q[3], v[3],
                                 sdpa.getCausal());
      })
      .Case([&](MhaOp mha) -> double {
        if (!hasRanks(shapes, {3, 2, 2, 2, 2}))
          return 0;
        const auto &x = shapes[0], &wq = shapes[1], &wk = shapes[2],
                   &wv = shapes[3], &wo = shapes[4];
        double numHeads = static_cast<double>(mha.getNumHeads());
        double numKvHeads = static_cast<double>(mha.getNumKvHeadsOrDefault());
        double rows = static_cast<double>(x[0]) * x[1];
        return getAttentionFlops(x[0], numHeads, x[1], x[1],
                                 wq[1] / numHeads, wv[1] / numKvHeads,
                                 mha.getCausal()) +
               2.0 * rows * x[2] * (wq[1] + wk[1] + wv[1]) +
               2.0 * rows * wo[0] * wo[1];
      })
      .Case([&](ScoresOp) -> double {
        if (!hasRanks(shapes, {4, 4}))
          return 0;
        const auto &q = shapes[0], &k = shapes[1];
        return 2.0 * q[0] * q[1] * q[2] * k[2] * q[3];
      })
      .Case([&](ContextOp) -> double {
        if (!hasRanks(shapes, {4, 4}))
          return 0;
        const auto &p = shapes[0], &v = shapes[1];
        return 2.0 * p[0] * p[1] * p[2] * p[3] * v[3];
      })
      .Case([&](LinearOp) -> double {
        if (!hasRanks(shapes, {0, 2}) || shapes[0].empty())
          return 0;
        double rows = 1;
        for (size_t d = 0; d + 1 < shapes[0].size(); ++d)
          rows *= static_cast<double>(shapes[0][d]);
        return 2.0 * rows * shapes[1][0] * shapes[1][1];
      })
      .Case([&](linalg::LinalgOp linalgOp) {
        return countContractionFlops(linalgOp, shapes);
      })
      .Default([](Operation *) { return 0.0; });
}
