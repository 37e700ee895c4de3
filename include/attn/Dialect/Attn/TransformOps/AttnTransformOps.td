//===- AttnTransformOps.td - transform.attn.* ops ----------*- tablegen -*-===//
//
// Transform-dialect ops that apply Attn's attention strategies to handles,
// for researchers who script strategies instead of using the fixed
// pipelines. They call the same core functions as the passes.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_TRANSFORMOPS_ATTNTRANSFORMOPS_TD
#define ATTN_DIALECT_ATTN_TRANSFORMOPS_ATTNTRANSFORMOPS_TD

include "mlir/Dialect/Transform/IR/TransformDialect.td"
include "mlir/Dialect/Transform/Interfaces/TransformInterfaces.td"
include "mlir/Dialect/Transform/IR/TransformTypes.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/OpBase.td"

def TileFlashOp : Op<Transform_Dialect, "attn.tile_flash",
    [FunctionalStyleTransformOpTrait, MemoryEffectsOpInterface,
     TransformOpInterface, TransformEachOpTrait,
     ReportTrackingListenerFailuresOpTrait]> {
  let summary = "Tile attn.sdpa ops into FlashAttention loop nests";
  let description = [{
    Applies the rewrite of `attn-tile-flash` to every `attn.sdpa` the target
    handle points to: an `scf.forall` over (batch, query head, blocks of
    `tile_q` queries), each tile an online-softmax loop over blocks of
    `tile_kv` keys with invisible blocks skipped and fully visible ones
    unmasked. Returns a handle to the `scf.forall` loops.

    With `static_blocks` (the pass option `static-blocks`, which
    `attn-cpu-pipeline` sets when it vectorises), every block has static
    sizes: partial query tiles and key blocks are padded (padded keys masked
    out, padded queries dropped), so that `transform.attn.vectorize` can
    vectorise the block computations. With `gpu_blocks` (the pass option
    `gpu-blocks`, set by `attn-gpu-pipeline`) the loop is mapped to GPU
    blocks (`#gpu.block<z, y, x>` over batch, query head, query tile).

    The target handle is consumed. A target that is not an `attn.sdpa`
    produces a silenceable failure; `tile_q` or `tile_kv` not positive, a
    definite one.

    ```mlir
    %sdpa = transform.structured.match ops{["attn.sdpa"]} in %root
        : (!transform.any_op) -> !transform.any_op
    %loop = transform.attn.tile_flash %sdpa {tile_q = 32, tile_kv = 64,
                                             static_blocks}
        : (!transform.any_op) -> !transform.any_op
    ```
  }];
  let arguments = (ins TransformHandleTypeInterface:$target,
                       DefaultValuedAttr<I64Attr, "64">:$tile_q,
                       DefaultValuedAttr<I64Attr, "128">:$tile_kv,
                       UnitAttr:$static_blocks,
                       UnitAttr:$gpu_blocks);
  let results = (outs TransformHandleTypeInterface:$loop);
  let assemblyFormat =
      "$target attr-dict `:` functional-type(operands, results)";
  let extraClassDeclaration = [{
    ::mlir::DiagnosedSilenceableFailure applyToOne(
        ::mlir::transform::TransformRewriter &rewriter,
        ::mlir::Operation *target,
        ::mlir::transform::ApplyToEachResultList &results,
        ::mlir::transform::TransformState &state);
  }];
}

def SplitKvOp : Op<Transform_Dialect, "attn.split_kv",
    [FunctionalStyleTransformOpTrait, MemoryEffectsOpInterface,
     TransformOpInterface, TransformEachOpTrait,
     ReportTrackingListenerFailuresOpTrait]> {
  let summary = "Split the keys of attn.sdpa ops into partitions "
                "(flash-decoding)";
  let description = [{
    Applies the rewrite of `attn-split-kv` to every `attn.sdpa` the target
    handle points to: `num_splits` key partitions (0: chosen from the sizes)
    in an `scf.forall`, each an online-softmax loop over blocks of `tile_kv`
    keys, combined with the log-sum-exp rule. Returns a handle to the
    `scf.forall` loops over the partitions.

    With `static_blocks` (the pass option `static-blocks`), every key block
    has the static size `tile_kv`: partitions hold whole blocks and the
    partial last block is padded and masked, for `transform.attn.vectorize`.

    The target handle is consumed. A target that is not an `attn.sdpa`
    produces a silenceable failure; `num_splits` negative or `tile_kv` not
    positive, a definite one.

    ```mlir
    %loop = transform.attn.split_kv %sdpa {num_splits = 4, tile_kv = 64,
                                           static_blocks}
        : (!transform.any_op) -> !transform.any_op
    ```
  }];
  let arguments = (ins TransformHandleTypeInterface:$target,
                       DefaultValuedAttr<I64Attr, "0">:$num_splits,
                       DefaultValuedAttr<I64Attr, "128">:$tile_kv,
                       UnitAttr:$static_blocks,
                       UnitAttr:$gpu_blocks);
  let results = (outs TransformHandleTypeInterface:$loop);
  let assemblyFormat =
      "$target attr-dict `:` functional-type(operands, results)";
  let extraClassDeclaration = [{
    ::mlir::DiagnosedSilenceableFailure applyToOne(
        ::mlir::transform::TransformRewriter &rewriter,
        ::mlir::Operation *target,
        ::mlir::transform::ApplyToEachResultList &results,
        ::mlir::transform::TransformState &state);
  }];
}

// Not `VectorizeOp`: the ops live in ::mlir::transform, where upstream's
// transform.structured.vectorize already defines that class (two definitions
// of one class in attn-opt and libMLIR.so break op registration).
def AttnVectorizeOp : Op<Transform_Dialect, "attn.vectorize",
    [DeclareOpInterfaceMethods<MemoryEffectsOpInterface>,
     TransformOpInterface, TransformEachOpTrait,
     ReportTrackingListenerFailuresOpTrait]> {
  let summary = "Register-blocked vector code for the static-shaped linalg "
                "ops under a payload op";
  let description = [{
    Applies the rewrite of `attn-vectorize` to the linalg ops on tensors
    nested in each op the target handle points to (a function, or the
    `scf.forall` that `transform.attn.tile_flash` or
    `transform.attn.split_kv` returns; not the target itself): contractions
    become register blocks of FMAs for registers of `vector_bits` bits,
    element-wise ops and row reductions vector loops, and vector
    exp/tanh/log polynomials. Ops with dynamic sizes, or sizes the register
    blocks do not divide, are left alone. With `report`, every vectorised op
    gets a remark with its tile sizes. `vector_bits = 0` does nothing.

    The target handle is only read (the target op is kept; the ops nested in
    it are rewritten, so handles to them are invalidated). The op produces no
    handle. `vector_bits` must be 0, 128, 256 or 512, the values the pass
    accepts; the verifier rejects other values.

    ```mlir
    %loop = transform.attn.tile_flash %sdpa {static_blocks}
        : (!transform.any_op) -> !transform.any_op
    transform.attn.vectorize %loop {vector_bits = 512} : !transform.any_op
    ```
  }];
  let arguments = (ins TransformHandleTypeInterface:$target,
                       DefaultValuedAttr<I64Attr, "256">:$vector_bits,
                       UnitAttr:$report);
  let results = (outs);
  let assemblyFormat = "$target attr-dict `:` type($target)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::DiagnosedSilenceableFailure applyToOne(
        ::mlir::transform::TransformRewriter &rewriter,
        ::mlir::Operation *target,
        ::mlir::transform::ApplyToEachResultList &results,
        ::mlir::transform::TransformState &state);
  }];
}

#endif // ATTN_DIALECT_ATTN_TRANSFORMOPS_ATTNTRANSFORMOPS_TD
