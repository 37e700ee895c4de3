// The strategy steps of attn-cpu-pipeline{strategy=split-kv num-splits=3
// tile-kv=16 vector-bits=256} as a transform script, for
// transform-reproduces-pipeline-split-kv.mlir (loaded with
// --transform-preload-library, so the payload holds no transform IR).
//
// Canonicalisation is the canonicalize pass: transform.apply_patterns with
// apply_patterns.canonicalization applies the same patterns, but its greedy
// driver walks bottom-up where the pass walks top-down, so folded constants
// come out in another order and the IR is not textually identical.
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %funcs = transform.structured.match ops{["func.func"]} in %root
        : (!transform.any_op) -> !transform.any_op
    // attn-decompose-mha, attn-fuse: attn.mha and decomposed chains become
    // attn.sdpa, so that they are tiled too.
    %f0 = transform.apply_registered_pass "attn-decompose-mha" to %funcs
        : (!transform.any_op) -> !transform.any_op
    %f1f = transform.apply_registered_pass "attn-fuse" to %f0
        : (!transform.any_op) -> !transform.any_op
    // attn-pack-gqa: grouped query heads of a decoding step as rows of
    // their K/V head.
    %f1 = transform.apply_registered_pass "attn-pack-gqa" to %f1f
        : (!transform.any_op) -> !transform.any_op
    // attn-split-kv{num-splits=3 tile-kv=16 static-blocks=true}
    %sdpa = transform.structured.match ops{["attn.sdpa"]} in %f1
        : (!transform.any_op) -> !transform.any_op
    %loops = transform.attn.split_kv %sdpa {num_splits = 3, tile_kv = 16, static_blocks}
        : (!transform.any_op) -> !transform.any_op
    // attn-lower-unfused (whatever attn ops remain), canonicalize, cse
    %f2 = transform.apply_registered_pass "attn-lower-unfused" to %f1
        : (!transform.any_op) -> !transform.any_op
    %f3 = transform.apply_registered_pass "canonicalize" to %f2
        : (!transform.any_op) -> !transform.any_op
    transform.apply_cse to %f3 : !transform.any_op
    // attn-vectorize{vector-bits=256}, canonicalize, cse
    transform.attn.vectorize %f3 {vector_bits = 256} : !transform.any_op
    %f4 = transform.apply_registered_pass "canonicalize" to %f3
        : (!transform.any_op) -> !transform.any_op
    transform.apply_cse to %f4 : !transform.any_op
    transform.yield
  }
}
