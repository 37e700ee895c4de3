//===- MaskBands.h - visibility bands of compile-time masks -----*- C++ -*-===//
//
// The raising passes (attn-raise-linalg, attn-raise-tosa) evaluate masks that
// are computable at compile time into an Lq×Lk visibility plane and, when
// that plane is a band in Attn's bottom-right alignment, turn it into the
// `causal` or `window` attribute. Private to lib/Transforms.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_TRANSFORMS_MASKBANDS_H
#define ATTN_LIB_TRANSFORMS_MASKBANDS_H

#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Attributes.h"
#include "mlir/IR/Value.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace mlir {
namespace attn {

/// Visibility band in Attn's bottom-right alignment: key j is visible for
/// query i iff i' − left ≤ j ≤ i' + right, i' = i + Lk − Lq; a missing side
/// is unbounded.
struct Band {
  std::optional<int64_t> left, right;
};

/// True if key `j` is visible for query `i` under `band`.
bool bandVisible(const Band &band, int64_t i, int64_t j, int64_t lq,
                 int64_t lk);

/// Fits a band to the row-major Lq×Lk visibility plane `visible`, or fails.
std::optional<Band> fitBand(ArrayRef<bool> visible, int64_t lq, int64_t lk);

/// Fits a band to a mask whose lengths are not known at compile time, by
/// following its computation symbolically in the query and key indices
/// (i, j) of [B, H, Lq, Lk] scores with Lq = Lk. The mask element must be a
/// function of j − i alone (index arithmetic, comparisons, abs/min/max,
/// selects and casts of it, constants; through generics, broadcasts,
/// expand/collapse_shape and fills). Such a function is constant for
/// |j − i| beyond the sum of the constants it adds, so evaluating it on that
/// range decides it exactly for every length. `visible(v)` says whether a
/// mask value keeps the key (nullopt: neither visible nor masked, not a
/// band).
///
/// `tensor` read through `map` over the (b, h, i, j) loops:
std::optional<Band>
fitSymbolicBand(Value tensor, AffineMap map,
                llvm::function_ref<std::optional<bool>(double)> visible);
/// `scalar`, a value of the body of `step`, an elementwise generic over the
/// (b, h, i, j) loops:
std::optional<Band>
fitSymbolicBand(Operation *step, Value scalar,
                llvm::function_ref<std::optional<bool>(double)> visible);

/// The number of elements of a static `shape`.
int64_t numElements(ArrayRef<int64_t> shape);

/// The multi-index `idx` of the row-major linear position `lin` in `shape`.
void delinearize(int64_t lin, ArrayRef<int64_t> shape,
                 SmallVectorImpl<int64_t> &idx);

} // namespace attn
} // namespace mlir

#endif // ATTN_LIB_TRANSFORMS_MASKBANDS_H
