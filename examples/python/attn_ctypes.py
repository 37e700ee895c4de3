#!/usr/bin/env python3
"""Calls an attention kernel compiled by attn-compile from Python (ctypes +
numpy) and compares it with attention written in numpy (float64).

  build/bin/attn-compile examples/c/attention.mlir --target=cpu -o /tmp/attention
  python3 examples/python/attn_ctypes.py /tmp/attention.so

The entry is `causal_gqa_dyn` of examples/c/attention.mlir; its prototype is
in /tmp/attention.h:
  int causal_gqa_dyn(const float *arg0, const float *arg1, const float *arg2,
                     float *result0, float *result1,
                     int64_t arg0_dim0, int64_t arg0_dim2, int64_t arg1_dim0,
                     int64_t arg1_dim2, int64_t arg2_dim0, int64_t arg2_dim2);
Arrays are dense, C order; the caller allocates the outputs. Prints PASS
(exit status 0) when the relative Frobenius errors are at most 1e-5.
"""
import ctypes
import sys

import numpy as np

HQ, HKV, D = 8, 2, 16


def reference(q, k, v):
    """Causal (bottom-right aligned) grouped-query attention in float64."""
    q, k, v = (a.astype(np.float64) for a in (q, k, v))
    lq, lk = q.shape[2], k.shape[2]
    k = np.repeat(k, HQ // HKV, axis=1)
    v = np.repeat(v, HQ // HKV, axis=1)
    s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(D)
    visible = np.arange(lk)[None, :] <= np.arange(lq)[:, None] + (lk - lq)
    s = np.where(visible, s, -np.inf)
    m = s.max(axis=-1, keepdims=True)
    p = np.exp(s - m)
    out = (p @ v) / p.sum(axis=-1, keepdims=True)
    lse = (m + np.log(p.sum(axis=-1, keepdims=True)))[..., 0]
    return out, lse


def main():
    lib = ctypes.CDLL(sys.argv[1] if len(sys.argv) > 1 else "attention.so")
    fn = lib.causal_gqa_dyn
    f32p = np.ctypeslib.ndpointer(np.float32, flags="C_CONTIGUOUS")
    fn.argtypes = [f32p] * 5 + [ctypes.c_int64] * 6
    fn.restype = ctypes.c_int

    b, lq, lk = 2, 29, 45
    rng = np.random.default_rng(7)
    q = rng.uniform(-1, 1, (b, HQ, lq, D)).astype(np.float32)
    k = rng.uniform(-1, 1, (b, HKV, lk, D)).astype(np.float32)
    v = rng.uniform(-1, 1, (b, HKV, lk, D)).astype(np.float32)
    out = np.empty((b, HQ, lq, D), np.float32)
    lse = np.empty((b, HQ, lq), np.float32)
    status = fn(q, k, v, out, lse, b, lq, b, lk, b, lk)

    ref_out, ref_lse = reference(q, k, v)
    err_out = np.linalg.norm(out - ref_out) / np.linalg.norm(ref_out)
    err_lse = np.linalg.norm(lse - ref_lse) / np.linalg.norm(ref_lse)
    ok = status == 0 and err_out <= 1e-5 and err_lse <= 1e-5
    print(f"causal_gqa_dyn: status {status}, out error {err_out:.3e}, "
          f"lse error {err_lse:.3e}")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
