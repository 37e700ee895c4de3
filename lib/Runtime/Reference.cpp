//===- Reference.cpp - Float64 attention reference --------------*- C++ -*-===//
//
// Implements the float64 attention reference with plain loops over row-major
// tensors, plus the error metric comparing a result against it. Clarity is
// preferred over speed: the inputs are test-sized.
//
//===----------------------------------------------------------------------===//

#include "attn/Runtime/Reference.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>

namespace mlir::attn::runtime {

static constexpr double infinity = std::numeric_limits<double>::infinity();

/// The product of the dimensions in [begin, end).
template <typename It> static int64_t getProduct(It begin, It end) {
  return std::accumulate(begin, end, int64_t(1), std::multiplies<int64_t>());
}

int64_t RefTensor::numElements() const {
  return getProduct(shape.begin(), shape.end());
}

/// Returns a zero-filled tensor of `shape`.
static RefTensor makeTensor(std::vector<int64_t> shape) {
  RefTensor result;
  result.shape = std::move(shape);
  result.data.assign(result.numElements(), 0.0);
  return result;
}

RefTensor refLinear(const RefTensor &x, const RefTensor &w,
                    const RefTensor *bias) {
  assert(x.shape.size() >= 2 && w.shape.size() == 2 &&
         x.shape.back() == w.shape[0] && "mismatched linear operands");
  int64_t in = w.shape[0], out = w.shape[1];
  int64_t rows = getProduct(x.shape.begin(), x.shape.end() - 1);
  std::vector<int64_t> shape = x.shape;
  shape.back() = out;
  RefTensor y = makeTensor(std::move(shape));
  for (int64_t r = 0; r < rows; ++r) {
    double *yRow = y.data.data() + r * out;
    if (bias)
      std::copy(bias->data.begin(), bias->data.end(), yRow);
    for (int64_t i = 0; i < in; ++i) {
      double xValue = x.data[r * in + i];
      const double *wRow = w.data.data() + i * out;
      for (int64_t o = 0; o < out; ++o)
        yRow[o] += xValue * wRow[o];
    }
  }
  return y;
}

RefTensor refSplitHeads(const RefTensor &x, int64_t numHeads) {
  int64_t batch = x.shape[0], len = x.shape[1];
  int64_t headDim = x.shape[2] / numHeads;
  RefTensor y = makeTensor({batch, numHeads, len, headDim});
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t h = 0; h < numHeads; ++h)
      for (int64_t l = 0; l < len; ++l)
        for (int64_t d = 0; d < headDim; ++d)
          y.data[((b * numHeads + h) * len + l) * headDim + d] =
              x.data[(b * len + l) * numHeads * headDim + h * headDim + d];
  return y;
}

RefTensor refMergeHeads(const RefTensor &x) {
  int64_t batch = x.shape[0], numHeads = x.shape[1], len = x.shape[2],
          headDim = x.shape[3];
  RefTensor y = makeTensor({batch, len, numHeads * headDim});
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t h = 0; h < numHeads; ++h)
      for (int64_t l = 0; l < len; ++l)
        for (int64_t d = 0; d < headDim; ++d)
          y.data[(b * len + l) * numHeads * headDim + h * headDim + d] =
              x.data[((b * numHeads + h) * len + l) * headDim + d];
  return y;
}

RefTensor refScores(const RefTensor &q, const RefTensor &k, double scale,
                    std::optional<double> softcap, const ScoreModFn &scoreMod) {
  int64_t batch = q.shape[0], numHeads = q.shape[1], qLen = q.shape[2],
          headDim = q.shape[3];
  int64_t numKvHeads = k.shape[1], kvLen = k.shape[2];
  int64_t groupSize = numHeads / numKvHeads;
  RefTensor scores = makeTensor({batch, numHeads, qLen, kvLen});
  double *out = scores.data.data();
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t h = 0; h < numHeads; ++h) {
      for (int64_t i = 0; i < qLen; ++i) {
        const double *qRow =
            q.data.data() + ((b * numHeads + h) * qLen + i) * headDim;
        for (int64_t j = 0; j < kvLen; ++j) {
          const double *kRow =
              k.data.data() +
              ((b * numKvHeads + h / groupSize) * kvLen + j) * headDim;
          double score =
              scale * std::inner_product(qRow, qRow + headDim, kRow, 0.0);
          if (softcap)
            score = *softcap * std::tanh(score / *softcap);
          if (scoreMod)
            score = scoreMod(score, b, h, i, j);
          *out++ = score;
        }
      }
    }
  }
  return scores;
}

RefTensor refMask(const RefTensor &scores, const MaskSpec &spec) {
  int64_t batch = scores.shape[0], numHeads = scores.shape[1],
          qLen = scores.shape[2], kvLen = scores.shape[3];
  int64_t fullQLen = spec.fullQueryLen.value_or(qLen);
  int64_t fullKvLen = spec.fullKeyLen.value_or(kvLen);
  RefTensor result = scores;
  double *out = result.data.data();
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t h = 0; h < numHeads; ++h) {
      // The mask row block for (b, h), broadcasting unit dimensions.
      const double *maskBlock = nullptr;
      if (spec.mask) {
        const std::vector<int64_t> &maskShape = spec.mask->shape;
        int64_t maskB = maskShape[0] == 1 ? 0 : b;
        int64_t maskH = maskShape[1] == 1 ? 0 : h;
        maskBlock = spec.mask->data.data() +
                    (maskB * maskShape[1] + maskH) * qLen * kvLen;
      }
      for (int64_t i = 0; i < qLen; ++i) {
        for (int64_t j = 0; j < kvLen; ++j, ++out) {
          bool visible = true;
          if (maskBlock) {
            double maskValue = maskBlock[i * kvLen + j];
            if (spec.maskIsBool)
              visible = maskValue != 0;
            else
              *out += maskValue;
          }
          // Offset of key j from the query's aligned key position, both in
          // the full problem; all terms are small, and `-offset` rather than
          // `-left` cannot overflow.
          int64_t key = spec.keyOffset + j;
          int64_t offset =
              key - (spec.queryOffset + i + fullKvLen - fullQLen);
          if (spec.causal && offset > 0)
            visible = false;
          if (spec.window &&
              (-offset > spec.window->first || offset > spec.window->second))
            visible = false;
          if (spec.kvLens && static_cast<double>(key) >= spec.kvLens->data[b])
            visible = false;
          if (!visible)
            *out = -infinity;
        }
      }
    }
  }
  return result;
}

RefTensor refSoftmax(const RefTensor &x, RefTensor *lse) {
  assert(!x.shape.empty() && "softmax needs at least one dimension");
  std::vector<int64_t> rowShape(x.shape.begin(), x.shape.end() - 1);
  int64_t rows = getProduct(rowShape.begin(), rowShape.end());
  int64_t len = x.shape.back();
  RefTensor probs = makeTensor(x.shape);
  if (lse)
    *lse = makeTensor(std::move(rowShape));
  for (int64_t r = 0; r < rows; ++r) {
    const double *in = x.data.data() + r * len;
    double *out = probs.data.data() + r * len;
    // NaN propagates as IEEE maximum (and the compiled code's
    // arith.maximumf) does: a row with a NaN score is NaN, lse included,
    // rather than a row whose NaNs are skipped (std::max would skip them,
    // and a row of NaNs would pass for a fully masked one).
    double maxValue = -infinity;
    for (int64_t j = 0; j < len; ++j)
      if (std::isnan(in[j]) || in[j] > maxValue)
        maxValue = in[j];
    double logSum = -infinity;
    if (std::isnan(maxValue)) {
      std::fill(out, out + len, maxValue);
      logSum = maxValue;
    } else if (maxValue != -infinity) {
      double sum = 0.0;
      for (int64_t j = 0; j < len; ++j) {
        out[j] = std::exp(in[j] - maxValue);
        sum += out[j];
      }
      for (int64_t j = 0; j < len; ++j)
        out[j] /= sum;
      logSum = maxValue + std::log(sum);
    }
    if (lse)
      lse->data[r] = logSum;
  }
  return probs;
}

RefTensor refContext(const RefTensor &p, const RefTensor &v) {
  int64_t batch = p.shape[0], numHeads = p.shape[1], qLen = p.shape[2],
          kvLen = p.shape[3];
  int64_t numKvHeads = v.shape[1], valueDim = v.shape[3];
  int64_t groupSize = numHeads / numKvHeads;
  RefTensor context = makeTensor({batch, numHeads, qLen, valueDim});
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t h = 0; h < numHeads; ++h) {
      const double *vBlock =
          v.data.data() + (b * numKvHeads + h / groupSize) * kvLen * valueDim;
      for (int64_t i = 0; i < qLen; ++i) {
        int64_t row = (b * numHeads + h) * qLen + i;
        const double *pRow = p.data.data() + row * kvLen;
        double *out = context.data.data() + row * valueDim;
        for (int64_t j = 0; j < kvLen; ++j)
          for (int64_t d = 0; d < valueDim; ++d)
            out[d] += pRow[j] * vBlock[j * valueDim + d];
      }
    }
  }
  return context;
}

RefTensor refSdpa(const RefTensor &q, const RefTensor &k, const RefTensor &v,
                  const SdpaSpec &spec, RefTensor *lse) {
  RefTensor probs = refSoftmax(
      refMask(refScores(q, k, spec.scale, spec.softcap, spec.scoreMod),
              spec.mask),
      lse);
  return refContext(probs, v);
}

RefTensor refMha(const RefTensor &x, const RefTensor &wq, const RefTensor &wk,
                 const RefTensor &wv, const RefTensor &wo, int64_t numHeads,
                 int64_t numKvHeads, double scale, bool causal) {
  RefTensor q = refSplitHeads(refLinear(x, wq, nullptr), numHeads);
  RefTensor k = refSplitHeads(refLinear(x, wk, nullptr), numKvHeads);
  RefTensor v = refSplitHeads(refLinear(x, wv, nullptr), numKvHeads);
  SdpaSpec spec{};
  spec.scale = scale;
  spec.mask.causal = causal;
  return refLinear(refMergeHeads(refSdpa(q, k, v, spec, nullptr)), wo, nullptr);
}

ErrorStats compareWithReference(const std::vector<double> &actual,
                                const std::vector<double> &expected) {
  ErrorStats stats{0.0, 0.0, false};
  if (actual.size() != expected.size())
    return {infinity, infinity, false};
  double diffSquares = 0.0, expectedSquares = 0.0;
  for (size_t i = 0; i < actual.size(); ++i) {
    double a = actual[i], e = expected[i];
    if (std::isnan(a) && !std::isnan(e))
      stats.hasNaN = true;
    if (std::isfinite(e))
      expectedSquares += e * e;
    double diff;
    if (a == e || (std::isnan(a) && std::isnan(e)))
      diff = 0.0;
    else if (std::isfinite(a) && std::isfinite(e))
      diff = std::abs(a - e);
    else
      diff = infinity;
    stats.maxAbs = std::max(stats.maxAbs, diff);
    diffSquares += diff * diff;
  }
  double diffNorm = std::sqrt(diffSquares);
  double expectedNorm = std::sqrt(expectedSquares);
  stats.relFrobenius = expectedNorm == 0.0 ? diffNorm : diffNorm / expectedNorm;
  return stats;
}

double getTolerance(bool isFloatResult, bool lowPrecision) {
  if (!isFloatResult)
    return 0.0;
  return lowPrecision ? 2e-2 : 1e-5;
}

} // namespace mlir::attn::runtime
