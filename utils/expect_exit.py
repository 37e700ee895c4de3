#!/usr/bin/env python3
"""Runs a command and succeeds only if it exits with the given status.

  expect_exit.py STATUS COMMAND [ARGS...]

Standard output and error pass through, so a test can pipe them to FileCheck.
Used by the lit suite where `not` is too weak (attn-run's status 2 means "no
reference", status 1 means "failed").
"""
import subprocess
import sys

expected = int(sys.argv[1])
status = subprocess.call(sys.argv[2:])
if status != expected:
    sys.stderr.write(f"expect_exit: '{sys.argv[2]}' exited with {status}, "
                     f"expected {expected}\n")
    sys.exit(1)
