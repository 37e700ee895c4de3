//===- LimitLLVMUnroll.cpp - unroll hints for the loops LLVM sees ---------===//
//
// Implements `attn-limit-llvm-unroll`: before the loops become branches,
// every scf.for that carries no vector value (the tile, partition and
// bookkeeping loops, and the scalar tails of padded blocks) is annotated so
// that LLVM does not unroll it, unless it is an innermost loop with a static
// trip count; the vector-carrying loops (the register-blocked tile
// computations) optionally get an unroll count.
// LLVM's runtime unrolling of the scalar loops of a dynamic-length nest is
// what made such nests take seconds to compile.
//
//===----------------------------------------------------------------------===//

#include "attn/Transforms/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include "llvm/Support/DebugLog.h"

#define DEBUG_TYPE "attn-limit-llvm-unroll"

namespace mlir {
namespace attn {
#define GEN_PASS_DEF_ATTNLIMITLLVMUNROLLPASS
#include "attn/Transforms/Passes.h.inc"
} // namespace attn
} // namespace mlir

using namespace mlir;
using namespace mlir::attn;

/// The name of the `loop_annotation` attribute of `llvm.br` and
/// `llvm.cond_br`: scf-to-cf and cf-to-llvm carry an attribute of this name
/// from scf.for to the back edge, where the translation to LLVM IR emits it
/// as `!llvm.loop` metadata.
static constexpr StringLiteral kLoopAnnotation = "loop_annotation";

/// The discardable spelling some producers use; it is not translated, but a
/// loop carrying it was annotated on purpose and is left alone.
static constexpr StringLiteral kLlvmLoopAnnotation = "llvm.loop_annotation";

/// Whether `loop` has a static trip count and no loop inside it: unrolling
/// it cannot multiply other loops or need a remainder loop.
static bool isBoundedInnermostLoop(scf::ForOp loop) {
  if (!loop.getStaticTripCount())
    return false;
  WalkResult nested = loop.getBody()->walk([](LoopLikeOpInterface) {
    return WalkResult::interrupt();
  });
  return !nested.wasInterrupted();
}

/// Sets the LLVM unroll hint of `loop`: a loop whose iter_args carry no
/// vector gets `unroll(disable)`, unless it is innermost with a static trip
/// count (then it is left to LLVM); one that carries vectors gets
/// `unroll(count = vectorUnrollCount)` when that is > 0 and is otherwise left
/// to LLVM. A loop that already has a loop annotation is left alone. Returns
/// whether `loop` was annotated.
static bool limitLLVMUnroll(scf::ForOp loop, int64_t vectorUnrollCount) {
  if (loop->hasAttr(kLoopAnnotation) || loop->hasAttr(kLlvmLoopAnnotation))
    return false;
  bool carriesVectors = llvm::any_of(loop.getRegionIterArgs(), [](Value v) {
    return isa<VectorType>(v.getType());
  });
  // LLVM's thresholds bound what unrolling does to a bounded innermost loop
  // (no remainder loop, no copies of inner loops), and such loops are the
  // hot loops of scalar code.
  if (!carriesVectors && isBoundedInnermostLoop(loop))
    return false;
  MLIRContext *ctx = loop.getContext();
  LLVM::LoopUnrollAttr unroll;
  if (!carriesVectors) {
    unroll = LLVM::LoopUnrollAttr::get(
        ctx, /*disable=*/BoolAttr::get(ctx, true), /*count=*/{},
        /*runtimeDisable=*/{}, /*full=*/{}, /*followupUnrolled=*/{},
        /*followupRemainder=*/{}, /*followupAll=*/{});
  } else if (vectorUnrollCount > 0) {
    unroll = LLVM::LoopUnrollAttr::get(
        ctx, /*disable=*/{},
        IntegerAttr::get(IntegerType::get(ctx, 32), vectorUnrollCount),
        /*runtimeDisable=*/{}, /*full=*/{}, /*followupUnrolled=*/{},
        /*followupRemainder=*/{}, /*followupAll=*/{});
  } else {
    return false;
  }
  auto annotation = LLVM::LoopAnnotationAttr::get(
      ctx, /*disableNonforced=*/{}, /*vectorize=*/{}, /*interleave=*/{},
      unroll, /*unrollAndJam=*/{}, /*licm=*/{}, /*distribute=*/{},
      /*pipeline=*/{}, /*peeled=*/{}, /*unswitch=*/{}, /*mustProgress=*/{},
      /*isVectorized=*/{}, /*startLoc=*/{}, /*endLoc=*/{},
      /*parallelAccesses=*/{});
  loop->setAttr(kLoopAnnotation, annotation);
  return true;
}

namespace {
struct AttnLimitLLVMUnrollPass
    : attn::impl::AttnLimitLLVMUnrollPassBase<AttnLimitLLVMUnrollPass> {
  using AttnLimitLLVMUnrollPassBase::AttnLimitLLVMUnrollPassBase;
  void runOnOperation() override {
    if (innerUnrollCount < 0) {
      getOperation()->emitError()
          << "attn-limit-llvm-unroll: inner-unroll-count must be >= 0, got "
          << int64_t(innerUnrollCount);
      return signalPassFailure();
    }
    getOperation()->walk([&](scf::ForOp loop) {
      bool annotated = limitLLVMUnroll(loop, innerUnrollCount);
      LDBG() << (annotated ? "annotated" : "left alone") << " the loop at "
             << loop.getLoc();
    });
  }
};
} // namespace
