//===- AttnTransformOps.td - transform.attn.* ops ------------*- tablegen -*-===//
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

    The target handle is consumed. A target that is not an `attn.sdpa`
    produces a silenceable failure.

    ```mlir
    %sdpa = transform.structured.match ops{["attn.sdpa"]} in %root
        : (!transform.any_op) -> !transform.any_op
    %loop = transform.attn.tile_flash %sdpa {tile_q = 32, tile_kv = 64}
        : (!transform.any_op) -> !transform.any_op
    ```
  }];
  let arguments = (ins TransformHandleTypeInterface:$target,
                       DefaultValuedAttr<I64Attr, "64">:$tile_q,
                       DefaultValuedAttr<I64Attr, "128">:$tile_kv);
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

    The target handle is consumed. A target that is not an `attn.sdpa`
    produces a silenceable failure.
  }];
  let arguments = (ins TransformHandleTypeInterface:$target,
                       DefaultValuedAttr<I64Attr, "0">:$num_splits,
                       DefaultValuedAttr<I64Attr, "128">:$tile_kv);
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

#endif // ATTN_DIALECT_ATTN_TRANSFORMOPS_ATTNTRANSFORMOPS_TD
