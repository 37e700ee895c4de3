//===- RaiseTosa.cpp - attention in TOSA to attn.sdpa ---------------------===//
//
// Implements `attn-raise-tosa`: TOSA is brought to linalg on tensors by the
// upstream conversions (tosa-to-linalg-named, tosa-to-linalg, tosa-to-arith,
// tosa-to-tensor), dynamic sizes are simplified and their guards folded
// (int-range-optimizations, canonicalize, cse, attn-fold-shape-guards), and
// the attention in it is raised by the one recogniser, attn-raise-linalg.
// addFrontendRaisingPasses, defined here, is that front door; the pipelines
// use it too. There is no second matcher of TOSA
// spellings: whatever the upstream lowering writes is what the linalg
// recogniser reads.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnDialect.h"
#include "attn/Transforms/Passes.h"

#include "mlir/Conversion/TosaToArith/TosaToArith.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Conversion/TosaToTensor/TosaToTensor.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

namespace mlir {
namespace attn {
#define GEN_PASS_DEF_ATTNRAISETOSAPASS
#include "attn/Transforms/Passes.h.inc"
} // namespace attn
} // namespace mlir

using namespace mlir;
using namespace mlir::attn;

namespace {
struct AttnRaiseTosaPass
    : attn::impl::AttnRaiseTosaPassBase<AttnRaiseTosaPass> {
  using AttnRaiseTosaPassBase::AttnRaiseTosaPassBase;

  void runOnOperation() override {
    Operation *op = getOperation();
    OpPassManager pm(op->getName());
    OpPassManager &funcPm =
        isa<func::FuncOp>(op) ? pm : pm.nest<func::FuncOp>();
    addFrontendRaisingPasses(funcPm, reportRefusals);
    // TOSA the upstream conversions cannot lower fails with their error.
    if (failed(runPipeline(pm, op)))
      signalPassFailure();
  }
};
} // namespace

void mlir::attn::addFrontendRaisingPasses(OpPassManager &funcPm,
                                          bool reportRefusals) {
  funcPm.addPass(tosa::createTosaToLinalgNamed());
  funcPm.addPass(tosa::createTosaToLinalg());
  funcPm.addPass(createTosaToArithPass());
  funcPm.addPass(createTosaToTensorPass());
  // Dynamic sizes: torch-mlir's size arithmetic reduced to the sizes (a
  // tensor.dim is never negative), then its run-time broadcast guards and
  // shape-tensor reshapes folded where the sizes provably agree.
  funcPm.addPass(arith::createIntRangeOptimizationsPass());
  funcPm.addPass(createCanonicalizerPass());
  funcPm.addPass(createCSEPass());
  funcPm.addPass(createAttnFoldShapeGuardsPass());
  funcPm.addPass(createCanonicalizerPass());
  AttnRaiseLinalgPassOptions raise;
  raise.reportRefusals = reportRefusals;
  funcPm.addPass(createAttnRaiseLinalgPass(raise));
}
