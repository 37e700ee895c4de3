//===- Export.h - Exported functions, C wrappers and native code -*- C++ -*-===//
//
// The library behind `attn-compile` and the JIT of `attn-run`: what a public
// `func.func` looks like from C (its exported description), the LLVM-dialect
// wrapper that gives the lowered function that C signature, the header that
// documents it, the target machine, and the translation to an LLVM module,
// an object file and a shared library.
//
// The wrapper ABI, for `func.func @name(args) -> results`:
//
//   int name(const T *arg0, ..., T *result0, ..., int64_t argI_dimJ, ...);
//
// Tensors are dense C-order arrays; scalar arguments are passed by value
// (f16/bf16 as their uint16_t bits, i1 as uint8_t), scalar results through a
// pointer; one int64_t follows per dynamic dimension of an argument, in
// argument order. The function returns 0, or 1 (writing nothing) when the
// size of a result differs from the one its description derives from the
// arguments. Every compiled function, ahead of time or JIT, is called
// through this ABI.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_EXPORT_EXPORT_H
#define ATTN_EXPORT_EXPORT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMTypes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <optional>
#include <map>
#include <string>

namespace llvm {
class LLVMContext;
class Module;
class raw_ostream;
} // namespace llvm

namespace mlir {
namespace attn {

//===----------------------------------------------------------------------===//
// Exported functions
//===----------------------------------------------------------------------===//

/// One argument or result of an exported function.
struct ExportedPort {
  /// Ranked tensor (passed as a pointer) or scalar (passed by value when an
  /// argument, through a pointer when a result).
  bool isTensor = false;
  Type elementType;
  /// The tensor's shape (dynamic dimensions as ShapedType::kDynamic).
  SmallVector<int64_t> shape;
  /// The C element type: float, double, uint16_t, int64_t, int32_t, uint8_t.
  std::string cType;
  /// `argN` or `resultN`.
  std::string name;
  /// Per dimension, the name of the `int64_t` parameter (dynamic argument
  /// dimensions), the parameter it equals (dynamic result dimensions) or the
  /// constant size.
  SmallVector<std::string> dimExprs;
};

/// Where the size of a result dimension comes from.
struct DimSource {
  /// Index into ExportedFunction::dimParams, or -1 for a constant.
  int64_t param = -1;
  int64_t constant = 0;
};

/// A dynamic dimension of an argument, passed as an `int64_t`.
struct DimParam {
  unsigned arg;
  unsigned dim;
  std::string name;
};

/// How a public function is called through the wrapper ABI.
struct ExportedFunction {
  std::string name;
  /// `func.func @name(...) -> ...`, for the header.
  std::string mlirSignature;
  SmallVector<ExportedPort> args, results;
  SmallVector<DimParam> dimParams;
  /// Per result, per dimension.
  SmallVector<SmallVector<DimSource>> resultDims;
};

/// The C element type of `type` for the wrapper ABI, if it has one.
std::optional<StringRef> getCElementType(Type type);

/// Checks that `func` can be exported and describes its C signature: every
/// argument and result is a ranked tensor or a scalar of f32, f64, f16, bf16,
/// i32, i64 or i1, and each dynamic result size follows from the argument
/// sizes (through tensor.dim, tensor.cast and the ops' shape reification).
/// `scratch` is a clone of `func` (in a clone of the module) that shape
/// reification may add ops to. With `requireCName`, the name must be a C
/// identifier. Emits a located error on `func` and fails otherwise.
FailureOr<ExportedFunction> describeExportedFunction(func::FuncOp func,
                                                     func::FuncOp scratch,
                                                     bool requireCName = true);

/// Describes each of `funcs` (functions of `module`) and marks their tensor
/// arguments read-only for bufferization (inputs are never written in
/// place), ready for the lowering pipeline.
FailureOr<std::vector<ExportedFunction>>
prepareExport(ModuleOp module, ArrayRef<func::FuncOp> funcs,
              bool requireCName = true);

/// The LLVM type of the C entry of `exported`:
/// i32 (ptr | scalar..., ptr..., i64...).
LLVM::LLVMFunctionType getCFunctionType(MLIRContext *ctx,
                                        const ExportedFunction &exported);

/// After the lowering pipeline: makes every defined LLVM function internal,
/// then, per exported function, renames the lowered `@name` to the internal
/// `@__attn_impl_<name>` and adds `llvm.func @name` with the C signature of
/// the wrapper ABI (descriptors built from the pointers, result sizes
/// checked, results copied into the caller's buffers, what the function
/// allocated freed). Verifies the module.
LogicalResult buildCWrappers(ModuleOp module,
                             ArrayRef<ExportedFunction> funcs);

/// What the header says about how the library was compiled.
struct CHeaderInfo {
  /// The input file (its file name is mentioned).
  std::string inputName;
  /// The base of the include guard (the output's file name).
  std::string guardBase;
  /// One or two lines of options, after "Compiled with: ".
  std::string optionsSummary;
  /// A sentence on threading, or empty.
  std::string threading;
  /// A paragraph on the distribution across MPI ranks, by function name
  /// (the functions of attn-compile --distributed=ring).
  std::map<std::string, std::string> distribution;
  /// Whether the arrays are device (CUDA global memory) pointers: the
  /// functions of attn-compile --target=gpu.
  bool deviceArrays = false;
};

/// Writes the C header documenting `funcs` (one prototype each).
void writeCHeader(llvm::raw_ostream &os, ArrayRef<ExportedFunction> funcs,
                  const CHeaderInfo &info);

//===----------------------------------------------------------------------===//
// Native code
//===----------------------------------------------------------------------===//

/// The CPU the code is compiled for.
struct CpuTarget {
  std::unique_ptr<llvm::TargetMachine> machine;
  /// LLVM's CPU name (the host's for "native").
  std::string cpu;
  /// LLVM target features (the host's for "native", else empty).
  std::string features;
  /// The width of its vector registers: 512 with AVX-512F, 256 with AVX2
  /// and FMA, 128 otherwise. The one place the tools learn it from.
  int64_t vectorBits = 128;
};

/// Creates the target machine for `cpuName`: "native" (the host CPU and its
/// features), "x86-64-v3" (AVX2) or "x86-64-v4" (AVX-512), at -O3, PIC.
/// Calls llvm::InitializeNativeTarget itself.
llvm::Expected<CpuTarget> createCpuTarget(StringRef cpuName);

/// A new target machine identical to that of `target` (for an owner such as
/// the ExecutionEngine).
std::unique_ptr<llvm::TargetMachine> createTargetMachine(const CpuTarget &target);

/// Translates the lowered `module` to LLVM IR for `target`: data layout,
/// triple, the CPU and its features on every function, and a definition of
/// the `memrefCopy` the memref lowering calls (so no MLIR runtime library is
/// needed). Verifies the result. Fails with a message.
llvm::Expected<std::unique_ptr<llvm::Module>>
translateForTarget(ModuleOp module, llvm::LLVMContext &llvmContext,
                   const CpuTarget &target, StringRef moduleName);

/// Optimises `llvmModule` at -O3 for `target`.
llvm::Error optimizeModule(llvm::Module &llvmModule, const CpuTarget &target);

/// Whether `llvmModule` still calls functions of the MLIR C runner
/// utilities (memrefCopy is defined by translateForTarget, so normally not).
bool usesRunnerUtils(const llvm::Module &llvmModule);

/// Writes `llvmModule` as an object file to `path`.
llvm::Error writeObjectFile(llvm::Module &llvmModule, const CpuTarget &target,
                            StringRef path);

/// Links the object `objPath` into the shared library `soPath` with the
/// first C compiler driver on PATH (clang-22, clang, cc, gcc), with
/// `--no-undefined`, libomp when `withOpenMP`, the MLIR C runner utilities
/// when `withRunnerUtils`, and libm.
llvm::Error linkSharedLibrary(StringRef objPath, StringRef soPath,
                              bool withOpenMP, bool withRunnerUtils,
                              ArrayRef<std::string> extraLibraries = {});

/// The kernels of a module lowered by attn-gpu-pipeline (its gpu.binary ops
/// of PTX).
struct GpuKernelModule {
  /// The symbol of the gpu.binary (`<function>_kernel`).
  std::string name;
  /// The PTX text.
  std::string ptx;
};

/// The PTX of every gpu.binary of `module` (format isa), in order.
std::vector<GpuKernelModule> getGpuKernelModules(ModuleOp module);

/// Writes `<outputBase>.ptx` (one kernel module) or
/// `<outputBase>.<name>.ptx` (several), `<outputBase>.cubin` likewise when
/// `ptxas` is non-empty (assembled for `chip`), and `<outputBase>.json`
/// describing them: the chip, and per kernel module its PTX (and cubin)
/// file, entry points, threads per block (.maxntid) and static shared
/// memory. The grids are computed by the C entries from the argument sizes.
llvm::Error writeGpuKernelFiles(ArrayRef<GpuKernelModule> kernels,
                                StringRef outputBase, StringRef chip,
                                StringRef ptxas);

/// The GPU host runtime (libAttnCudaRuntime.so) next to the running tool
/// (in ../lib), which the host code of attn-gpu-pipeline calls.
std::string getCudaRuntimeLibraryPath();

/// The OpenMP runtime (libomp.so.5) the code of `threads > 1` calls.
StringRef getOpenMPLibraryPath();

/// The MLIR C runner utilities library.
StringRef getRunnerUtilsLibraryPath();

} // namespace attn
} // namespace mlir

#endif // ATTN_EXPORT_EXPORT_H
