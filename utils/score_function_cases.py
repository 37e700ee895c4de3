#!/usr/bin/env python3
"""Writes random attention functions whose scores go through random score
functions, for a differential test of attn-raise-linalg.

    utils/score_function_cases.py OUT_DIR --count N --seed S

Each case OUT_DIR/case<k>.mlir holds one func.func @case<k>: Q·Kᵀ as a
linalg.generic contraction, then a random elementwise function of the score
and of its indices — constant scales, tanh soft-caps, ALiBi-like biases from
the indices, clamps, residuals s·c + s of the raw scores (split: a step
reading two values computed from the scores), an additive mask argument, visibility predicates on
(i, j) (comparisons with offsets, |i - j|, conjunctions; the diagonal is
always kept so that no row is fully masked) — spelled either as one
linalg.generic per step or fused into one body, then a softmax (written out
or linalg.softmax) and P·V. OUT_DIR/cases.txt lists "name kind" per case.
The test raises each one, expects exactly one attn.sdpa, and runs the
original against the float64 reference of the unraised IR through every
strategy (attn-run --check), so that a wrong decomposition of the score
function cannot pass.
"""

import argparse
import os
import random
import subprocess
import sys

MAPS = """#qmap = affine_map<(b, h, i, j, d) -> (b, h, i, d)>
#kmap = affine_map<(b, h, i, j, d) -> (b, h, j, d)>
#smap = affine_map<(b, h, i, j, d) -> (b, h, i, j)>
#pmap = affine_map<(b, h, i, e, j) -> (b, h, i, j)>
#vmap = affine_map<(b, h, i, e, j) -> (b, h, j, e)>
#omap = affine_map<(b, h, i, e, j) -> (b, h, i, e)>
#id = affine_map<(b, h, i, j) -> (b, h, i, j)>
#row = affine_map<(b, h, i, j) -> (b, h, i)>
#mask = affine_map<(b, h, i, j) -> (0, 0, i, j)>
"""


class Body:
    """Scalar SSA lines of one linalg.generic body."""

    def __init__(self):
        self.lines = []
        self.n = 0

    def fresh(self):
        self.n += 1
        return f"%t{self.n}"

    def op(self, text):
        v = self.fresh()
        self.lines.append(f"    {v} = {text}")
        return v

    def const(self, value, ty="f32"):
        if ty == "f32":
            return self.op(f"arith.constant {value!r} : f32")
        return self.op(f"arith.constant {value} : {ty}")


def index_values(body, dims=(1, 2, 3)):
    return [body.op(f"linalg.index {d} : index") for d in dims]


def step_scale(body, s, rng, state):
    c = body.const(round(rng.uniform(0.05, 0.6), 4))
    return body.op(f"arith.mulf {s}, {c} : f32")


def step_softcap(body, s, rng, state):
    m = body.const(round(rng.uniform(1.0, 8.0), 3))
    d = body.op(f"arith.divf {s}, {m} : f32")
    t = body.op(f"math.tanh {d} : f32")
    return body.op(f"arith.mulf {t}, {m} : f32")


def step_alibi(body, s, rng, state):
    h, i, j = index_values(body)
    diff = body.op(f"arith.subi {j}, {i} : index")
    di = body.op(f"arith.index_cast {diff} : index to i64")
    df = body.op(f"arith.sitofp {di} : i64 to f32")
    hi = body.op(f"arith.index_cast {h} : index to i64")
    hf = body.op(f"arith.sitofp {hi} : i64 to f32")
    one = body.const(1.0)
    h1 = body.op(f"arith.addf {hf}, {one} : f32")
    c = body.const(round(rng.uniform(0.05, 0.3), 4))
    slope = body.op(f"arith.mulf {h1}, {c} : f32")
    bias = body.op(f"arith.mulf {df}, {slope} : f32")
    return body.op(f"arith.addf {s}, {bias} : f32")


def step_clamp(body, s, rng, state):
    c = body.const(round(rng.uniform(0.5, 2.0), 3))
    return body.op(f"arith.minimumf {s}, {c} : f32")


def step_residual(body, s, rng, state):
    # s·c + s0 with s0 the raw scores: split, the step reads them as a
    # second operand (the score function is a DAG of steps).
    state["raw_used"] = True
    c = body.const(round(rng.uniform(0.1, 0.5), 4))
    t = body.op(f"arith.mulf {s}, {c} : f32")
    return body.op(f"arith.addf {t}, {state['raw_arg']} : f32")


def step_mask_arg(body, s, rng, state):
    state["mask_arg"] = True
    return body.op(f"arith.addf {s}, %mk : f32")


def predicate(body, rng, lq, lk):
    _, i, j = index_values(body)
    ii = body.op(f"arith.index_cast {i} : index to i64")
    jj = body.op(f"arith.index_cast {j} : index to i64")
    kind = rng.choice(["causal", "window", "abs", "band"])
    off = rng.randint(-3, 3)
    o = body.const(off, "i64")
    io = body.op(f"arith.addi {ii}, {o} : i64")
    if kind == "causal":
        p = body.op(f"arith.cmpi sle, {jj}, {io} : i64")
    elif kind == "window":
        p = body.op(f"arith.cmpi sge, {jj}, {io} : i64")
    elif kind == "abs":
        d = body.op(f"arith.subi {io}, {jj} : i64")
        a = body.op(f"math.absi {d} : i64")
        w = body.const(rng.randint(1, 4), "i64")
        p = body.op(f"arith.cmpi slt, {a}, {w} : i64")
    else:
        w = body.const(rng.randint(1, 5), "i64")
        lo = body.op(f"arith.subi {io}, {w} : i64")
        p1 = body.op(f"arith.cmpi sle, {jj}, {io} : i64")
        p2 = body.op(f"arith.cmpi sgt, {jj}, {lo} : i64")
        p = body.op(f"arith.andi {p1}, {p2} : i1")
    # Keep one key per row, max(i + Lk - Lq, 0) (no fully masked row).
    sh = body.const(lk - lq, "i64")
    zero = body.const(0, "i64")
    diag_i = body.op(f"arith.addi {ii}, {sh} : i64")
    diag_c = body.op(f"arith.maxsi {diag_i}, {zero} : i64")
    diag = body.op(f"arith.cmpi eq, {jj}, {diag_c} : i64")
    return body.op(f"arith.ori {p}, {diag} : i1")


def step_visibility(body, s, rng, state):
    p = predicate(body, rng, state["lq"], state["lk"])
    ninf = body.op("arith.constant 0xFF800000 : f32")
    return body.op(f"arith.select {p}, {s}, {ninf} : f32")


TRANSFORMS = [step_scale, step_softcap, step_alibi, step_clamp, step_residual]


def make_case(rng, name):
    lq, lk = rng.randint(3, 17), rng.randint(3, 17)
    state = {"lq": lq, "lk": lk, "mask_arg": False}
    # Core transforms first, then masks (sdpa's order), possibly fused.
    steps = [rng.choice(TRANSFORMS) for _ in range(rng.randint(0, 2))]
    if rng.random() < 0.4:
        steps.append(step_mask_arg)
    if rng.random() < 0.6:
        steps.append(step_visibility)
    if not steps:
        steps.append(step_scale)
    fused = rng.random() < 0.5
    S = f"tensor<1x2x{lq}x{lk}xf32>"
    generics = []
    groups = [steps] if fused else [[st] for st in steps]
    prev = "%s"
    for k, group in enumerate(groups):
        body = Body()
        s = "%x"
        uses_mask = False
        # The raw scores in this body: the first block argument of the one
        # fused step, an extra operand of a split one.
        state["raw_arg"] = "%x" if fused or k == 0 else "%sr"
        state["raw_used"] = False
        for st in group:
            before = state["mask_arg"]
            state["mask_arg"] = False
            s = st(body, s, rng, state)
            uses_mask |= state["mask_arg"]
            state["mask_arg"] = before or state["mask_arg"]
        raw = state["raw_arg"] == "%sr" and state["raw_used"]
        ins = [prev] + (["%s"] if raw else []) + (["%m"] if uses_mask else [])
        tys = ([S] + ([S] if raw else [])
               + ([f"tensor<1x1x{lq}x{lk}xf32>"] if uses_mask else []))
        maps = (["#id"] + (["#id"] if raw else [])
                + (["#mask"] if uses_mask else []) + ["#id"])
        args = (["%x: f32"] + (["%sr: f32"] if raw else [])
                + (["%mk: f32"] if uses_mask else []) + ["%o: f32"])
        out = f"%f{k}"
        generics.append(
            f"  {out} = linalg.generic {{indexing_maps = [{', '.join(maps)}], "
            f"iterator_types = [\"parallel\", \"parallel\", \"parallel\", "
            f"\"parallel\"]}}\n      ins({', '.join(ins)} : {', '.join(tys)}) "
            f"outs(%s_init : {S}) {{\n  ^bb0({', '.join(args)}):\n"
            + "\n".join(body.lines)
            + f"\n    linalg.yield {s} : f32\n  }} -> {S}\n")
        prev = out
    if rng.random() < 0.5:
        softmax = (f"  %p = linalg.softmax dimension(3) ins({prev} : {S}) "
                   f"outs(%s_init : {S}) -> {S}\n")
        kind = "linalg.softmax"
    else:
        R = f"tensor<1x2x{lq}xf32>"
        softmax = f"""  %ninf = arith.constant 0xFF800000 : f32
  %r_init = tensor.empty() : {R}
  %m_init = linalg.fill ins(%ninf : f32) outs(%r_init : {R}) -> {R}
  %mx = linalg.generic {{indexing_maps = [#id, #row], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}}
      ins({prev} : {S}) outs(%m_init : {R}) {{
  ^bb0(%a: f32, %acc: f32):
    %y = arith.maximumf %a, %acc : f32
    linalg.yield %y : f32
  }} -> {R}
  %e = linalg.generic {{indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}}
      ins({prev}, %mx : {S}, {R}) outs(%s_init : {S}) {{
  ^bb0(%a: f32, %b: f32, %o: f32):
    %d = arith.subf %a, %b : f32
    %y = math.exp %d : f32
    linalg.yield %y : f32
  }} -> {S}
  %z_init = linalg.fill ins(%zero : f32) outs(%r_init : {R}) -> {R}
  %z = linalg.generic {{indexing_maps = [#id, #row], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}}
      ins(%e : {S}) outs(%z_init : {R}) {{
  ^bb0(%a: f32, %acc: f32):
    %y = arith.addf %a, %acc : f32
    linalg.yield %y : f32
  }} -> {R}
  %p = linalg.generic {{indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}}
      ins(%e, %z : {S}, {R}) outs(%s_init : {S}) {{
  ^bb0(%a: f32, %b: f32, %o: f32):
    %y = arith.divf %a, %b : f32
    linalg.yield %y : f32
  }} -> {S}
"""
        kind = "written-out"
    mask_arg = any(st is step_mask_arg for st in steps)
    margs = f", %m: tensor<1x1x{lq}x{lk}xf32>" if mask_arg else ""
    text = f"""{MAPS}
func.func @{name}(%q: tensor<1x2x{lq}x8xf32>, %k: tensor<1x2x{lk}x8xf32>, %v: tensor<1x2x{lk}x8xf32>{margs}) -> tensor<1x2x{lq}x8xf32> {{
  %zero = arith.constant 0.0 : f32
  %s_init = tensor.empty() : {S}
  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : {S}) -> {S}
  %s = linalg.generic {{indexing_maps = [#qmap, #kmap, #smap], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}}
      ins(%q, %k : tensor<1x2x{lq}x8xf32>, tensor<1x2x{lk}x8xf32>) outs(%s_zero : {S}) {{
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %mm = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %mm : f32
    linalg.yield %r : f32
  }} -> {S}
{''.join(generics)}{softmax}  %o_init = tensor.empty() : tensor<1x2x{lq}x8xf32>
  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : tensor<1x2x{lq}x8xf32>) -> tensor<1x2x{lq}x8xf32>
  %out = linalg.generic {{indexing_maps = [#pmap, #vmap, #omap], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}}
      ins(%p, %v : {S}, tensor<1x2x{lk}x8xf32>) outs(%o_zero : tensor<1x2x{lq}x8xf32>) {{
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %mm = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %mm : f32
    linalg.yield %r : f32
  }} -> tensor<1x2x{lq}x8xf32>
  return %out : tensor<1x2x{lq}x8xf32>
}}
"""
    desc = "+".join(st.__name__[5:] for st in steps)
    return text, f"{kind},{'fused' if fused else 'split'},{desc}"


def check(out, cases, strategies, bin_dir):
    """Raises and runs every case; returns the failures."""
    tool = lambda name: os.path.join(bin_dir, name) if bin_dir else name
    failures = []
    for name, desc in cases:
        path = os.path.join(out, name + ".mlir")
        raised = subprocess.run([tool("attn-opt"), path, "--attn-raise-linalg"],
                                capture_output=True, text=True)
        count = raised.stdout.count("= attn.sdpa")
        if raised.returncode != 0 or count != 1:
            failures.append(f"{name} ({desc}): {count} attn.sdpa raised")
            continue
        for strategy in strategies:
            run = subprocess.run([tool("attn-run"), path, f"--entry={name}",
                                  "--check", f"--strategy={strategy}"],
                                 capture_output=True, text=True)
            if run.returncode != 0 or "FAIL" in run.stdout:
                tail = (run.stdout + run.stderr).strip().splitlines()[-1:]
                failures.append(f"{name} ({desc}) {strategy}: {tail}")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--count", type=int, default=24)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--check", default="",
                        help="comma-separated strategies: raise each case "
                        "with attn-opt and run it with attn-run --check "
                        "(tools from --bin, or PATH)")
    parser.add_argument("--bin", default="",
                        help="directory of attn-opt and attn-run")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    cases = []
    with open(os.path.join(args.out, "cases.txt"), "w") as listing:
        for k in range(args.count):
            name = f"case{k}"
            text, desc = make_case(rng, name)
            with open(os.path.join(args.out, name + ".mlir"), "w") as f:
                f.write(text)
            listing.write(f"{name} {desc}\n")
            cases.append((name, desc))
    if args.check:
        failures = check(args.out, cases, args.check.split(","), args.bin)
        for f in failures:
            print("FAILED:", f)
        print(f"score functions: {len(cases)} cases, {len(failures)} failed")
        sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
