//===- FlopCount.h - Floating-point operations of attention ops -*- C++ -*-===//
//
// Declares the FLOP count that `attn-run --bench` divides by its time and
// that DESIGN §7 defines: the multiply-adds of the contractions of attn ops
// and linalg contractions, for the actual (run-time) operand shapes.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_EVALUATION_FLOPCOUNT_H
#define ATTN_EVALUATION_FLOPCOUNT_H

#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <vector>

namespace mlir::attn {

/// The FLOPs of `op` for operands of the shapes `operandShapes` (one per
/// operand, empty for a scalar):
/// - attn.sdpa: 2·B·Hq·Lq·Lk·(D + Dv), halved when causal;
/// - attn.mha: its sdpa part plus 2·B·L·In·Out per projection;
/// - attn.scores: 2·B·Hq·Lq·Lk·D; attn.context: 2·B·Hq·Lq·Lk·Dv;
/// - attn.linear: 2·rows·In·Out;
/// - a linalg contraction (linalg::isaContractionOpInterface): 2 per point
///   of its loops (each loop sized by an operand dimension it indexes
///   alone).
/// Other ops, and shapes that do not determine the sizes, count 0.
double countFlops(Operation *op, ArrayRef<std::vector<int64_t>> operandShapes);

} // namespace mlir::attn

#endif // ATTN_EVALUATION_FLOPCOUNT_H
