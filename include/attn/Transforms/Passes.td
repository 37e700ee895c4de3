//===- Passes.td - Attn transformation passes --------------*- tablegen -*-===//
//
// Declares the passes of Attn. Every pass is named `attn-<verb>` and has its
// options declared here (no cl::opt). The passes are op-agnostic: they rewrite
// the attn ops nested anywhere under the op they run on, so they run both on
// a module (`attn-opt --attn-lower-unfused`) and nested on functions in a
// pipeline.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_TRANSFORMS_PASSES_TD
#define ATTN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def AttnDecomposeMhaPass
    : Pass<"attn-decompose-mha"> {
  let summary = "Decompose attn.mha into projections, heads and attention steps";
  let description = [{
    Rewrites every `attn.mha` into the decomposed level of the dialect: three
    `attn.linear` projections, `attn.split_heads` for Q, K and V,
    `attn.scores`, `attn.mask` (only when the block is causal),
    `attn.softmax`, `attn.context`, `attn.merge_heads` and the output
    `attn.linear`. Scale, causality and grouped-query heads carry over to the
    step ops; numerics are unchanged.

    Before:

    ```mlir
    %y = attn.mha %x, %wq, %wk, %wv, %wo {num_heads = 2 : i64}
        : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
          tensor<16x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
    ```

    After (types elided):

    ```mlir
    %q = attn.linear %x, %wq      %qh = attn.split_heads %q
    %k = attn.linear %x, %wk      %kh = attn.split_heads %k
    %v = attn.linear %x, %wv      %vh = attn.split_heads %v
    %s = attn.scores %qh, %kh {scale = 0.353553385 : f32}
    %p = attn.softmax %s
    %o = attn.context %p, %vh
    %m = attn.merge_heads %o
    %y = attn.linear %m, %wo
    ```

    The pass has no refusal path: every verified `attn.mha` decomposes.
  }];
  let dependentDialects = ["::mlir::attn::AttnDialect"];
}

def AttnFusePass : Pass<"attn-fuse"> {
  let summary = "Fuse decomposed attention (scores, mask, softmax, context) "
                "into attn.sdpa";
  let description = [{
    Recognises the decomposed chain

    ```mlir
    %s = attn.scores %q, %k {scale = ..., softcap = ...}
    %m = attn.mask %s mask(...) kv_lens(...) {causal, window = ...}   // optional
    %p = attn.softmax %m
    %o = attn.context %p, %v
    ```

    and replaces it by one `attn.sdpa %q, %k, %v` carrying the scale,
    softcap, mask, key lengths, causal and window of the chain. Grouped-query
    heads and Dk ≠ Dv carry over. After `attn-decompose-mha`, an `attn.mha`
    fuses back to its projections around one `attn.sdpa`.

    Fusion changes results only by float reassociation, so the pass refuses
    (leaves the IR untouched) when:
    * an intermediate (scores, masked scores, probabilities) has another user;
    * the scores, masked scores or probabilities are rounded to f16/bf16
      (attn.sdpa keeps them in f32);
    * Q/K and V have different element types;
    * K and V have different numbers of heads.

    With `report-refusals=true` every refusal is a remark on the op that
    blocks the fusion, naming the reason.
  }];
  let options = [
    Option<"reportRefusals", "report-refusals", "bool", /*default=*/"false",
           "Emit a remark for every chain that is not fused, naming why">,
  ];
  let dependentDialects = ["::mlir::attn::AttnDialect"];
}

def AttnTileFlashPass : Pass<"attn-tile-flash"> {
  let summary = "Tile attn.sdpa into a FlashAttention loop nest with online "
                "softmax";
  let description = [{
    Rewrites every `attn.sdpa` into the FlashAttention form, which never
    materialises the [Lq, Lk] scores:

    1. the op is tiled through its TilingInterface into an `scf.forall` over
       (batch, query head, block of `tile-q` queries); each tile is an
       `attn.sdpa` with a `tile_origin`;
    2. each tile becomes loops over blocks of `tile-kv` keys carrying the
       online-softmax state — the running row maximum m, the running sum l
       and the unnormalised output acc, all f32 — updated per block as

       ```
       m' = max(m, rowmax(S))        α = exp(m − m')
       P  = exp(S − m')              l' = α·l + rowsum(P)
       acc' = α·acc + P·V
       ```

       (with m' replaced by 0 while it is −∞, so fully masked rows stay 0),
       and finally `out = acc / l` (0 where l = 0) and `lse = m + log l`.

    Key blocks are classified from the bounds of each query block
    (bottom-right causal alignment, window, and `kv_lens` for a single
    batch), in full-problem positions when the op has a `tile_origin` (a
    key origin j0 shifts them): blocks no query of the tile can see are
    never visited, blocks
    every query sees fully run without visibility arithmetic, and only the
    boundary blocks are masked. With static shapes the classification is
    exact at compile time (as long as `tile_origin`, if any, is constant)
    and `report=true` emits a remark with the number of key blocks skipped,
    unmasked and masked; with dynamic shapes the same bounds are loop-bound
    arithmetic on the sizes.

    Every variant of `attn.sdpa` is supported inside the blocks: boolean and
    float masks, `kv_lens`, softcap, `score_mod` (with the indices of the full
    problem), grouped-query heads by index, Dk ≠ Dv, f16/bf16 inputs with f32
    state, dynamic B and L, and the lse result. Block sizes need not divide
    the sequence lengths, and `tile-q` and `tile-kv` may differ.

    With `static-blocks=true` (what `attn-cpu-pipeline` uses when it
    vectorises) every block computation has static sizes: a partial query
    tile is padded to `tile-q` rows that are dropped at the end, only full
    key blocks run unmasked, and a partial key block is padded to `tile-kv`
    keys that the masked epilogue hides (key index ≥ the end of the keys);
    with a static Lk that `tile-kv` divides no block is partial and nothing
    is padded. Key blocks never exceed a static Lk.

    With `gpu-blocks=true` (what `attn-gpu-pipeline` uses) the tile loop
    is mapped to GPU blocks: `#gpu.block<z>`, `<y>`, `<x>` over (batch,
    query head, query tile); loops of one iteration fold away with their
    mapping.

    A transform script applies the same rewrite with
    `transform.attn.tile_flash` (`tile_q`, `tile_kv`, `static_blocks`,
    `gpu_blocks`).
  }];
  let options = [
    Option<"tileQ", "tile-q", "int64_t", /*default=*/"64",
           "Queries per tile (the scf.forall block)">,
    Option<"tileKv", "tile-kv", "int64_t", /*default=*/"128",
           "Keys per block of the online-softmax loop">,
    Option<"report", "report", "bool", /*default=*/"false",
           "Emit a remark with the key-block classification">,
    Option<"staticBlocks", "static-blocks", "bool", /*default=*/"false",
           "Give every block static sizes for vectorisation: partial query "
           "tiles and key blocks are padded (padded keys masked out, padded "
           "queries dropped) and only full key blocks run unmasked">,
    Option<"gpuBlocks", "gpu-blocks", "bool", /*default=*/"false",
           "Map the tile loop to GPU blocks (#gpu.block<z, y, x> over batch, "
           "query head, query tile)">,
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def AttnRaiseLinalgPass : Pass<"attn-raise-linalg"> {
  let summary = "Raise attention written in linalg/tensor/arith/math to "
                "attn.sdpa";
  let description = [{
    Recognises scaled-dot-product attention as frontends (torch-mlir and
    hand-written IR) write it on tensors, anchored on the P·V contraction,
    raises it to `attn.scores` → [`attn.mask`] → `attn.softmax` →
    `attn.context` and fuses that chain into one `attn.sdpa` with the same
    logic as `attn-fuse`.

    It matches what the IR computes, not how it is grouped into ops, so
    raising is the same as exported, after `linalg-morph-ops{named-to-
    generic}`, `linalg-fuse-elementwise-ops`, `canonicalize` and `cse`, and
    after `tosa-to-linalg` (which `attn-raise-tosa` runs first).

    Recognised forms:
    * Q·Kᵀ and P·V as `linalg.batch_matmul` on heads collapsed into the batch
      (`tensor.collapse_shape` / `tensor.expand_shape` around it), as
      `linalg.matmul`, or as a `linalg.generic` contraction, operands read
      through any permutation (a transpose in the maps, by
      `linalg.transpose` or fused), with elementwise steps fused into the
      contraction (the softmax normalisation into P·V, bias adds or rotary
      embeddings into Q·Kᵀ: split, for matching, into factors and a plain
      contraction; only the factors the raise needs are inserted);
    * a constant scale (`arith.mulf` / `arith.divf` by a constant or a
      splat tensor, constants possibly `arith.truncf` of f64) on the scores,
      inside the contraction body, or on Q and/or K; the factors multiply
      into one `scale`;
    * softmax as `linalg.softmax` over the key axis or written out (row
      maximum as a `linalg.generic` or `linalg.reduce`, starting from −∞ or
      the lowest finite float, with or without torch-mlir's argmax result,
      a unit dim before the key axis; subtraction, exponential, row sum,
      division or reciprocal-multiply), optionally wrapped in torch's "fully
      masked row → 0" select (in its own step or in the normalisation);
    * the score function: the elementwise steps between Q·Kᵀ and the
      softmax, however grouped into generics, composed into one scalar
      function of the score and of its indices and decomposed from the
      outside in. `select(c, x, −∞)` with a score-free condition and
      score-free addends are masks (operands read as is, or computed by a
      new generic from the steps' ops); what remains is a scale, a soft-cap
      `m · tanh(a · s)` (`softcap`), or any other pure scalar function of
      the score, the indices and constants, which becomes the `score_mod`
      region. A mask computable at compile time (from `linalg.index`, iota
      comparisons with offsets, `abs`, min/max, or constants) that is a band
      becomes `causal` or `window` (PyTorch's top-left causal for Lq ≠ Lk is
      the window [Lq + Lk, Lq − Lk], Lq + Lk standing for an unbounded
      side); an index-only mask that is not a band goes into the
      `score_mod`; any other mask becomes the `mask` operand;
    * grouped-query K/V repeated before the contraction (a broadcast and a
      collapse, `tosa.tile`'s copy, or scores computed at 5-D over
      [B, Hkv, G] by reshape propagation): the copy is dropped and the heads
      are indexed.

    Before (heads collapsed, K transposed, softmax written out; abridged):

    ```mlir
    %s = linalg.batch_matmul ins(%q3, %kt3 ...)      // Q·Kᵀ
    %m = linalg.generic {... reduction} (maximumf)   // row max
    %e = linalg.generic (exp(s - m))
    %z = linalg.generic {... reduction} (addf)       // row sum
    %p = linalg.generic (e / z)
    %o = linalg.batch_matmul ins(%p, %v3 ...)        // P·V
    ```

    After:

    ```mlir
    %o4 = attn.sdpa %q, %k, %v {scale = 1.0 : f32} : ...
    %o = tensor.collapse_shape %o4 [[0, 1], [2], [3]] : ...
    ```

    The rewrite changes results only by float reassociation (and turns the
    NaN of a fully masked row into 0, Attn's semantics). It refuses, leaving
    the IR untouched, when the candidate is not exactly attention: softmax
    or a reduction over another axis than the key axis, an intermediate with
    another user, a transform of the scores that reads a tensor other than
    as a mask or a value from above (a `score_mod` captures nothing), a
    masked fill that is not −∞, ops between the softmax and P·V, mixed
    element types or scores below f32 (`@negative_` tests). It also refuses
    forms of attention it does not handle yet (`@unsupported_` tests):
    more than one mask tensor that is not a band, dynamic heads or head
    sizes, dynamic 3-D scores, a step combining grouped-query scores with
    another value computed from them, or the scores of two contractions.

    Dynamic batch and sequence lengths raise to an `attn.sdpa` with dynamic
    dims. Masks cannot be evaluated without the lengths, so when the query
    and key lengths are provably one size (upstream's value bounds), a mask
    that is a function of j − i (index arithmetic, comparisons, abs,
    min/max, selects, through generics, broadcasts and reshapes) is fitted
    to `causal`/`window` symbolically — it is constant beyond the sum of its
    constants, so evaluating it on that range is exact for every length;
    other index predicates go into the `score_mod`. torch-mlir's run-time
    broadcast guards and shape-tensor reshapes are not followed here:
    `attn-fold-shape-guards` folds them first (the pipelines do). With
    `report-refusals=true` every refusal is a remark on the blocking op, and
    a function still holding a softmax over a contraction's result for which
    no reason was given gets one on the softmax.
  }];
  let options = [
    Option<"reportRefusals", "report-refusals", "bool", /*default=*/"false",
           "Emit a remark for every candidate that is not raised, naming why">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::attn::AttnDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def AttnFoldShapeGuardsPass : Pass<"attn-fold-shape-guards"> {
  let summary = "Fold the runtime broadcast guards and shape-tensor reshapes "
                "of dynamic-shape exports whose sizes are provably equal";
  let description = [{
    torch-mlir exports a module with dynamic sizes (torch.export `Dim`s)
    through ops that are identities once the sizes are known to agree, and
    that hide the computation from `attn-raise-linalg`:
    * broadcast guards: a `linalg.generic` with no inputs whose body reads
      `tensor.extract %src[..., select(%n == 1, 0, linalg.index k), ...]`,
      i.e. "broadcast dimension k of %src if it has size 1". When %n and
      dimension k of %src are provably the size of dimension k of the
      result, the generic is %src itself; when some unit dimensions of
      %src are read at 0 into larger ones (torch's repeat of K/V heads),
      it is a plain broadcast generic (reading the source of an
      `expand_shape` that only inserted unit dimensions), the form static
      exports have and `attn-raise-linalg` indexes;
    * `tensor.reshape` to a shape built by `tensor.from_elements` (or a
      constant): when the sizes group exactly into the source's sizes
      (static products, dynamic sizes provably equal, unit dimensions
      anywhere), it is a `tensor.expand_shape` or `tensor.collapse_shape`
      (or a `tensor.cast` at equal rank), which reshape propagation and the
      raising follow.

    Sizes are compared with upstream's `ValueBoundsConstraintSet`, after
    looking through `arith.index_cast`. Run it after
    `int-range-optimizations`, `canonicalize` and `cse`, which reduce
    torch-mlir's size arithmetic (`select(n < 0, …, n)` for a `tensor.dim`
    n) to the sizes themselves; `attn-cpu-pipeline` (raise=true) does.
    A guard or reshape whose sizes cannot be proven equal (a real
    broadcast of a size-1 dimension, a size the analysis cannot relate) is
    left as it is.

    Before:

    ```mlir
    %g = linalg.generic {indexing_maps = [#id], iterator_types = [...]}
        outs(%e : tensor<1x4x?x8xf32>) {
    ^bb0(%out: f32):
      %h = linalg.index 1 : index
      %i = linalg.index 2 : index
      %d = linalg.index 3 : index
      %one = arith.cmpi eq, %n, %c1 : index
      %k = arith.select %one, %c0, %i : index
      %x = tensor.extract %q[%c0, %h, %k, %d] : tensor<1x4x?x8xf32>
      linalg.yield %x : f32
    } -> tensor<1x4x?x8xf32>
    %r = tensor.reshape %s(%shape) : (tensor<4x?x?xf32>, tensor<4xi64>)
        -> tensor<1x4x?x?xf32>
    ```

    After: uses of %g read %q, and
    `%r = tensor.expand_shape %s [[0, 1], [2], [3]] output_shape [1, 4, %n, %n]`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def AttnRaiseTosaPass : Pass<"attn-raise-tosa"> {
  let summary = "Raise attention written in TOSA to attn.sdpa, through "
                "tosa-to-linalg and attn-raise-linalg";
  let description = [{
    Brings TOSA (torch-mlir's TOSA output) to linalg on tensors with the
    upstream conversions — `tosa-to-linalg-named`, `tosa-to-linalg`,
    `tosa-to-arith`, `tosa-to-tensor`; then `int-range-optimizations`,
    `canonicalize`, `cse`, `attn-fold-shape-guards`, `canonicalize` for
    dynamic sizes (the front door `attn-cpu-pipeline` also uses) — and
    raises the attention in the result with `attn-raise-linalg`: one recogniser for
    both frontends, reading what the upstream lowering writes
    (`linalg.batch_matmul` on collapsed heads, `linalg.reduce` row
    statistics starting from the lowest finite float, torch's fully masked
    row test widened to f64, masks from iota constants evaluated into
    `causal`/`window`, GQA tiles as broadcasts that are indexed instead of
    copied). Everything around the attention is left in linalg, as
    `attn-cpu-pipeline` would lower it anyway.

    Before (heads collapsed, softmax written out; abridged):

    ```mlir
    %s3 = tosa.matmul %q3, %kt3, %zp, %zp      // Q·Kᵀ, [B·H, Lq, Lk]
    %s  = tosa.reshape %s3, %shape4            // [B, H, Lq, Lk]
    %sc = tosa.mul %s, %scale, %shift
    %m  = tosa.reduce_max %sc {axis = 3 : i32}
    %d  = tosa.sub %sc, %m
    %e  = tosa.exp %d
    %z  = tosa.reduce_sum %e {axis = 3 : i32}
    %r  = tosa.reciprocal %z
    %p  = tosa.mul %e, %r, %shift
    %p3 = tosa.reshape %p, %shape3
    %o3 = tosa.matmul %p3, %v3, %zp, %zp       // P·V
    %o  = tosa.reshape %o3, %shapeo            // [B, H, Lq, Dv]
    ```

    After:

    ```mlir
    %o = attn.sdpa %q, %k, %v {scale = 0.353553385 : f32} : ...
    ```

    What is raised, refused and reported is `attn-raise-linalg`'s (its
    remarks carry its name). TOSA that the upstream conversions cannot lower
    (e.g. a `tosa.matmul` whose zero point is not a constant) makes the pass
    fail with their error.
  }];
  let options = [
    Option<"reportRefusals", "report-refusals", "bool", /*default=*/"false",
           "Emit a remark for every candidate that is not raised, naming why">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::attn::AttnDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def AttnFuseQkvPass : Pass<"attn-fuse-qkv"> {
  let summary = "Fuse the Q, K and V projections of one input into one "
                "attn.linear";
  let description = [{
    For each attention (an `attn.sdpa`, or an `attn.context` whose
    probabilities come through `attn.softmax` [and `attn.mask`] from
    `attn.scores`) whose Q, K and V are three `attn.linear` of the same input
    (through `attn.split_heads`, as `attn-decompose-mha` leaves them), the
    three projections become one `attn.linear` with the weights concatenated
    along the output dimension (`tensor.concat`, constant or not; biases
    likewise), followed by one `tensor.extract_slice` per projection. One
    wider matrix product replaces three; the results are unchanged (each
    output column is the same dot product).

    Before:

    ```mlir
    %q = attn.linear %x, %wq : tensor<2x5x16xf32>, tensor<16x16xf32> -> tensor<2x5x16xf32>
    %k = attn.linear %x, %wk : tensor<2x5x16xf32>, tensor<16x8xf32> -> tensor<2x5x8xf32>
    %v = attn.linear %x, %wv : tensor<2x5x16xf32>, tensor<16x8xf32> -> tensor<2x5x8xf32>
    ```

    After:

    ```mlir
    %w = tensor.concat dim(1) %wq, %wk, %wv : (...) -> tensor<16x32xf32>
    %qkv = attn.linear %x, %w : tensor<2x5x16xf32>, tensor<16x32xf32> -> tensor<2x5x32xf32>
    %q = tensor.extract_slice %qkv[0, 0, 0] [2, 5, 16] [1, 1, 1]
    %k = tensor.extract_slice %qkv[0, 0, 16] [2, 5, 8] [1, 1, 1]
    %v = tensor.extract_slice %qkv[0, 0, 24] [2, 5, 8] [1, 1, 1]
    ```

    It refuses, leaving the IR untouched, when the projections read
    different inputs (cross-attention), when their weights have different
    element types, when some have a bias and others not, or when a weight or
    bias is defined after the first projection. With `report-refusals=true`
    every refusal is a remark on the blocking projection.
  }];
  let options = [
    Option<"reportRefusals", "report-refusals", "bool", /*default=*/"false",
           "Emit a remark for every attention whose projections are not "
           "fused, naming why">,
  ];
  let dependentDialects = [
    "::mlir::attn::AttnDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def AttnPackGqaPass : Pass<"attn-pack-gqa"> {
  let summary = "Process the query heads that share a K/V head together "
                "when decoding";
  let description = [{
    In grouped-query attention the G = Hq/Hkv query heads of one K/V head
    read the same keys and values. Tiled per query head, every one of them
    streams that K/V head again, so decoding (a few query rows against a
    long cache, bound by memory bandwidth) reads G times the bytes it needs.
    This pass rewrites an `attn.sdpa` with Hkv < Hq and at most `max-rows`
    static query rows into the attention of the K/V heads whose rows are
    the rows of their G query heads, as FlashDecoding and FlashInfer pack
    them: Q [B, Hq, Lq, D] is viewed as [B, Hkv, G·Lq, D] (an
    `expand_shape`/`collapse_shape` pair, no copy), the result and the lse
    are viewed back, and every strategy then tiles an op whose tile of
    G·Lq rows meets each K/V block once.

    The packed op computes the same scores only when nothing depends on a
    row's head or position, so the pass leaves the op untouched (with a
    remark naming why under `report-refusals=true`) when:
    * there is a `window`, or `causal` with more than one query row (one
      row sees every key under `causal`, which is dropped);
    * the `score_mod` reads its head or query-row argument;
    * it is a tile (`tile_origin`).
    The mask is read into the packed layout: [Bm, Hkv, G·Lq, Lk] (a copy of
    its Bm·Hq·Lq·Lk elements), or [Bm, 1, G·Lq, Lk] when it is broadcast
    over the heads (G·Lq·Lk elements per batch, small beside the K/V).

    Before:

    ```mlir
    %o = attn.sdpa %q, %k, %v : tensor<1x32x1x128xf32>,
        tensor<1x8x4096x128xf32>, tensor<1x8x4096x128xf32>
        -> tensor<1x32x1x128xf32>
    ```

    After:

    ```mlir
    %q5 = tensor.expand_shape %q [[0], [1, 2], [3], [4]] ...
        : tensor<1x32x1x128xf32> into tensor<1x8x4x1x128xf32>
    %qp = tensor.collapse_shape %q5 [[0], [1], [2, 3], [4]]
        : tensor<1x8x4x1x128xf32> into tensor<1x8x4x128xf32>
    %op = attn.sdpa %qp, %k, %v : tensor<1x8x4x128xf32>, ...
        -> tensor<1x8x4x128xf32>
    // %op viewed back as tensor<1x32x1x128xf32>
    ```
  }];
  let options = [
    Option<"maxRows", "max-rows", "int64_t", /*default=*/"16",
           "Pack only ops with at most this many query rows (decoding)">,
    Option<"reportRefusals", "report-refusals", "bool", /*default=*/"false",
           "Emit a remark for every attn.sdpa left unpacked, naming why">,
  ];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def AttnSplitKvPass : Pass<"attn-split-kv"> {
  let summary = "Split the keys of attn.sdpa into partitions combined by "
                "log-sum-exp (flash-decoding)";
  let description = [{
    For short query sequences (decoding) one block of queries leaves most of
    the machine idle; split-KV parallelises over the keys instead. The keys
    of every `attn.sdpa` are split into `num-splits` contiguous partitions,
    computed in an `scf.forall`; each partition runs the online-softmax loop
    of `attn-tile-flash` over its keys (blocks of `tile-kv`, classified the
    same way: invisible blocks skipped, visible ones unmasked) and produces a
    partial output and its log-sum-exp. The partitions are combined with the
    log-sum-exp rule

    ```
    M = max_s lse_s      w_s = exp(lse_s − M)
    out = Σ_s w_s · out_s / Σ_s w_s      lse = M + log Σ_s w_s
    ```

    in which a partition that sees no key (lse = −∞) weighs nothing, and a
    row no partition sees gives 0 and −∞.

    With `num-splits=0` the count is chosen from the sizes: one partition per
    `tile-kv`·4 keys, at most 16 (4 when Lk is dynamic).

    A transform script applies the same rewrite with
    `transform.attn.split_kv` (`num_splits`, `tile_kv`, `static_blocks`).
  }];
  let options = [
    Option<"numSplits", "num-splits", "int64_t", /*default=*/"0",
           "Key partitions (0: chosen from the sizes)">,
    Option<"tileKv", "tile-kv", "int64_t", /*default=*/"128",
           "Keys per block of the online-softmax loop in a partition">,
    Option<"staticBlocks", "static-blocks", "bool", /*default=*/"false",
           "Give every key block the static size tile-kv (partial blocks "
           "padded and masked out), for vectorisation">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def AttnLowerUnfusedPass
    : Pass<"attn-lower-unfused"> {
  let summary = "Lower every attn op to linalg on tensors, materialising the "
                "scores (the reference strategy)";
  let description = [{
    Lowers each op of the `attn` dialect to `linalg`, `tensor`, `arith` and
    `math` on tensors. `attn.mha` is first decomposed as by
    `attn-decompose-mha`. `attn.sdpa` becomes the unfused computation: the
    [B, Hq, Lq, Lk] scores are materialised as a tensor, then soft-capped,
    modified by `score_mod` (its region is inlined into a `linalg.generic`
    body), masked, normalised by a max-subtracted softmax and multiplied by V.

    * Dot products, softmax statistics and P·V accumulate in f32; f16/bf16
      results are rounded once at the end.
    * Grouped-query heads are read through an indexing map `h floordiv
      (Hq / Hkv)`: K and V are never copied.
    * Masked rows (every key invisible) give an output of 0 and an lse of
      −∞: the row maximum is replaced by 0 when it is −∞ and the
      normalisation is skipped when the sum is 0.
    * Dynamic B and sequence lengths are supported: sizes come from
      `tensor.dim`.

    Example: `attn.softmax` becomes a row maximum, an exponential, a row sum
    and a normalisation, each a `linalg.generic`.

    Upstream `linalg.softmax`, which frontends emit and which has no loop
    lowering, is decomposed through its `AggregatedOpInterface` (keeping its
    upstream semantics), so frontend IR goes through the same pipeline.

    The pass converts with an explicit conversion target in which the whole
    `attn` dialect is illegal, so an op it cannot lower is reported as an
    error instead of being left behind.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def AttnVectorizePass : Pass<"attn-vectorize"> {
  let summary = "Register-blocked vector code for the static-shaped linalg "
                "ops of attention loop nests";
  let description = [{
    Turns the linalg ops that `attn-tile-flash`, `attn-split-kv` (both with
    `static-blocks=true`) and `attn-lower-unfused` produce into vector code
    for a target whose vector registers have `vector-bits` bits, with the
    upstream tiling (`scf::tileUsingSCF`), vectoriser (`linalg::vectorize`)
    and loop-invariant subset hoisting:

    * a contraction with one m, n and k dimension (QKᵀ, P·V) is tiled into
      register blocks of mr × nr: mr the largest divisor of m up to 6
      (256-bit registers) or 12 (512-bit), nr two registers of f32 lanes —
      or up to eight when there are few rows (decoding), so that enough
      accumulators cover the FMA latency. Blocks iterate n outside m (a
      k × nr panel of the streamed operand stays in L1) and loop over k; the
      result block is hoisted out of that loop, so the accumulators stay in
      registers and every step is one broadcast per row and nr/lanes FMAs
      per row. An operand whose innermost dimension is not n (K in QKᵀ) is
      transposed once per op (a `linalg.transpose`, vectorised as 8×8 or
      16×16 shuffles, computed per batch element when the op spans several
      heads so the transposed block stays in cache); with a single row the
      op is instead a set of dot products along k (no transpose). Inputs
      that the body only extends (f16/bf16) are converted to f32 once, right
      after their definition;
    * element-wise ops are tiled along their innermost dimension (four
      registers per step); row reductions take whole rows up to 16
      registers, longer ones in steps of four registers;
    * `math.exp`, `math.tanh` and `math.log` on vectors use the upstream
      polynomial approximations (exp within 2 ulp); scalar code keeps libm.

    Ops with dynamic sizes, or whose sizes the blocks do not divide, are left
    alone and run as scalar loops. `report=true` emits a remark per op that
    is vectorised, with its tile sizes. The vector ops are lowered by the
    vector conversions of `attn-cpu-pipeline` (outer products to FMAs).
    `vector-bits` must be 0, 128, 256 or 512.

    A transform script applies the same rewrite to the ops nested in a
    payload op with `transform.attn.vectorize` (`vector_bits`, `report`).
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", /*default=*/"256",
           "Width of the target's vector registers in bits (0: do nothing)">,
    Option<"report", "report", "bool", /*default=*/"false",
           "Emit a remark per vectorised op with its tile sizes">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def AttnGpuDistributePass : Pass<"attn-gpu-distribute"> {
  let summary = "Distribute the tile computations of GPU blocks over their "
                "threads";
  let description = [{
    For every `scf.forall` mapped to GPU blocks (`#gpu.block<...>`, e.g. the
    query-tile loop of `attn-tile-flash` in `attn-gpu-pipeline`), tiles each
    linalg op on tensors nested in it (directly or in its
    key-block loops) into an `scf.forall` over the op's last two non-unit
    parallel loops, mapped to linear thread ids, with at most `num-threads`
    threads: the innermost loop gets the largest divisor of `num-threads`
    up to its size, the next one the rest. Reductions stay within a thread
    (a thread owns whole rows of a row max or sum and whole dot products of
    QKᵀ and P·V). An op with dynamic sizes (the rows of a partial query
    tile, after the key loop) is not split — threads past its end would
    address slices out of bounds —: every thread computes it, writing the
    same values (it never updates its own inputs). Ops outside block loops
    are left alone.

    ```mlir
    scf.forall (%h) in (2) shared_outs(...) {
      %s = linalg.generic ... -> tensor<1x1x64x64xf32>      // QKᵀ
    } {mapping = [#gpu.block<x>]}
    // becomes
    scf.forall (%h) in (2) shared_outs(...) {
      %s = scf.forall (%i, %j) in (4, 32) shared_outs(...) {
        ... linalg.generic ... -> tensor<1x1x16x2xf32>
      } {mapping = [#gpu.thread<linear_dim_1>, #gpu.thread<linear_dim_0>]}
    } {mapping = [#gpu.block<x>]}
    ```

    After bufferization, upstream `map_nested_forall_to_threads` turns the
    thread foralls into thread-id arithmetic with a barrier after each.

    With `tensor-cores` (the default), contractions go first: an f16 or bf16
    contraction into f32 with unit batch loops — QKᵀ, (m, k) × (n, k), or
    P·V, (m, k) × (k, n) — whose static sizes are multiples of m16 n8 k16
    is tiled over warps instead (`#gpu.warp<linear_dim_1>,
    #gpu.warp<linear_dim_0>`, warps along m first, each warp a 16·a × 8·b
    block of the result and the whole reduction) and its warp tile marked
    `attn.mma` for `attn-gpu-mma`. An f32 lhs (the scaled queries, the
    probabilities) is rounded once to the element type of the rhs: the
    elementwise op producing it writes that type when it feeds nothing
    else, otherwise an elementwise op after it rounds it. Any other f16 or
    bf16 contraction stays SIMT and gets a remark saying why (e.g. `sizes
    32x12x64 (m x n x k) are not multiples of 16x8x16`).
  }];
  let options = [
    Option<"numThreads", "num-threads", "int64_t", /*default=*/"128",
           "Threads per block">,
    Option<"tensorCores", "tensor-cores", "bool", /*default=*/"true",
           "Tile f16/bf16 contractions of m16n8k16-multiple sizes over "
           "warps for tensor cores">,
  ];
  let dependentDialects = [
    "::mlir::gpu::GPUDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
  ];
}

def AttnGpuKernelAttributesPass : Pass<"attn-gpu-kernel-attributes"> {
  let summary = "Shared-memory alignment and occupancy target of GPU kernels";
  let description = [{
    After kernel outlining, on every kernel `gpu.func`:

    - sets `llvm.align = shared-alignment` on each workgroup attribution
      (unless it has a larger one); the NVVM lowering makes it the
      alignment of the `.shared` array. Without it a buffer is aligned to
      its element type (2 bytes for f16), while `ldmatrix`, which
      `attn-gpu-mma` uses on the block's f16/bf16 tiles, reads 16-byte rows.
    - with `min-blocks-per-sm` > 0, sets `nvvm.minctasm` (PTX
      `.minnctapersm`) unless present: the occupancy ptxas must allow, and
      the one it then aims for. Given only `.maxntid`, ptxas keeps some
      attention kernels at 48–64 registers on sm_90 and spills; with
      `.minnctapersm 1` it may use more registers and does not spill.

    ```mlir
    gpu.func @k() workgroup(%w : memref<32x64xf16, #gpu.address_space<workgroup>>) kernel
    // becomes
    gpu.func @k() workgroup(%w : memref<32x64xf16, #gpu.address_space<workgroup>> {llvm.align = 16 : i64}) kernel
        attributes {nvvm.minctasm = 1 : i32}
    ```
  }];
  let options = [
    Option<"sharedAlignment", "shared-alignment", "int64_t",
           /*default=*/"16",
           "Alignment in bytes of the shared-memory buffers (a power of 2)">,
    Option<"minBlocksPerSm", "min-blocks-per-sm", "int64_t", /*default=*/"1",
           "Minimum blocks per SM given to ptxas (0: none)">,
  ];
  let dependentDialects = [
    "::mlir::LLVM::LLVMDialect",
    "::mlir::NVVM::NVVMDialect",
  ];
}

def AttnGpuMmaPass : Pass<"attn-gpu-mma"> {
  let summary = "Lower the warp tiles of contractions to mma.sync";
  let description = [{
    After bufferization and `attn-gpu-map-loops`, every linalg op marked
    `attn.mma` in a `gpu.launch` — a warp's tile of QKᵀ or P·V, f16 or bf16
    operands into f32, (m, k) × (n, k) or (k, n) → (m, n), made by
    `attn-gpu-distribute` — becomes, per 16×8×16 step of the tile, the
    lane's fragments and one `mma.sync`:

    - A fragments by `nvgpu.ldmatrix` (x4) when the lhs is a view of one of
      the block's shared buffers (a `memref.memory_space_cast` from
      workgroup, as `attn-gpu-promote-allocs` leaves them), otherwise by one
      `memref.load` per element; B fragments by one `memref.load` per
      element (read transposed from a (k, n) rhs); accumulator fragments by
      one aligned `vector.load`/`vector.store` per register when they are
      in a shared buffer, per element otherwise. The coordinates of each
      (lane, value) are upstream's (`nvgpu::getLaneIdAndValueIdToOperandCoord`,
      `nvgpu::getLaneIdToLdMatrixMatrixCoord`).
    - f16: `nvgpu.mma.sync`; bf16: `nvvm.mma.sync` with the operands packed
      two per i32 and the PTX types given (`nvgpu.mma.sync` cannot lower
      bf16).

    A marked op that is not such a tile (sizes not multiples of 16×8×16,
    not on buffers) is an error.

    ```mlir
    linalg.generic {...} ins(%q, %k : memref<1x1x16x64xf16, ...>,
                                      memref<1x1x8x64xf16, ...>)
        outs(%s : memref<1x1x16x8xf32, ...>) attrs = {attn.mma} {...}
    // becomes (per 16x8x16 step)
    %a = nvgpu.ldmatrix %qs[...] {numTiles = 4 : i32, transpose = false} ... -> vector<4x2xf16>
    %b = vector.from_elements ... : vector<2x2xf16>      // 4 loads of K
    %c = ...                                             // 2 vector<2xf32> loads
    %d = nvgpu.mma.sync(%a, %b, %c) {mmaShape = [16, 8, 16]}
        : (vector<4x2xf16>, vector<2x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::gpu::GPUDialect",
    "::mlir::nvgpu::NVGPUDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::NVVM::NVVMDialect",
    "::mlir::vector::VectorDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::affine::AffineDialect",
  ];
}

def AttnGpuPromoteAllocsPass : Pass<"attn-gpu-promote-allocs"> {
  let summary = "Move the buffers of GPU blocks into workgroup memory";
  let description = [{
    Every static `memref.alloc` in the body of a `gpu.launch` (after
    bufferization, the tiles a block computes in: scores, probabilities,
    row statistics, the output accumulator) becomes a workgroup attribution
    of the launch (shared memory), used through a `memref.memory_space_cast`
    to the generic address space; its `memref.dealloc` is dropped. Device
    code cannot allocate from the host heap, and the threads of a block
    exchange rows and columns of these tiles. An allocation with a dynamic
    shape, a non-identity layout or another memory space, or one under a
    condition (per-thread code), is an error.
    With `max-bytes` > 0, a block that needs more shared memory than that is
    an error naming the size.
  }];
  let options = [
    Option<"maxBytes", "max-bytes", "int64_t", /*default=*/"0",
           "The most shared memory a block may use (0: no limit)">,
  ];
  let dependentDialects = [
    "::mlir::gpu::GPUDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def AttnGpuMapLoopsPass : Pass<"attn-gpu-map-loops"> {
  let summary = "Map block and thread foralls to a gpu.launch";
  let description = [{
    After bufferization, turns each `scf.forall` mapped to GPU blocks into a
    `gpu.launch` of `num-threads` threads per block whose grid is the loop's
    trip counts (static or dynamic: a dynamic batch or query length), and
    the thread foralls of `attn-gpu-distribute` inside it into thread-id
    arithmetic with a `gpu.barrier` after each. The thread mapping is the
    upstream transform op `transform.gpu.map_nested_forall_to_threads
    block_dims = [num-threads, 1, 1]`, run on each launch through the
    transform interpreter, so its diagnostics (e.g. a thread forall needing
    more threads than the block has) are reported as they are. (Upstream
    `map_forall_to_blocks` is not used for the grid: it needs static trip
    counts.) The arrays of such a function are device memory, so an op
    outside the kernels that reads or writes memory (a linalg op, a copy, a
    load or store) is an error naming it. Before that, the copies bufferization
    left in a block (padding, loop-carried tiles) become `linalg.copy` ops
    distributed over the threads like the tile computations.
  }];
  let options = [
    Option<"numThreads", "num-threads", "int64_t", /*default=*/"128",
           "Threads per block (1 to 1024)">,
  ];
  let dependentDialects = [
    "::mlir::gpu::GPUDialect",
    "::mlir::transform::TransformDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::scf::SCFDialect",
  ];
}

def AttnLimitLLVMUnrollPass : Pass<"attn-limit-llvm-unroll"> {
  let summary = "Keep LLVM from unrolling the scalar loops of the lowered "
                "attention";
  let description = [{
    LLVM's loop unroller multiplies the loops it can analyse: with dynamic
    sequence lengths, the scalar bookkeeping loops of the attention nest
    (tile loops, split-KV partitions, the scalar tails of padded blocks)
    are runtime-unrolled and their copies unrolled again inside, which
    turns a few thousand lines of LLVM IR into a hundred thousand and
    takes seconds of ScalarEvolution and LoopUnroll to compile, for code
    that is not faster.

    This pass marks every `scf.for` whose `iter_args` carry no vector
    value with `loop_annotation = #llvm.loop_annotation<unroll =
    #llvm.loop_unroll<disable = true>>`, except innermost loops with a static
    trip count: LLVM's thresholds bound their unrolling (no remainder loop,
    no copies of inner loops), and they are the hot loops of scalar code
    (the dot products of dynamic-shaped tiles, which lose a fifth of their
    speed without it). `convert-scf-to-cf` moves the
    attribute to the loop's back edge and `convert-to-llvm` makes it the
    `loop_annotation` of `llvm.br`, which the translation emits as
    `!llvm.loop !{"llvm.loop.unroll.disable"}`. (The name matters: a
    discardable `llvm.loop_annotation` reaches `llvm.br` too but is not
    translated.) Loops that carry vectors (the register-blocked
    accumulators of the tile computations) are the hot loops: they keep
    LLVM's unrolling, or, with `inner-unroll-count` = N > 0, get
    `unroll = #llvm.loop_unroll<count = N>`.

    Before:

    ```mlir
    scf.for %i = %c0 to %n step %c1 {
      ...
    }
    ```

    After:

    ```mlir
    scf.for %i = %c0 to %n step %c1 {
      ...
    } {loop_annotation = #llvm.loop_annotation<unroll =
        #llvm.loop_unroll<disable = true>>}
    ```

    The pass runs in `attn-cpu-pipeline` just before `convert-scf-to-cf`,
    unless its option `llvm-unroll` is true.

    A loop that already has a `loop_annotation` (or `llvm.loop_annotation`)
    is left alone. Other loops (`scf.while`, `scf.parallel`, OpenMP loops)
    are not touched.
  }];
  let options = [
    Option<"innerUnrollCount", "inner-unroll-count", "int64_t",
           /*default=*/"0",
           "Unroll count set on the loops that carry vectors (0: leave "
           "them to LLVM's heuristics)">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def AttnExpandMathPass : Pass<"attn-expand-math"> {
  let summary = "Lower the math functions LLVM has no (usable) intrinsic for";
  let description = [{
    Exported models compute more than attention around it: GELU's
    `math.erf` (and `math.erfc`) have no LLVM intrinsic, so
    `convert-to-llvm` leaves them and the translation to LLVM IR fails.
    This pass rewrites them, on scalars and vectors, before the conversion:
    * f32: upstream's polynomial approximations (max error a few ulp, the
      same code for every element of a vector);
    * f16 and bf16: computed in f32 and rounded back;
    * scalar f64: a call of the C library's `erf` / `erfc` (declared in
      the module), as an f32 approximation would lose precision.
    A vector of f64 has neither, and is an error on the op. `math.fpowi`
    and `math.ipowi` (torch's `x.pow(2)` in RMSNorm), whose LLVM intrinsic
    takes only a scalar i32 exponent, are expanded by upstream's patterns.
    Every other math op is left to `convert-to-llvm` (intrinsics, or libm
    calls that the JIT and the shared library resolve).

    Before:

    ```mlir
    %g = math.erf %x : vector<16xf32>
    ```

    After (abridged): `math.fma`, `arith.mulf`, `math.absf`, `arith.select`
    of a rational polynomial in %x.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::math::MathDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def AttnOmpDynamicSchedulePass : Pass<"attn-omp-dynamic-schedule"> {
  let summary = "Dynamic schedules for the OpenMP loops of attention tiles";
  let description = [{
    `convert-scf-to-openmp` gives the worksharing loops it creates from the
    tile loops (`scf.forall` over batch, heads and query tiles, or over
    split-KV partitions) the default static schedule, which splits the
    iterations into equal contiguous ranges. With causal attention the
    query tiles cost in proportion to their position, so the thread with
    the last tiles does most of the work. This pass sets
    `schedule(dynamic)` (chunks of one iteration, handed to the next idle
    thread) on every `omp.wsloop` without a schedule; loops that have one
    are left alone.
  }];
  let dependentDialects = ["::mlir::omp::OpenMPDialect"];
}

def AttnConvertMpiToLLVMPass : Pass<"attn-convert-mpi-to-llvm", "ModuleOp"> {
  let summary = "Lower the mpi dialect to calls of the MPI C library, "
                "non-blocking point-to-point included";
  let description = [{
    Upstream `convert-to-llvm` lowers `mpi.comm_world`, `mpi.comm_rank`,
    `mpi.send`, `mpi.recv`, `mpi.allreduce`, `mpi.init` and `mpi.finalize`
    (MLIR 22.1), but not the operations that ring attention needs to overlap
    communication with compute: `mpi.comm_size`, `mpi.isend`, `mpi.irecv`
    and `mpi.wait`. This pass lowers all of them: the upstream patterns
    (`mpi::populateMPIToLLVMConversionPatterns`) for send, recv, init,
    finalize and comm_split, and patterns of Attn for the others
    (`comm_world` and `comm_rank` too, since the upstream ones report an
    error diagnostic for a module without a DLTI entry), which follow the
    same conventions (the
    MPI implementation named by the module's DLTI entry
    `"MPI:Implementation"`, `"OpenMPI"` or `"MPICH"`, MPICH when absent;
    communicators and requests carried as `i64`; `MPI_STATUS_IGNORE`).

    Unlike the upstream send and receive, which take the element count from
    the first dimension of the buffer and know only f32, f64 and integer
    element types, `mpi.isend` and `mpi.irecv` here transfer the whole
    buffer, of any rank and any element type (f16 and bf16 included), as
    `MPI_BYTE`s: the count is the product of the sizes times the element
    width. The buffer must be contiguous (identity layout, any offset); a
    strided buffer is an error. A buffer above 2^31 - 1 bytes is not
    representable in MPI's `int` count: it is passed as the invalid count
    -1, which MPI reports as `MPI_ERR_COUNT` (fatal under the default error
    handler) instead of sending a truncated message.

    `mpi.allreduce` is lowered here too, in place of the upstream pattern,
    which names OpenMPI's predefined operations `ompi_mpi_sum`, ... (libmpi
    exports `ompi_mpi_op_sum`, ..., so nothing links) and counts only the
    first dimension of the buffers: here the count is every element of the
    contiguous buffers (f32, f64, i32, i64; sum, max, min, prod).

    Run it after `finalize-memref-to-llvm` and before `convert-to-llvm`.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def AttnDistributeRingPass : Pass<"attn-distribute-ring", "ModuleOp"> {
  let summary = "Distribute attn.sdpa along the sequence across MPI ranks "
                "(ring attention, or split keys for decoding)";
  let description = [{
    Rewrites every function whose body is one `attn.sdpa` on its arguments
    (query, key, value, and optionally mask and kv_lens), returning its
    results, into the function one MPI rank runs: its arguments and
    results become the rank's shards of the sequence (the sharded
    dimensions turn dynamic), and the body exchanges data over
    `MPI_COMM_WORLD` with the upstream `mpi` dialect. The number of ranks P
    is read at run time (`mpi.comm_size`), so one compile serves any P.

    The rows of a sequence of length L are cut into chunks
    `[c·L/C, (c+1)·L/C)` (any L, any P; lengths differ by at most one):

    * **Ring attention** (Lq dynamic or > 16): Q, K, V, the rows of the
      mask, out and lse are sharded. Without causal/window visibility the
      layout is contiguous (C = P, rank r holds chunk r); with it, zig-zag
      (C = 2P, rank r holds chunks r and 2P−1−r), which balances causal
      work. In P steps each rank computes its query chunks against the
      key/value block it holds — an `attn.sdpa` with a six-operand
      `tile_origin` that places both blocks in the full problem, so
      visibility, kv_lens and score_mod see global positions — while the
      block moves on to the next rank and the previous rank's block arrives
      (`mpi.isend`/`mpi.irecv` started before the compute, `mpi.wait`ed
      after it). A pair of chunks that causal/window visibility hides
      entirely is not computed. Partial results are merged by the
      log-sum-exp rule of split-KV. Only the Hkv key/value heads travel
      (GQA/MQA).
    * **Decoding** (static Lq ≤ 16): queries and results are replicated and
      the keys (and the key columns of the mask) sharded contiguously; each
      rank computes its (out, lse) and the ranks combine them with two
      `mpi.allreduce`s: the max of lse, then one sum of the weighted
      outputs and the weights packed in one buffer.

    Global lengths come from the static types, or from an all-reduce of
    the local lengths when dynamic. The rewritten function is marked
    `attn.distributed = {layout = "contiguous"|"zigzag", mode = "ring"|"decode"}`
    and left alone by a second run. The module gets the DLTI entry
    `"MPI:Implementation" = "OpenMPI"` (the MPI Attn is built with on
    Debian) unless it names one. A function containing `attn.sdpa` in any
    other form is an error saying why (e.g. other ops, an operand that is
    not an argument, a `tile_origin` already present).

    The ranks talk over `MPI_COMM_WORLD` (`communicator=world`, the
    default) or over a communicator the caller passes (`communicator=argument`:
    the function gets a trailing `i64` argument holding the MPI_Comm handle,
    `(int64_t)(intptr_t)comm` with OpenMPI, whose handles are pointers; this
    is what `attn-compile --distributed=ring` exports).
  }];
  let options = [
    Option<"communicator", "communicator", "std::string",
           /*default=*/"\"world\"",
           "world: MPI_COMM_WORLD; argument: a trailing i64 argument holds "
           "the MPI_Comm handle">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::DLTIDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::mpi::MPIDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // ATTN_TRANSFORMS_PASSES_TD
