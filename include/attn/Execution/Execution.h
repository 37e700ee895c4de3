//===- Execution.h - Running compiled functions on the host ----*- C++ -*-===//
//
// The library behind `attn-run`: inputs for a function (from .npy files or
// seeded random data), a compiled function called through the wrapper ABI
// of Export.h (JIT-compiled with the MLIR ExecutionEngine, or loaded from a
// shared library written by attn-compile: the same entry either way), the
// float64 reference of the input IR, and the tolerance policy of DESIGN §6.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_EXECUTION_EXECUTION_H
#define ATTN_EXECUTION_EXECUTION_H

#include "attn/Evaluation/Interpreter.h"
#include "attn/Export/Export.h"
#include "attn/Pipelines/Pipelines.h"
#include "attn/Runtime/Buffer.h"
#include "attn/Runtime/Kernel.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ExecutionEngine/SectionMemoryManager.h"
#include "llvm/Support/Error.h"

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace mlir {
class ExecutionEngine;
class OpPassManager;

namespace attn {

/// The runtime element kind of an MLIR element type, if it has one.
std::optional<runtime::ElementKind> getElementKind(Type type);

/// Loads argument `index` of type `type` from the .npy file `path`,
/// checking its dtype, rank and static dimensions.
llvm::Expected<runtime::HostBuffer> loadInput(StringRef path, unsigned index,
                                              RankedTensorType type);

/// Seeded random data for argument `arg` of a function: floats uniform in
/// [-1, 1], booleans true with probability 3/4, the key lengths an attention
/// op reads (kv_lens) in [0, Lk], other integers in [0, 16). The argument
/// must have a static shape.
llvm::Expected<runtime::HostBuffer> makeRandomInput(BlockArgument arg,
                                                    unsigned seed);

/// Evaluates the function `entry` of `module` on `inputs` with the float64
/// interpreter, after inlining what it calls (in a clone of `module`). With
/// `computeValues` false only shapes are checked and FLOPs counted.
FailureOr<runtime::EvalResult>
evaluateReference(ModuleOp module, StringRef entry,
                  ArrayRef<runtime::HostBuffer> inputs, bool computeValues);

/// evaluateReference's shape-only mode on the argument shapes `shapes`,
/// before any input is allocated: checks the shapes against the function,
/// gives the result shapes, the FLOPs and the size of the float64
/// reference (EvalResult::referenceBytes).
FailureOr<runtime::EvalResult>
evaluateShapes(ModuleOp module, StringRef entry,
               ArrayRef<std::vector<int64_t>> shapes);

/// A size of memory written as a number with an optional binary unit: "512",
/// "64K", "300M", "16G", "2TiB", "16GB" (K/M/G/T are powers of 1024).
std::optional<uint64_t> parseByteSize(StringRef text);

/// attn-run's default --max-memory: 3/4 of the physical memory, or of the
/// address-space or data limit when one is set (ulimit -v / -d).
uint64_t getDefaultMemoryLimit();

/// "1.5 GiB", "512 B"; sizes past the exbibytes as a power of two.
std::string formatBytes(double bytes);

/// What a run of attn-run holds at once, in bytes (doubles: an estimate of
/// sizes that may exceed 2^64).
struct MemoryEstimate {
  double inputs = 0;
  double results = 0;
  /// The float64 reference (--check): every argument and op result.
  double reference = 0;
  /// The score matrices of a strategy that materialises them (unfused).
  double workspace = 0;

  double getTotal() const;
  /// "1.2 TiB (inputs 16.0 GiB, results 16.0 GiB, ...)".
  std::string describe() const;
};

/// The tolerance of DESIGN §6 for a result of `resultType` of `func`: 2e-2
/// when any argument or result of `func` is f16/bf16, 1e-5 otherwise, 0
/// (exact) for integer results.
double getTolerance(func::FuncOp func, Type resultType);

/// The runtime's view of the C signature of `exported`.
runtime::KernelSignature getKernelSignature(const ExportedFunction &exported);

/// A function compiled for the host and called through the wrapper ABI: the
/// runtime's launcher of JIT-compiled code or of an entry of attn-compile's
/// shared library.
class CompiledFunction : public runtime::KernelLauncher {
public:
  /// Lowers the function `entry` of `module` with attn-cpu-pipeline and
  /// `options`, adds its C entry (buildCWrappers), translates it for
  /// `target` exactly as attn-compile does and JIT-compiles it. `module` is
  /// lowered in place; its other functions are dropped unless `entry` calls
  /// them.
  static llvm::Expected<std::unique_ptr<CompiledFunction>>
  compile(ModuleOp module, StringRef entry,
          const AttnCPUPipelineOptions &options, CpuTarget target);

  /// The first half of `compile`: lowers the function `entry` of `module`
  /// with the pipeline `buildPipeline` adds (after symbol-dce of what
  /// `entry` does not call) and adds its C entry; returns its signature.
  static llvm::Expected<ExportedFunction>
  lower(ModuleOp module, StringRef entry,
        function_ref<void(OpPassManager &)> buildPipeline);

  /// The second half: translates the lowered `module` for `target` as
  /// attn-compile does and JIT-compiles it, resolving external symbols in
  /// `sharedLibs` too.
  static llvm::Expected<std::unique_ptr<CompiledFunction>>
  jit(ModuleOp module, ExportedFunction signature, CpuTarget target,
      ArrayRef<StringRef> sharedLibs);

  /// Calls the C entry `entry` of the shared library `libraryPath` (written
  /// by attn-compile), whose signature is that of the function `entry` of
  /// `module`.
  static llvm::Expected<std::unique_ptr<CompiledFunction>>
  load(ModuleOp module, StringRef entry, StringRef libraryPath);

  ~CompiledFunction() override;

  /// The C signature of the function.
  const ExportedFunction &getSignature() const { return signature; }
  const runtime::KernelSignature &getKernelSignature() const override {
    return kernelSignature;
  }
  bool launch(runtime::PackedCall &call, std::string &error) override;

  /// Calls the function on `inputs` (one per argument) and returns its
  /// results, allocated with the shapes the signature derives from the
  /// inputs. With `trapAborts`, an abort inside the call (a failed run-time
  /// check) ends the process with a one-line error and status 1.
  llvm::Expected<std::vector<runtime::HostBuffer>>
  call(const std::vector<runtime::HostBuffer> &inputs,
       bool trapAborts = false);

  /// Calls a function whose arrays live in GPU memory (compiled by
  /// attn-gpu-pipeline): copies the inputs to the device, calls, copies the
  /// results back. Stores the time of the call itself (kernels and their
  /// synchronisation, no copies) in `launchMs` when non-null.
  llvm::Expected<std::vector<runtime::HostBuffer>>
  callOnDevice(const std::vector<runtime::HostBuffer> &inputs,
               double *launchMs = nullptr);

private:
  CompiledFunction(ExportedFunction signature,
                   std::unique_ptr<ExecutionEngine> engine,
                   std::string entrySymbol);

  ExportedFunction signature;
  runtime::KernelSignature kernelSignature;
  /// Whether `launch` turns an abort into a one-line error.
  bool trapAborts = false;
  /// The target and LLVM optimiser of a JIT-compiled function (they must
  /// outlive the engine's lazy compilation).
  std::unique_ptr<CpuTarget> target;
  std::function<llvm::Error(llvm::Module *)> transformer;
  /// Where the engine's sections are mapped; destroyed after the engine.
  std::unique_ptr<llvm::SectionMemoryManager::MemoryMapper> memoryMapper;
  std::unique_ptr<ExecutionEngine> engine;
  /// The symbol whose packed form (ExecutionEngine::invokePacked) is called.
  std::string entrySymbol;
};

/// A memory mapper for the JIT's sections that keeps them within one
/// reserved range of addresses, so the small code model's 32-bit offsets
/// from code to GOT never overflow (see JitMemory.cpp). It must outlive the
/// ExecutionEngine that uses it.
std::unique_ptr<llvm::SectionMemoryManager::MemoryMapper>
createJitMemoryMapper();

/// Whether a CUDA GPU is usable (libAttnCudaRuntime's probe); `reason` says
/// why not in one line.
bool probeGpu(std::string &reason);

/// A shape as Python prints a tuple: "(2, 3)", "(4,)", "()".
std::string formatShape(ArrayRef<int64_t> shape);

/// Prints small arrays in full, one innermost row per line prefixed by its
/// index (`[b, l, :]`), and only a summary of large ones.
void printHostBuffer(llvm::raw_ostream &os, const runtime::HostBuffer &buffer);

/// Peak resident memory of the whole process in MB.
double getPeakRssMb();

} // namespace attn
} // namespace mlir

#endif // ATTN_EXECUTION_EXECUTION_H
