# -*- Python -*-
# lit configuration of the Attn test suite.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "ATTN"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.attn_obj_root, "test")

config.environment["FILECHECK_OPTS"] = (
    "-enable-var-scope --allow-unused-prefixes=false"
)

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%attn_src_root", config.attn_src_root))
config.substitutions.append(("%attn_obj_root", config.attn_obj_root))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(
    ("%npy", config.python_executable + " " +
     os.path.join(config.attn_src_root, "utils", "npy.py")))
config.substitutions.append(
    ("%expect_exit", config.python_executable + " " +
     os.path.join(config.attn_src_root, "utils", "expect_exit.py")))

tool_dirs = [config.attn_tools_dir, config.llvm_tools_dir]
tools = ["attn-opt", "attn-run", "attn-compile"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

# A C compiler driver for the tests that build programs against attn-compile
# output (examples/c): clang-22 when installed, else cc.
import shutil
config.substitutions.append(
    ("%cc", shutil.which("clang-22") or shutil.which("cc") or "cc"))

# `numpy`: the Python venv of utils/.venv (not in CI) can import numpy; the
# ctypes example (examples/python) needs it.
import subprocess
_venv_python = os.path.join(config.attn_src_root, "utils", ".venv", "bin",
                            "python")
if os.path.exists(_venv_python) and subprocess.call(
        [_venv_python, "-c", "import numpy"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0:
    config.available_features.add("numpy")
    config.substitutions.append(("%venv_python", _venv_python))

# `cuda-toolkit`: a CUDA toolkit whose libdevice attn-gpu-pipeline links
# (the default cuda-path); `ptxas`: its PTX assembler, to check the PTX the
# GPU pipeline writes. Neither needs a GPU.
_cuda = "/usr/local/cuda"
if os.path.exists(os.path.join(_cuda, "nvvm", "libdevice", "libdevice.10.bc")):
    config.available_features.add("cuda-toolkit")
# `cuda-runtime`: libAttnCudaRuntime was built (cuda.h found); `cuda-gpu`:
# a usable GPU (nvidia-smi lists one), for the execution tests.
if os.path.exists(os.path.join(config.attn_obj_root, "lib",
                               "libAttnCudaRuntime.so")):
    config.available_features.add("cuda-runtime")
if shutil.which("nvidia-smi") and subprocess.call(
        ["nvidia-smi", "-L"], stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL) == 0:
    config.available_features.add("cuda-gpu")
_ptxas = os.path.join(_cuda, "bin", "ptxas")
if os.path.exists(_ptxas):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", _ptxas))
