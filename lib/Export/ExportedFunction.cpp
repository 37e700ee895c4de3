//===- ExportedFunction.cpp - C description of public functions -----------===//
//
// Describes how a public `func.func` is called through the wrapper ABI of
// Export.h: the C type of each argument and result, one `int64_t` parameter
// per dynamic argument dimension, and, for each dynamic result dimension,
// the parameter it equals, found by folding the result's size back to the
// arguments through tensor.dim, tensor.cast, destination-style inits, the
// shared outputs of scf.forall and shape reification, on a copy of the
// module whose size arithmetic upstream's integer-range folding, canonicalize
// and cse have reduced (frontends write `select(n < 0, ..., n)` for sizes).
//
//===----------------------------------------------------------------------===//

#include "attn/Export/Export.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace mlir::attn;

std::optional<StringRef> mlir::attn::getCElementType(Type type) {
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

/// Whether `name` can name a function in the generated C header: an
/// identifier that is not a keyword of C (C11 and C23) or C++, nor one of the
/// type names the header itself uses.
static bool isCIdentifier(StringRef name) {
  if (name.empty() || llvm::isDigit(name.front()) ||
      !llvm::all_of(name, [](char c) { return llvm::isAlnum(c) || c == '_'; }))
    return false;
  static const llvm::StringSet<> reserved = {
      // C11 and C23.
      "auto", "break", "case", "char", "const", "continue", "default", "do",
      "double", "else", "enum", "extern", "float", "for", "goto", "if",
      "inline", "int", "long", "register", "restrict", "return", "short",
      "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
      "unsigned", "void", "volatile", "while", "_Alignas", "_Alignof",
      "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn",
      "_Static_assert", "_Thread_local", "alignas", "alignof", "bool",
      "constexpr", "false", "nullptr", "static_assert", "thread_local", "true",
      "typeof", "typeof_unqual", "_BitInt", "_Decimal32", "_Decimal64",
      "_Decimal128",
      // C++ (the header is also included from C++).
      "asm", "catch", "class", "const_cast", "delete", "dynamic_cast",
      "explicit", "export", "friend", "mutable", "namespace", "new", "noexcept",
      "operator", "private", "protected", "public", "reinterpret_cast",
      "static_cast", "template", "this", "throw", "try", "typeid", "typename",
      "using", "virtual", "wchar_t", "char8_t", "char16_t", "char32_t",
      "concept", "requires", "co_await", "co_return", "co_yield", "decltype",
      // Types the header uses.
      "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t",
      "uint32_t", "uint64_t", "size_t", "CUstream"};
  return !reserved.contains(name);
}

namespace {
/// Folds result sizes of one function to its arguments.
class DimResolver {
public:
  DimResolver(func::FuncOp func, const ExportedFunction &exported)
      : func(func), exported(exported), builder(func.getContext()) {}

  /// The source of dimension `dim` of `value`, if it follows from the sizes
  /// of the arguments.
  std::optional<DimSource> resolveDim(Value value, int64_t dim,
                                      unsigned depth = 0);

private:
  std::optional<DimSource> resolveIndex(OpFoldResult ofr, unsigned depth);

  func::FuncOp func;
  const ExportedFunction &exported;
  OpBuilder builder;
  /// Sizes being resolved through an asserted equality (no cycles).
  llvm::SmallPtrSet<Value, 4> seen;
};
} // namespace

std::optional<DimSource> DimResolver::resolveIndex(OpFoldResult ofr,
                                                   unsigned depth) {
  if (std::optional<int64_t> c = getConstantIntValue(ofr))
    return DimSource{-1, *c};
  auto value = dyn_cast<Value>(ofr);
  if (!value || depth > 64)
    return std::nullopt;
  if (auto dimOp = value.getDefiningOp<tensor::DimOp>())
    if (std::optional<int64_t> index = dimOp.getConstantIndex())
      return resolveDim(dimOp.getSource(), *index, depth + 1);
  // Sizes computed as integers (frontends' shape arithmetic): casts are
  // transparent, and a select of two equal sizes is that size.
  if (auto cast = value.getDefiningOp<arith::IndexCastOp>())
    if (std::optional<DimSource> s = resolveIndex(cast.getIn(), depth + 1))
      return s;
  if (auto sel = value.getDefiningOp<arith::SelectOp>()) {
    std::optional<DimSource> a = resolveIndex(sel.getTrueValue(), depth + 1);
    std::optional<DimSource> b = resolveIndex(sel.getFalseValue(), depth + 1);
    if (a && b && a->param == b->param && a->constant == b->constant)
      return a;
  }
  // A size the function asserts equal to another (`cf.assert` of `cmpi eq`,
  // as torch-mlir writes its shape checks): the run aborts otherwise.
  for (auto assertOp : func.getBody().front().getOps<cf::AssertOp>()) {
    auto cmp = assertOp.getArg().getDefiningOp<arith::CmpIOp>();
    if (!cmp || cmp.getPredicate() != arith::CmpIPredicate::eq)
      continue;
    Value other = cmp.getLhs() == value   ? cmp.getRhs()
                  : cmp.getRhs() == value ? cmp.getLhs()
                                          : Value();
    if (!other || !seen.insert(other).second)
      continue;
    std::optional<DimSource> s = resolveIndex(other, depth + 1);
    seen.erase(other);
    if (s)
      return s;
  }
  return std::nullopt;
}

std::optional<DimSource> DimResolver::resolveDim(Value value, int64_t dim,
                                                 unsigned depth) {
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
  auto result = cast<OpResult>(value);
  if (auto cast = dyn_cast<tensor::CastOp>(op))
    return resolveDim(cast.getSource(), dim, depth + 1);
  // A destination-style result, and the result of an scf.forall, has the
  // shape of its init.
  if (auto dps = dyn_cast<DestinationStyleOpInterface>(op))
    return resolveDim(dps.getTiedOpOperand(result)->get(), dim, depth + 1);
  if (auto forall = dyn_cast<scf::ForallOp>(op))
    return resolveDim(forall.getTiedOpOperand(result)->get(), dim, depth + 1);
  if (!isa<ReifyRankedShapedTypeOpInterface>(op))
    return std::nullopt;
  builder.setInsertionPoint(op);
  FailureOr<OpFoldResult> size =
      reifyDimOfResult(builder, op, result.getResultNumber(), dim);
  if (failed(size))
    return std::nullopt;
  return resolveIndex(*size, depth);
}

FailureOr<ExportedFunction>
mlir::attn::describeExportedFunction(func::FuncOp func, func::FuncOp scratch,
                                     bool requireCName) {
  ExportedFunction exported;
  exported.name = func.getSymName().str();
  if (requireCName && (!isCIdentifier(exported.name) ||
                       StringRef(exported.name).starts_with("__attn_impl_")))
    return func.emitError()
           << "function name '" << exported.name
           << "' cannot be exported: it is not a C identifier, it is a C or "
              "C++ keyword or a type name the header uses, or it starts with "
              "the reserved prefix '__attn_impl_'";
  exported.mlirSignature =
      "func.func @" + exported.name + typeToString(func.getFunctionType());

  auto describe = [&](Type type, StringRef what, unsigned index,
                      ExportedPort &port) -> LogicalResult {
    Type elementType = type;
    if (auto tensor = dyn_cast<RankedTensorType>(type)) {
      port.isTensor = true;
      elementType = tensor.getElementType();
      port.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
    }
    std::optional<StringRef> cType = getCElementType(elementType);
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
    ExportedPort port;
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
  DimResolver resolver(scratch, exported);
  for (auto [i, type] : llvm::enumerate(func.getResultTypes())) {
    ExportedPort port;
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
          resolver.resolveDim(returnOp.getOperand(i), d);
      if (!source)
        return func.emitError()
               << "result #" << i << " has type " << typeToString(type)
               << ": the size of its dimension " << d
               << " cannot be derived from the sizes of the arguments, so a "
                  "caller could not allocate its buffer";
      dims.push_back(*source);
      port.dimExprs.push_back(source->param >= 0
                                  ? exported.dimParams[source->param].name
                                  : std::to_string(source->constant));
    }
    exported.resultDims.push_back(std::move(dims));
    exported.results.push_back(std::move(port));
  }
  return exported;
}

FailureOr<std::vector<ExportedFunction>>
mlir::attn::prepareExport(ModuleOp module, ArrayRef<func::FuncOp> funcs,
                          bool requireCName) {
  // Shape reification builds ops in a scratch copy, never in `module`.
  MLIRContext *ctx = module.getContext();
  ctx->loadDialect<tensor::TensorDialect, arith::ArithDialect,
                   affine::AffineDialect>();
  OwningOpRef<ModuleOp> scratch = module.clone();
  // Sizes computed as integers reduced to the sizes they are (a tensor.dim
  // is never negative, so torch-mlir's `select(n < 0, ..., n)` is n). The
  // scratch copy keeps the signatures; if the simplification fails, the
  // sizes are resolved on an unsimplified copy.
  {
    PassManager pm(ctx, ModuleOp::getOperationName());
    OpPassManager &funcPm = pm.nest<func::FuncOp>();
    funcPm.addPass(arith::createIntRangeOptimizationsPass());
    funcPm.addPass(createCanonicalizerPass());
    funcPm.addPass(createCSEPass());
    if (failed(pm.run(*scratch)))
      scratch = module.clone();
  }
  std::vector<ExportedFunction> exported;
  for (func::FuncOp func : funcs) {
    auto scratchFunc = scratch->lookupSymbol<func::FuncOp>(func.getSymName());
    FailureOr<ExportedFunction> described =
        describeExportedFunction(func, scratchFunc, requireCName);
    if (failed(described))
      return failure();
    exported.push_back(std::move(*described));
  }
  for (func::FuncOp func : funcs)
    for (unsigned i = 0; i < func.getNumArguments(); ++i)
      if (isa<TensorType>(func.getArgumentTypes()[i]))
        func.setArgAttr(i,
                        bufferization::BufferizationDialect::kWritableAttrName,
                        BoolAttr::get(ctx, false));
  return exported;
}
