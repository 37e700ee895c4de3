"""PyTorch CPU peer: torch.nn.functional.scaled_dot_product_attention.

    utils/.venv/bin/python bench/peer_torch.py --H=8 --Lq=1024 --D=64
        [--Lk=1024] [--Hkv=8] [--B=1] [--causal] [--dtype=f32|bf16]
        [--threads=N] [--repeat=R]

Run by bench/run.py in a fresh process per measurement; prints one JSON line
like the C++ baselines (peak_rss_mb includes the Python runtime and torch).
Causal attention with Lq != Lk uses an explicit bottom-right mask, as Attn
aligns it.
"""

import argparse
import json
import resource
import statistics
import time

import torch
import torch.nn.functional as F


def main():
    ap = argparse.ArgumentParser()
    for k, v in (("B", 1), ("H", 8), ("Hkv", 0), ("Lq", 1024), ("Lk", 0),
                 ("D", 64), ("threads", 1), ("repeat", 5)):
        ap.add_argument(f"--{k}", type=int, default=v)
    ap.add_argument("--causal", action="store_true")
    ap.add_argument("--dtype", default="f32")
    a = ap.parse_args()
    hkv, lk = a.Hkv or a.H, a.Lk or a.Lq
    torch.set_num_threads(a.threads)
    dtype = torch.bfloat16 if a.dtype == "bf16" else torch.float32
    g = torch.Generator().manual_seed(0)

    def rand(*shape):
        return (torch.rand(*shape, generator=g) * 2 - 1).to(dtype)

    q, k, v = rand(a.B, a.H, a.Lq, a.D), rand(a.B, hkv, lk, a.D), rand(a.B, hkv, lk, a.D)
    kwargs = {}
    if hkv != a.H:
        kwargs["enable_gqa"] = True
    if a.causal and a.Lq == lk:
        kwargs["is_causal"] = True
    elif a.causal:
        i = torch.arange(a.Lq).unsqueeze(1) + (lk - a.Lq)
        kwargs["attn_mask"] = torch.arange(lk).unsqueeze(0) <= i

    def run():
        return F.scaled_dot_product_attention(q, k, v, **kwargs)

    with torch.inference_mode():
        run()
        times = []
        for _ in range(max(1, a.repeat)):
            t0 = time.perf_counter()
            run()
            times.append((time.perf_counter() - t0) * 1e3)
    ms = statistics.median(times)
    flops = 4.0 * a.B * a.H * a.Lq * lk * a.D / (2 if a.causal else 1)
    print(json.dumps({
        "impl": "torch-sdpa", "median_ms": round(ms, 4),
        "gflops": round(flops / (ms * 1e6), 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "threads": a.threads, "dtype": a.dtype,
        "note": f"torch {torch.__version__} {torch.backends.cpu.get_cpu_capability()}"}))


if __name__ == "__main__":
    main()
