//===- AttnTransformOps.cpp - transform.attn.* ops ------------------------===//
//
// Implements transform.attn.tile_flash, transform.attn.split_kv and
// transform.attn.vectorize on top of the core functions of attn-tile-flash,
// attn-split-kv and attn-vectorize, so scripted and fixed strategies cannot
// drift apart.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/TransformOps/AttnTransformOps.h"

#include "attn/Dialect/Attn/IR/AttnDialect.h"
#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Transforms/Transforms.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include "llvm/Support/DebugLog.h"

#define DEBUG_TYPE "attn-transform-ops"

using namespace mlir;
using namespace mlir::attn;

/// The scf.forall that produces `value` through any chain of single-input
/// ops, or null.
static Operation *findProducingForall(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (isa<scf::ForallOp>(def))
      return def;
    if (def->getNumOperands() == 0)
      return nullptr;
    value = def->getOperand(0);
  }
  return nullptr;
}

/// Runs `rewrite` on `target` if it is an attn.sdpa and returns the forall
/// producing its replacement.
static DiagnosedSilenceableFailure applyStrategy(
    transform::TransformOpInterface transformOp, Operation *target,
    transform::ApplyToEachResultList &results,
    function_ref<FailureOr<SmallVector<Value>>(SdpaOp)> rewrite) {
  auto sdpa = dyn_cast<SdpaOp>(target);
  if (!sdpa) {
    LDBG() << transformOp->getName() << ": target " << target->getName()
           << " at " << target->getLoc() << " is not an attn.sdpa";
    return emitSilenceableFailure(transformOp)
           << "expected an attn.sdpa target, got " << target->getName();
  }
  FailureOr<SmallVector<Value>> replacements = rewrite(sdpa);
  if (failed(replacements)) {
    LDBG() << transformOp->getName() << ": the rewrite failed";
    return emitDefiniteFailure(transformOp) << "failed to apply";
  }
  Operation *loop = findProducingForall((*replacements)[0]);
  if (!loop) {
    LDBG() << transformOp->getName() << ": no scf.forall produces the result";
    return emitDefiniteFailure(transformOp)
           << "the rewrite produced no scf.forall";
  }
  LDBG() << transformOp->getName() << ": returns the scf.forall at "
         << loop->getLoc();
  results.push_back(loop);
  return DiagnosedSilenceableFailure::success();
}

DiagnosedSilenceableFailure
transform::TileFlashOp::applyToOne(transform::TransformRewriter &rewriter,
                                   Operation *target,
                                   transform::ApplyToEachResultList &results,
                                   transform::TransformState &state) {
  if (getTileQ() <= 0 || getTileKv() <= 0)
    return emitDefiniteFailure() << "tile_q and tile_kv must be > 0";
  FlashTilingOptions options;
  options.tileQ = getTileQ();
  options.tileKv = getTileKv();
  options.staticBlocks = getStaticBlocks();
  if (getGpuBlocks())
    options.mapping = getGpuBlockMapping(getContext());
  LDBG() << "tile_flash: tile_q " << options.tileQ << ", tile_kv "
         << options.tileKv << (options.staticBlocks ? ", static blocks" : "");
  return applyStrategy(*this, target, results, [&](SdpaOp op) {
    return tileToFlash(rewriter, op, options);
  });
}

DiagnosedSilenceableFailure
transform::SplitKvOp::applyToOne(transform::TransformRewriter &rewriter,
                                 Operation *target,
                                 transform::ApplyToEachResultList &results,
                                 transform::TransformState &state) {
  if (getNumSplits() < 0 || getTileKv() <= 0)
    return emitDefiniteFailure() << "num_splits must be >= 0 and tile_kv > 0";
  SplitKvOptions options;
  options.numSplits = getNumSplits();
  options.tileKv = getTileKv();
  options.staticBlocks = getStaticBlocks();
  LDBG() << "split_kv: num_splits " << options.numSplits << ", tile_kv "
         << options.tileKv << (options.staticBlocks ? ", static blocks" : "");
  return applyStrategy(*this, target, results, [&](SdpaOp op) {
    return splitKv(rewriter, op, options);
  });
}

LogicalResult transform::AttnVectorizeOp::verify() {
  if (!isValidVectorBits(getVectorBits()))
    return emitOpError("vector_bits must be 0, 128, 256 or 512, got ")
           << getVectorBits();
  return success();
}

void transform::AttnVectorizeOp::getEffects(
    SmallVectorImpl<MemoryEffects::EffectInstance> &effects) {
  onlyReadsHandle(getTargetMutable(), effects);
  modifiesPayload(effects);
}

DiagnosedSilenceableFailure transform::AttnVectorizeOp::applyToOne(
    transform::TransformRewriter &rewriter, Operation *target,
    transform::ApplyToEachResultList &results,
    transform::TransformState &state) {
  VectorizeOptions options;
  options.vectorBits = getVectorBits();
  options.report = getReport();
  LDBG() << "vectorize: " << options.vectorBits << "-bit vectors in "
         << target->getName() << " at " << target->getLoc();
  // Invalid options are rejected by the verifier.
  if (failed(vectorizeAttentionTiles(rewriter, target, options)))
    return emitDefiniteFailure() << "failed to apply";
  return DiagnosedSilenceableFailure::success();
}

#define GET_OP_CLASSES
#include "attn/Dialect/Attn/TransformOps/AttnTransformOps.cpp.inc"

namespace {
class AttnTransformDialectExtension
    : public transform::TransformDialectExtension<
          AttnTransformDialectExtension> {
public:
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(AttnTransformDialectExtension)
  using Base::Base;
  void init() {
    declareDependentDialect<AttnDialect>();
    declareGeneratedDialect<scf::SCFDialect>();
    declareGeneratedDialect<vector::VectorDialect>();
    registerTransformOps<
#define GET_OP_LIST
#include "attn/Dialect/Attn/TransformOps/AttnTransformOps.cpp.inc"
        >();
  }
};
} // namespace

void mlir::attn::registerTransformDialectExtension(DialectRegistry &registry) {
  registry.addExtensions<AttnTransformDialectExtension>();
}
