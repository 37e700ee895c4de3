"""IREE peer: the same attention written in plain linalg, compiled by
iree-compile for llvm-cpu (host CPU) and timed with the IREE runtime.

    utils/.venv/bin/python bench/peer_iree.py --H=8 --Lq=1024 --D=64
        [--Lk=1024] [--B=1] [--causal] [--dtype=f32|bf16] [--threads=N]
        [--repeat=R] [--cache=DIR]

The function takes Q [B·H, Lq, D], K and V [B·H, Lk, D]: a linalg.generic
for scale·Q·Kᵀ (f32 accumulation), one that applies the causal mask
(bottom-right aligned, -inf), linalg.softmax over the keys, a linalg.generic
for P·V and, for bf16, a truncation of the output. IREE is free to fuse or
raise it. Compilation runs in a separate iree-compile process (cached in
--cache) so this process's peak RSS is the runtime's. Threads: the local-task
driver with --task_topology_max_group_count=N. Needs iree-base-compiler and
iree-base-runtime (utils/install-bench-peers.sh); prints one JSON line.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time


def mlir(bh, lq, lk, d, causal, dtype):
    t = "bf16" if dtype == "bf16" else "f32"
    q, kv = f"tensor<{bh}x{lq}x{d}x{t}>", f"tensor<{bh}x{lk}x{d}x{t}>"
    s, o32 = f"tensor<{bh}x{lq}x{lk}xf32>", f"tensor<{bh}x{lq}x{d}xf32>"
    ext = "arith.extf {x} : bf16 to f32" if t == "bf16" else None

    def widen(name, var):  # bf16 operands are extended; f32 ones used as is
        return f"%{name} = {ext.format(x=var)}" if ext else ""

    scale = 1.0 / d ** 0.5
    mask = ""
    if causal:
        mask = f"""
      %i = linalg.index 1 : index
      %j = linalg.index 2 : index
      %shift = arith.constant {lk - lq} : index
      %ii = arith.addi %i, %shift : index
      %vis = arith.cmpi ule, %j, %ii : index
      %ninf = arith.constant 0xFF800000 : f32
      %m = arith.select %vis, %sc, %ninf : f32"""
    res = "%m" if causal else "%sc"
    out_t = q
    trunc = ""
    ret = "%o"
    if t == "bf16":
        trunc = f"""
  %oe = tensor.empty() : {q}
  %ob = linalg.generic {{indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel"]}}
      ins(%o : {o32}) outs(%oe : {q}) {{
    ^bb0(%x: f32, %y: bf16):
      %r = arith.truncf %x : f32 to bf16
      linalg.yield %r : bf16
  }} -> {q}"""
        ret = "%ob"
    return f"""
#mq = affine_map<(b, i, j, c) -> (b, i, c)>
#mk = affine_map<(b, i, j, c) -> (b, j, c)>
#ms = affine_map<(b, i, j, c) -> (b, i, j)>
#pp = affine_map<(b, i, c, j) -> (b, i, j)>
#pv = affine_map<(b, i, c, j) -> (b, j, c)>
#po = affine_map<(b, i, c, j) -> (b, i, c)>
#id = affine_map<(b, i, j) -> (b, i, j)>
func.func @attn(%q: {q}, %k: {kv}, %v: {kv}) -> {out_t} {{
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : {s}
  %z = linalg.fill ins(%zero : f32) outs(%e : {s}) -> {s}
  %s = linalg.generic {{indexing_maps = [#mq, #mk, #ms], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}}
      ins(%q, %k : {q}, {kv}) outs(%z : {s}) {{
    ^bb0(%a: {t}, %b: {t}, %acc: f32):
      {widen("a32", "%a")}
      {widen("b32", "%b")}
      %p = arith.mulf {"%a32" if ext else "%a"}, {"%b32" if ext else "%b"} : f32
      %r = arith.addf %acc, %p : f32
      linalg.yield %r : f32
  }} -> {s}
  %e2 = tensor.empty() : {s}
  %s2 = linalg.generic {{indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel"]}}
      ins(%s : {s}) outs(%e2 : {s}) {{
    ^bb0(%x: f32, %y: f32):
      %scale = arith.constant {scale!r} : f32
      %sc = arith.mulf %x, %scale : f32{mask}
      linalg.yield {res} : f32
  }} -> {s}
  %e3 = tensor.empty() : {s}
  %p = linalg.softmax dimension(2) ins(%s2 : {s}) outs(%e3 : {s}) -> {s}
  %eo = tensor.empty() : {o32}
  %zo = linalg.fill ins(%zero : f32) outs(%eo : {o32}) -> {o32}
  %o = linalg.generic {{indexing_maps = [#pp, #pv, #po], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}}
      ins(%p, %v : {s}, {kv}) outs(%zo : {o32}) {{
    ^bb0(%a: f32, %b: {t}, %acc: f32):
      {widen("b32", "%b")}
      %m = arith.mulf %a, {"%b32" if ext else "%b"} : f32
      %r = arith.addf %acc, %m : f32
      linalg.yield %r : f32
  }} -> {o32}{trunc}
  return {ret} : {out_t}
}}
"""


def main():
    ap = argparse.ArgumentParser()
    for k, v in (("B", 1), ("H", 8), ("Hkv", 0), ("Lq", 1024), ("Lk", 0),
                 ("D", 64), ("threads", 1), ("repeat", 5)):
        ap.add_argument(f"--{k}", type=int, default=v)
    ap.add_argument("--causal", action="store_true")
    ap.add_argument("--dtype", default="f32")
    ap.add_argument("--cache", default="/tmp/attn-bench-iree")
    a = ap.parse_args()
    hkv, lk = a.Hkv or a.H, a.Lk or a.Lq
    if hkv != a.H:
        print(json.dumps({"impl": "iree", "skipped": "GQA not written for IREE here"}))
        return
    bh = a.B * a.H
    os.makedirs(a.cache, exist_ok=True)
    tag = f"bh{bh}_lq{a.Lq}_lk{lk}_d{a.D}_{'c' if a.causal else 'n'}_{a.dtype}"
    src = os.path.join(a.cache, tag + ".mlir")
    vmfb = os.path.join(a.cache, tag + ".vmfb")
    if not os.path.exists(vmfb):
        with open(src, "w") as f:
            f.write(mlir(bh, a.Lq, lk, a.D, a.causal, a.dtype))
        compiler = os.path.join(os.path.dirname(sys.executable), "iree-compile")
        p = subprocess.run([compiler, src, "-o", vmfb + ".tmp",
                            "--iree-hal-target-device=local",
                            "--iree-hal-local-target-device-backends=llvm-cpu",
                            "--iree-llvmcpu-target-cpu=host"],
                           capture_output=True, text=True)
        if p.returncode != 0:
            err = (p.stderr.strip().splitlines() or ["?"])[0]
            print(json.dumps({"impl": "iree", "skipped": f"iree-compile failed: {err[:200]}"}))
            return
        os.replace(vmfb + ".tmp", vmfb)

    import numpy as np
    import iree.runtime as ireert
    ireert.flags.parse_flags(f"--task_topology_max_group_count={a.threads}")
    config = ireert.Config("local-task")
    vm_module = ireert.VmModule.mmap(config.vm_instance, vmfb)
    ctx = ireert.SystemContext(config=config)
    ctx.add_vm_module(vm_module)
    fn = ctx.modules.module["attn"]

    rng = np.random.default_rng(0)
    if a.dtype == "bf16":
        import ml_dtypes
        npdt = ml_dtypes.bfloat16
    else:
        npdt = np.float32

    def rand(*shape):
        return (rng.random(shape, dtype=np.float32) * 2 - 1).astype(npdt)

    host = (rand(bh, a.Lq, a.D), rand(bh, lk, a.D), rand(bh, lk, a.D))
    args = [ireert.asdevicearray(config.device, x) for x in host]
    out = np.asarray(fn(*args).to_host()).astype(np.float64)
    # Float64 check of the last head (the row error is reported, not judged).
    q, k, v = (x[-1].astype(np.float64) for x in host)
    sc = q @ k.T / a.D ** 0.5
    if a.causal:
        sc[np.arange(lk)[None, :] > np.arange(a.Lq)[:, None] + lk - a.Lq] = -np.inf
    pr = np.exp(sc - sc.max(axis=1, keepdims=True))
    ref = (pr / pr.sum(axis=1, keepdims=True)) @ v
    rel = float(np.linalg.norm(out[-1] - ref) / np.linalg.norm(ref))
    times = []
    for _ in range(max(1, a.repeat)):
        t0 = time.perf_counter()
        fn(*args).to_host()
        times.append((time.perf_counter() - t0) * 1e3)
    ms = statistics.median(times)
    flops = 4.0 * bh * a.Lq * lk * a.D / (2 if a.causal else 1)
    try:
        from importlib.metadata import version
        ver = version("iree-base-runtime")
    except Exception:
        ver = "?"
    print(json.dumps({
        "impl": "iree", "median_ms": round(ms, 4),
        "gflops": round(flops / (ms * 1e6), 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "threads": a.threads, "dtype": a.dtype,
        "check_rel_err": float(f"{rel:.3g}"),
        "note": f"iree {ver} llvm-cpu host, plain linalg"}))


if __name__ == "__main__":
    main()
