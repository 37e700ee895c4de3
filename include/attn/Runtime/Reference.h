//===- Reference.h - Float64 attention reference ----------------*- C++ -*-===//
//
// Declares a straightforward float64 implementation of the attention
// semantics Attn compiles (projections, head splitting, scores with softcap
// and score modifiers, masking, softmax with log-sum-exp, GQA context), used
// to check compiled kernels, and the error metric used for that comparison.
// Part of the MLIR- and LLVM-free runtime. Callers verify shapes; only
// internal invariants are asserted.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_RUNTIME_REFERENCE_H
#define ATTN_RUNTIME_REFERENCE_H

#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace mlir::attn::runtime {

/// A dense row-major float64 tensor.
struct RefTensor {
  std::vector<int64_t> shape;
  std::vector<double> data;

  /// Returns the product of the dimensions (1 for a scalar).
  int64_t numElements() const;
};

/// Returns x . w (+ bias) for x of shape [..., In] (rank >= 2), w of shape
/// [In, Out] and an optional bias of shape [Out]; the result is [..., Out].
RefTensor refLinear(const RefTensor &x, const RefTensor &w,
                    const RefTensor *bias);

/// Reshapes [B, L, H*D] into [B, H, L, D]; feature f is head f / D, index
/// f % D.
RefTensor refSplitHeads(const RefTensor &x, int64_t numHeads);

/// Reshapes [B, H, L, D] into [B, L, H*D] (the inverse of refSplitHeads).
RefTensor refMergeHeads(const RefTensor &x);

/// A score modifier: maps a score at (batch, head, query index, key index)
/// to a new score.
using ScoreModFn = std::function<double(double score, int64_t b, int64_t h,
                                        int64_t qIdx, int64_t kvIdx)>;

/// Returns the scores [B, Hq, Lq, Lk] of q [B, Hq, Lq, D] against
/// k [B, Hkv, Lk, D], query head h using key head h / (Hq / Hkv):
/// s = scale * q.k, then s = cap * tanh(s / cap) if `softcap` is set, then
/// s = scoreMod(s, b, h, i, j) if `scoreMod` is non-empty.
RefTensor refScores(const RefTensor &q, const RefTensor &k, double scale,
                    std::optional<double> softcap, const ScoreModFn &scoreMod);

/// What hides or biases scores.
struct MaskSpec {
  /// Optional mask of shape [B|1, Hq|1, Lq, Lk], broadcast on unit dims.
  const RefTensor *mask = nullptr;
  /// Whether `mask` is boolean (nonzero = keep) rather than additive.
  bool maskIsBool = false;
  /// Optional per-batch key lengths [B]; key j is padding iff j >= kvLens[b].
  const RefTensor *kvLens = nullptr;
  /// Whether key j is hidden from query i when j > i + Lk - Lq.
  bool causal = false;
  /// Optional (left, right) band: key j is visible from query i iff
  /// -left <= j - (i + Lk - Lq) <= right.
  std::optional<std::pair<int64_t, int64_t>> window;
  /// Where the scores sit in a larger problem (attn.sdpa's tile_origin):
  /// query i is query queryOffset + i of fullQueryLen queries, key j is key
  /// keyOffset + j of fullKeyLen keys. The causal, window and kvLens rules
  /// use these full-problem positions; `mask` stays local. Unset lengths
  /// are the scores' own.
  int64_t queryOffset = 0, keyOffset = 0;
  std::optional<int64_t> fullQueryLen, fullKeyLen;
};

/// Applies `spec` to scores [B, Hq, Lq, Lk]: first adds a float mask, then
/// sets every score hidden by the causal, window, bool mask or kvLens rules
/// to -infinity. Query i is aligned with key i + Lk - Lq (bottom right), in
/// the coordinates of the full problem when `spec` places the scores in
/// one.
RefTensor refMask(const RefTensor &scores, const MaskSpec &spec);

/// Returns the max-subtracted softmax of `x` over its last dimension and, if
/// `lse` is non-null, stores there the log-sum-exp of each row (shape of x
/// without its last dimension). A row of all -inf gives zeros and lse -inf.
RefTensor refSoftmax(const RefTensor &x, RefTensor *lse);

/// Returns p . v as [B, Hq, Lq, Dv] for probabilities p [B, Hq, Lq, Lk] and
/// values v [B, Hkv, Lk, Dv], query head h using value head h / (Hq / Hkv).
RefTensor refContext(const RefTensor &p, const RefTensor &v);

/// The parameters of scaled dot-product attention.
struct SdpaSpec {
  double scale;
  std::optional<double> softcap;
  /// May be empty.
  ScoreModFn scoreMod;
  MaskSpec mask;
};

/// Returns context(softmax(mask(scores(q, k)))) with v, as [B, Hq, Lq, Dv];
/// if `lse` is non-null, stores there the log-sum-exp [B, Hq, Lq].
RefTensor refSdpa(const RefTensor &q, const RefTensor &k, const RefTensor &v,
                  const SdpaSpec &spec, RefTensor *lse);

/// Returns multi-head attention of x [B, L, E] with projections
/// wq [E, Hq*D], wk [E, Hkv*D], wv [E, Hkv*Dv] and wo [Hq*Dv, E]:
/// linear(merge(sdpa(split(x.wq), split(x.wk), split(x.wv))), wo).
RefTensor refMha(const RefTensor &x, const RefTensor &wq, const RefTensor &wk,
                 const RefTensor &wv, const RefTensor &wo, int64_t numHeads,
                 int64_t numKvHeads, double scale, bool causal);

/// How far a result is from the reference.
struct ErrorStats {
  /// ||actual - expected||_F / ||expected||_F (the absolute norm if
  /// ||expected||_F is 0); +inf on a NaN or a mismatched infinity.
  double relFrobenius;
  /// The largest elementwise |actual - expected|.
  double maxAbs;
  /// Whether `actual` has a NaN where `expected` has none.
  bool hasNaN;
};

/// Compares `actual` with `expected`. Equal infinities count as no
/// difference; any other infinity in either, a NaN in just one of them, or
/// different sizes make the error +inf.
ErrorStats compareWithReference(const std::vector<double> &actual,
                                const std::vector<double> &expected);

/// The tolerance of DESIGN §6 on the relative Frobenius error of a result:
/// 0 (exact) for an integer or i1 result, 2e-2 for a float result when an
/// f16/bf16 argument or result is involved (`lowPrecision`), 1e-5
/// otherwise.
double getTolerance(bool isFloatResult, bool lowPrecision);

} // namespace mlir::attn::runtime

#endif // ATTN_RUNTIME_REFERENCE_H
