#!/usr/bin/env python3
"""Prints attention probabilities as one labelled table per head, and draws
them as heatmaps with gnuplot. Standard library only (plus gnuplot for the
pictures).

  attention_weights.py PROBS.npy --tokens How are you doing ? [--png-dir DIR]

PROBS.npy holds the probabilities [B, H, Lq, Lk] of batch row 0..B-1 (the
tables show --batch, default 0); Lq and Lk must equal the number of tokens.
Rows are the tokens that attend (queries), columns the tokens they attend to
(keys); each row sums to 1. With --png-dir, DIR/weights-head<h>.png is drawn
per head (with the .dat and .gp files that made it); without gnuplot the
tables are still printed and one line says the pictures were skipped.
"""

import argparse
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from npy import read_npy  # noqa: E402


def heads_of(shape, values, batch, n):
    """The [Lq][Lk] matrices of every head of batch row `batch`."""
    b, h, lq, lk = shape
    base = batch * h * lq * lk
    return [[values[base + (hi * lq + i) * lk:][:lk] for i in range(lq)]
            for hi in range(h)]


def print_table(head, matrix, tokens):
    width = max(7, max(len(t) for t in tokens) + 2)
    print(f"head {head}: row = token attending (query), "
          "column = token attended to (key); rows sum to 1")
    print(" " * width + "".join(f"{t:>{width}}" for t in tokens))
    for token, row in zip(tokens, matrix):
        print(f"{token:>{width}}" + "".join(f"{p:>{width}.3f}" for p in row))


def gnuplot_terminal(gp):
    p = subprocess.run([gp, "-e", "set terminal"], capture_output=True,
                       text=True)
    return "pngcairo" if "pngcairo" in p.stdout + p.stderr else "png"


def quote(text):
    return "'" + text.replace("'", "''") + "'"


def draw(gp, head, matrix, tokens, out_dir):
    """Writes weights-head<head>.{dat,gp,png} in out_dir; returns the PNG."""
    stem = os.path.join(out_dir, f"weights-head{head}")
    with open(stem + ".dat", "w") as f:
        for row in matrix:
            f.write(" ".join(f"{p:.6f}" for p in row) + "\n")
    tics = ", ".join(f"{quote(t)} {i}" for i, t in enumerate(tokens))
    n = len(tokens)
    terminal = gnuplot_terminal(gp)
    font = "font ',13'" if terminal == "pngcairo" else "font 'DejaVuSans,12'"
    script = [
        f"set terminal {terminal} size 620,560 {font}",
        f"set output {quote(stem + '.png')}",
        f"set title 'Head {head}: how much each token (row) attends to "
        "each token (column)' font ',12'",
        "unset key",
        "set size ratio -1",
        f"set xrange [-0.5:{n - 0.5}]",
        f"set yrange [{n - 0.5}:-0.5]",
        f"set xtics ({tics}) scale 0",
        f"set ytics ({tics}) scale 0",
        "set xlabel 'key: the token attended to'",
        "set ylabel 'query: the token attending'",
        "set cbrange [0:1]",
        "set cblabel 'probability'",
        "set palette defined (0 '#ffffff', 0.5 '#6baed6', 1 '#08306b')",
        f"plot {quote(stem + '.dat')} matrix with image, "
        f"'' matrix using 1:2:(sprintf('%.2f', $3)) with labels "
        "tc rgb 'black'",
    ]
    with open(stem + ".gp", "w") as f:
        f.write("\n".join(script) + "\n")
    p = subprocess.run([gp, stem + ".gp"], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(p.stderr.strip() or "gnuplot failed")
    return stem + ".png"


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("probs")
    parser.add_argument("--tokens", nargs="+", required=True)
    parser.add_argument("--batch", type=int, default=0)
    parser.add_argument("--png-dir")
    args = parser.parse_args()

    shape, values = read_npy(args.probs)
    n = len(args.tokens)
    if len(shape) != 4 or shape[2] != n or shape[3] != n:
        sys.exit(f"{args.probs}: shape {shape} is not [B, H, {n}, {n}] "
                 f"for {n} tokens")
    if not 0 <= args.batch < shape[0]:
        sys.exit(f"--batch={args.batch} is out of range: [0, {shape[0]})")
    heads = heads_of(shape, values, args.batch, n)
    for h, matrix in enumerate(heads):
        if h:
            print()
        print_table(h, matrix, args.tokens)

    if not args.png_dir:
        return 0
    gp = shutil.which("gnuplot")
    if not gp:
        print("pictures skipped: gnuplot not found "
              "(scripts/install-deps.sh installs gnuplot-nox)")
        return 0
    os.makedirs(args.png_dir, exist_ok=True)
    try:
        pngs = [draw(gp, h, m, args.tokens, args.png_dir)
                for h, m in enumerate(heads)]
    except RuntimeError as e:
        print(f"pictures skipped: gnuplot failed: {str(e).splitlines()[-1]}")
        return 0
    print()
    for h, png in enumerate(pngs):
        print(f"picture of head {h}: {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
