#!/usr/bin/env python3
"""Compile-time distribution of attn.sdpa over the configurations of the
differential tester (utils/difftest.py).

  compile_times.py --attn-run build/bin/attn-run [--count N] [--seed S]
                   [--jobs J] [--work DIR] [--host-vector-bits B]
                   [--compare] [--slowest K]

Draws the same random configurations as difftest.py with the same seed
(every feature of attn.sdpa: static and dynamic sizes, the three CPU
strategies, tile sizes, vector widths, threads), runs each once through
`attn-run --bench --bench-format=json` and reads `compile_ms`: the time from
the attn IR to callable machine code (attn-cpu-pipeline, translation to
LLVM IR, LLVM's optimisation and code generation). Prints min / median /
p90 / max and the slowest configurations.

With --compare each configuration is also compiled with --llvm-unroll
(LLVM unrolls every loop as it likes, as before attn-limit-llvm-unroll), and
both distributions are printed, with the run times' ratio. Timing runs
compete for the cores: keep --jobs at 1 (the default) for figures to quote.
"""
import argparse
import concurrent.futures
import json
import os
import random
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import difftest  # noqa: E402  (utils/difftest.py)


def measure(attn_run, mlir, inputs, options, timeout):
    """(compile_ms, median_ms) of one attn-run --bench, or None on failure."""
    cmd = [attn_run, mlir, "--entry=f", "--bench", "--repeat=3",
           "--bench-format=json", "--max-memory=2G",
           "--inputs=" + ",".join(inputs)] + options
    try:
        p = subprocess.run(cmd, capture_output=True, text=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    for line in p.stdout.splitlines():
        if line.startswith("{"):
            report = json.loads(line)
            if "compile_ms" in report:
                return report["compile_ms"], report["median_ms"]
    return None


def percentile(sorted_values, q):
    """The q-quantile (0..1) by the nearest-rank method."""
    k = max(0, min(len(sorted_values) - 1,
                   int(round(q * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def summary(name, values):
    v = sorted(values)
    return (f"{name:14} min {v[0] / 1e3:6.2f} s  median "
            f"{statistics.median(v) / 1e3:6.2f} s  p90 "
            f"{percentile(v, 0.9) / 1e3:6.2f} s  max {v[-1] / 1e3:6.2f} s"
            f"  ({len(v)} configurations)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attn-run", required=True)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--work", default="compile-times-work")
    parser.add_argument("--host-vector-bits", type=int, default=512)
    parser.add_argument("--compare", action="store_true",
                        help="also compile every configuration with "
                             "--llvm-unroll")
    parser.add_argument("--slowest", type=int, default=5,
                        help="how many of the slowest configurations to list")
    parser.add_argument("--timeout", type=int, default=300)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    configs = [difftest.draw(rng, args.host_vector_bits)
               for _ in range(args.count)]
    modes = [("default", [])]
    if args.compare:
        modes.append(("llvm-unroll", ["--llvm-unroll"]))
    os.makedirs(args.work, exist_ok=True)

    def one(k):
        c = configs[k]
        directory = os.path.join(args.work, f"c{k:05d}")
        os.makedirs(directory, exist_ok=True)
        text, shapes = difftest.mlir_function(c)
        mlir = os.path.join(directory, "f.mlir")
        with open(mlir, "w") as f:
            f.write(text)
        inputs = difftest.write_inputs(c, shapes, directory)
        options = difftest.options_of(c)
        times = {name: measure(args.attn_run, mlir, inputs, options + extra,
                               args.timeout)
                 for name, extra in modes}
        shutil.rmtree(directory, ignore_errors=True)
        return k, times

    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for k, times in pool.map(one, range(args.count)):
            results[k] = times
            if len(results) % 50 == 0:
                print(f"compile_times: {len(results)}/{args.count} compiled",
                      flush=True)

    failed = [k for k, t in results.items() if any(v is None for v in t.values())]
    ok = [k for k in sorted(results) if k not in failed]
    if failed:
        print(f"{len(failed)} configurations failed to compile or run "
              f"(left out): {', '.join(f'c{k:05d}' for k in failed[:10])}")
    if not ok:
        return 1
    for name, _ in modes:
        print(summary(name, [results[k][name][0] for k in ok]))
    if args.compare:
        ratios = [results[k]["default"][1] / results[k]["llvm-unroll"][1]
                  for k in ok if results[k]["llvm-unroll"][1] > 0]
        ratios.sort()
        print(f"run time default / llvm-unroll: geometric mean "
              f"{statistics.geometric_mean(ratios):.3f}, median "
              f"{statistics.median(ratios):.3f}, p10 "
              f"{percentile(ratios, 0.1):.3f}, p90 "
              f"{percentile(ratios, 0.9):.3f} (medians of 3 runs; "
              f"small configurations are noisy)")
    print(f"slowest to compile ({modes[0][0]}):")
    for k in sorted(ok, key=lambda k: -results[k]["default"][0])[:args.slowest]:
        others = "".join(f", {name} {results[k][name][0] / 1e3:.2f} s"
                         for name, _ in modes[1:])
        print(f"  c{k:05d} {results[k]['default'][0] / 1e3:.2f} s{others}: "
              f"{' '.join(difftest.features(configs[k]))}, "
              f"lq={configs[k]['lq']} lk={configs[k]['lk']} d={configs[k]['d']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
