//===- AttnOps.td - Attn dialect operations ----------------*- tablegen -*-===//
//
// Declares the operations of the `attn` dialect. Each op's description is its
// specification: formula, order of operations, numbered constraints (C1, C2,
// ...) that the verifier checks and names, and an example.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_IR_ATTNOPS_TD
#define ATTN_DIALECT_ATTN_IR_ATTNOPS_TD

include "attn/Dialect/Attn/IR/AttnBase.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/TilingInterface.td"

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def Attn_Float : AnyTypeOf<[F32, F16, BF16]>;
def Attn_FloatTensor : RankedTensorOf<[F32, F16, BF16]>;
def Attn_FloatTensor2D : TensorRankOf<[F32, F16, BF16], [2]>;
def Attn_FloatTensor3D : TensorRankOf<[F32, F16, BF16], [3]>;
def Attn_FloatTensor4D : TensorRankOf<[F32, F16, BF16], [4]>;
def Attn_MaskTensor : TensorRankOf<[I1, F32, F16, BF16], [4]>;
def Attn_KvLensTensor : TensorRankOf<[I32], [1]>;
def Attn_LseTensor : TensorRankOf<[F32], [3]>;

//===----------------------------------------------------------------------===//
// attn.mha
//===----------------------------------------------------------------------===//

def Attn_MhaOp : Attn_Op<"mha", [Pure,
    AllElementTypesMatch<["input", "wq", "wk", "wv", "wo", "result"]>]> {
  let summary = "multi-head self-attention block with its projections";
  let description = [{
    The whole self-attention block of a transformer layer:

    ```
    Q   = split_heads(X · Wq, Hq)        [B, Hq,  L, D]
    K   = split_heads(X · Wk, Hkv)       [B, Hkv, L, D]
    V   = split_heads(X · Wv, Hkv)       [B, Hkv, L, Dv]
    O   = sdpa(Q, K, V, scale, causal)   [B, Hq,  L, Dv]
    out = merge_heads(O) · Wo            [B, L, E']
    ```

    `num_heads` is Hq; `num_kv_heads` is Hkv and defaults to Hq (grouped-query
    attention when smaller). `scale` defaults to 1/√D. With `causal`, token i
    attends to tokens j ≤ i. The semantics of the attention itself are those of
    `attn.sdpa`.

    Constraints:
    * (C1) `input` is [B, L, E]; `wq` is [E, Hq·D], `wk` is [E, Hkv·D], `wv`
      is [E, Hkv·Dv], `wo` is [Hq·Dv, E'] and the result is [B, L, E'].
    * (C2) `num_heads` > 0, `num_kv_heads` > 0 and Hq % Hkv == 0.
    * (C3) the columns of `wq` and `wk` divide into heads of the same size
      D > 0, those of `wv` into heads of size Dv; E, D, Dv and E' are static.
    * (C4) `scale`, when present, is finite.

    Example:

    ```mlir
    %out = attn.mha %x, %wq, %wk, %wv, %wo {num_heads = 2 : i64}
        : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
          tensor<16x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
    ```
  }];
  let arguments = (ins Attn_FloatTensor3D:$input, Attn_FloatTensor2D:$wq,
                       Attn_FloatTensor2D:$wk, Attn_FloatTensor2D:$wv,
                       Attn_FloatTensor2D:$wo, I64Attr:$num_heads,
                       OptionalAttr<I64Attr>:$num_kv_heads,
                       OptionalAttr<F32Attr>:$scale, UnitAttr:$causal);
  let results = (outs Attn_FloatTensor3D:$result);
  let assemblyFormat = [{
    $input `,` $wq `,` $wk `,` $wv `,` $wo attr-dict `:` type($input) `,`
    type($wq) `,` type($wk) `,` type($wv) `,` type($wo) `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Hkv: `num_kv_heads` when present, else `num_heads`.
    int64_t getNumKvHeadsOrDefault();
    /// Query/key head size D.
    int64_t getHeadDim();
    /// Value head size Dv.
    int64_t getValueHeadDim();
  }];
}

//===----------------------------------------------------------------------===//
// attn.linear
//===----------------------------------------------------------------------===//

def Attn_LinearOp : Attn_Op<"linear", [Pure,
    AllElementTypesMatch<["input", "weight", "result"]>]> {
  let summary = "projection x · W (+ b)";
  let description = [{
    Multiplies the last dimension of `input` by `weight` and adds the optional
    `bias`:

    ```
    result[..., n] = Σ_k input[..., k] · weight[k, n] (+ bias[n])
    ```

    The sum accumulates in f32 and is rounded once to the result type.

    Constraints:
    * (C1) `input` has rank 2 or 3; `weight` has rank 2.
    * (C2) the last dimension of `input` equals the first of `weight`.
    * (C3) `bias`, when present, is [N] with N the second dimension of
      `weight`, and has the element type of `input`.
    * (C4) the result has the shape of `input` with its last dimension
      replaced by N.

    Example:

    ```mlir
    %q = attn.linear %x, %wq : tensor<?x5x16xf32>, tensor<16x16xf32>
        -> tensor<?x5x16xf32>
    ```
  }];
  let arguments = (ins Attn_FloatTensor:$input, Attn_FloatTensor2D:$weight,
                       Optional<Attn_FloatTensor>:$bias);
  let results = (outs Attn_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` type($input) `,`
    type($weight) (`,` type($bias)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// attn.split_heads / attn.merge_heads
//===----------------------------------------------------------------------===//

def Attn_SplitHeadsOp : Attn_Op<"split_heads", [Pure,
    AllElementTypesMatch<["input", "result"]>]> {
  let summary = "[B, L, H·D] → [B, H, L, D]";
  let description = [{
    Splits the feature dimension into H heads of size D and moves the head
    dimension in front of the sequence dimension:
    `result[b, h, l, d] = input[b, l, h·D + d]`. H and D are read from the
    result type.

    Constraints:
    * (C1) `input` is [B, L, F] and the result is [B, H, L, D] with the same
      B and L.
    * (C2) H and D are static and F == H·D.

    Example:

    ```mlir
    %qh = attn.split_heads %q : tensor<1x5x16xf32> -> tensor<1x2x5x8xf32>
    ```
  }];
  let arguments = (ins Attn_FloatTensor3D:$input);
  let results = (outs Attn_FloatTensor4D:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Attn_MergeHeadsOp : Attn_Op<"merge_heads", [Pure,
    AllElementTypesMatch<["input", "result"]>]> {
  let summary = "[B, H, L, D] → [B, L, H·D]";
  let description = [{
    The inverse of `attn.split_heads`:
    `result[b, l, h·D + d] = input[b, h, l, d]`.

    Constraints:
    * (C1) `input` is [B, H, L, D] and the result is [B, L, F] with the same
      B and L.
    * (C2) H and D are static and F == H·D.

    Example:

    ```mlir
    %o = attn.merge_heads %oh : tensor<1x2x5x8xf32> -> tensor<1x5x16xf32>
    ```
  }];
  let arguments = (ins Attn_FloatTensor4D:$input);
  let results = (outs Attn_FloatTensor3D:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// attn.scores
//===----------------------------------------------------------------------===//

def Attn_ScoresOp : Attn_Op<"scores", [Pure,
    AllElementTypesMatch<["query", "key"]>]> {
  let summary = "attention scores scale · Q·Kᵀ, optionally soft-capped";
  let description = [{
    Computes one score per (query, key) pair:

    ```
    s[b, h, i, j] = scale · Σ_d Q[b, h, i, d] · K[b, h / (Hq / Hkv), j, d]
    s ← cap · tanh(s / cap)                      (when `softcap` is present)
    ```

    The dot product accumulates in f32. `scale` defaults to 1/√D. Query head h
    reads key head h / (Hq / Hkv) (grouped-query attention, no copy of K).

    Constraints:
    * (C1) `query` is [B, Hq, Lq, D], `key` is [B, Hkv, Lk, D], the result is
      [B, Hq, Lq, Lk].
    * (C2) Hq, Hkv and D are static, D > 0 and Hq % Hkv == 0.
    * (C3) the result element type is f32 or the element type of `query`.
    * (C4) `scale` is finite; `softcap` is finite and > 0.

    Example:

    ```mlir
    %s = attn.scores %q, %k {scale = 0.125 : f32}
        : tensor<1x8x128x64xf16>, tensor<1x2x256x64xf16> -> tensor<1x8x128x256xf32>
    ```
  }];
  let arguments = (ins Attn_FloatTensor4D:$query, Attn_FloatTensor4D:$key,
                       OptionalAttr<F32Attr>:$scale,
                       OptionalAttr<F32Attr>:$softcap);
  let results = (outs Attn_FloatTensor4D:$result);
  let assemblyFormat = [{
    $query `,` $key attr-dict `:` type($query) `,` type($key) `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The effective scale: the `scale` attribute or 1/√D.
    double getScaleOrDefault();
  }];
}

//===----------------------------------------------------------------------===//
// attn.mask
//===----------------------------------------------------------------------===//

def Attn_MaskOp : Attn_Op<"mask", [Pure, AttrSizedOperandSegments,
    AllTypesMatch<["scores", "result"]>]> {
  let summary = "additive bias and visibility (causal, window, mask, kv_lens)";
  let description = [{
    Applies, in this order, to each score s[b, h, i, j] of [B, Hq, Lq, Lk]:

    1. a float `mask` is added: s ← s + mask[b', h', i, j], where b' = 0 when
       the mask's first dimension is 1 and b otherwise, likewise h';
    2. visibility: s ← −∞ when the key is invisible. With the query at
       position i' = i + Lk − Lq (bottom-right alignment, so the last query
       sees the last key when Lq ≠ Lk), key j is invisible when
       * `causal` is set and j > i';
       * `window` = [left, right] is set and j < i' − left or j > i' + right
         (values may be negative, which shifts the band; a value larger than
         the sequence leaves that side unbounded);
       * an i1 `mask` holds false at (b', h', i, j);
       * `kv_lens` is present and j ≥ kv_lens[b] (key padding).

    A row in which every key is invisible is all −∞; `attn.softmax` turns it
    into zeros.

    Constraints:
    * (C1) `scores` is [B, Hq, Lq, Lk] and the result has the same type.
    * (C2) `mask` is [B or 1, Hq or 1, Lq, Lk] of i1 or of a float type.
      Only a dimension that is statically 1 broadcasts: a dynamic mask
      dimension must equal B (resp. Hq) at run time.
    * (C3) `kv_lens` is [B] of i32.
    * (C4) `window` has two elements [left, right] with left + right ≥ 0.

    Example:

    ```mlir
    %m = attn.mask %s kv_lens(%lens : tensor<2xi32>) {causal}
        : tensor<2x4x16x16xf32> -> tensor<2x4x16x16xf32>
    ```
  }];
  let arguments = (ins Attn_FloatTensor4D:$scores,
                       Optional<Attn_MaskTensor>:$mask,
                       Optional<Attn_KvLensTensor>:$kv_lens,
                       UnitAttr:$causal,
                       OptionalAttr<DenseI64ArrayAttr>:$window);
  let results = (outs Attn_FloatTensor4D:$result);
  let assemblyFormat = [{
    $scores (`mask` `(` $mask^ `:` type($mask) `)`)?
    (`kv_lens` `(` $kv_lens^ `:` type($kv_lens) `)`)?
    attr-dict `:` type($scores) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// attn.softmax
//===----------------------------------------------------------------------===//

def Attn_SoftmaxOp : Attn_Op<"softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "numerically stable softmax along the last dimension";
  let description = [{
    ```
    m = max_j x[..., j]
    y[..., j] = exp(x[..., j] − m) / Σ_j' exp(x[..., j'] − m)
    ```

    The maximum and the sum are computed in f32. A row whose entries are all
    −∞ (every key masked) gives zeros, never NaN.

    Constraints:
    * (C1) the input has rank ≥ 1 and a float element type; the result has
      the same type.

    Example:

    ```mlir
    %p = attn.softmax %s : tensor<1x2x5x5xf32>
    ```
  }];
  let arguments = (ins Attn_FloatTensor:$input);
  let results = (outs Attn_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// attn.context
//===----------------------------------------------------------------------===//

def Attn_ContextOp : Attn_Op<"context", [Pure]> {
  let summary = "attention output P · V";
  let description = [{
    ```
    out[b, h, i, e] = Σ_j P[b, h, i, j] · V[b, h / (Hq / Hkv), j, e]
    ```

    The sum accumulates in f32 and is rounded once to the result type, which
    is the element type of `value`.

    Constraints:
    * (C1) `probs` is [B, Hq, Lq, Lk], `value` is [B, Hkv, Lk, Dv], the result
      is [B, Hq, Lq, Dv] with the element type of `value`.
    * (C2) Hq, Hkv and Dv are static and Hq % Hkv == 0.

    Example:

    ```mlir
    %o = attn.context %p, %v : tensor<1x2x5x5xf32>, tensor<1x2x5x8xf32>
        -> tensor<1x2x5x8xf32>
    ```
  }];
  let arguments = (ins Attn_FloatTensor4D:$probs, Attn_FloatTensor4D:$value);
  let results = (outs Attn_FloatTensor4D:$result);
  let assemblyFormat = [{
    $probs `,` $value attr-dict `:` type($probs) `,` type($value) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// attn.sdpa
//===----------------------------------------------------------------------===//

def Attn_SdpaOp : Attn_Op<"sdpa", [Pure, AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<TilingInterface,
        ["getLoopIteratorTypes", "getIterationDomain",
         "getTiledImplementation", "getResultTilePosition",
         "generateResultTileValue"]>,
    IsolatedFromAbove, DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
        ["reifyResultShapes"]>]> {
  let summary = "fused scaled-dot-product attention";
  let description = [{
    Fused attention over Q [B, Hq, Lq, D], K [B, Hkv, Lk, D] and
    V [B, Hkv, Lk, Dv], producing out [B, Hq, Lq, Dv] and optionally the row
    log-sum-exp lse [B, Hq, Lq].

    For one score s(b, h, i, j) the order of operations is fixed:

    1. `s = scale · Σ_d Q[b, h, i, d] · K[b, h / (Hq / Hkv), j, d]`, the dot
       product in f32; `scale` defaults to 1/√D;
    2. `softcap`: `s ← cap · tanh(s / cap)`;
    3. `score_mod`: `s ← score_mod(s, b, h, i, j)` (natural-log domain);
    4. a float `mask` is added: `s ← s + mask[b', h', i, j]` (b' = 0 when the
       mask's batch dimension is 1, h' likewise);
    5. visibility: with i' = i + Lk − Lq (bottom-right alignment), key j is
       invisible when `causal` and j > i', when `window = [left, right]` and
       j ∉ [i' − left, i' + right], when an i1 `mask` is false, or when
       j ≥ `kv_lens`[b]; invisible scores are −∞;
    6. `P = softmax_j(s)`, max-subtracted, statistics in f32;
    7. `out[b, h, i, e] = Σ_j P[b, h, i, j] · V[b, h / (Hq / Hkv), j, e]`,
       accumulated in f32 and rounded to the element type of Q;
    8. `lse[b, h, i] = log Σ_j exp(s(b, h, i, j))` in f32.

    Query head h reads key/value head h / (Hq / Hkv): grouped-query and
    multi-query attention index K and V, they never copy them.

    `tile_origin(b0, h0, i0, Lq_total)` marks the op as a tile of a larger
    attention, as tiling through the TilingInterface produces it: its query
    (b, h, i) is query (b0 + b, h0 + h, i0 + i) of a problem with Lq_total
    queries (and the same keys). Causal and window visibility then use the
    aligned position i' = i0 + i + Lk − Lq_total, and `score_mod` receives
    the indices b0 + b, h0 + h and i0 + i, so a tile computes exactly the
    rows it stands for. Without `tile_origin` the op is its own whole problem
    (b0 = h0 = i0 = 0, Lq_total = Lq).

    `tile_origin(b0, h0, i0, Lq_total, j0, Lk_total)` also places the keys:
    key j of the op is key j0 + j of a problem with Lk_total keys, as when
    one rank of ring attention computes its queries against another rank's
    block of keys and values. With four operands j0 = 0 and Lk_total is the
    op's own Lk. In general, with i' = i0 + i + Lk_total − Lq_total:

    * `causal`: key j is visible iff j0 + j ≤ i';
    * `window = [left, right]`: visible iff i' − left ≤ j0 + j ≤ i' + right;
    * `kv_lens`: invisible iff j0 + j ≥ kv_lens[b];
    * `score_mod` receives kv_idx = j0 + j (and b0 + b, h0 + h, i0 + i);
    * `mask` stays the op's own block, [B or 1, Hq or 1, Lq, Lk] in local
      coordinates: no offset applies to it.

    The (out, lse) of the blocks of keys of one query block combine into
    those of the whole problem by the log-sum-exp rule
    (M = max_s lse_s, out = Σ_s e^(lse_s − M)·out_s / Σ_s e^(lse_s − M)).

    A row whose keys are all invisible has out = 0 and lse = −∞, never NaN.

    The `score_mod` region (in the spirit of FlexAttention) has one block with
    arguments (score: f32, b: index, h: index, q_idx: index, kv_idx: index)
    and yields the new f32 score. It sees and returns natural-log-domain
    scores; a lowering that uses exp2 converts after the region. It must be
    free of side effects and use no value defined outside of it: the op is
    `IsolatedFromAbove`, so folding and CSE never hoist a constant of the
    region out of it or replace it by an equal value from outside.

    Constraints:
    * (C1) `query`, `key` and `value` have the same element type (f32, f16
      or bf16); `out` has that element type too.
    * (C2) the batch dimensions of `query`, `key`, `value`, `out`, `mask`
      (when not 1), `kv_lens` and `lse` agree.
    * (C3) Hq, Hkv, D and Dv are static, D > 0, `key` and `value` have the
      same Hkv, and Hq % Hkv == 0.
    * (C4) `query` and `key` have the same head size D.
    * (C5) `key` and `value` have the same sequence length Lk.
    * (C6) `out` is [B, Hq, Lq, Dv].
    * (C7) `mask` is [B or 1, Hq or 1, Lq, Lk], of i1 or a float type. Only
      a dimension that is statically 1 broadcasts: a dynamic mask dimension
      must equal B (resp. Hq) at run time.
    * (C8) `kv_lens` is [B] of i32.
    * (C9) `scale` is finite; `softcap` is finite and > 0.
    * (C10) `window` has two elements [left, right] with left + right ≥ 0.
    * (C11) `lse`, when present, is [B, Hq, Lq] of f32.
    * (C12) `score_mod`, when present, has one block with arguments
      (f32, index, index, index, index), yields one f32, is side-effect
      free and captures no value from above.
    * (C13) `tile_origin`, when present, has four (b0, h0, i0, Lq_total) or
      six (b0, h0, i0, Lq_total, j0, Lk_total) index operands.

    Example: causal grouped-query attention with key padding and the lse.

    ```mlir
    %out, %lse = attn.sdpa %q, %k, %v kv_lens(%lens : tensor<?xi32>)
        {causal, scale = 0.125 : f32}
        : tensor<?x8x?x64xf32>, tensor<?x2x?x64xf32>, tensor<?x2x?x64xf32>
        -> tensor<?x8x?x64xf32>, tensor<?x8x?xf32>
    ```

    Example: ALiBi as a score modifier.

    ```mlir
    %out = attn.sdpa %q, %k, %v score_mod {
    ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
      %d = arith.subi %j, %i : index
      %di = arith.index_cast %d : index to i64
      %df = arith.sitofp %di : i64 to f32
      %slope = arith.constant 0.25 : f32
      %bias = arith.mulf %df, %slope : f32
      %r = arith.addf %s, %bias : f32
      attn.yield %r : f32
    } : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>
        -> tensor<1x4x16x32xf32>
    ```
  }];
  let arguments = (ins Attn_FloatTensor4D:$query, Attn_FloatTensor4D:$key,
                       Attn_FloatTensor4D:$value,
                       Optional<Attn_MaskTensor>:$mask,
                       Optional<Attn_KvLensTensor>:$kv_lens,
                       Variadic<Index>:$tile_origin,
                       OptionalAttr<F32Attr>:$scale,
                       UnitAttr:$causal,
                       OptionalAttr<DenseI64ArrayAttr>:$window,
                       OptionalAttr<F32Attr>:$softcap);
  let results = (outs Attn_FloatTensor4D:$out, Optional<Attn_LseTensor>:$lse);
  let regions = (region MaxSizedRegion<1>:$score_mod);
  let assemblyFormat = [{
    $query `,` $key `,` $value
    (`mask` `(` $mask^ `:` type($mask) `)`)?
    (`kv_lens` `(` $kv_lens^ `:` type($kv_lens) `)`)?
    (`tile_origin` `(` $tile_origin^ `)`)?
    attr-dict (`score_mod` $score_mod^)?
    `:` type($query) `,` type($key) `,` type($value) `->` type($out)
    (`,` type($lse)^)?
  }];
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let extraClassDeclaration = [{
    /// The effective scale: the `scale` attribute or 1/√D.
    double getScaleOrDefault();
    /// The `score_mod` block, or null when the region is empty.
    ::mlir::Block *getScoreModBlock();
    int64_t getNumQueryHeads() { return getQuery().getType().getDimSize(1); }
    int64_t getNumKvHeads() { return getKey().getType().getDimSize(1); }
    int64_t getHeadDim() { return getQuery().getType().getDimSize(3); }
    int64_t getValueHeadDim() { return getValue().getType().getDimSize(3); }
    /// The components of `tile_origin`, or null values when it is absent.
    ::mlir::Value getBatchOffset() { return getTileOriginAt(0); }
    ::mlir::Value getHeadOffset() { return getTileOriginAt(1); }
    ::mlir::Value getQueryOffset() { return getTileOriginAt(2); }
    ::mlir::Value getFullQueryLen() { return getTileOriginAt(3); }
    /// j0 and Lk_total of a six-operand `tile_origin`, or null values.
    ::mlir::Value getKeyOffset() { return getTileOriginAt(4); }
    ::mlir::Value getFullKeyLen() { return getTileOriginAt(5); }
    ::mlir::Value getTileOriginAt(unsigned i) {
      return i < getTileOrigin().size() ? getTileOrigin()[i]
                                        : ::mlir::Value();
    }
  }];
}

def Attn_YieldOp : Attn_Op<"yield", [Pure, Terminator, ReturnLike,
    HasParent<"SdpaOp">]> {
  let summary = "yields the modified score of an `attn.sdpa` score_mod region";
  let description = [{
    Terminates the `score_mod` region of `attn.sdpa` with the new score.

    ```mlir
    attn.yield %r : f32
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
}

#endif // ATTN_DIALECT_ATTN_IR_ATTNOPS_TD
