#!/usr/bin/env python3
"""Small .npy utility for Attn's tests, using only the Python standard library.

Subcommands:
  rand OUT DTYPE SHAPE [--seed N] [--low L] [--high H]
      seeded uniform random data (integers: inclusive range).
  write OUT DTYPE SHAPE VALUES [--descr D] [--fortran]
      explicit comma-separated values; --descr/--fortran forge headers that
      attn-run must reject.
  compare ACTUAL EXPECTED [--tol T] [--elementwise]
      relative Frobenius error (--elementwise: the largest relative error
      of one element); exit 1 above the tolerance.
  exp OUT X
      float64 exp of every element of X.
  sdpa OUT Q K V [--scale S] [--causal] [--lse LSE_OUT] [--probs P_OUT]
      an independent float64 scaled-dot-product attention (bottom-right
      causal alignment, GQA by head index, fully masked rows -> 0).
  linear OUT X W
      x . W over the last dimension.
  rowsums X [--tol T]
      checks that every row (the last dimension) of X sums to 1 within T
      (default 1e-5), as probabilities do; exit 1 otherwise.

DTYPE is one of f32, f16, bf16, f64, i32, i64, i1; SHAPE is like 2x3x4.
"""

import argparse
import math
import random
import struct
import sys

DESCR = {"f32": "<f4", "f16": "<f2", "bf16": "<u2", "f64": "<f8",
         "i32": "<i4", "i64": "<i8", "i1": "|b1"}
FORMAT = {"<f4": "f", "<f2": "e", "<f8": "d", "<i4": "i", "<i8": "q",
          "|b1": "?", "<u2": "H"}


def bf16_bits(x):
    bits = struct.unpack("<I", struct.pack("<f", x))[0]
    if math.isnan(x):
        return 0x7FC0
    rounding = 0x7FFF + ((bits >> 16) & 1)
    return ((bits + rounding) >> 16) & 0xFFFF


def bf16_value(bits):
    return struct.unpack("<f", struct.pack("<I", bits << 16))[0]


def write_npy(path, descr, shape, values, fortran=False):
    shape_str = "(" + "".join(f"{d}, " for d in shape).rstrip(" ")
    if len(shape) > 1:
        shape_str = shape_str.rstrip(",")
    shape_str += ")"
    header = (f"{{'descr': '{descr}', 'fortran_order': {fortran}, "
              f"'shape': {shape_str}, }}")
    pad = 64 - (10 + len(header) + 1) % 64
    header = header + " " * (pad % 64) + "\n"
    fmt = FORMAT.get(descr)
    if fmt is None:
        fmt = FORMAT[descr.replace(">", "<")]
    endian = ">" if descr.startswith(">") else "<"
    if descr == "<u2":
        data = struct.pack(f"<{len(values)}H", *[bf16_bits(v) for v in values])
    else:
        if fmt in "iq?":
            values = [int(v) for v in values]
        data = struct.pack(f"{endian}{len(values)}{fmt}", *values)
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00")
        f.write(struct.pack("<H", len(header)))
        f.write(header.encode("latin1"))
        f.write(data)


def read_npy(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:6] != b"\x93NUMPY":
        sys.exit(f"{path}: not a .npy file")
    major = raw[6]
    if major == 1:
        hlen = struct.unpack("<H", raw[8:10])[0]
        start = 10
    else:
        hlen = struct.unpack("<I", raw[8:12])[0]
        start = 12
    header = eval(raw[start:start + hlen].decode("latin1"))  # trusted input
    descr, shape = header["descr"], tuple(header["shape"])
    n = 1
    for d in shape:
        n *= d
    body = raw[start + hlen:]
    if descr == "<u2":
        values = [bf16_value(b) for b in struct.unpack(f"<{n}H", body)]
    else:
        values = list(struct.unpack(f"<{n}{FORMAT[descr]}", body))
    return shape, [float(v) for v in values]


def parse_shape(text):
    return [int(d) for d in text.split("x")] if text else []


def numel(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def cmd_rand(args):
    shape = parse_shape(args.shape)
    rng = random.Random(args.seed)
    descr = DESCR[args.dtype]
    if args.dtype in ("i32", "i64"):
        lo = int(args.low if args.low is not None else 0)
        hi = int(args.high if args.high is not None else 15)
        values = [rng.randint(lo, hi) for _ in range(numel(shape))]
    elif args.dtype == "i1":
        values = [rng.random() < 0.75 for _ in range(numel(shape))]
    else:
        lo = args.low if args.low is not None else -1.0
        hi = args.high if args.high is not None else 1.0
        values = [rng.uniform(lo, hi) for _ in range(numel(shape))]
    write_npy(args.out, descr, shape, values)


def cmd_write(args):
    shape = parse_shape(args.shape)
    values = [float(v) for v in args.values.split(",")] if args.values else []
    descr = args.descr or DESCR[args.dtype]
    write_npy(args.out, descr, shape, values, fortran=args.fortran)


def cmd_compare(args):
    sa, a = read_npy(args.actual)
    se, e = read_npy(args.expected)
    if sa != se:
        print(f"shape mismatch: {sa} vs {se}")
        return 1
    if args.elementwise:
        rel = max((abs(x - y) / abs(y) if y else abs(x)
                   for x, y in zip(a, e)), default=0.0)
    else:
        # Equal infinities (the lse of a fully masked row) agree.
        def d(x, y):
            return 0.0 if x == y else x - y
        diff = math.sqrt(sum(d(x, y) ** 2 for x, y in zip(a, e)))
        norm = math.sqrt(sum(y * y for y in e if math.isfinite(y))) or 1.0
        rel = diff / norm
    ok = rel <= args.tol and not any(math.isnan(x) for x in a)
    print(f"relative error {rel:.3e}: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


def cmd_exp(args):
    shape, x = read_npy(args.x)
    write_npy(args.out, "<f8", shape, [math.exp(v) for v in x])


def cmd_sdpa(args):
    (b, hq, lq, d), q = read_npy(args.q)
    (_, hkv, lk, _), k = read_npy(args.k)
    (_, _, _, dv), v = read_npy(args.v)
    scale = args.scale if args.scale is not None else 1.0 / math.sqrt(d)
    group = hq // hkv
    out, lse, probs = [], [], []
    for bi in range(b):
        for h in range(hq):
            kh = h // group
            for i in range(lq):
                qrow = q[((bi * hq + h) * lq + i) * d:][:d]
                scores = []
                for j in range(lk):
                    if args.causal and j > i + lk - lq:
                        scores.append(-math.inf)
                        continue
                    krow = k[((bi * hkv + kh) * lk + j) * d:][:d]
                    scores.append(scale * sum(x * y for x, y in zip(qrow, krow)))
                m = max(scores)
                if m == -math.inf:
                    out.extend([0.0] * dv)
                    lse.append(-math.inf)
                    probs.extend([0.0] * lk)
                    continue
                w = [math.exp(s - m) for s in scores]
                total = sum(w)
                probs.extend(x / total for x in w)
                lse.append(m + math.log(total))
                for e in range(dv):
                    acc = 0.0
                    for j in range(lk):
                        acc += w[j] * v[((bi * hkv + kh) * lk + j) * dv + e]
                    out.append(acc / total)
    write_npy(args.out, "<f8", [b, hq, lq, dv], out)
    if args.lse:
        write_npy(args.lse, "<f8", [b, hq, lq], lse)
    if args.probs:
        write_npy(args.probs, "<f8", [b, hq, lq, lk], probs)


def cmd_linear(args):
    xs, x = read_npy(args.x)
    (n_in, n_out), w = read_npy(args.w)
    rows = numel(xs[:-1])
    out = []
    for r in range(rows):
        xr = x[r * n_in:(r + 1) * n_in]
        for c in range(n_out):
            out.append(sum(xr[k] * w[k * n_out + c] for k in range(n_in)))
    write_npy(args.out, "<f8", list(xs[:-1]) + [n_out], out)


def cmd_rowsums(args):
    shape, x = read_npy(args.x)
    n = shape[-1] if shape else 1
    rows = len(x) // n if n else 0
    worst = max((abs(sum(x[r * n:(r + 1) * n]) - 1.0) for r in range(rows)),
                default=0.0)
    ok = rows > 0 and worst <= args.tol
    print(f"{rows} rows of {n}: largest |sum - 1| {worst:.3e}: "
          f"{'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("rand")
    p.add_argument("out"), p.add_argument("dtype", choices=DESCR)
    p.add_argument("shape"), p.add_argument("--seed", type=int, default=0)
    p.add_argument("--low", type=float), p.add_argument("--high", type=float)
    p.set_defaults(fn=cmd_rand)
    p = sub.add_parser("write")
    p.add_argument("out"), p.add_argument("dtype", choices=DESCR)
    p.add_argument("shape"), p.add_argument("values", nargs="?", default="")
    p.add_argument("--descr"), p.add_argument("--fortran", action="store_true")
    p.set_defaults(fn=cmd_write)
    p = sub.add_parser("compare")
    p.add_argument("actual"), p.add_argument("expected")
    p.add_argument("--tol", type=float, default=1e-5)
    p.add_argument("--elementwise", action="store_true")
    p.set_defaults(fn=cmd_compare)
    p = sub.add_parser("exp")
    p.add_argument("out"), p.add_argument("x")
    p.set_defaults(fn=cmd_exp)
    p = sub.add_parser("sdpa")
    for name in ("out", "q", "k", "v"):
        p.add_argument(name)
    p.add_argument("--scale", type=float), p.add_argument("--causal", action="store_true")
    p.add_argument("--lse"), p.add_argument("--probs")
    p.set_defaults(fn=cmd_sdpa)
    p = sub.add_parser("linear")
    for name in ("out", "x", "w"):
        p.add_argument(name)
    p.set_defaults(fn=cmd_linear)
    p = sub.add_parser("rowsums")
    p.add_argument("x"), p.add_argument("--tol", type=float, default=1e-5)
    p.set_defaults(fn=cmd_rowsums)
    args = parser.parse_args()
    sys.exit(args.fn(args) or 0)


if __name__ == "__main__":
    main()
