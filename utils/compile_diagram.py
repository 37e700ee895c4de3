#!/usr/bin/env python3
"""Writes a graphviz diagram of the IR levels a function passes through in
attn-cpu-pipeline, from the real IR. Standard library only.

  compile_diagram.py INPUT.mlir DUMPS.txt OUTPUT.mlir -o OUT.dot [--title T]

INPUT.mlir is the IR before the pipeline; DUMPS.txt is what
`attn-opt --mlir-print-ir-after-all --mlir-print-ir-after-change
--mlir-print-op-generic` wrote to stderr while running the pipeline;
OUTPUT.mlir is its output (generic form). Each level is the IR after the
last pass before the next level begins; its box counts the ops it holds
(from the generic form, where every op is spelt "dialect.op"(...), nested
ops included, builtin.module not counted) per dialect and names the most
frequent ones, those new at that level in bold; each arrow lists the passes
that changed the IR on the way, in order. scripts/draw-compile.sh runs it.
"""

import argparse
import collections
import html
import re
import sys

# (level name, what it is, the pass that starts it; None for the input).
LEVELS = [
    ("graph level", "the whole block is one attn.mha", None),
    ("decomposed", "projections, heads, scores, softmax, context",
     "attn-decompose-mha"),
    ("fused", "scores → softmax → ·V is one attn.sdpa", "attn-fuse"),
    ("loop nests", "attn.sdpa as flash tiles (scf.forall), the rest as linalg",
     "attn-tile-flash"),
    ("vector", "register-blocked vector code on the tiles",
     "attn-vectorize"),
    ("buffers and loops", "memrefs, scf loops, vector transfers",
     "one-shot-bufferize"),
    ("LLVM dialect", "what is translated to LLVM IR",
     "finalize-memref-to-llvm"),
]

DUMP = re.compile(r"^// -----// IR Dump After \S+ \(([^)]*)\) //----- //$",
                  re.M)
OP = re.compile(r'"([a-z_][a-z0-9_]*\.[a-z0-9_.]+)"\(')
PER_DIALECT = 6


def count_ops(text):
    counts = collections.Counter(OP.findall(text))
    counts.pop("builtin.module", None)
    return counts


def split_dumps(text):
    """[(pass flag, IR text)] in the order the passes ran."""
    marks = list(DUMP.finditer(text))
    return [(m.group(1), text[m.end():marks[i + 1].start()
                              if i + 1 < len(marks) else len(text)])
            for i, m in enumerate(marks)]


def levels_of(input_ir, dumps, output_ir):
    """[(name, note, passes that led here, op counts)]."""
    starts = []
    pos = 0
    for name, _, start in LEVELS[1:]:
        idx = next((i for i in range(pos, len(dumps))
                    if dumps[i][0] == start), None)
        if idx is None:
            sys.exit(f"compile_diagram: no dump after {start}: did the "
                     "pipeline run it (and did it change the IR)?")
        starts.append(idx)
        pos = idx + 1
    result = [(LEVELS[0][0], LEVELS[0][1], [], count_ops(input_ir))]
    bounds = starts + [len(dumps)]
    for k, (name, note, _) in enumerate(LEVELS[1:]):
        span = dumps[bounds[k]:bounds[k + 1]]
        passes = []
        for flag, _ in span:
            if not passes or passes[-1] != flag:
                passes.append(flag)
        last = k + 1 == len(LEVELS) - 1
        ir = output_ir if last else span[-1][1]
        result.append((name, note, passes, count_ops(ir)))
    return result


def is_terminator(op):
    return op.endswith((".yield", ".return", ".in_parallel")) or op in (
        "func.return", "llvm.return")


def node_label(index, name, note, counts, previous):
    """A table: the level's name, its op count, then one row per dialect
    (largest first) naming its most frequent ops; ops new at this level in
    bold. Terminators are counted but not named."""
    total = sum(counts.values())
    dialects = collections.defaultdict(list)
    for op, n in counts.items():
        dialects[op.split(".")[0]].append((op, n))
    rows = [f'<TR><TD COLSPAN="2" BGCOLOR="#dbe9f6"><B>{index}. '
            f'{html.escape(name)}</B><BR/><FONT POINT-SIZE="11">'
            f'{html.escape(note)}</FONT></TD></TR>',
            f'<TR><TD COLSPAN="2">{total} ops</TD></TR>']
    for dialect, ops in sorted(dialects.items(),
                               key=lambda kv: (-sum(n for _, n in kv[1]),
                                               kv[0])):
        named = sorted((kv for kv in ops if not is_terminator(kv[0])),
                       key=lambda kv: (-kv[1], kv[0]))
        cells = []
        for op, n in named[:PER_DIALECT]:
            text = html.escape(op.split(".", 1)[1]) + f" {n}"
            cells.append(f"<B>{text}</B>" if op not in previous else text)
        if len(named) > PER_DIALECT:
            cells.append(f"… {len(named) - PER_DIALECT} more")
        lines = [", ".join(cells[i:i + 3]) for i in range(0, len(cells), 3)]
        rows.append(f'<TR><TD ALIGN="LEFT" VALIGN="TOP">{html.escape(dialect)}'
                    f' {sum(n for _, n in ops)}</TD><TD ALIGN="LEFT">'
                    + '<BR ALIGN="LEFT"/>'.join(lines)
                    + '<BR ALIGN="LEFT"/></TD></TR>')
    return ('<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" '
            'CELLPADDING="4">' + "".join(rows) + "</TABLE>>")


def edge_label(passes):
    lines = [", ".join(passes[i:i + 2]) for i in range(0, len(passes), 2)]
    return "".join(f"{line}\\l" for line in lines)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("input"), parser.add_argument("dumps")
    parser.add_argument("output"), parser.add_argument("-o", required=True)
    parser.add_argument("--title", default="")
    args = parser.parse_args()
    read = lambda p: open(p, encoding="utf-8").read()  # noqa: E731
    levels = levels_of(read(args.input), split_dumps(read(args.dumps)),
                       read(args.output))

    dot = ["digraph compile {",
           '  graph [fontname="DejaVu Sans", fontsize=13, labelloc=t, '
           'nodesep=0.4, ranksep=0.45, '
           f'label="{args.title}"];',
           '  node [shape=plain, fontname="DejaVu Sans", fontsize=12];',
           '  edge [fontname="DejaVu Sans Mono", fontsize=11];']
    previous = collections.Counter()
    for i, (name, note, passes, counts) in enumerate(levels):
        dot.append(f"  level{i} [label={node_label(i + 1, name, note, counts, previous)}];")
        if i:
            dot.append(f'  level{i - 1} -> level{i} '
                       f'[label="{edge_label(passes)}"];')
        previous = counts
    dot.append('  native [shape=box, style="dashed,rounded", fontsize=11, '
               'label="LLVM IR → machine code for the host\\n'
               '(attn-run: JIT; attn-compile: .o, .so, .h)"];')
    dot.append(f'  level{len(levels) - 1} -> native '
               '[label="translate to LLVM IR\\l", style=dashed];')
    dot.append("}")
    with open(args.o, "w", encoding="utf-8") as f:
        f.write("\n".join(dot) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
