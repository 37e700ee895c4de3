//===- AttnBase.td - Attn dialect and base op class --------*- tablegen -*-===//
//
// Declares the `attn` dialect and the base class of its operations.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_IR_ATTNBASE_TD
#define ATTN_DIALECT_ATTN_IR_ATTNBASE_TD

include "mlir/IR/OpBase.td"

def Attn_Dialect : Dialect {
  let name = "attn";
  let cppNamespace = "::mlir::attn";
  let summary = "Attention graphs, their decomposition and the fused SDPA op";
  let description = [{
    The `attn` dialect describes self-attention at three levels of abstraction:

    * the graph level (`attn.mha`), the whole multi-head block with its
      projections;
    * the decomposed level (`attn.linear`, `attn.split_heads`, `attn.scores`,
      `attn.mask`, `attn.softmax`, `attn.context`, `attn.merge_heads`), one op
      per step of the computation, which is also what frontend IR is raised to;
    * the fused level (`attn.sdpa`), scaled-dot-product attention as one op
      that carries every variant (masks, causal and sliding windows, key
      padding, soft-capping, score modifiers, grouped-query heads, the row
      log-sum-exp).

    All ops have value semantics on builtin ranked tensors. The layout is fixed:

    | name          | shape              |
    |---------------|--------------------|
    | X             | [B, L, E]          |
    | Q             | [B, Hq, Lq, D]     |
    | K             | [B, Hkv, Lk, D]    |
    | V             | [B, Hkv, Lk, Dv]   |
    | scores, probs | [B, Hq, Lq, Lk]    |
    | out           | [B, Hq, Lq, Dv]    |

    Element types are f32, f16 and bf16; dot products, softmax statistics and
    the P·V accumulation are computed in f32 whatever the input type. B and the
    sequence lengths may be dynamic; head counts and head sizes are static.

    Every op also satisfies (S1): each of its tensor types has fewer than 2^63
    bytes (dynamic sizes counted as 1), so that no size computed from them
    overflows int64.
  }];
}

// (S1) of the dialect description, checked on every op before its own
// verifier.
def Attn_BoundedSizes : NativeOpTrait<"BoundedSizes"> {
  let cppNamespace = "::mlir::attn::AttnTrait";
}

class Attn_Op<string mnemonic, list<Trait> traits = []>
    : Op<Attn_Dialect, mnemonic, !listconcat([Attn_BoundedSizes], traits)>;

#endif // ATTN_DIALECT_ATTN_IR_ATTNBASE_TD
