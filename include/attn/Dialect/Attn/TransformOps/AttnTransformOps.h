//===- AttnTransformOps.h - transform.attn.* ops ----------------*- C++ -*-===//
//
// Declares the transform.attn.* ops (generated from AttnTransformOps.td) and
// the registration of their transform-dialect extension.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_TRANSFORMOPS_ATTNTRANSFORMOPS_H
#define ATTN_DIALECT_ATTN_TRANSFORMOPS_ATTNTRANSFORMOPS_H

#include "mlir/Dialect/Transform/IR/TransformDialect.h"
#include "mlir/Dialect/Transform/Interfaces/TransformInterfaces.h"
#include "mlir/IR/OpImplementation.h"

#define GET_OP_CLASSES
#include "attn/Dialect/Attn/TransformOps/AttnTransformOps.h.inc"

namespace mlir {
class DialectRegistry;
namespace attn {
/// Registers the transform.attn.* ops with the transform dialect.
void registerTransformDialectExtension(DialectRegistry &registry);
} // namespace attn
} // namespace mlir

#endif // ATTN_DIALECT_ATTN_TRANSFORMOPS_ATTNTRANSFORMOPS_H
