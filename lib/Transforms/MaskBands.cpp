//===- MaskBands.cpp - visibility bands of compile-time masks -------------===//
//
// Fits Attn's bottom-right-aligned visibility band to a visibility plane
// (see MaskBands.h).
//
//===----------------------------------------------------------------------===//

#include "MaskBands.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace mlir::attn;

bool mlir::attn::bandVisible(const Band &band, int64_t i, int64_t j,
                             int64_t lq, int64_t lk) {
  int64_t d = i + lk - lq;
  if (band.left && j < d - *band.left)
    return false;
  if (band.right && j > d + *band.right)
    return false;
  return true;
}

std::optional<Band> mlir::attn::fitBand(ArrayRef<bool> visible, int64_t lq,
                                        int64_t lk) {
  Band band;
  for (int64_t i = 0; i < lq; ++i) {
    int64_t d = i + lk - lq, lo = -1, hi = -1;
    for (int64_t j = 0; j < lk; ++j)
      if (visible[i * lk + j]) {
        if (lo < 0)
          lo = j;
        hi = j;
      }
    if (lo < 0)
      continue;
    if (lo > 0) {
      if (band.left && *band.left != d - lo)
        return std::nullopt;
      band.left = d - lo;
    }
    if (hi < lk - 1) {
      if (band.right && *band.right != hi - d)
        return std::nullopt;
      band.right = hi - d;
    }
  }
  for (int64_t i = 0; i < lq; ++i)
    for (int64_t j = 0; j < lk; ++j)
      if (visible[i * lk + j] != bandVisible(band, i, j, lq, lk))
        return std::nullopt;
  return band;
}

int64_t mlir::attn::numElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t s : shape)
    n *= s;
  return n;
}

void mlir::attn::delinearize(int64_t lin, ArrayRef<int64_t> shape,
                             SmallVectorImpl<int64_t> &idx) {
  idx.assign(shape.size(), 0);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    idx[d] = lin % shape[d];
    lin /= shape[d];
  }
}
