//===- attn-run.cpp - Attn JIT runner, checker and benchmark --------------===//
//
// Runs one function of an MLIR file on the host CPU: lowers it with
// `attn-cpu-pipeline`, JIT-compiles it with the MLIR ExecutionEngine, feeds it
// `.npy` inputs or seeded random data, writes its results as `.npy`, compares
// them with the float64 reference evaluated on the input IR (`--check`)
// and measures it (`--bench`).
//
// Exit status: 0 on success, 1 on any error or a failed check, 2 when
// `--check` has no reference for the function (never a fake PASS).
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnDialect.h"
#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Pipelines/PipelineFlags.h"
#include "attn/Pipelines/Pipelines.h"
#include "attn/Runtime/Interpreter.h"
#include "attn/Runtime/Npy.h"
#include "attn/Runtime/Reference.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::runtime;
namespace cl = llvm::cl;

//===----------------------------------------------------------------------===//
// Command line
//===----------------------------------------------------------------------===//

static cl::OptionCategory runCategory("attn-run options");

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<input.mlir>"),
                                      cl::Required, cl::cat(runCategory));
static cl::opt<std::string> entryName("entry", cl::desc("Function to run"),
                                      cl::value_desc("name"), cl::Required,
                                      cl::cat(runCategory));
static cl::list<std::string>
    inputPaths("inputs", cl::desc("Comma-separated .npy files, one per "
                                  "argument (default: seeded random data)"),
               cl::CommaSeparated, cl::cat(runCategory));
static cl::list<std::string>
    outputPaths("outputs",
                cl::desc("Comma-separated .npy files, one per result"),
                cl::CommaSeparated, cl::cat(runCategory));
static cl::opt<unsigned> seed("seed", cl::desc("Seed of the random inputs"),
                              cl::init(0), cl::cat(runCategory));
static cl::opt<bool>
    check("check", cl::desc("Compare every result with the float64 reference"),
          cl::cat(runCategory));
static cl::opt<bool> bench("bench",
                           cl::desc("Report median time, GFLOP/s and peak "
                                    "memory"),
                           cl::cat(runCategory));
static cl::opt<unsigned> repeat("repeat",
                                cl::desc("Timed runs for --bench (median)"),
                                cl::init(10), cl::cat(runCategory));
enum class BenchFormat { Text, Json };
static cl::opt<BenchFormat> benchFormat(
    "bench-format", cl::desc("Output format of --bench"),
    cl::values(clEnumValN(BenchFormat::Text, "text", "one line of text"),
               clEnumValN(BenchFormat::Json, "json", "one JSON object")),
    cl::init(BenchFormat::Text), cl::cat(runCategory));
static PipelineFlags pipelineFlags(runCategory);
static cl::opt<Strategy> &strategy = pipelineFlags.strategy;
static cl::opt<int64_t> &tileQ = pipelineFlags.tileQ;
static cl::opt<int64_t> &tileKv = pipelineFlags.tileKv;
static cl::opt<int64_t> &numSplits = pipelineFlags.numSplits;
static cl::opt<int64_t> &vectorBits = pipelineFlags.vectorBits;
/// `--threads=N`. libLLVM already registers a global `threads` option, so
/// this one is taken out of argv before LLVM's parser sees it.
static int threads = 1;

//===----------------------------------------------------------------------===//
// Host buffers and memref descriptors
//===----------------------------------------------------------------------===//

namespace {
/// A dense, 64-byte aligned, row-major host array of one element kind.
struct HostArray {
  ElementKind kind;
  std::vector<int64_t> shape;
  void *data = nullptr;
  size_t numBytes = 0;

  HostArray(ElementKind kind, ArrayRef<int64_t> shape)
      : kind(kind), shape(shape.begin(), shape.end()) {
    numBytes = getNumElements() * getElementByteSize(kind);
    data = std::aligned_alloc(64, std::max<size_t>(64, (numBytes + 63) / 64 * 64));
    if (numBytes)
      std::memset(data, 0, numBytes);
  }
  HostArray(HostArray &&other)
      : kind(other.kind), shape(std::move(other.shape)), data(other.data),
        numBytes(other.numBytes) {
    other.data = nullptr;
  }
  HostArray(const HostArray &) = delete;
  ~HostArray() { std::free(data); }

  size_t getNumElements() const {
    size_t n = 1;
    for (int64_t d : shape)
      n *= static_cast<size_t>(d);
    return n;
  }
  std::vector<double> toDouble() const {
    return decodeToDouble(kind, data, getNumElements());
  }
};
} // namespace

/// The words of a ranked memref descriptor: allocated and aligned pointers,
/// offset, sizes, strides (all 8 bytes, so a struct of them has no padding).
static std::vector<int64_t> makeDescriptor(const HostArray &array) {
  std::vector<int64_t> words = {reinterpret_cast<int64_t>(array.data),
                                reinterpret_cast<int64_t>(array.data), 0};
  words.insert(words.end(), array.shape.begin(), array.shape.end());
  std::vector<int64_t> strides(array.shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(array.shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * array.shape[i + 1];
  words.insert(words.end(), strides.begin(), strides.end());
  return words;
}

static std::optional<ElementKind> getElementKind(Type type) {
  if (type.isF32())
    return ElementKind::F32;
  if (type.isF16())
    return ElementKind::F16;
  if (type.isBF16())
    return ElementKind::BF16;
  if (type.isF64())
    return ElementKind::F64;
  if (type.isInteger(32))
    return ElementKind::I32;
  if (type.isInteger(64))
    return ElementKind::I64;
  if (type.isInteger(1))
    return ElementKind::I1;
  return std::nullopt;
}

static std::string shapeToString(ArrayRef<int64_t> shape) {
  std::string s = "(";
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? ", " : "") + std::to_string(d);
  return s + (shape.size() == 1 ? ",)" : ")");
}

static void printError(const Twine &message) {
  llvm::WithColor::error(llvm::errs(), "attn-run") << message << "\n";
}

//===----------------------------------------------------------------------===//
// Inputs
//===----------------------------------------------------------------------===//

/// Loads argument `index` of type `type` from `path`, checking dtype, rank
/// and static dimensions.
static std::optional<HostArray> loadInput(StringRef path, unsigned index,
                                          RankedTensorType type,
                                          ElementKind kind) {
  llvm::Expected<NpyArray> npy = readNpy(path);
  if (!npy) {
    printError(llvm::toString(npy.takeError()));
    return std::nullopt;
  }
  std::string typeStr;
  llvm::raw_string_ostream(typeStr) << type;
  if (npy->descr != getNpyDescr(kind)) {
    printError(path + ": dtype '" + npy->descr + "' does not match argument #" +
               Twine(index) + " of type " + typeStr + " (expected '" +
               getNpyDescr(kind) + "')");
    return std::nullopt;
  }
  bool shapeOk = static_cast<int64_t>(npy->shape.size()) == type.getRank();
  for (int64_t d = 0; shapeOk && d < type.getRank(); ++d)
    shapeOk = type.isDynamicDim(d) || type.getDimSize(d) == npy->shape[d];
  if (!shapeOk) {
    printError(path + ": shape " + shapeToString(npy->shape) +
               " does not match argument #" + Twine(index) + " of type " +
               typeStr);
    return std::nullopt;
  }
  HostArray array(kind, npy->shape);
  std::memcpy(array.data, npy->bytes.data(), array.numBytes);
  return array;
}

/// The key length of the attention op that reads `arg` as `kv_lens`, if any:
/// random key lengths are drawn in [0, Lk] so that they mean something.
static std::optional<int64_t> getKvLensBound(BlockArgument arg) {
  for (Operation *user : arg.getUsers()) {
    Value key;
    if (auto sdpa = dyn_cast<SdpaOp>(user); sdpa && sdpa.getKvLens() == arg)
      key = sdpa.getKey();
    if (auto mask = dyn_cast<MaskOp>(user); mask && mask.getKvLens() == arg)
      key = mask.getScores();
    if (!key)
      continue;
    auto keyType = cast<RankedTensorType>(key.getType());
    int64_t lk = keyType.getDimSize(isa<MaskOp>(user) ? 3 : 2);
    if (!ShapedType::isDynamic(lk))
      return lk;
  }
  return std::nullopt;
}

/// Seeded random data for argument `index`: floats uniform in [-1, 1],
/// booleans true with probability 3/4, key lengths in [0, Lk], other integers
/// in [0, 16).
static std::optional<HostArray> randomInput(unsigned index,
                                            BlockArgument arg,
                                            RankedTensorType type,
                                            ElementKind kind) {
  if (!type.hasStaticShape()) {
    std::string typeStr;
    llvm::raw_string_ostream(typeStr) << type;
    printError("argument #" + Twine(index) + " has dynamic type " + typeStr +
               ": pass its data with --inputs");
    return std::nullopt;
  }
  HostArray array(kind, type.getShape());
  std::mt19937_64 rng(seed * 1000003ULL + index);
  std::vector<double> values(array.getNumElements());
  if (isa<FloatType>(type.getElementType())) {
    std::uniform_real_distribution<double> dist(-1.0, 1.0);
    for (double &v : values)
      v = dist(rng);
  } else if (kind == ElementKind::I1) {
    std::bernoulli_distribution dist(0.75);
    for (double &v : values)
      v = dist(rng);
  } else {
    int64_t bound = getKvLensBound(arg).value_or(15);
    std::uniform_int_distribution<int64_t> dist(0, bound);
    for (double &v : values)
      v = static_cast<double>(dist(rng));
  }
  encodeFromDouble(kind, values, array.data);
  return array;
}

//===----------------------------------------------------------------------===//
// Results
//===----------------------------------------------------------------------===//

/// Copies the memref described by `words` (rank `rank`) into a dense array.
static HostArray readResult(const int64_t *words, unsigned rank,
                            ElementKind kind) {
  const char *aligned = reinterpret_cast<const char *>(words[1]);
  int64_t offset = words[2];
  ArrayRef<int64_t> sizes(words + 3, rank);
  ArrayRef<int64_t> strides(words + 3 + rank, rank);
  HostArray array(kind, sizes);
  size_t eltSize = getElementByteSize(kind);
  size_t n = array.getNumElements();
  std::vector<int64_t> index(rank, 0);
  for (size_t linear = 0; linear < n; ++linear) {
    int64_t pos = offset;
    for (unsigned d = 0; d < rank; ++d)
      pos += index[d] * strides[d];
    std::memcpy(static_cast<char *>(array.data) + linear * eltSize,
                aligned + pos * eltSize, eltSize);
    for (int64_t d = static_cast<int64_t>(rank) - 1; d >= 0; --d) {
      if (++index[d] < sizes[d])
        break;
      index[d] = 0;
    }
  }
  return array;
}

/// Frees the result buffers the function allocated (not those aliasing an
/// input, nor constant globals, which the LLVM lowering marks 0xdeadbeef).
static void freeResults(const std::vector<int64_t> &words,
                        ArrayRef<unsigned> offsets,
                        ArrayRef<HostArray> inputs) {
  llvm::SmallPtrSet<void *, 4> freed;
  for (const HostArray &input : inputs)
    freed.insert(input.data);
  freed.insert(reinterpret_cast<void *>(0xdeadbeef));
  for (unsigned offset : offsets) {
    void *allocated = reinterpret_cast<void *>(words[offset]);
    if (allocated && freed.insert(allocated).second)
      std::free(allocated);
  }
}

/// Prints small arrays in full, one innermost row per line prefixed by its
/// index (`[b, l, :]`), and only a summary of large ones.
static void printArray(llvm::raw_ostream &os, const HostArray &array) {
  std::vector<double> values = array.toDouble();
  constexpr size_t kMaxPrinted = 1024;
  if (values.size() > kMaxPrinted) {
    os << "  " << values.size() << " elements, first 8:";
    for (size_t i = 0; i < 8; ++i)
      os << " " << llvm::format("%.6g", values[i]);
    os << "\n";
    return;
  }
  size_t rank = array.shape.size();
  size_t rowLen = rank ? static_cast<size_t>(array.shape.back()) : 1;
  for (size_t start = 0; start < values.size(); start += rowLen) {
    os << "  [";
    size_t rest = start / rowLen;
    SmallVector<int64_t> index(rank > 0 ? rank - 1 : 0);
    for (size_t d = index.size(); d-- > 0;) {
      index[d] = rest % array.shape[d];
      rest /= array.shape[d];
    }
    for (int64_t idx : index)
      os << idx << ", ";
    os << (rank ? ":]" : "]");
    for (size_t i = 0; i < rowLen; ++i)
      os << " " << llvm::format("%9.6f", values[start + i]);
    os << "\n";
  }
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

/// While alive, turns the abort of a failed run-time check (cf.assert from
/// `runtime-checks`) into a one-line error and exit status 1 instead of a
/// crash report. The check's own message, naming the op, precedes it.
class RuntimeCheckGuard {
public:
  explicit RuntimeCheckGuard(bool enabled) : enabled(enabled) {
    if (!enabled)
      return;
    struct sigaction action = {};
    action.sa_handler = [](int) {
      std::fflush(stdout);
      static const char message[] =
          "attn-run: error: the compiled function failed a run-time check: "
          "its inputs have inconsistent sizes\n";
      (void)!write(STDERR_FILENO, message, sizeof(message) - 1);
      _exit(1);
    };
    sigaction(SIGABRT, &action, &previous);
  }
  ~RuntimeCheckGuard() {
    if (enabled)
      sigaction(SIGABRT, &previous, nullptr);
  }

private:
  bool enabled;
  struct sigaction previous = {};
};

/// Peak resident memory of the whole process (compiler and JIT included,
/// about 120 MB), so differences between runs show what the kernel adds.
static double getPeakRssMb() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

/// Tolerance of DESIGN §6 for a function: 2e-2 when any argument or result
/// is f16/bf16, 1e-5 otherwise; integer results must match exactly.
static double getTolerance(ArrayRef<RankedTensorType> argTypes,
                           ArrayRef<RankedTensorType> resultTypes,
                           Type resultElt) {
  if (!isa<FloatType>(resultElt))
    return 0.0;
  auto isLowPrecision = [](RankedTensorType t) {
    Type elt = t.getElementType();
    return elt.isF16() || elt.isBF16();
  };
  if (llvm::any_of(argTypes, isLowPrecision) ||
      llvm::any_of(resultTypes, isLowPrecision))
    return 2e-2;
  return 1e-5;
}

static int runMain(MLIRContext &context) {
  if (threads < 1) {
    printError("--threads must be >= 1, got " + Twine(threads));
    return 1;
  }
  if (vectorBits != -1 && vectorBits != 0 && vectorBits != 128 &&
      vectorBits != 256 && vectorBits != 512) {
    printError("--vector-bits must be 0, 128, 256 or 512, got " +
               Twine(int64_t(vectorBits)));
    return 1;
  }
  if (tileQ < 1 || tileKv < 1 || numSplits < 0) {
    printError("--tile-q and --tile-kv must be >= 1, --num-splits >= 0");
    return 1;
  }
  if (repeat < 1) {
    printError("--repeat must be >= 1");
    return 1;
  }

  // Parse and verify.
  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> file =
      openInputFile(inputFile, &errorMessage);
  if (!file) {
    printError(errorMessage);
    return 1;
  }
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;
  auto func = module->lookupSymbol<func::FuncOp>(entryName);
  if (!func || func.isExternal()) {
    printError("no function named '@" + entryName + "' with a body in " +
               inputFile);
    return 1;
  }

  // Argument and result types.
  SmallVector<RankedTensorType> argTypes, resultTypes;
  SmallVector<ElementKind> argKinds, resultKinds;
  auto collect = [&](TypeRange types, StringRef what,
                     SmallVectorImpl<RankedTensorType> &outTypes,
                     SmallVectorImpl<ElementKind> &outKinds) {
    for (auto [i, type] : llvm::enumerate(types)) {
      auto tensor = dyn_cast<RankedTensorType>(type);
      std::optional<ElementKind> kind =
          tensor ? getElementKind(tensor.getElementType()) : std::nullopt;
      if (!kind) {
        std::string typeStr;
        llvm::raw_string_ostream(typeStr) << type;
        func.emitError() << what << " #" << i << " has type " << typeStr
                         << ": attn-run supports ranked tensors of f32, f16, "
                            "bf16, f64, i32, i64 and i1";
        return false;
      }
      outTypes.push_back(tensor);
      outKinds.push_back(*kind);
    }
    return true;
  };
  if (!collect(func.getArgumentTypes(), "argument", argTypes, argKinds) ||
      !collect(func.getResultTypes(), "result", resultTypes, resultKinds))
    return 1;

  // Inputs.
  if (!inputPaths.empty() && inputPaths.size() != argTypes.size()) {
    printError("--inputs has " + Twine(inputPaths.size()) +
               " files but @" + entryName + " takes " +
               Twine(argTypes.size()) + " argument(s)");
    return 1;
  }
  if (!outputPaths.empty() && outputPaths.size() != resultTypes.size()) {
    printError("--outputs has " + Twine(outputPaths.size()) +
               " files but @" + entryName + " returns " +
               Twine(resultTypes.size()) + " result(s)");
    return 1;
  }
  std::vector<HostArray> inputs;
  for (unsigned i = 0; i < argTypes.size(); ++i) {
    std::optional<HostArray> array =
        inputPaths.empty()
            ? randomInput(i, func.getArgument(i), argTypes[i], argKinds[i])
            : loadInput(inputPaths[i], i, argTypes[i], argKinds[i]);
    if (!array)
      return 1;
    inputs.push_back(std::move(*array));
  }

  // Shapes of the actual inputs through the input IR: catches
  // inconsistent dynamic sizes before compiled code reads out of bounds, and
  // counts FLOPs. The float64 reference, when asked for, comes from the same
  // evaluation.
  std::vector<RefTensor> refArgs;
  for (const HostArray &input : inputs) {
    RefTensor t;
    t.shape = input.shape;
    if (check)
      t.data = input.toDouble();
    refArgs.push_back(std::move(t));
  }
  // The reference follows calls: it evaluates an inlined copy of the entry.
  OwningOpRef<ModuleOp> inlined = module->clone();
  func::FuncOp refFunc = inlined->lookupSymbol<func::FuncOp>(entryName);
  refFunc.setPublic(); // A private entry must survive the inliner's DCE.
  {
    PassManager inliner(&context);
    inliner.addPass(createInlinerPass());
    if (failed(inliner.run(*inlined)))
      return 1;
  }
  EvalResult reference = evaluateFunction(refFunc, refArgs, check);
  if (reference.status == EvalStatus::Invalid) {
    printError(reference.message);
    return 1;
  }
  // Without a reference nothing has checked that dynamic sizes
  // agree: compiled code then verifies them itself before reading.
  bool runtimeChecks = reference.status != EvalStatus::Ok &&
                       llvm::any_of(argTypes, [](RankedTensorType t) {
                         return !t.hasStaticShape();
                       });

  // Lower and JIT-compile. Entry arguments are read-only, results come back
  // through the C interface. `func` is gone after this point.
  func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                UnitAttr::get(&context));
  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    func.setArgAttr(i, bufferization::BufferizationDialect::kWritableAttrName,
                    BoolAttr::get(&context, false));
  // Only the entry and what it calls are compiled: other functions become
  // private and symbol-dce drops those nothing references.
  for (auto other : module->getOps<func::FuncOp>())
    if (other != func && !other.isExternal())
      other.setPrivate();
  func.setPublic();
  PassManager pm(&context);
  pm.addPass(createSymbolDCEPass());
  AttnCPUPipelineOptions pipelineOptions;
  pipelineOptions.strategy = strategy;
  pipelineOptions.tileQ = tileQ;
  pipelineOptions.tileKv = tileKv;
  pipelineOptions.vectorBits =
      vectorBits >= 0 ? int64_t(vectorBits) : getHostVectorBits();
  pipelineOptions.numSplits = numSplits;
  pipelineOptions.threads = threads;
  pipelineOptions.runtimeChecks = runtimeChecks;
  buildAttnCPUPipeline(pm, pipelineOptions);
  if (failed(pm.run(*module)))
    return 1;

  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  auto tmBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!tmBuilder) {
    printError(llvm::toString(tmBuilder.takeError()));
    return 1;
  }
  auto tm = tmBuilder->createTargetMachine();
  if (!tm) {
    printError(llvm::toString(tm.takeError()));
    return 1;
  }
  // The transformer must outlive the engine's creation (options hold a
  // function_ref).
  std::function<llvm::Error(llvm::Module *)> transformer =
      makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0, tm->get());
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  SmallVector<StringRef> libs = {ATTN_MLIR_C_RUNNER_UTILS};
  if (threads > 1)
    libs.push_back(ATTN_LIBOMP);
  engineOptions.sharedLibPaths = libs;
  auto engine = ExecutionEngine::create(*module, engineOptions, std::move(*tm));
  if (!engine) {
    printError("JIT compilation failed: " +
               llvm::toString(engine.takeError()));
    return 1;
  }

  // Packed call of the C interface: (results*, descriptor*...).
  std::vector<std::vector<int64_t>> descriptors;
  for (const HostArray &input : inputs)
    descriptors.push_back(makeDescriptor(input));
  SmallVector<unsigned> resultOffsets;
  unsigned numWords = 0;
  for (RankedTensorType type : resultTypes) {
    resultOffsets.push_back(numWords);
    numWords += 3 + 2 * type.getRank();
  }
  std::vector<int64_t> resultWords(std::max(numWords, 1u));
  void *resultPtr = resultWords.data();
  SmallVector<void *> descriptorPtrs;
  for (std::vector<int64_t> &d : descriptors)
    descriptorPtrs.push_back(d.data());
  SmallVector<void *> packedArgs;
  if (!resultTypes.empty())
    packedArgs.push_back(&resultPtr);
  for (void *&ptr : descriptorPtrs)
    packedArgs.push_back(&ptr);
  std::string wrapper = "_mlir_ciface_" + entryName;
  auto invoke = [&]() -> bool {
    RuntimeCheckGuard guard(runtimeChecks);
    if (llvm::Error err = (*engine)->invokePacked(wrapper, packedArgs)) {
      printError("cannot call @" + entryName + ": " +
                 llvm::toString(std::move(err)));
      return false;
    }
    return true;
  };

  if (!invoke())
    return 1;
  std::vector<HostArray> results;
  for (auto [i, type] : llvm::enumerate(resultTypes))
    results.push_back(readResult(resultWords.data() + resultOffsets[i],
                                 type.getRank(), resultKinds[i]));
  freeResults(resultWords, resultOffsets, inputs);

  int status = 0;
  for (auto [i, result] : llvm::enumerate(results)) {
    if (!outputPaths.empty()) {
      if (llvm::Error err =
              writeNpy(outputPaths[i], getNpyDescr(result.kind), result.shape,
                       result.data, result.numBytes)) {
        printError(llvm::toString(std::move(err)));
        return 1;
      }
    } else if (!bench) {
      llvm::outs() << "result #" << i << ": " << resultTypes[i] << " "
                   << shapeToString(result.shape) << "\n";
      printArray(llvm::outs(), result);
    }
  }

  bool noReference = check && reference.status != EvalStatus::Ok;
  if (noReference)
    llvm::outs() << "check: no float64 reference: " << reference.message
                 << "\n";
  if (check && !noReference) {
    for (auto [i, result] : llvm::enumerate(results)) {
      ErrorStats stats =
          compareWithReference(result.toDouble(), reference.results[i].data);
      double tolerance = getTolerance(argTypes, resultTypes,
                                      resultTypes[i].getElementType());
      bool pass = !stats.hasNaN && stats.relFrobenius <= tolerance;
      llvm::outs() << "result #" << i << ": relative error "
                   << llvm::format("%.3e", stats.relFrobenius)
                   << " (max abs " << llvm::format("%.3e", stats.maxAbs)
                   << "), tolerance " << llvm::format("%.0e", tolerance)
                   << ": " << (pass ? "PASS" : "FAIL") << "\n";
      if (!pass)
        status = 1;
    }
  }

  if (bench) {
    std::vector<double> times;
    for (unsigned r = 0; r < repeat; ++r) {
      auto start = std::chrono::steady_clock::now();
      if (!invoke())
        return 1;
      auto stop = std::chrono::steady_clock::now();
      freeResults(resultWords, resultOffsets, inputs);
      times.push_back(
          std::chrono::duration<double, std::milli>(stop - start).count());
    }
    std::sort(times.begin(), times.end());
    double median = times.size() % 2
                        ? times[times.size() / 2]
                        : 0.5 * (times[times.size() / 2 - 1] +
                                 times[times.size() / 2]);
    bool hasFlops = reference.status == EvalStatus::Ok && reference.flops > 0;
    double gflops = hasFlops ? reference.flops / (median * 1e6) : 0.0;
    double rss = getPeakRssMb();
    if (benchFormat == BenchFormat::Json) {
      llvm::outs() << "{\"entry\": \"" << entryName << "\", \"median_ms\": "
                   << llvm::format("%.4f", median) << ", \"gflops\": ";
      if (hasFlops)
        llvm::outs() << llvm::format("%.3f", gflops);
      else
        llvm::outs() << "null";
      llvm::outs() << ", \"peak_rss_mb\": " << llvm::format("%.1f", rss)
                   << ", \"threads\": " << threads << ", \"strategy\": \""
                   << getStrategyName(strategy) << "\", \"repeat\": "
                   << repeat << "}\n";
    } else {
      llvm::outs() << "bench @" << entryName << ": median "
                   << llvm::format("%.4f", median) << " ms over " << repeat
                   << " runs, ";
      if (hasFlops)
        llvm::outs() << llvm::format("%.3f", gflops) << " GFLOP/s";
      else
        llvm::outs() << "GFLOP/s n/a (no attention or contraction to count)";
      llvm::outs() << ", peak RSS " << llvm::format("%.1f", rss)
                   << " MB, threads " << threads << ", strategy "
                   << getStrategyName(strategy) << "\n";
    }
  }
  return noReference ? 2 : status;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  SmallVector<const char *> args(argv, argv + argc);
  std::string threadsError;
  if (!extractThreadsArgument(args, threads, threadsError)) {
    printError(threadsError);
    return 1;
  }
  cl::HideUnrelatedOptions(runCategory);
  cl::ParseCommandLineOptions(
      args.size(), args.data(),
      "attn-run: JIT-compile one function with attn-cpu-pipeline, run it, "
      "check it against the float64 reference and benchmark it\n\n"
      "  --threads=<N>  worker threads for the tile loops (default 1; N > 1 "
      "runs them as OpenMP parallel loops)\n");

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  registry.insert<AttnDialect>();
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);
  return runMain(context);
}
