//===- Passes.h - Attn transformation passes --------------------*- C++ -*-===//
//
// Declares the passes of Attn (generated from Passes.td) and their
// registration.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_TRANSFORMS_PASSES_H
#define ATTN_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace attn {

#define GEN_PASS_DECL
#include "attn/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "attn/Transforms/Passes.h.inc"

/// Adds to `funcPm` (on func.func) the front door for frontend IR: TOSA
/// lowered by upstream's conversions (a no-op without TOSA), dynamic-shape
/// size arithmetic reduced (`int-range-optimizations`, `canonicalize`,
/// `cse`) and its guards folded (`attn-fold-shape-guards`), then
/// `attn-raise-linalg`, the one recogniser.
void addFrontendRaisingPasses(OpPassManager &funcPm,
                              bool reportRefusals = false);

} // namespace attn
} // namespace mlir

#endif // ATTN_TRANSFORMS_PASSES_H
