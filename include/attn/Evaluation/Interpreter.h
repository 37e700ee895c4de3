//===- Interpreter.h - Float64 interpreter of tensor functions --*- C++ -*-===//
//
// Declares an interpreter that evaluates the body of a `func.func` in
// float64, op by op: attn ops with the kernels of Reference.h, and the
// linalg, tensor and scalar arith/math ops that frontends write around
// attention. It is the reference of `attn-run --check`, and in a shape-only
// mode it checks the actual (runtime) input shapes against the function and
// counts the FLOPs of its attention and contraction ops (FlopCount.h)
// before compiled code runs. Constants are read by the decoder the raising
// passes use (ConstantUtils.h); tensors are the runtime's RefTensor.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_EVALUATION_INTERPRETER_H
#define ATTN_EVALUATION_INTERPRETER_H

#include "attn/Runtime/Reference.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/ArrayRef.h"

#include <string>
#include <vector>

namespace mlir::attn::runtime {

/// The outcome of evaluating a function.
enum class EvalStatus {
  /// Every op was evaluated; `EvalResult::results` holds the results.
  Ok,
  /// The function contains an op (or an op of a region) with no float64
  /// reference, or, in shape-only mode, a size computed from tensor data.
  Unsupported,
  /// The actual shapes (or values) are inconsistent with the function: an
  /// argument or result does not match its type, or operands disagree.
  Invalid,
};

/// What evaluateFunction returns.
struct EvalResult {
  EvalStatus status = EvalStatus::Ok;
  /// For Unsupported/Invalid: one line naming the op, prefixed by its
  /// location ("file.mlir:12:8: 'linalg.matmul' has no float64 reference"),
  /// or the shape mismatch ("file.mlir:5:10: 'attn.sdpa' key batch size 3
  /// does not match query batch size 2"). Empty for Ok.
  std::string message;
  /// One RefTensor per function result; shapes are always filled, data only
  /// when values are computed.
  std::vector<RefTensor> results;
  /// FLOPs of the ops evaluated, summed from countFlops (FlopCount.h) on
  /// their actual operand shapes.
  double flops = 0;
  /// Whether the function contains at least one attn op.
  bool hasAttnOps = false;
  /// Bytes of float64 data the value mode holds: 8 per element of every
  /// argument and op result evaluated (an upper bound: nothing is freed
  /// before the end). Filled in both modes, so the shape-only mode sizes
  /// the value mode before it allocates.
  double referenceBytes = 0;
  /// Elements of the [B, H, Lq, Lk] score matrices of the attention ops
  /// (attn.sdpa, attn.mha), which a strategy that materialises the scores
  /// allocates.
  double scoreElements = 0;
};

/// Evaluates `func` on `args` (one RefTensor per function argument, i1
/// values as 0/1 and integers exact). When `computeValues` is false only
/// shapes are propagated and checked, and the data of `args` may be empty.
///
/// Supported ops: every attn op (including the score_mod region, the lse
/// result and the tile_origin of attn.sdpa); every linalg
/// structured op on tensors whose loops each index some operand dimension
/// alone (its body interpreted at each point of the loops, in row-major loop
/// order, reductions accumulating into the inits), and linalg.softmax;
/// tensor.empty, expand_shape, collapse_shape, extract_slice, insert_slice,
/// concat, dim, extract and cast; scalar arith and math ops on integers,
/// index and floats; arith.constant with a scalar, dense or dense_resource
/// value; func.return. Every op is checked for support before any is
/// evaluated, and each op checks its actual operand shapes against their
/// types and against each other before it runs. The shape-only mode does no
/// per-element work: it propagates shapes and the index scalars sizes depend
/// on (tensor.dim and arith on them).
EvalResult evaluateFunction(func::FuncOp func, llvm::ArrayRef<RefTensor> args,
                            bool computeValues);

} // namespace mlir::attn::runtime

#endif // ATTN_EVALUATION_INTERPRETER_H
