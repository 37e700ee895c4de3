//===- ExpandMath.cpp - math functions without an LLVM intrinsic ----------===//
//
// Implements `attn-expand-math`: math.erf / math.erfc, which convert-to-llvm
// cannot lower, as upstream's f32 polynomial approximations (f16 and bf16
// through f32), or, for scalar f64, as calls of the C library; math.fpowi /
// ipowi by upstream's expansion.
//
//===----------------------------------------------------------------------===//

#include "attn/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace attn {
#define GEN_PASS_DEF_ATTNEXPANDMATHPASS
#include "attn/Transforms/Passes.h.inc"
} // namespace attn
} // namespace mlir

using namespace mlir;
using namespace mlir::attn;

namespace {
/// Scalar f64 `Op` as a call of the C library's `name`, declared once in
/// the nearest symbol table.
template <typename Op> struct F64ToLibmCall : OpRewritePattern<Op> {
  F64ToLibmCall(MLIRContext *ctx, StringRef name)
      : OpRewritePattern<Op>(ctx), name(name) {}

  LogicalResult matchAndRewrite(Op op,
                                PatternRewriter &rewriter) const override {
    Type type = op.getType();
    if (!type.isF64())
      return failure();
    Operation *table = SymbolTable::getNearestSymbolTable(op);
    if (!table)
      return rewriter.notifyMatchFailure(op, "no symbol table to declare in");
    auto fnType = rewriter.getFunctionType({type}, {type});
    auto callee = SymbolTable::lookupSymbolIn(table, name);
    if (!callee) {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(&table->getRegion(0).front());
      auto decl = func::FuncOp::create(rewriter, op.getLoc(), name, fnType);
      decl.setPrivate();
    } else if (auto fn = dyn_cast<func::FuncOp>(callee);
               !fn || fn.getFunctionType() != fnType) {
      return rewriter.notifyMatchFailure(op, "the symbol is taken");
    }
    rewriter.replaceOpWithNewOp<func::CallOp>(op, name, TypeRange{type},
                                              op->getOperands());
    return success();
  }

  std::string name;
};

struct AttnExpandMathPass
    : attn::impl::AttnExpandMathPassBase<AttnExpandMathPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    // (The upstream predicates receive the operation names.)
    auto isErf = [](StringRef name) {
      return name == math::ErfOp::getOperationName() ||
             name == math::ErfcOp::getOperationName();
    };
    RewritePatternSet patterns(ctx);
    // f16/bf16 through f32, then the f32 approximations.
    populateMathF32ExpansionPatterns(patterns, isErf);
    populateMathPolynomialApproximationPatterns(patterns, isErf);
    // x ** n with an integer n (torch's pow(2) in RMSNorm): llvm.intr.powi
    // takes a scalar i32 exponent only; upstream expands it to products.
    math::populateExpansionPatterns(patterns, {"fpowi", "ipowi"});
    patterns.add<F64ToLibmCall<math::ErfOp>>(ctx, "erf");
    patterns.add<F64ToLibmCall<math::ErfcOp>>(ctx, "erfc");
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // What is left has no lowering: say so on the op.
    WalkResult result = getOperation()->walk([](Operation *op) {
      if (!isa<math::ErfOp, math::ErfcOp>(op))
        return WalkResult::advance();
      op->emitOpError("on ")
          << op->getResult(0).getType()
          << " has no lowering (f16, bf16 and f32 are approximated, scalar "
             "f64 calls the C library)";
      return WalkResult::interrupt();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
