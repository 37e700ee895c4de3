# -*- Python -*-
# lit configuration of the Attn test suite.

import os
import subprocess

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

# Sanitizer builds (scripts/build.sh --sanitize, scripts/test.sh --sanitize):
# features `asan` / `ubsan` for the few tests that cannot run instrumented,
# and every report fatal, so a report fails its test.
_sanitizer = getattr(config, "attn_sanitizer", "")
if "Address" in _sanitizer:
    config.available_features.add("asan")
    config.environment["ASAN_OPTIONS"] = os.environ.get(
        "ASAN_OPTIONS",
        "detect_leaks=1:halt_on_error=1:abort_on_error=0:"
        "detect_stack_use_after_return=1:strict_string_checks=1")
    config.environment["LSAN_OPTIONS"] = os.environ.get(
        "LSAN_OPTIONS",
        "suppressions=" + os.path.join(config.attn_src_root, "utils",
                                       "lsan.supp") + ":print_suppressions=0")
if "Undefined" in _sanitizer:
    config.available_features.add("ubsan")
    config.environment["UBSAN_OPTIONS"] = os.environ.get(
        "UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")

tool_dirs = [config.attn_tools_dir, config.llvm_tools_dir]
tools = ["attn-opt", "attn-run", "attn-compile", "attn-fuzz-ir", "attn-fuzz-gen",
         "attn-fuzz-header", "attn-fuzz-npy"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

# A C compiler driver for the tests that build programs against attn-compile
# output (examples/c): clang-22 when installed, else cc.
import shutil
# In a sanitizer build the programs that link Attn's instrumented libraries
# are instrumented too (the sanitizer runtimes live in the executable).
_sanitize_flags = ""
if _sanitizer:
    _sanitize_flags = " -fsanitize=" + ",".join(
        k for k, name in (("address", "Address"), ("undefined", "Undefined"))
        if name in _sanitizer)
config.substitutions.append(
    ("%cc", (shutil.which("clang-22") or shutil.which("cc") or "cc") +
     _sanitize_flags))

# A C++ compiler driver for the tests that build programs against the runtime
# libraries (test/GPU): clang++-22 when installed, else c++.
config.substitutions.append(
    ("%cxx", (shutil.which("clang++-22") or shutil.which("c++") or "c++") +
     _sanitize_flags))

# GPU features (test/GPU):
# - `cuda-runtime`: libAttnCudaRuntime was built (cmake found cuda.h);
# - `cuda-gpu`: it also finds a usable GPU. The library's own probe
#   (attnCudaProbe) decides, run in a child process so that lit itself never
#   initialises CUDA;
# - `ptxas`: the CUDA assembler is present (%ptxas);
# - `cuda-stub`: the toolkit's stub libcuda.so is present (%cuda_stub_libcuda),
#   a library exporting the real driver's entry points that answers every
#   call with CUDA_ERROR_STUB_LIBRARY.
if config.attn_cuda_runtime:
    config.available_features.add("cuda-runtime")
    _cuda_lib = os.path.join(config.attn_obj_root, "lib",
                             "libAttnCudaRuntime.so")
    _probe = ("import ctypes, sys\n"
              "sys.exit(0 if ctypes.CDLL(sys.argv[1]).attnCudaProbe(None, 0)"
              " else 1)\n")
    try:
        if os.path.exists(_cuda_lib) and subprocess.call(
                [config.python_executable, "-c", _probe, _cuda_lib],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                timeout=120) == 0:
            config.available_features.add("cuda-gpu")
    except subprocess.TimeoutExpired:
        lit_config.warning("the CUDA probe timed out; cuda-gpu tests skipped")
if config.attn_ptxas and os.path.exists(config.attn_ptxas):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", config.attn_ptxas))
if config.attn_cuda_stub_libcuda and os.path.exists(
        config.attn_cuda_stub_libcuda):
    config.available_features.add("cuda-stub")
    config.substitutions.append(
        ("%cuda_stub_libcuda", config.attn_cuda_stub_libcuda))

# `numpy`: the Python venv of utils/.venv (not in CI) can import numpy; the
# ctypes example (examples/python) needs it.
_venv_python = os.path.join(config.attn_src_root, "utils", ".venv", "bin",
                            "python")
if os.path.exists(_venv_python) and subprocess.call(
        [_venv_python, "-c", "import numpy"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0:
    config.available_features.add("numpy")
    config.substitutions.append(("%venv_python", _venv_python))

# `cuda-toolkit`: a CUDA toolkit whose libdevice attn-gpu-pipeline links
# (its default cuda-path); no GPU needed.
if os.path.exists("/usr/local/cuda/nvvm/libdevice/libdevice.10.bc"):
    config.available_features.add("cuda-toolkit")

# `mpi`: attn-run was built with MPI and mpiexec is there (test/Distributed).
# %mpirun starts ranks as root too (CI machines) and on more ranks than
# cores (oversubscribed: the 3- and 4-rank tests on 2 cores); %mpicc builds
# a C program against the same MPI.
if config.attn_mpiexec and os.path.exists(config.attn_mpiexec):
    config.available_features.add("mpi")
    config.substitutions.append(
        ("%mpirun", config.attn_mpiexec + " --allow-run-as-root "
         "--oversubscribe"))
    _mpi_includes = " ".join("-I" + d for d in
                             config.attn_mpi_include_dirs.split(";") if d)
    _mpi_libs = " ".join(config.attn_mpi_libraries.split(";"))
    config.substitutions.append(("%mpi_cflags", _mpi_includes))
    config.substitutions.append(("%mpi_libs", _mpi_libs))
