#!/usr/bin/env bash
# Regenerates the real frontend IR in test/Frontend/Inputs/ with torch-mlir.
#
#   utils/export-frontend-ir.sh [export_attention.py options, e.g. --models bert]
#
# Creates (once) a Python venv at utils/.venv, installs torch and torch-mlir
# from PyPI into it, and runs utils/export_attention.py, which exports small
# GPT-2-, BERT- and Llama-style attention blocks (random seeded weights) to
# linalg-on-tensors and TOSA and saves seeded inputs and torch's float64
# outputs as .npy next to them.
#
# Not part of the build or CI: the generated files are committed, and the
# tests read them without torch.  Needs network access to PyPI and several GB
# of disk (the PyPI torch wheel for Linux pulls in the CUDA runtime packages,
# even though only the CPU is used here).
#
# Environment:
#   PYTHON               interpreter for the venv (default python3; torch-mlir
#                        publishes wheels for CPython 3.10-3.13 on x86_64/aarch64)
#   ATTN_EXPORT_VENV     venv location (default utils/.venv)
#   TORCH_VERSION        torch version to install (default: pinned below)
#   TORCH_MLIR_VERSION   torch-mlir version to install (default: pinned below)
#   ATTN_OPT             attn-opt used to check that every file parses
#                        (default build/bin/attn-opt, skipped if missing)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${ATTN_EXPORT_VENV:-$ROOT/utils/.venv}
PYTHON=${PYTHON:-python3}
# The pair the committed files were generated with; torch-mlir's Python
# importer follows torch closely, so move both together.
TORCH_VERSION=${TORCH_VERSION:-2.15.0}
TORCH_MLIR_VERSION=${TORCH_MLIR_VERSION:-20261001}
ATTN_OPT=${ATTN_OPT:-$ROOT/build/bin/attn-opt}

if [ ! -x "$VENV/bin/python" ]; then
  echo "export-frontend-ir: creating venv $VENV" >&2
  "$PYTHON" -m venv "$VENV"
fi

have_pkgs() {
  "$VENV/bin/python" - "$TORCH_VERSION" "$TORCH_MLIR_VERSION" <<'EOF' 2>/dev/null
import sys
from importlib.metadata import version
want_torch, want_mlir = sys.argv[1], sys.argv[2]
ok = (version("torch").split("+")[0] == want_torch
      and version("torch-mlir") == want_mlir)
import numpy, onnx, torch, torch_mlir.fx  # noqa: F401  (imports must work too)
sys.exit(0 if ok else 1)
EOF
}

if ! have_pkgs; then
  echo "export-frontend-ir: installing torch==$TORCH_VERSION" \
       "torch-mlir==$TORCH_MLIR_VERSION into $VENV" >&2
  # Binary wheels only: nothing is built from source.
  "$VENV/bin/python" -m pip install --only-binary=:all: \
    "torch==$TORCH_VERSION" "torch-mlir==$TORCH_MLIR_VERSION" numpy packaging \
    onnx
  have_pkgs || { echo "export-frontend-ir: torch/torch-mlir do not import" >&2; exit 1; }
fi

OUT=$ROOT/test/Frontend/Inputs
mkdir -p "$OUT"
"$VENV/bin/python" "$ROOT/utils/export_attention.py" --out "$OUT" "$@"

if [ -x "$ATTN_OPT" ]; then
  status=0
  for f in "$OUT"/*.mlir; do
    if ! "$ATTN_OPT" "$f" > /dev/null; then
      echo "export-frontend-ir: $ATTN_OPT does not parse $f" >&2
      status=1
    fi
  done
  [ "$status" = 0 ] && echo "export-frontend-ir: every file parses with attn-opt" >&2
  exit "$status"
else
  echo "export-frontend-ir: $ATTN_OPT not built; parse check skipped" >&2
fi
