//===- ConstantUtils.h - Reading the elements of constants ------*- C++ -*-===//
//
// One decoder of constant tensors (dense and dense_resource elements) into
// float64 values, shared by the raising passes (compile-time masks) and the
// float64 interpreter, so that both read a constant the same way.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_UTILS_CONSTANTUTILS_H
#define ATTN_DIALECT_ATTN_UTILS_CONSTANTUTILS_H

#include "mlir/IR/Attributes.h"
#include "mlir/Support/LLVM.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir {
namespace attn {

/// Why `attr` cannot be decoded by decodeConstantElements (e.g. "a
/// dense_resource whose blob is absent or of the wrong size"), or
/// std::nullopt when it can. Reads no element.
std::optional<std::string> getConstantDecodeError(Attribute attr);

/// The elements of a dense or dense_resource constant of a statically
/// shaped tensor as doubles, in row-major order: floats of up to 64 bits
/// exactly, integers (and index, in dense form) sign-extended unless the
/// type is unsigned, i1 as 0 or 1. dense_resource blobs hold little-endian
/// elements of ceil(width / 8) bytes. Fails when getConstantDecodeError
/// gives a reason.
FailureOr<std::vector<double>> decodeConstantElements(Attribute attr);

/// The value of a scalar constant attribute (FloatAttr, IntegerAttr) with
/// the rules of decodeConstantElements, or std::nullopt for other
/// attributes.
std::optional<double> decodeConstantScalar(Attribute attr);

} // namespace attn
} // namespace mlir

#endif // ATTN_DIALECT_ATTN_UTILS_CONSTANTUTILS_H
