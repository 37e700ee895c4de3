#!/usr/bin/env python3
"""The GPU device check: runs on a machine with a CUDA GPU, CUDA and PyTorch
but no LLVM, from the folder `scripts/gpu-check.sh --prepare` wrote.

For every kernel library in manifest.json (built by attn-compile
--target=gpu: B1 H16 L 1k-16k, head size 64/128, f16/bf16, causal or not;
decoding Lq = 1), it
  1. calls the library's C entry on torch CUDA tensors (device pointers),
  2. checks the output against torch's scaled_dot_product_attention in
     float32 (relative Frobenius error; tolerance 2e-2 for f16/bf16),
  3. times it with CUDA events (median of --repeat) next to torch SDPA
     (flash backend where available) and a torch.matmul GEMM of the same
     FLOPs, and, for decoding, the copy bandwidth floor,
and writes results.csv and table.txt in --out. Exit status 1 when a check
fails, 2 when there is no GPU.
"""

import argparse
import ctypes
import csv
import json
import os
import statistics
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", help="what scripts/gpu-check.sh --prepare wrote")
    parser.add_argument("--out", default=None)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    out = args.out or os.path.join(args.folder, "results")
    os.makedirs(out, exist_ok=True)

    try:
        import torch
    except ImportError:
        print("gpu_check: PyTorch is needed (import torch failed)")
        return 1
    if not torch.cuda.is_available():
        print("gpu_check: no CUDA GPU (torch.cuda.is_available() is False)")
        return 2
    device = torch.device("cuda")
    props = torch.cuda.get_device_properties(0)
    chip = f"sm_{props.major}{props.minor}"
    print(f"device: {props.name} ({chip}), torch {torch.__version__}")

    # The runtime libraries first, so that the kernels' NEEDED entries
    # resolve to them by soname wherever the folder was copied.
    mode = ctypes.RTLD_GLOBAL
    ctypes.CDLL(os.path.join(args.folder, "libAttnRuntime.so"), mode=mode)
    runtime = ctypes.CDLL(os.path.join(args.folder, "libAttnCudaRuntime.so"),
                          mode=mode)
    reason = ctypes.create_string_buffer(512)
    if not runtime.attnCudaProbe(reason, 512):
        print("gpu_check: no CUDA GPU:", reason.value.decode())
        return 2

    manifest = json.load(open(os.path.join(args.folder, "manifest.json")))
    dtypes = {"f16": torch.float16, "bf16": torch.bfloat16}

    def time_ms(fn):
        for _ in range(3):
            fn()
        times = []
        for _ in range(args.repeat):
            start = torch.cuda.Event(enable_timing=True)
            stop = torch.cuda.Event(enable_timing=True)
            start.record()
            fn()
            stop.record()
            torch.cuda.synchronize()
            times.append(start.elapsed_time(stop))
        return statistics.median(times)

    rows, failed = [], False
    for case in manifest["cases"]:
        b, h, lq, lk, d = case["b"], case["h"], case["lq"], case["lk"], case["d"]
        dtype, causal = dtypes[case["dtype"]], case["causal"]
        lib = ctypes.CDLL(os.path.join(args.folder, case["library"]))
        entry = getattr(lib, case["entry"])
        entry.restype = ctypes.c_int
        entry.argtypes = [ctypes.c_void_p] * 4
        gen = torch.Generator(device=device).manual_seed(0)
        q = torch.rand(b, h, lq, d, device=device, generator=gen, dtype=torch.float32) * 2 - 1
        k = torch.rand(b, h, lk, d, device=device, generator=gen, dtype=torch.float32) * 2 - 1
        v = torch.rand(b, h, lk, d, device=device, generator=gen, dtype=torch.float32) * 2 - 1
        q, k, v = q.to(dtype), k.to(dtype), v.to(dtype)
        o = torch.empty(b, h, lq, d, device=device, dtype=dtype)

        def attn():
            status = entry(q.data_ptr(), k.data_ptr(), v.data_ptr(), o.data_ptr())
            if status != 0:
                raise RuntimeError(f"{case['entry']} returned {status}")

        attn()
        torch.cuda.synchronize()
        # Bottom-right causal alignment (Attn's) equals torch's top-left one
        # only when Lq == Lk; decoding cases are not causal.
        ref = torch.nn.functional.scaled_dot_product_attention(
            q.float(), k.float(), v.float(), is_causal=causal)
        err = (torch.linalg.norm(o.float() - ref) / torch.linalg.norm(ref)).item()
        ok = err <= 2e-2
        failed |= not ok
        flops = 4.0 * b * h * lq * lk * d / (2 if causal else 1)
        ms = time_ms(attn)
        try:
            sdpa_ms = time_ms(lambda: torch.nn.functional.scaled_dot_product_attention(
                q, k, v, is_causal=causal))
        except RuntimeError:
            sdpa_ms = float("nan")
        # A GEMM of the same FLOPs: n x n x n with 2 n^3 = flops.
        n = max(256, int(round((flops / 2) ** (1 / 3) / 128)) * 128)
        a = torch.rand(n, n, device=device, dtype=dtype)
        gemm_ms = time_ms(lambda: torch.matmul(a, a))
        gemm_tflops = 2.0 * n ** 3 / gemm_ms / 1e9
        row = {
            "case": case["name"], "error": f"{err:.2e}", "check": "PASS" if ok else "FAIL",
            "attn_ms": f"{ms:.4f}", "attn_tflops": f"{flops / ms / 1e9:.2f}",
            "sdpa_ms": f"{sdpa_ms:.4f}", "sdpa_tflops": f"{flops / sdpa_ms / 1e9:.2f}",
            "gemm_tflops": f"{gemm_tflops:.1f}",
            "attn_over_gemm": f"{flops / ms / 1e9 / gemm_tflops:.3f}",
        }
        if lq == 1:
            kv_bytes = 2 * k.numel() * k.element_size()
            copy = torch.empty_like(k)
            copy_ms = time_ms(lambda: copy.copy_(k))
            # A copy reads and writes: bandwidth = 2 bytes moved / time.
            bandwidth = 2 * k.numel() * k.element_size() / copy_ms / 1e6
            row["bandwidth_floor_fraction"] = f"{kv_bytes / 1e6 / bandwidth / ms:.3f}"
        rows.append(row)
        print(" ".join(f"{key}={value}" for key, value in row.items()), flush=True)

    keys = []
    for row in rows:
        keys += [key for key in row if key not in keys]
    with open(os.path.join(out, "results.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=keys)
        writer.writeheader()
        writer.writerows(rows)
    with open(os.path.join(out, "table.txt"), "w") as f:
        f.write(f"device: {props.name} ({chip})\n")
        f.write(" | ".join(keys) + "\n")
        for row in rows:
            f.write(" | ".join(row.get(key, "") for key in keys) + "\n")
    print("results in", out)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
