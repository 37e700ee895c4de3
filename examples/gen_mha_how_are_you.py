#!/usr/bin/env python3
"""Writes examples/mha_how_are_you.mlir: fixed embeddings and weights.

Each token's embedding is drawn from a Gaussian seeded by the word, each
weight matrix from one seeded by its name and scaled by 1/sqrt(E). Python's
string seeding is stable across versions, so the file is reproducible:
  python3 examples/gen_mha_how_are_you.py > examples/mha_how_are_you.mlir
"""
import math
import random

WORDS = ["How", "are", "you", "doing", "?"]
E = 16


# The block of @main written out as `attn-decompose-mha` writes it, with the
# probabilities returned as well.
PROBS_DOC = """\
// The same block with the same weights, written out as attn-decompose-mha
// writes it, returning the attention probabilities of each head as well:
// probs[0, h, i, j] is how much token i attends to token j in head h (each
// row sums to 1). The softmax result has a second user (the return), so
// attn-fuse leaves these ops alone and says why:
//   build/bin/attn-opt examples/mha_how_are_you.mlir \\
//       --attn-fuse=report-refusals=true -o /dev/null
"""
PROBS_BODY = """\
  %q = attn.linear %x, %wq
      : tensor<1x5x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  %qh = attn.split_heads %q : tensor<1x5x16xf32> -> tensor<1x2x5x8xf32>
  %k = attn.linear %x, %wk
      : tensor<1x5x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  %kh = attn.split_heads %k : tensor<1x5x16xf32> -> tensor<1x2x5x8xf32>
  %v = attn.linear %x, %wv
      : tensor<1x5x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  %vh = attn.split_heads %v : tensor<1x5x16xf32> -> tensor<1x2x5x8xf32>
  // scale defaults to 1/sqrt(8)
  %s = attn.scores %qh, %kh
      : tensor<1x2x5x8xf32>, tensor<1x2x5x8xf32> -> tensor<1x2x5x5xf32>
  %probs = attn.softmax %s : tensor<1x2x5x5xf32>
  %ctx = attn.context %probs, %vh
      : tensor<1x2x5x5xf32>, tensor<1x2x5x8xf32> -> tensor<1x2x5x8xf32>
  %merged = attn.merge_heads %ctx : tensor<1x2x5x8xf32> -> tensor<1x5x16xf32>
  %y = attn.linear %merged, %wo
      : tensor<1x5x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return %y, %probs : tensor<1x5x16xf32>, tensor<1x2x5x5xf32>
}"""


def row(values):
    return "[" + ", ".join(f"{v:.4f}" for v in values) + "]"


def matrix(rows):
    return "[" + ",\n      ".join(row(r) for r in rows) + "]"


def main():
    x = []
    for w in WORDS:
        r = random.Random("embedding:" + w)
        x.append([round(r.gauss(0, 1), 4) for _ in range(E)])
    weights = {}
    for name in ["wq", "wk", "wv", "wo"]:
        r = random.Random("weight:" + name)
        weights[name] = [[round(r.gauss(0, 1) / math.sqrt(E), 4)
                          for _ in range(E)] for _ in range(E)]
    header = open(__file__.replace("gen_mha_how_are_you.py",
                                   "mha_how_are_you.mlir")).read()
    header = header[:header.index("func.func")]
    constants = ["  // One row per token: How, are, you, doing, ?",
                 f"  %x = arith.constant dense<[{matrix(x)}]> "
                 ": tensor<1x5x16xf32>"]
    for name, w in weights.items():
        constants.append(f"  %{name} = arith.constant dense<{matrix(w)}> "
                         ": tensor<16x16xf32>")
    constants = "\n".join(constants)
    print(header + "func.func @main() -> tensor<1x5x16xf32> {")
    print(constants)
    print("""  %y = attn.mha %x, %wq, %wk, %wv, %wo {num_heads = 2 : i64}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
        tensor<16x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return %y : tensor<1x5x16xf32>
}
""")
    print(PROBS_DOC + "func.func @main_with_probs() "
          "-> (tensor<1x5x16xf32>, tensor<1x2x5x5xf32>) {")
    print(constants)
    print(PROBS_BODY)


if __name__ == "__main__":
    main()
