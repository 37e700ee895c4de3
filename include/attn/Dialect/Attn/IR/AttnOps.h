//===- AttnOps.h - Attn dialect operations ----------------------*- C++ -*-===//
//
// Declares the operations of the `attn` dialect.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_IR_ATTNOPS_H
#define ATTN_DIALECT_ATTN_IR_ATTNOPS_H

#include "attn/Dialect/Attn/IR/AttnDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/TilingInterface.h"

namespace mlir::attn {

/// Whether an array of `shape` (dynamic sizes counted as 1) with
/// `elementBytes`-byte elements has fewer than 2^63 bytes: (S1) of the
/// dialect, and what a lowering that materialises a tensor must check.
bool hasBoundedByteSize(ArrayRef<int64_t> shape, uint64_t elementBytes);

} // namespace mlir::attn

namespace mlir::attn::AttnTrait {

/// Checks (S1): every tensor type of the op (dynamic sizes counted as 1) has
/// fewer than 2^63 bytes.
LogicalResult verifyBoundedSizes(Operation *op);

template <typename ConcreteType>
class BoundedSizes
    : public ::mlir::OpTrait::TraitBase<ConcreteType, BoundedSizes> {
public:
  static LogicalResult verifyTrait(Operation *op) {
    return verifyBoundedSizes(op);
  }
};

} // namespace mlir::attn::AttnTrait

#define GET_OP_CLASSES
#include "attn/Dialect/Attn/IR/AttnOps.h.inc"

#endif // ATTN_DIALECT_ATTN_IR_ATTNOPS_H
