#!/usr/bin/env bash
# Installs the optional benchmark peers into the Python venv utils/.venv
# (created by utils/export-frontend-ir.sh, or here if missing): IREE's
# compiler and runtime wheels from PyPI. scripts/bench.sh uses them when they
# import and prints "skipped: ..." otherwise. Not part of the build or CI.
# Idempotent: pip runs only when a package does not import.
#
# Environment:
#   ATTN_EXPORT_VENV   venv location (default utils/.venv)
#   PYTHON             interpreter for a new venv (default python3)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${ATTN_EXPORT_VENV:-$ROOT/utils/.venv}
PYTHON=${PYTHON:-python3}

if [ ! -x "$VENV/bin/python" ]; then
  echo "install-bench-peers: creating venv $VENV" >&2
  "$PYTHON" -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import iree.compiler, iree.runtime, numpy" 2>/dev/null; then
  echo "install-bench-peers: installing iree-base-compiler iree-base-runtime into $VENV" >&2
  "$VENV/bin/python" -m pip install --only-binary=:all: \
    iree-base-compiler iree-base-runtime numpy
fi
"$VENV/bin/python" -c "import iree.compiler, iree.runtime; print('install-bench-peers: iree', iree.compiler.version.VERSION if hasattr(iree.compiler, 'version') else '')"
