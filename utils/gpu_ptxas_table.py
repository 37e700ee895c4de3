#!/usr/bin/env python3
"""Compiles the default GPU configurations with attn-gpu-pipeline, assembles
their PTX with `ptxas -v` and prints a Markdown table of registers, shared
memory, spills, the occupancy they allow (blocks and warps per SM) and the
tensor-core instructions of the kernel (mma.sync in the PTX).
Standard library only.

Usage: gpu_ptxas_table.py ATTN_OPT PTXAS [--chips sm_80,sm_90,sm_90a]
                          [--pipeline-options 'warps=8'] [--out FILE]
Exit status 1 when a configuration does not compile or assemble (spills are
reported in the table, not an error).
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

# Per-SM limits (CUDA programming guide, compute capability 8.0 and 9.0).
LIMITS = {
    "sm_80": dict(regs=65536, smem=164 * 1024, threads=2048, blocks=32),
    "sm_90": dict(regs=65536, smem=228 * 1024, threads=2048, blocks=32),
    "sm_90a": dict(regs=65536, smem=228 * 1024, threads=2048, blocks=32),
}

# (name, dtype, head dim, Lq, Lk, causal): B1 H16, L 1k; decode Lq = 1.
CONFIGS = [
    (f"{'causal' if c else 'full'} hd{d} {t}", t, d, 1024, 1024, c)
    for d in (64, 128) for t in ("f16", "bf16") for c in (False, True)
] + [(f"decode hd{d} f16", "f16", d, 1, 4096, False) for d in (64, 128)]


def source(dtype, d, lq, lk, causal):
    q = f"tensor<1x16x{lq}x{d}x{dtype}>"
    kv = f"tensor<1x16x{lk}x{d}x{dtype}>"
    attr = " {causal}" if causal else ""
    return (f"func.func @attention(%q: {q}, %k: {kv}, %v: {kv}) -> {q} {{\n"
            f"  %o = attn.sdpa %q, %k, %v{attr} : {q}, {kv}, {kv} -> {q}\n"
            f"  return %o : {q}\n}}\n")


def threads_of(ptx):
    m = re.search(r"\.(?:maxntid|reqntid)\s+(\d+),\s*(\d+),\s*(\d+)", ptx)
    return int(m.group(1)) * int(m.group(2)) * int(m.group(3)) if m else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("attn_opt")
    parser.add_argument("ptxas")
    parser.add_argument("--chips", default="sm_80,sm_90,sm_90a")
    parser.add_argument("--pipeline-options", default="")
    parser.add_argument("--out")
    args = parser.parse_args()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    rows, failed = [], False
    with tempfile.TemporaryDirectory() as tmp:
        for chip in args.chips.split(","):
            lim = LIMITS[chip]
            for name, dtype, d, lq, lk, causal in CONFIGS:
                src = os.path.join(tmp, "in.mlir")
                out = os.path.join(tmp, "out.mlir")
                with open(src, "w") as f:
                    f.write(source(dtype, d, lq, lk, causal))
                opts = f"chip={chip} {args.pipeline_options}".strip()
                r = subprocess.run(
                    [args.attn_opt, src, "--pass-pipeline=builtin.module("
                     f"attn-gpu-pipeline{{{opts}}})", "-o", out],
                    capture_output=True, text=True)
                if r.returncode:
                    rows.append(f"| {chip} | {name} | compile error: "
                                f"{r.stderr.strip().splitlines()[0]} |")
                    failed = True
                    continue
                text = open(out).read()
                m = re.search(r'assembly = "((?:[^"\\]|\\.)*)"', text, re.S)
                ptx = re.sub(r"\\([0-9A-Fa-f]{2})",
                             lambda x: chr(int(x.group(1), 16)), m.group(1))
                ptx_path = os.path.join(tmp, "k.ptx")
                with open(ptx_path, "w") as f:
                    f.write(ptx)
                r = subprocess.run([args.ptxas, f"-arch={chip}", "-v",
                                    ptx_path, "-o", os.devnull],
                                   capture_output=True, text=True)
                info = r.stderr
                regs = re.search(r"Used (\d+) registers", info)
                smem = re.search(r"(\d+) bytes smem", info)
                spill = re.search(r"(\d+) bytes spill stores", info)
                if r.returncode or not regs:
                    rows.append(f"| {chip} | {name} | ptxas error |")
                    failed = True
                    continue
                regs, smem = int(regs.group(1)), int(smem.group(1)) if smem else 0
                spill = int(spill.group(1)) if spill else 0
                threads = threads_of(ptx)
                mma = len(re.findall(r"\bmma\.sync\.aligned", ptx))
                blocks = min(lim["blocks"], lim["threads"] // threads,
                             lim["regs"] // (regs * threads),
                             lim["smem"] // smem if smem else lim["blocks"])
                rows.append(f"| {chip} | {name} | {threads} | {regs} | "
                            f"{smem} | {spill} | {blocks} | "
                            f"{blocks * threads // 32} | {mma} |")
    table = ("| chip | configuration | threads | registers | shared memory "
             "(bytes) | spill stores (bytes) | blocks / SM | warps / SM | "
             "mma.sync |\n"
             "|---|---|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n")
    if args.out:
        with open(args.out, "w") as f:
            f.write(table)
    sys.stdout.write(table)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
