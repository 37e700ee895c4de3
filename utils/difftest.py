#!/usr/bin/env python3
"""Random differential tester of attn.sdpa: attn-run against the float64
reference, judged by what float32 arithmetic allows.

  difftest.py --attn-run build/bin/attn-run --count N --seed S [--jobs J]
              [--work DIR] [--keep]

Each configuration is drawn from every feature of attn.sdpa (batch, GQA head
counts, Lq != Lk including Lq = 1 and Lq > Lk, Dk != Dv, float and bool masks
with broadcast, kv_lens, causal, window, softcap, scale, score_mod, lse,
f32/f16/bf16, static and dynamic dimensions, the three CPU strategies, tile
sizes, split counts, vector widths, 1-2 threads, input magnitudes up to 1e4),
written as an MLIR function and .npy inputs (pure Python: no numpy needed),
and run twice through attn-run --check:

  * the configuration itself;
  * the f32 oracle: the same function and inputs through the unfused
    strategy with scalar code, which rounds every step (scores, scaling,
    mask, softcap, exp, sums, division, P.V) to f32 exactly where the
    definition has a step.

attn-run compares both with the float64 reference. A configuration
mismatches when its error exceeds max(tolerance, 8 x the oracle's error):
the tolerance of DESIGN §6 (1e-5 for f32, 2e-2 for f16/bf16) where the
problem is well conditioned, and what f32 rounding of the same steps costs
where it is not (a -1e4 float mask added to O(1) scores loses ~1e-3 in f32,
and so does any correct implementation). NaN where the reference is finite
always mismatches. A refusal (an error instead of a result) is reported as
a mismatch too: every variant must lower on the CPU.

Mismatches are shrunk (features dropped, sizes halved while the mismatch
stays) and written to WORK/repro-K/ with the command that reproduces them.
The last lines are a per-feature table and `N configurations, M mismatches`.
"""
import argparse
import concurrent.futures
import os
import random
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import npy  # noqa: E402  (utils/npy.py)

LOW_PRECISION = ("f16", "bf16")

SCORE_MODS = {
    # ALiBi-like: a bias linear in the key-query distance, per head.
    "alibi": """
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %d = arith.subi %j, %i : index
    %di = arith.index_cast %d : index to i64
    %df = arith.sitofp %di : i64 to f32
    %hi = arith.index_cast %h : index to i64
    %hf = arith.sitofp %hi : i64 to f32
    %c = arith.constant 0.0625 : f32
    %one = arith.constant 1.0 : f32
    %slope = arith.addf %hf, %one : f32
    %w = arith.mulf %slope, %c : f32
    %bias = arith.mulf %df, %w : f32
    %r = arith.addf %s, %bias : f32
    attn.yield %r : f32""",
    # A per-batch temperature.
    "temperature": """
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %bi = arith.index_cast %b : index to i64
    %bf = arith.sitofp %bi : i64 to f32
    %c = arith.constant 0.5 : f32
    %one = arith.constant 1.0 : f32
    %t0 = arith.mulf %bf, %c : f32
    %t = arith.addf %t0, %one : f32
    %r = arith.divf %s, %t : f32
    attn.yield %r : f32""",
    # A mask computed in the modifier (every third key hidden).
    "stride-mask": """
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %c3 = arith.constant 3 : index
    %rem = arith.remui %j, %c3 : index
    %c0 = arith.constant 0 : index
    %hide = arith.cmpi eq, %rem, %c0 : index
    %ninf = arith.constant 0xFF800000 : f32
    %r = arith.select %hide, %ninf, %s : f32
    attn.yield %r : f32""",
}


def draw(rng, host_bits):
    """One random configuration (a dict of plain values)."""
    hkv = rng.choice([1, 1, 2, 3])
    group = rng.choice([1, 1, 2, 4])
    lq = rng.choice([1, 1, 2, 7, 16, 33, 64, 100])
    lk = rng.choice([1, 3, 16, 31, 64, 130, 200])
    d = rng.choice([4, 8, 16, 32, 64])
    c = {
        "b": rng.choice([1, 1, 2, 3]),
        "hkv": hkv,
        "hq": hkv * group,
        "lq": lq,
        "lk": lk,
        "d": d,
        "dv": d if rng.random() < 0.6 else rng.choice([4, 8, 24, 40]),
        "dtype": rng.choice(["f32", "f32", "f32", "f16", "bf16"]),
        "mask": rng.choice(["none", "none", "float", "bool"]),
        "mask_b1": rng.random() < 0.5,
        "mask_h1": rng.random() < 0.5,
        "kv_lens": rng.random() < 0.3,
        "causal": rng.random() < 0.35,
        "window": (rng.randrange(0, 40), rng.randrange(-2, 8))
        if rng.random() < 0.25 else None,
        "softcap": rng.choice([5.0, 20.0, 50.0]) if rng.random() < 0.25 else None,
        "scale": rng.choice([0.05, 0.3, 1.0]) if rng.random() < 0.25 else None,
        "score_mod": rng.choice(sorted(SCORE_MODS)) if rng.random() < 0.2 else None,
        "lse": rng.random() < 0.3,
        "dynamic": rng.random() < 0.25,
        "strategy": rng.choice(["flash", "flash", "unfused", "split-kv"]),
        "tile_q": rng.choice([1, 3, 8, 16, 32, 64]),
        "tile_kv": rng.choice([1, 4, 16, 17, 64, 128]),
        "num_splits": rng.choice([0, 1, 2, 3, 5]),
        "vector_bits": rng.choice(sorted({0, 256, host_bits})),
        "threads": rng.choice([1, 1, 2]),
        "magnitude": rng.choice([1.0, 1.0, 1.0, 10.0, 100.0]),
        "mask_magnitude": rng.choice([1.0, 1.0, 100.0, 1e4]),
        "seed": rng.randrange(1 << 30),
    }
    if c["window"] and c["window"][0] + c["window"][1] < 0:
        c["window"] = (c["window"][0], -c["window"][0])
    return c


def features(c):
    """The feature labels of a configuration, for the table."""
    f = [f"dtype={c['dtype']}", f"strategy={c['strategy']}",
         f"threads={c['threads']}", f"vector-bits={c['vector_bits']}"]
    if c["mask"] != "none":
        f.append(f"mask={c['mask']}")
        if c["mask_b1"] or c["mask_h1"]:
            f.append("mask broadcast")
    for key in ("kv_lens", "causal", "lse", "dynamic"):
        if c[key]:
            f.append(key)
    for key in ("window", "softcap", "scale"):
        if c[key] is not None:
            f.append(key)
    if c["score_mod"]:
        f.append(f"score_mod={c['score_mod']}")
    if c["hq"] != c["hkv"]:
        f.append("gqa")
    if c["lq"] == 1:
        f.append("Lq=1")
    if c["lq"] > c["lk"]:
        f.append("Lq>Lk")
    if c["d"] != c["dv"]:
        f.append("Dk!=Dv")
    if c["magnitude"] > 1 or (c["mask"] == "float" and c["mask_magnitude"] > 1):
        f.append("magnitude>1")
    return f


def tensor(dims, elt):
    return "tensor<" + "".join(f"{d}x" for d in dims) + elt + ">"


def mlir_function(c):
    """The function @f computing the configuration, and its argument shapes."""
    dyn = c["dynamic"]
    B = "?" if dyn else c["b"]
    LQ = "?" if dyn else c["lq"]
    LK = "?" if dyn else c["lk"]
    e = c["dtype"]
    tq = tensor([B, c["hq"], LQ, c["d"]], e)
    tk = tensor([B, c["hkv"], LK, c["d"]], e)
    tv = tensor([B, c["hkv"], LK, c["dv"]], e)
    to = tensor([B, c["hq"], LQ, c["dv"]], e)
    args = [f"%q: {tq}", f"%k: {tk}", f"%v: {tv}"]
    shapes = [[c["b"], c["hq"], c["lq"], c["d"]],
              [c["b"], c["hkv"], c["lk"], c["d"]],
              [c["b"], c["hkv"], c["lk"], c["dv"]]]
    operands = "%q, %k, %v"
    if c["mask"] != "none":
        mb = 1 if c["mask_b1"] else B
        mh = 1 if c["mask_h1"] else c["hq"]
        tm = tensor([mb, mh, LQ, LK], "i1" if c["mask"] == "bool" else e)
        args.append(f"%m: {tm}")
        shapes.append([1 if c["mask_b1"] else c["b"],
                       1 if c["mask_h1"] else c["hq"], c["lq"], c["lk"]])
        operands += f" mask(%m : {tm})"
    if c["kv_lens"]:
        tl = tensor([B], "i32")
        args.append(f"%lens: {tl}")
        shapes.append([c["b"]])
        operands += f" kv_lens(%lens : {tl})"
    attrs = []
    if c["causal"]:
        attrs.append("causal")
    if c["window"] is not None:
        attrs.append(f"window = array<i64: {c['window'][0]}, {c['window'][1]}>")
    if c["softcap"] is not None:
        attrs.append(f"softcap = {c['softcap']} : f32")
    if c["scale"] is not None:
        attrs.append(f"scale = {c['scale']} : f32")
    op = f"attn.sdpa {operands}"
    if attrs:
        op += " {" + ", ".join(attrs) + "}"
    if c["score_mod"]:
        op += " score_mod {" + SCORE_MODS[c["score_mod"]] + "\n  }"
    tlse = tensor([B, c["hq"], LQ], "f32")
    results = [to] + ([tlse] if c["lse"] else [])
    lhs = "%o, %lse" if c["lse"] else "%o"
    op += f" : {tq}, {tk}, {tv} -> {', '.join(results)}"
    text = (f"func.func @f({', '.join(args)}) -> ({', '.join(results)}) {{\n"
            f"  {lhs} = {op}\n"
            f"  return {lhs} : {', '.join(results)}\n}}\n")
    return text, shapes


def write_inputs(c, shapes, directory):
    rng = random.Random(c["seed"])
    paths = []
    names = ["q", "k", "v"] + (["m"] if c["mask"] != "none" else []) + \
        (["lens"] if c["kv_lens"] else [])
    for name, shape in zip(names, shapes):
        n = 1
        for s in shape:
            n *= s
        if name == "lens":
            descr, values = "<i4", [rng.randint(0, c["lk"]) for _ in range(n)]
        elif name == "m" and c["mask"] == "bool":
            descr, values = "|b1", [rng.random() < 0.75 for _ in range(n)]
        else:
            a = c["mask_magnitude"] if name == "m" else c["magnitude"]
            if name == "m":  # Additive masks are mostly 0 or large negative.
                values = [rng.choice([0.0, 0.0, -a, rng.uniform(-a, a)])
                          for _ in range(n)]
            else:
                values = [rng.uniform(-a, a) for _ in range(n)]
            descr = npy.DESCR[c["dtype"]]
        path = os.path.join(directory, f"{name}.npy")
        npy.write_npy(path, descr, shape, values)
        paths.append(path)
    return paths


RESULT = re.compile(r"result #(\d+): relative error (\S+) \(max abs (\S+)\), "
                    r"tolerance (\S+): (PASS|FAIL)")


def run_attn(attn_run, mlir, inputs, options, timeout=600):
    cmd = [attn_run, mlir, "--entry=f", "--check", "--max-memory=2G",
           "--inputs=" + ",".join(inputs)] + options
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return cmd, None, "timeout"
    errors = [(int(m.group(1)), float(m.group(2)), float(m.group(4)))
              for m in RESULT.finditer(p.stdout)]
    if p.returncode not in (0, 1) or not errors:
        lines = p.stderr.strip().splitlines()
        said = [l for l in lines if "error" in l] or lines or \
            ["exit status %d" % p.returncode]
        return cmd, None, said[0]
    return cmd, errors, None


def options_of(c):
    return [f"--strategy={c['strategy']}", f"--tile-q={c['tile_q']}",
            f"--tile-kv={c['tile_kv']}", f"--num-splits={c['num_splits']}",
            f"--vector-bits={c['vector_bits']}", f"--threads={c['threads']}"]


ORACLE = ["--strategy=unfused", "--vector-bits=0", "--threads=1"]


def judge(attn_run, c, directory):
    """Runs one configuration; returns (ok, message)."""
    os.makedirs(directory, exist_ok=True)
    text, shapes = mlir_function(c)
    mlir = os.path.join(directory, "f.mlir")
    with open(mlir, "w") as f:
        f.write(text)
    inputs = write_inputs(c, shapes, directory)
    cmd, errors, problem = run_attn(attn_run, mlir, inputs, options_of(c))
    if problem:
        return False, f"refused or crashed: {problem}", cmd
    _, oracle, oproblem = run_attn(attn_run, mlir, inputs, ORACLE)
    if oproblem:
        return False, f"the f32 oracle failed: {oproblem}", cmd
    for (i, err, tol), (_, oerr, _) in zip(errors, oracle):
        allowed = max(tol, 8 * oerr)
        if err != err or err > allowed:  # NaN or too large
            return False, (f"result #{i}: relative error {err:.3e} > allowed "
                           f"{allowed:.3e} (tolerance {tol:.0e}, f32 oracle "
                           f"{oerr:.3e})"), cmd
    return True, "", cmd


def simplifications(c):
    """Smaller variants of `c`, most drastic first."""
    for key, value in (("score_mod", None), ("mask", "none"),
                       ("kv_lens", False), ("window", None), ("causal", False),
                       ("softcap", None), ("scale", None), ("lse", False),
                       ("dynamic", False), ("threads", 1), ("dtype", "f32"),
                       ("magnitude", 1.0), ("mask_magnitude", 1.0),
                       ("num_splits", 0)):
        if c[key] != value:
            yield dict(c, **{key: value})
    if c["b"] > 1:
        yield dict(c, b=1)
    if c["hq"] != c["hkv"]:
        yield dict(c, hq=c["hkv"])
    if c["hkv"] > 1:
        yield dict(c, hkv=1, hq=c["hq"] // c["hkv"])
    for key in ("lq", "lk", "d", "dv"):
        if c[key] > 1:
            yield dict(c, **{key: max(1, c[key] // 2)})


def shrink(attn_run, c, directory, budget=40):
    """Greedy shrinking: keeps any simplification that still mismatches."""
    steps = 0
    progress = True
    while progress and steps < budget:
        progress = False
        for smaller in simplifications(c):
            steps += 1
            ok, _, _ = judge(attn_run, smaller, directory + "-try")
            if not ok:
                c = smaller
                progress = True
                break
            if steps >= budget:
                break
    shutil.rmtree(directory + "-try", ignore_errors=True)
    return c


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attn-run", required=True)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", default="difftest-work")
    parser.add_argument("--keep", action="store_true",
                        help="keep every configuration's files")
    parser.add_argument("--host-vector-bits", type=int, default=512)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    configs = [draw(rng, args.host_vector_bits) for _ in range(args.count)]
    os.makedirs(args.work, exist_ok=True)

    def one(k):
        directory = os.path.join(args.work, f"c{k:05d}")
        try:
            ok, message, cmd = judge(args.attn_run, configs[k], directory)
        except OSError as e:  # The tester's own failure, not attn-run's.
            ok, message, cmd = False, f"could not run attn-run: {e}", []
        if ok and not args.keep:
            shutil.rmtree(directory, ignore_errors=True)
        return k, ok, message, cmd

    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for k, ok, message, cmd in pool.map(one, range(args.count)):
            results.append((k, ok, message))
            if len(results) % 100 == 0:
                print(f"difftest: {len(results)}/{args.count} run, "
                      f"{sum(not r[1] for r in results)} mismatches so far",
                      flush=True)
            if not ok:
                print(f"MISMATCH c{k:05d}: {message}\n  {' '.join(cmd)}",
                      flush=True)

    # Shrink each mismatch to a small reproducer.
    failures = [k for k, ok, _ in results if not ok]
    for n, k in enumerate(failures):
        small = shrink(args.attn_run, configs[k],
                       os.path.join(args.work, f"shrink-{n}"))
        repro = os.path.join(args.work, f"repro-{n}")
        ok, message, cmd = judge(args.attn_run, small, repro)
        print(f"repro-{n} (from c{k:05d}): {message or 'no longer fails'}\n"
              f"  {' '.join(cmd)}")

    table = {}
    for k, ok, _ in results:
        for f in features(configs[k]):
            runs, bad = table.get(f, (0, 0))
            table[f] = (runs + 1, bad + (not ok))
    print(f"{'feature':28} {'configs':>8} {'mismatches':>11}")
    for f in sorted(table):
        print(f"{f:28} {table[f][0]:8d} {table[f][1]:11d}")
    print(f"{len(results)} configurations, {len(failures)} mismatches")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
