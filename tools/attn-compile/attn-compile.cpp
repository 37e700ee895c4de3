//===- attn-compile.cpp - Attn ahead-of-time compiler ---------------------===//
//
// Compiles every public function of an MLIR file for the host CPU (or a named
// x86-64 level) with `attn-cpu-pipeline` and writes
//   out.o   the object file,
//   out.so  a shared library linked from it,
//   out.h   one documented `extern "C"` entry per public function.
//
// Each entry keeps the MLIR function's name and takes plain pointers and
// sizes. It is an LLVM-dialect wrapper added after the pipeline: it builds
// memref descriptors from the pointers, calls the lowered function (renamed
// `__attn_impl_<name>`, internal), checks the sizes of the results against
// those the header promises, copies them into the caller's buffers and frees
// what the function allocated.
//
// Exit status: 0 on success, 1 on any error.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnDialect.h"
#include "attn/Pipelines/PipelineFlags.h"
#include "attn/Pipelines/Pipelines.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/FunctionCallUtils.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;
using namespace mlir::attn;
namespace cl = llvm::cl;

//===----------------------------------------------------------------------===//
// Command line
//===----------------------------------------------------------------------===//

static cl::OptionCategory compileCategory("attn-compile options");

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<input.mlir>"),
                                      cl::Required, cl::cat(compileCategory));
static cl::opt<std::string>
    outputBase("o", cl::desc("Output base name: writes <out>.o, <out>.so and "
                             "<out>.h"),
               cl::value_desc("out"), cl::Required, cl::cat(compileCategory));
static cl::opt<std::string>
    target("target", cl::desc("Target: cpu (gpu is not implemented yet)"),
           cl::value_desc("cpu|gpu"), cl::init("cpu"),
           cl::cat(compileCategory));
static cl::opt<std::string>
    cpuName("cpu",
            cl::desc("CPU to compile for: native (the host CPU and its "
                     "features, the default), x86-64-v3 (AVX2) or x86-64-v4 "
                     "(AVX-512)"),
            cl::value_desc("native|x86-64-v3|x86-64-v4"), cl::init("native"),
            cl::cat(compileCategory));
static PipelineFlags pipelineFlags(compileCategory);
static cl::opt<Strategy> &strategy = pipelineFlags.strategy;
static cl::opt<int64_t> &tileQ = pipelineFlags.tileQ;
static cl::opt<int64_t> &tileKv = pipelineFlags.tileKv;
static cl::opt<int64_t> &numSplits = pipelineFlags.numSplits;
static cl::opt<int64_t> &vectorBits = pipelineFlags.vectorBits;
static cl::opt<bool>
    raise("raise",
          cl::desc("Raise attention written in TOSA or linalg to attn.sdpa"),
          cl::init(true), cl::cat(compileCategory));
static cl::opt<bool> runtimeChecks(
    "runtime-checks",
    cl::desc("Verify at run time that dynamic sizes agree (a mismatch aborts "
             "the process with the location of the op)"),
    cl::init(false), cl::cat(compileCategory));
/// `--threads=N`. libLLVM already registers a global `threads` option, so
/// this one is taken out of argv before LLVM's parser sees it.
static int threads = 1;

static void printError(const Twine &message) {
  llvm::WithColor::error(llvm::errs(), "attn-compile") << message << "\n";
}

//===----------------------------------------------------------------------===//
// Exported signatures
//===----------------------------------------------------------------------===//

namespace {
/// One argument or result of an exported function.
struct Port {
  /// Ranked tensor (passed as a pointer) or scalar (passed by value when an
  /// argument, through a pointer when a result).
  bool isTensor = false;
  Type elementType;
  SmallVector<int64_t> shape;
  std::string cType;
  std::string name;
  /// Per dimension, the name of the `int64_t` parameter (arguments) or the
  /// C expression (results) that gives its size.
  SmallVector<std::string> dimExprs;
};

/// Where the size of a dynamic result dimension comes from.
struct DimSource {
  /// Index into ExportedFunc::dimParams, or -1 for a constant.
  int64_t param = -1;
  int64_t constant = 0;
};

/// A dynamic dimension of an argument, passed as an `int64_t`.
struct DimParam {
  unsigned arg;
  unsigned dim;
  std::string name;
};

struct ExportedFunc {
  std::string name;
  std::string mlirSignature;
  SmallVector<Port> args, results;
  SmallVector<DimParam> dimParams;
  /// Per result, per dimension (dynamic ones only are meaningful).
  SmallVector<SmallVector<DimSource>> resultDims;
};
} // namespace

static std::optional<StringRef> getCType(Type type) {
  if (type.isF32())
    return StringRef("float");
  if (type.isF64())
    return StringRef("double");
  if (type.isF16() || type.isBF16())
    return StringRef("uint16_t");
  if (type.isInteger(64))
    return StringRef("int64_t");
  if (type.isInteger(32))
    return StringRef("int32_t");
  if (type.isInteger(1))
    return StringRef("uint8_t");
  return std::nullopt;
}

static std::string typeToString(Type type) {
  std::string s;
  llvm::raw_string_ostream(s) << type;
  return s;
}

static bool isCIdentifier(StringRef name) {
  if (name.empty() || llvm::isDigit(name.front()))
    return false;
  return llvm::all_of(name,
                      [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

/// Folds an index to a dimension of an argument of `func` or a constant, by
/// following tensor.dim, tensor.cast and the ops' own shape reification.
static std::optional<DimSource>
resolveDim(OpBuilder &b, func::FuncOp func, const ExportedFunc &exported,
           Value value, int64_t dim, unsigned depth);

static std::optional<DimSource>
resolveIndex(OpBuilder &b, func::FuncOp func, const ExportedFunc &exported,
             OpFoldResult ofr, unsigned depth) {
  if (std::optional<int64_t> c = getConstantIntValue(ofr))
    return DimSource{-1, *c};
  auto value = dyn_cast<Value>(ofr);
  if (!value)
    return std::nullopt;
  if (auto dimOp = value.getDefiningOp<tensor::DimOp>())
    if (std::optional<int64_t> index = dimOp.getConstantIndex())
      return resolveDim(b, func, exported, dimOp.getSource(), *index,
                        depth + 1);
  return std::nullopt;
}

static std::optional<DimSource>
resolveDim(OpBuilder &b, func::FuncOp func, const ExportedFunc &exported,
           Value value, int64_t dim, unsigned depth) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || dim < 0 || dim >= type.getRank() || depth > 64)
    return std::nullopt;
  if (!type.isDynamicDim(dim))
    return DimSource{-1, type.getDimSize(dim)};
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    if (arg.getOwner() != &func.getBody().front())
      return std::nullopt;
    for (auto [i, param] : llvm::enumerate(exported.dimParams))
      if (param.arg == arg.getArgNumber() && param.dim == dim)
        return DimSource{static_cast<int64_t>(i), 0};
    return std::nullopt;
  }
  Operation *op = value.getDefiningOp();
  if (auto cast = dyn_cast<tensor::CastOp>(op))
    return resolveDim(b, func, exported, cast.getSource(), dim, depth + 1);
  if (!isa<ReifyRankedShapedTypeOpInterface>(op))
    return std::nullopt;
  b.setInsertionPoint(op);
  FailureOr<OpFoldResult> size = reifyDimOfResult(
      b, op, cast<OpResult>(value).getResultNumber(), dim);
  if (failed(size))
    return std::nullopt;
  return resolveIndex(b, func, exported, *size, depth);
}

/// Checks that `func` can be exported and describes its C signature. `scratch`
/// is a clone of `func` (in a clone of the module) that shape reification may
/// add ops to.
static FailureOr<ExportedFunc> describeFunction(func::FuncOp func,
                                                func::FuncOp scratch) {
  ExportedFunc exported;
  exported.name = func.getSymName().str();
  if (!isCIdentifier(exported.name) ||
      StringRef(exported.name).starts_with("__attn_impl_"))
    return func.emitError()
           << "function name '" << exported.name
           << "' cannot be exported: it is not a C identifier (or it starts "
              "with the reserved prefix '__attn_impl_')";
  exported.mlirSignature = "func.func @" + exported.name +
                           typeToString(func.getFunctionType()).substr(0);

  auto describe = [&](Type type, StringRef what, unsigned index,
                      Port &port) -> LogicalResult {
    Type elementType = type;
    if (auto tensor = dyn_cast<RankedTensorType>(type)) {
      port.isTensor = true;
      elementType = tensor.getElementType();
      port.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
    }
    std::optional<StringRef> cType = getCType(elementType);
    if (!cType || (!port.isTensor && isa<ShapedType>(type)))
      return func.emitError()
             << what << " #" << index << " has type " << typeToString(type)
             << ": attn-compile exports ranked tensors and scalars of f32, "
                "f64, f16, bf16, i32, i64 and i1 only";
    port.elementType = elementType;
    port.cType = cType->str();
    port.name = (what == "argument" ? "arg" : "result") + std::to_string(index);
    return success();
  };

  for (auto [i, type] : llvm::enumerate(func.getArgumentTypes())) {
    Port port;
    if (failed(describe(type, "argument", i, port)))
      return failure();
    for (auto [d, size] : llvm::enumerate(port.shape)) {
      if (!ShapedType::isDynamic(size)) {
        port.dimExprs.push_back(std::to_string(size));
        continue;
      }
      std::string name = port.name + "_dim" + std::to_string(d);
      exported.dimParams.push_back(
          {static_cast<unsigned>(i), static_cast<unsigned>(d), name});
      port.dimExprs.push_back(name);
    }
    exported.args.push_back(std::move(port));
  }

  auto returnOp = cast<func::ReturnOp>(scratch.getBody().back().back());
  OpBuilder b(scratch.getContext());
  for (auto [i, type] : llvm::enumerate(func.getResultTypes())) {
    Port port;
    if (failed(describe(type, "result", i, port)))
      return failure();
    SmallVector<DimSource> dims;
    for (auto [d, size] : llvm::enumerate(port.shape)) {
      if (!ShapedType::isDynamic(size)) {
        dims.push_back({-1, size});
        port.dimExprs.push_back(std::to_string(size));
        continue;
      }
      std::optional<DimSource> source =
          resolveDim(b, scratch, exported, returnOp.getOperand(i), d, 0);
      if (!source)
        return func.emitError()
               << "result #" << i << " has type " << typeToString(type)
               << ": the size of "
               << "its dimension " << d
               << " cannot be derived from the sizes of the arguments, so a "
                  "caller could not allocate its buffer";
      dims.push_back(*source);
      port.dimExprs.push_back(
          source->param >= 0 ? exported.dimParams[source->param].name
                             : std::to_string(source->constant));
    }
    exported.resultDims.push_back(std::move(dims));
    exported.results.push_back(std::move(port));
  }
  return exported;
}

//===----------------------------------------------------------------------===//
// C wrappers in the LLVM dialect
//===----------------------------------------------------------------------===//

static int64_t getByteSize(Type elementType) {
  if (elementType.isInteger(1))
    return 1;
  return (elementType.getIntOrFloatBitWidth() + 7) / 8;
}

/// The integer type of the C parameter for a scalar of `elementType`.
static Type getCScalarType(MLIRContext *ctx, Type elementType) {
  if (elementType.isInteger(1))
    return IntegerType::get(ctx, 8);
  if (elementType.isF16() || elementType.isBF16())
    return IntegerType::get(ctx, 16);
  return elementType;
}

/// Replaces the lowered `@name` by `llvm.func @name(<C parameters>) -> i32`
/// calling the renamed, internal original.
static LogicalResult buildWrapper(ModuleOp module,
                                  const ExportedFunc &exported) {
  MLIRContext *ctx = module.getContext();
  auto impl = module.lookupSymbol<LLVM::LLVMFuncOp>(exported.name);
  if (!impl || impl.isExternal())
    return module.emitError() << "internal error: no lowered function @"
                              << exported.name;
  std::string implName = "__attn_impl_" + exported.name;
  if (module.lookupSymbol(implName))
    return impl.emitError() << "symbol @" << implName << " already exists";
  if (failed(SymbolTable::replaceAllSymbolUses(
          impl, StringAttr::get(ctx, implName), module)))
    return impl.emitError() << "cannot rename @" << exported.name;
  SymbolTable::setSymbolName(impl, implName);
  impl.setLinkage(LLVM::Linkage::Internal);

  Location loc = impl.getLoc();
  OpBuilder b(ctx);
  b.setInsertionPointAfter(impl);
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  Type i1 = b.getI1Type(), i32 = b.getI32Type(), i64 = b.getI64Type();

  // C parameters: inputs, outputs, dynamic sizes.
  SmallVector<Type> params;
  for (const Port &arg : exported.args)
    params.push_back(arg.isTensor ? ptrType
                                  : getCScalarType(ctx, arg.elementType));
  params.append(exported.results.size(), ptrType);
  params.append(exported.dimParams.size(), i64);
  auto wrapper = LLVM::LLVMFuncOp::create(
      b, loc, exported.name, LLVM::LLVMFunctionType::get(i32, params));
  Block *entry = wrapper.addEntryBlock(b);
  b.setInsertionPointToStart(entry);
  unsigned numArgs = exported.args.size();
  unsigned numResults = exported.results.size();
  auto getInput = [&](unsigned i) { return entry->getArgument(i); };
  auto getOutput = [&](unsigned i) {
    return entry->getArgument(numArgs + i);
  };
  auto getDimParam = [&](unsigned i) {
    return entry->getArgument(numArgs + numResults + i);
  };
  auto constI64 = [&](int64_t v) -> Value {
    return LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(v));
  };

  // Call operands: one expanded memref descriptor per tensor.
  SmallVector<Value> operands;
  unsigned nextDimParam = 0;
  for (auto [i, arg] : llvm::enumerate(exported.args)) {
    Value input = getInput(i);
    if (!arg.isTensor) {
      Value v = input;
      if (arg.elementType.isInteger(1))
        v = LLVM::TruncOp::create(b, loc, i1, v);
      else if (arg.elementType != v.getType())
        v = LLVM::BitcastOp::create(b, loc, arg.elementType, v);
      operands.push_back(v);
      continue;
    }
    SmallVector<Value> sizes;
    for (int64_t size : arg.shape)
      sizes.push_back(ShapedType::isDynamic(size) ? getDimParam(nextDimParam++)
                                                  : constI64(size));
    SmallVector<Value> strides(sizes.size());
    Value stride = constI64(1);
    for (int64_t d = static_cast<int64_t>(sizes.size()) - 1; d >= 0; --d) {
      strides[d] = stride;
      if (d > 0)
        stride = LLVM::MulOp::create(b, loc, stride, sizes[d]);
    }
    operands.append({input, input, constI64(0)});
    operands.append(sizes);
    operands.append(strides);
  }
  LLVM::LLVMFunctionType implType = impl.getFunctionType();
  if (implType.getNumParams() != operands.size())
    return impl.emitError() << "internal error: the lowered function takes "
                            << implType.getNumParams() << " values, expected "
                            << operands.size();
  auto call = LLVM::CallOp::create(b, loc, impl, operands);

  // The results, one value each.
  SmallVector<Value> results;
  if (numResults == 1) {
    results.push_back(call.getResult());
  } else {
    for (unsigned i = 0; i < numResults; ++i)
      results.push_back(LLVM::ExtractValueOp::create(
          b, loc, call.getResult(), ArrayRef<int64_t>{i}));
  }

  // Sizes of the results against those the header promises.
  Value ok = LLVM::ConstantOp::create(b, loc, i1, b.getBoolAttr(true));
  SmallVector<Value> byteSizes(numResults);
  for (auto [i, result] : llvm::enumerate(exported.results)) {
    if (!result.isTensor)
      continue;
    Value bytes = constI64(getByteSize(result.elementType));
    for (auto [d, source] : llvm::enumerate(exported.resultDims[i])) {
      Value expected = source.param >= 0 ? getDimParam(source.param)
                                         : constI64(source.constant);
      Value actual = LLVM::ExtractValueOp::create(
          b, loc, results[i], ArrayRef<int64_t>{3, static_cast<int64_t>(d)});
      Value same = LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq,
                                        actual, expected);
      ok = LLVM::AndOp::create(b, loc, ok, same);
      bytes = LLVM::MulOp::create(b, loc, bytes, expected);
    }
    byteSizes[i] = bytes;
  }

  // Copies (nothing when a size disagrees), then frees: a result may share
  // its allocation with another result or be an input or a constant global
  // (0xdeadbeef, as the memref lowering marks them); those are not freed.
  Value zero = constI64(0);
  SmallVector<Value> allocated;
  for (auto [i, result] : llvm::enumerate(exported.results)) {
    if (!result.isTensor) {
      Value v = results[i];
      Type cType = getCScalarType(ctx, result.elementType);
      if (result.elementType.isInteger(1))
        v = LLVM::ZExtOp::create(b, loc, cType, v);
      else if (cType != v.getType())
        v = LLVM::BitcastOp::create(b, loc, cType, v);
      LLVM::StoreOp::create(b, loc, v, getOutput(i));
      continue;
    }
    Value aligned = LLVM::ExtractValueOp::create(b, loc, results[i],
                                                 ArrayRef<int64_t>{1});
    Value offset = LLVM::ExtractValueOp::create(b, loc, results[i],
                                                ArrayRef<int64_t>{2});
    Value source = LLVM::GEPOp::create(b, loc, ptrType, result.elementType,
                                       aligned, ValueRange{offset});
    Value length = LLVM::SelectOp::create(b, loc, ok, byteSizes[i], zero);
    LLVM::MemmoveOp::create(b, loc, getOutput(i), source, length,
                            /*isVolatile=*/false);
    allocated.push_back(LLVM::ExtractValueOp::create(b, loc, results[i],
                                                     ArrayRef<int64_t>{0}));
  }
  FailureOr<LLVM::LLVMFuncOp> freeFn = LLVM::lookupOrCreateFreeFn(b, module);
  if (failed(freeFn))
    return module.emitError() << "cannot declare free()";
  Value null = LLVM::ZeroOp::create(b, loc, ptrType);
  Value deadbeef =
      LLVM::IntToPtrOp::create(b, loc, ptrType, constI64(0xdeadbeef));
  for (auto [i, ptr] : llvm::enumerate(allocated)) {
    SmallVector<Value> notOwned = {deadbeef};
    for (auto [j, arg] : llvm::enumerate(exported.args))
      if (arg.isTensor)
        notOwned.push_back(getInput(j));
    notOwned.append(allocated.begin(), allocated.begin() + i);
    Value skip = LLVM::ConstantOp::create(b, loc, i1, b.getBoolAttr(false));
    for (Value other : notOwned)
      skip = LLVM::OrOp::create(
          b, loc, skip,
          LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq, ptr, other));
    Value toFree = LLVM::SelectOp::create(b, loc, skip, null, ptr);
    LLVM::CallOp::create(b, loc, *freeFn, ValueRange{toFree});
  }
  Value status = LLVM::SelectOp::create(
      b, loc, ok, LLVM::ConstantOp::create(b, loc, i32, b.getI32IntegerAttr(0)),
      LLVM::ConstantOp::create(b, loc, i32, b.getI32IntegerAttr(1)));
  LLVM::ReturnOp::create(b, loc, status);
  return success();
}

//===----------------------------------------------------------------------===//
// Header
//===----------------------------------------------------------------------===//

static std::string describeElementType(Type type) {
  if (type.isF16())
    return "f16, raw IEEE binary16 bits";
  if (type.isBF16())
    return "bf16, raw bfloat16 bits (the high half of an f32)";
  if (type.isInteger(1))
    return "i1, one byte per element, 0 or 1";
  return typeToString(type);
}

static std::string shapeExpr(const Port &port) {
  std::string s = "[";
  for (auto [i, e] : llvm::enumerate(port.dimExprs))
    s += (i ? "][" : "") + e;
  return s + "]";
}

static void writeHeader(llvm::raw_ostream &os, StringRef guardBase,
                        ArrayRef<ExportedFunc> funcs,
                        StringRef optionsSummary, StringRef threading) {
  std::string guard = "ATTN_COMPILED_";
  for (char c : guardBase)
    guard += llvm::isAlnum(c) ? llvm::toUpper(c) : '_';
  guard += "_H";
  os << "/* Generated by attn-compile from "
     << llvm::sys::path::filename(inputFile) << ". Do not edit.\n"
     << " * One entry per public function of the input, with its name. Link\n"
     << " * with the shared library written next to this header.\n"
     << " */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stdint.h>\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n";
  for (const ExportedFunc &f : funcs) {
    os << "\n/* " << f.mlirSignature << "\n *\n"
       << " * Arrays are dense, C order (row-major), contiguous, of the shape\n"
       << " * given below:\n";
    for (const Port &arg : f.args) {
      if (arg.isTensor)
        os << " *   " << arg.name << ": input, const " << arg.cType << " "
           << shapeExpr(arg) << " (" << describeElementType(arg.elementType)
           << ")\n";
      else
        os << " *   " << arg.name << ": input scalar, " << arg.cType << " ("
           << describeElementType(arg.elementType) << ")\n";
    }
    for (const Port &result : f.results) {
      if (result.isTensor)
        os << " *   " << result.name << ": output, " << result.cType << " "
           << shapeExpr(result) << " ("
           << describeElementType(result.elementType) << ")\n";
      else
        os << " *   " << result.name << ": output, one " << result.cType
           << " (" << describeElementType(result.elementType) << ")\n";
    }
    for (const DimParam &param : f.dimParams)
      os << " *   " << param.name << ": size of dimension " << param.dim
         << " of arg" << param.arg << "\n";
    if (!f.dimParams.empty())
      os << " * Sizes that the function's ops require to be equal (e.g. the\n"
            " * batch of the queries and of the keys) are not checked at run\n"
            " * time unless compiled with --runtime-checks (which aborts).\n";
    os << " * Returns 0, or 1 when the size of a result differs from the one\n"
          " * above (then no output is written).\n"
          " * Ownership: the caller allocates and owns every buffer; inputs\n"
          " * are only read, outputs only written; no pointer is kept.\n"
          " * Thread-safety: no global state; concurrent calls are safe when\n"
          " * their outputs overlap neither each other nor any input.\n";
    if (!threading.empty())
      os << " * " << threading << "\n";
    os << " * Compiled with: " << optionsSummary << "\n */\n";
    os << "int " << f.name << "(";
    SmallVector<std::string> params;
    for (const Port &arg : f.args)
      params.push_back(arg.isTensor ? "const " + arg.cType + " *" + arg.name
                                    : arg.cType + " " + arg.name);
    for (const Port &result : f.results)
      params.push_back(result.cType + " *" + result.name);
    for (const DimParam &param : f.dimParams)
      params.push_back("int64_t " + param.name);
    if (params.empty())
      os << "void";
    for (auto [i, p] : llvm::enumerate(params))
      os << (i ? ", " : "") << p;
    os << ");\n";
  }
  os << "\n#ifdef __cplusplus\n} /* extern \"C\" */\n#endif\n\n#endif /* "
     << guard << " */\n";
}

//===----------------------------------------------------------------------===//
// Target, object file and shared library
//===----------------------------------------------------------------------===//

namespace {
struct TargetChoice {
  std::unique_ptr<llvm::TargetMachine> machine;
  std::string cpu;
  std::string features;
  int64_t vectorBits = 128;
};
} // namespace

static std::optional<TargetChoice> createTarget() {
  llvm::Triple triple(llvm::sys::getProcessTriple());
  std::string error;
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!llvmTarget) {
    printError(error);
    return std::nullopt;
  }
  TargetChoice choice;
  if (cpuName == "native") {
    choice.cpu = llvm::sys::getHostCPUName().str();
    SmallVector<std::string> features;
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      features.push_back((feature.second ? "+" : "-") + feature.first().str());
    llvm::sort(features);
    choice.features = llvm::join(features, ",");
  } else if (cpuName == "x86-64-v3" || cpuName == "x86-64-v4") {
    if (triple.getArch() != llvm::Triple::x86_64) {
      printError("--cpu=" + cpuName + " needs an x86-64 host, this is " +
                 triple.str());
      return std::nullopt;
    }
    choice.cpu = cpuName;
  } else {
    printError("unknown --cpu '" + cpuName +
               "': expected native, x86-64-v3 or x86-64-v4");
    return std::nullopt;
  }
  llvm::TargetOptions options;
  choice.machine.reset(llvmTarget->createTargetMachine(
      triple, choice.cpu, choice.features, options, llvm::Reloc::PIC_,
      std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!choice.machine) {
    printError("cannot create a target machine for " + triple.str() +
               " cpu " + choice.cpu);
    return std::nullopt;
  }
  const llvm::MCSubtargetInfo *sti = choice.machine->getMCSubtargetInfo();
  if (triple.isX86()) {
    if (sti->checkFeatures("+avx512f"))
      choice.vectorBits = 512;
    else if (sti->checkFeatures("+avx2"))
      choice.vectorBits = 256;
  }
  return choice;
}

/// Gives the `memrefCopy` that the memref lowering calls for copies between
/// strided memrefs a body in the module (internal), so that the library does
/// not need libmlir_c_runner_utils. Its ABI is that of CRunnerUtils:
///   void memrefCopy(i64 elemSize, {i64 rank, ptr desc} *src, ... *dst)
/// where desc is {ptr allocated, ptr aligned, i64 offset, i64 sizes[rank],
/// i64 strides[rank]}. Elements are visited in row-major order with an index
/// counter, one memcpy of elemSize bytes each.
static void defineMemrefCopy(llvm::Module &module) {
  llvm::Function *fn = module.getFunction("memrefCopy");
  if (!fn || !fn->isDeclaration() || fn->arg_size() != 3)
    return;
  llvm::LLVMContext &ctx = module.getContext();
  fn->setLinkage(llvm::GlobalValue::InternalLinkage);
  llvm::Type *i64 = llvm::Type::getInt64Ty(ctx);
  llvm::Type *i8 = llvm::Type::getInt8Ty(ctx);
  llvm::Type *ptr = llvm::PointerType::getUnqual(ctx);
  auto *entry = llvm::BasicBlock::Create(ctx, "entry", fn);
  auto *countHead = llvm::BasicBlock::Create(ctx, "count", fn);
  auto *countBody = llvm::BasicBlock::Create(ctx, "count.body", fn);
  auto *copyStart = llvm::BasicBlock::Create(ctx, "copy.start", fn);
  auto *copy = llvm::BasicBlock::Create(ctx, "copy", fn);
  auto *bump = llvm::BasicBlock::Create(ctx, "bump", fn);
  auto *bumpBody = llvm::BasicBlock::Create(ctx, "bump.body", fn);
  auto *carry = llvm::BasicBlock::Create(ctx, "carry", fn);
  auto *next = llvm::BasicBlock::Create(ctx, "next", fn);
  auto *done = llvm::BasicBlock::Create(ctx, "done", fn);
  llvm::IRBuilder<> b(entry);
  llvm::Value *elemSize = fn->getArg(0);
  llvm::Value *srcArg = fn->getArg(1), *dstArg = fn->getArg(2);
  auto field = [&](llvm::Value *base, llvm::Value *index) {
    return b.CreateGEP(i64, base, index);
  };
  llvm::Value *rank = b.CreateLoad(i64, srcArg);
  llvm::Value *srcDesc = b.CreateLoad(ptr, b.CreateConstGEP1_64(i8, srcArg, 8));
  llvm::Value *dstDesc = b.CreateLoad(ptr, b.CreateConstGEP1_64(i8, dstArg, 8));
  llvm::Value *srcBase = b.CreateLoad(ptr, b.CreateConstGEP1_64(i8, srcDesc, 8));
  llvm::Value *dstBase = b.CreateLoad(ptr, b.CreateConstGEP1_64(i8, dstDesc, 8));
  llvm::Value *srcOffset0 = b.CreateLoad(i64, field(srcDesc, b.getInt64(2)));
  llvm::Value *dstOffset0 = b.CreateLoad(i64, field(dstDesc, b.getInt64(2)));
  // sizes at word 3, strides at word 3 + rank.
  auto sizeOf = [&](llvm::Value *d) {
    return b.CreateLoad(i64, field(srcDesc, b.CreateAdd(d, b.getInt64(3))));
  };
  auto strideOf = [&](llvm::Value *desc, llvm::Value *d) {
    return b.CreateLoad(
        i64, field(desc, b.CreateAdd(b.CreateAdd(d, rank), b.getInt64(3))));
  };
  llvm::Value *lastDim = b.CreateSub(rank, b.getInt64(1));
  llvm::Value *counters = b.CreateAlloca(i64, rank);
  b.CreateMemSet(counters, b.getInt8(0), b.CreateMul(rank, b.getInt64(8)),
                 llvm::MaybeAlign(8));
  b.CreateBr(countHead);

  // Nothing to copy when a size is 0.
  b.SetInsertPoint(countHead);
  llvm::PHINode *d0 = b.CreatePHI(i64, 2);
  d0->addIncoming(b.getInt64(0), entry);
  b.CreateCondBr(b.CreateICmpSLT(d0, rank), countBody, copyStart);
  b.SetInsertPoint(countBody);
  d0->addIncoming(b.CreateAdd(d0, b.getInt64(1)), countBody);
  b.CreateCondBr(b.CreateICmpEQ(sizeOf(d0), b.getInt64(0)), done, countHead);
  b.SetInsertPoint(copyStart);
  b.CreateBr(copy);

  // One element, then the counters move on like an odometer.
  b.SetInsertPoint(copy);
  llvm::PHINode *srcOffset = b.CreatePHI(i64, 2);
  llvm::PHINode *dstOffset = b.CreatePHI(i64, 2);
  srcOffset->addIncoming(srcOffset0, copyStart);
  dstOffset->addIncoming(dstOffset0, copyStart);
  b.CreateMemCpy(b.CreateGEP(i8, dstBase, b.CreateMul(dstOffset, elemSize)),
                 llvm::MaybeAlign(1),
                 b.CreateGEP(i8, srcBase, b.CreateMul(srcOffset, elemSize)),
                 llvm::MaybeAlign(1), elemSize);
  b.CreateBr(bump);

  b.SetInsertPoint(bump);
  llvm::PHINode *d = b.CreatePHI(i64, 2);
  llvm::PHINode *srcCur = b.CreatePHI(i64, 2);
  llvm::PHINode *dstCur = b.CreatePHI(i64, 2);
  d->addIncoming(lastDim, copy);
  srcCur->addIncoming(srcOffset, copy);
  dstCur->addIncoming(dstOffset, copy);
  b.CreateCondBr(b.CreateICmpSLT(d, b.getInt64(0)), done, bumpBody);

  b.SetInsertPoint(bumpBody);
  llvm::Value *counterPtr = field(counters, d);
  llvm::Value *counter = b.CreateAdd(b.CreateLoad(i64, counterPtr),
                                     b.getInt64(1));
  llvm::Value *size = sizeOf(d);
  llvm::Value *srcStride = strideOf(srcDesc, d);
  llvm::Value *dstStride = strideOf(dstDesc, d);
  b.CreateCondBr(b.CreateICmpSLT(counter, size), next, carry);

  b.SetInsertPoint(next);
  b.CreateStore(counter, counterPtr);
  srcOffset->addIncoming(b.CreateAdd(srcCur, srcStride), next);
  dstOffset->addIncoming(b.CreateAdd(dstCur, dstStride), next);
  b.CreateBr(copy);

  b.SetInsertPoint(carry);
  b.CreateStore(b.getInt64(0), counterPtr);
  llvm::Value *back = b.CreateSub(size, b.getInt64(1));
  d->addIncoming(b.CreateSub(d, b.getInt64(1)), carry);
  srcCur->addIncoming(b.CreateSub(srcCur, b.CreateMul(back, srcStride)),
                      carry);
  dstCur->addIncoming(b.CreateSub(dstCur, b.CreateMul(back, dstStride)),
                      carry);
  b.CreateBr(bump);

  b.SetInsertPoint(done);
  b.CreateRetVoid();
}

/// Translates, optimises at O3 and writes the object file. Sets
/// `usesRunnerUtils` when the code still calls the MLIR C runner utilities
/// (memrefCopy is defined here, so normally it does not).
static LogicalResult emitObject(ModuleOp module, TargetChoice &target,
                                StringRef path, bool &usesRunnerUtils) {
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, inputFile);
  if (!llvmModule) {
    printError("translation to LLVM IR failed");
    return failure();
  }
  llvmModule->setDataLayout(target.machine->createDataLayout());
  llvmModule->setTargetTriple(target.machine->getTargetTriple());
  defineMemrefCopy(*llvmModule);
  for (llvm::Function &f : *llvmModule) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", target.cpu);
    if (!target.features.empty())
      f.addFnAttr("target-features", target.features);
  }
  if (llvm::verifyModule(*llvmModule, &llvm::errs())) {
    printError("internal error: invalid LLVM IR");
    return failure();
  }
  auto transformer = makeOptimizingTransformer(/*optLevel=*/3,
                                               /*sizeLevel=*/0,
                                               target.machine.get());
  if (llvm::Error err = transformer(llvmModule.get())) {
    printError("LLVM optimisation failed: " + llvm::toString(std::move(err)));
    return failure();
  }
  usesRunnerUtils = false;
  for (llvm::Function &f : *llvmModule)
    if (f.isDeclaration() && !f.use_empty() &&
        (f.getName() == "memrefCopy" || f.getName().starts_with("_mlir_")))
      usesRunnerUtils = true;

  std::error_code ec;
  llvm::ToolOutputFile out(path, ec, llvm::sys::fs::OF_None);
  if (ec) {
    printError("cannot write '" + path + "': " + ec.message());
    return failure();
  }
  llvm::legacy::PassManager codegen;
  if (target.machine->addPassesToEmitFile(codegen, out.os(), nullptr,
                                          llvm::CodeGenFileType::ObjectFile)) {
    printError("the target cannot emit object files");
    return failure();
  }
  codegen.run(*llvmModule);
  out.keep();
  return success();
}

/// Links `objPath` into `soPath` with the first C compiler driver found.
static LogicalResult linkSharedLibrary(StringRef objPath, StringRef soPath,
                                       bool usesRunnerUtils) {
  std::string driver;
  for (StringRef name : {"clang-22", "clang", "cc", "gcc"}) {
    if (llvm::ErrorOr<std::string> path = llvm::sys::findProgramByName(name)) {
      driver = *path;
      break;
    }
  }
  if (driver.empty()) {
    printError("no C compiler driver (clang-22, clang, cc, gcc) on PATH to "
               "link '" + soPath + "'; '" + objPath + "' was written");
    return failure();
  }
  SmallVector<std::string> args = {driver, "-shared", "-o", soPath.str(),
                                   objPath.str(), "-Wl,--no-undefined"};
  auto addLibrary = [&](StringRef lib) {
    args.push_back(lib.str());
    args.push_back("-Wl,-rpath," + llvm::sys::path::parent_path(lib).str());
  };
  if (threads > 1)
    addLibrary(ATTN_LIBOMP);
  if (usesRunnerUtils)
    addLibrary(ATTN_MLIR_C_RUNNER_UTILS);
  args.push_back("-lm");
  SmallVector<StringRef> argRefs(args.begin(), args.end());
  std::string error;
  int rc = llvm::sys::ExecuteAndWait(driver, argRefs, std::nullopt, {}, 0, 0,
                                     &error);
  if (rc != 0) {
    printError("linking '" + soPath + "' with '" + driver + "' failed" +
               (error.empty() ? "" : ": " + error));
    return failure();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

static int compileMain(MLIRContext &context) {
  if (threads < 1) {
    printError("--threads must be >= 1, got " + Twine(threads));
    return 1;
  }
  if (tileQ < 1 || tileKv < 1 || numSplits < 0) {
    printError("--tile-q and --tile-kv must be >= 1, --num-splits >= 0");
    return 1;
  }
  if (vectorBits < -1) {
    printError("--vector-bits must be >= 0");
    return 1;
  }
  if (target != "cpu" && target != "gpu") {
    printError("unknown --target '" + target + "': expected cpu or gpu");
    return 1;
  }

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
  if (target == "gpu") {
    // Located at the first function (or the file when it has none).
    Operation *anchor = *module;
    if (!module->getBody()->empty())
      anchor = &module->getBody()->front();
    anchor->emitError("--target=gpu is not implemented yet: attn-compile "
                      "only generates CPU code (--target=cpu)");
    return 1;
  }

  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  std::optional<TargetChoice> targetChoice = createTarget();
  if (!targetChoice)
    return 1;
  int64_t bits = vectorBits >= 0 ? vectorBits : targetChoice->vectorBits;

  // The exported functions and their C signatures.
  SmallVector<func::FuncOp> publicFuncs;
  for (auto func : module->getOps<func::FuncOp>())
    if (func.isPublic() && !func.isExternal())
      publicFuncs.push_back(func);
  if (publicFuncs.empty()) {
    module->emitError("no public function with a body to export");
    return 1;
  }
  OwningOpRef<ModuleOp> scratch = module->clone();
  std::vector<ExportedFunc> exported;
  for (func::FuncOp func : publicFuncs) {
    auto scratchFunc = scratch->lookupSymbol<func::FuncOp>(func.getSymName());
    FailureOr<ExportedFunc> described = describeFunction(func, scratchFunc);
    if (failed(described))
      return 1;
    exported.push_back(std::move(*described));
  }

  // Lower. Inputs are read-only (never written in place).
  for (func::FuncOp func : publicFuncs)
    for (unsigned i = 0; i < func.getNumArguments(); ++i)
      if (isa<TensorType>(func.getArgumentTypes()[i]))
        func.setArgAttr(i, bufferization::BufferizationDialect::kWritableAttrName,
                        BoolAttr::get(&context, false));
  AttnCPUPipelineOptions pipelineOptions;
  pipelineOptions.strategy = strategy;
  pipelineOptions.raise = raise;
  pipelineOptions.tileQ = tileQ;
  pipelineOptions.tileKv = tileKv;
  pipelineOptions.numSplits = numSplits;
  pipelineOptions.threads = threads;
  pipelineOptions.vectorBits = bits;
  pipelineOptions.runtimeChecks = runtimeChecks;
  PassManager pm(&context);
  buildAttnCPUPipeline(pm, pipelineOptions);
  if (failed(pm.run(*module)))
    return 1;

  // C wrappers; everything else becomes internal to the library.
  for (auto func : module->getOps<LLVM::LLVMFuncOp>())
    if (!func.isExternal())
      func.setLinkage(LLVM::Linkage::Internal);
  for (const ExportedFunc &f : exported)
    if (failed(buildWrapper(*module, f)))
      return 1;
  if (failed(verify(*module)))
    return 1;

  std::string optionsSummary =
      ("--target=cpu --cpu=" + cpuName + " (" + targetChoice->cpu +
       ") --strategy=" + getStrategyName(strategy) + "\n *   --tile-q=" +
       Twine(tileQ) + " --tile-kv=" + Twine(tileKv) + " --num-splits=" +
       Twine(numSplits) + " --threads=" + Twine(threads) + " --vector-bits=" +
       Twine(bits) + (runtimeChecks ? " --runtime-checks" : ""))
          .str();
  std::string objPath = outputBase + ".o", soPath = outputBase + ".so",
              headerPath = outputBase + ".h";
  bool usesRunnerUtils = false;
  if (failed(emitObject(*module, *targetChoice, objPath, usesRunnerUtils)))
    return 1;
  if (failed(linkSharedLibrary(objPath, soPath, usesRunnerUtils)))
    return 1;

  std::error_code ec;
  llvm::ToolOutputFile header(headerPath, ec, llvm::sys::fs::OF_Text);
  if (ec) {
    printError("cannot write '" + headerPath + "': " + ec.message());
    return 1;
  }
  std::string threading;
  if (threads > 1)
    threading = "Each call runs its tile loops on an OpenMP team of " +
                std::to_string(threads) + " threads (libomp).";
  writeHeader(header.os(), llvm::sys::path::filename(outputBase), exported,
              optionsSummary, threading);
  header.keep();
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  SmallVector<const char *> args(argv, argv + argc);
  std::string threadsError;
  if (!extractThreadsArgument(args, threads, threadsError)) {
    printError(threadsError);
    return 1;
  }
  cl::HideUnrelatedOptions(compileCategory);
  cl::ParseCommandLineOptions(
      args.size(), args.data(),
      "attn-compile: compile every public function of an MLIR file with "
      "attn-cpu-pipeline into <out>.o, <out>.so and a C header <out>.h\n\n"
      "  --threads=<N>  worker threads for the tile loops (default 1; N > 1 "
      "runs them as OpenMP parallel loops and links libomp)\n");

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  registry.insert<AttnDialect>();
  MLIRContext context(registry);
  // Shape reification (describeFunction) builds tensor, arith and affine ops.
  context.loadDialect<tensor::TensorDialect, arith::ArithDialect,
                      affine::AffineDialect>();
  context.printOpOnDiagnostic(false);
  return compileMain(context);
}
