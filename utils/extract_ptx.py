#!/usr/bin/env python3
"""Writes the PTX of every gpu.binary of an MLIR file (format isa, as
attn-gpu-pipeline produces it) to OUTDIR/<binary name>.ptx and prints the
names. Standard library only.

Usage: extract_ptx.py IN.mlir OUTDIR
"""

import os
import re
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    text = open(sys.argv[1], encoding="utf-8").read()
    os.makedirs(sys.argv[2], exist_ok=True)
    found = 0
    for match in re.finditer(r'gpu\.binary @(\w+).*?assembly = "((?:[^"\\]|\\.)*)"',
                             text, re.S):
        name, escaped = match.group(1), match.group(2)
        ptx = re.sub(r"\\([0-9A-Fa-f]{2})",
                     lambda m: chr(int(m.group(1), 16)), escaped)
        ptx = ptx.replace('\\"', '"').replace("\\\\", "\\")
        with open(os.path.join(sys.argv[2], name + ".ptx"), "w",
                  encoding="utf-8") as out:
            out.write(ptx)
        print(name)
        found += 1
    if not found:
        sys.exit("extract_ptx.py: no gpu.binary with PTX (format isa) in " +
                 sys.argv[1])


if __name__ == "__main__":
    main()
