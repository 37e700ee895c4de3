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
    print(header + "func.func @main() -> tensor<1x5x16xf32> {")
    print("  // One row per token: How, are, you, doing, ?")
    print(f"  %x = arith.constant dense<[{matrix(x)}]> : tensor<1x5x16xf32>")
    for name, w in weights.items():
        print(f"  %{name} = arith.constant dense<{matrix(w)}> "
              ": tensor<16x16xf32>")
    print("""  %y = attn.mha %x, %wq, %wk, %wv, %wo {num_heads = 2 : i64}
      : tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
        tensor<16x16xf32>, tensor<16x16xf32> -> tensor<1x5x16xf32>
  return %y : tensor<1x5x16xf32>
}""")


if __name__ == "__main__":
    main()
