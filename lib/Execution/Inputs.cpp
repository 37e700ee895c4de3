//===- Inputs.cpp - Inputs, reference and checks of attn-run --------------===//
//
// Inputs of a function from .npy files (checked against the argument types)
// or seeded random data, the float64 reference of the input IR, the
// tolerance policy of DESIGN §6, and the printing of results.
//
//===----------------------------------------------------------------------===//

#include "attn/Execution/Execution.h"

#include "attn/Dialect/Attn/IR/AttnOps.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <sys/resource.h>

#include <cstring>
#include <random>

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::runtime;

static llvm::Error makeError(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

std::string mlir::attn::formatShape(ArrayRef<int64_t> shape) {
  std::string s = "(";
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? ", " : "") + std::to_string(d);
  return s + (shape.size() == 1 ? ",)" : ")");
}

static std::string typeToString(Type type) {
  std::string s;
  llvm::raw_string_ostream(s) << type;
  return s;
}

std::optional<ElementKind> mlir::attn::getElementKind(Type type) {
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

llvm::Expected<HostBuffer> mlir::attn::loadInput(StringRef path,
                                                 unsigned index,
                                                 RankedTensorType type) {
  std::optional<ElementKind> kind = getElementKind(type.getElementType());
  if (!kind)
    return makeError("argument #" + Twine(index) + " has type " +
                     typeToString(type) + ": no .npy element type");
  NpyArray npy;
  std::string error;
  if (!readNpy(path.str(), npy, error))
    return makeError(error);
  if (npy.descr != getNpyDescr(*kind))
    return makeError(path + ": dtype '" + npy.descr +
                     "' does not match argument #" + Twine(index) +
                     " of type " + typeToString(type) + " (expected '" +
                     getNpyDescr(*kind) + "')");
  bool shapeOk = static_cast<int64_t>(npy.shape.size()) == type.getRank();
  for (int64_t d = 0; shapeOk && d < type.getRank(); ++d)
    shapeOk = type.isDynamicDim(d) || type.getDimSize(d) == npy.shape[d];
  if (!shapeOk)
    return makeError(path + ": shape " + formatShape(npy.shape) +
                     " does not match argument #" + Twine(index) +
                     " of type " + typeToString(type));
  HostBuffer buffer(*kind, npy.shape);
  std::memcpy(buffer.getData(), npy.bytes.data(), buffer.getNumBytes());
  return buffer;
}

/// The key length of the attention op that reads `arg` as `kv_lens`, if any:
/// Lk_total for a block of keys placed by a constant tile_origin, whose
/// kv_lens count the keys of the full problem.
static std::optional<int64_t> getKvLensBound(BlockArgument arg) {
  for (Operation *user : arg.getUsers()) {
    Value key;
    if (auto sdpa = dyn_cast<SdpaOp>(user); sdpa && sdpa.getKvLens() == arg) {
      if (Value fullKeyLen = sdpa.getFullKeyLen())
        if (std::optional<int64_t> lk = getConstantIntValue(fullKeyLen))
          return *lk;
      key = sdpa.getKey();
    }
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

llvm::Expected<HostBuffer> mlir::attn::makeRandomInput(BlockArgument arg,
                                                       unsigned seed) {
  unsigned index = arg.getArgNumber();
  auto type = dyn_cast<RankedTensorType>(arg.getType());
  std::optional<ElementKind> kind =
      type ? getElementKind(type.getElementType()) : std::nullopt;
  if (!kind)
    return makeError("argument #" + Twine(index) + " has type " +
                     typeToString(arg.getType()) + ": no random data for it");
  if (!type.hasStaticShape())
    return makeError("argument #" + Twine(index) + " has dynamic type " +
                     typeToString(type) + ": pass its data with --inputs");
  HostBuffer buffer(*kind, std::vector<int64_t>(type.getShape().begin(),
                                                type.getShape().end()));
  std::mt19937_64 rng(seed * 1000003ULL + index);
  std::vector<double> values(buffer.getNumElements());
  if (isa<FloatType>(type.getElementType())) {
    std::uniform_real_distribution<double> dist(-1.0, 1.0);
    for (double &v : values)
      v = dist(rng);
  } else if (*kind == ElementKind::I1) {
    std::bernoulli_distribution dist(0.75);
    for (double &v : values)
      v = dist(rng);
  } else {
    int64_t bound = getKvLensBound(arg).value_or(15);
    std::uniform_int_distribution<int64_t> dist(0, bound);
    for (double &v : values)
      v = static_cast<double>(dist(rng));
  }
  encodeFromDouble(*kind, values, buffer.getData());
  return buffer;
}

/// Evaluates `entry` of an inlined clone of `module` on `args`.
static FailureOr<EvalResult> evaluateInlined(ModuleOp module, StringRef entry,
                                             ArrayRef<RefTensor> args,
                                             bool computeValues) {
  // The interpreter follows no calls: it evaluates an inlined copy.
  OwningOpRef<ModuleOp> inlined = module.clone();
  auto func = inlined->lookupSymbol<func::FuncOp>(entry);
  if (!func)
    return module.emitError() << "no function named '@" << entry << "'";
  func.setPublic(); // A private entry must survive the inliner's DCE.
  PassManager inliner(module.getContext());
  inliner.addPass(createInlinerPass());
  if (failed(inliner.run(*inlined)))
    return failure();
  return evaluateFunction(func, args, computeValues);
}

FailureOr<EvalResult>
mlir::attn::evaluateReference(ModuleOp module, StringRef entry,
                              ArrayRef<HostBuffer> inputs,
                              bool computeValues) {
  std::vector<RefTensor> args;
  for (const HostBuffer &input : inputs) {
    RefTensor t;
    t.shape = input.getShape();
    if (computeValues)
      t.data = input.toDouble();
    args.push_back(std::move(t));
  }
  return evaluateInlined(module, entry, args, computeValues);
}

FailureOr<EvalResult>
mlir::attn::evaluateShapes(ModuleOp module, StringRef entry,
                           ArrayRef<std::vector<int64_t>> shapes) {
  std::vector<RefTensor> args(shapes.size());
  for (auto [arg, shape] : llvm::zip_equal(args, shapes))
    arg.shape = shape;
  return evaluateInlined(module, entry, args, /*computeValues=*/false);
}

double mlir::attn::getTolerance(func::FuncOp func, Type resultType) {
  auto isLowPrecision = [](Type t) {
    Type elt = getElementTypeOrSelf(t);
    return elt.isF16() || elt.isBF16();
  };
  return runtime::getTolerance(
      isa<FloatType>(getElementTypeOrSelf(resultType)),
      llvm::any_of(func.getArgumentTypes(), isLowPrecision) ||
          llvm::any_of(func.getResultTypes(), isLowPrecision));
}

void mlir::attn::printHostBuffer(llvm::raw_ostream &os,
                                 const HostBuffer &buffer) {
  std::vector<double> values = buffer.toDouble();
  const std::vector<int64_t> &shape = buffer.getShape();
  constexpr size_t kMaxPrinted = 1024;
  if (values.size() > kMaxPrinted) {
    os << "  " << values.size() << " elements, first 8:";
    for (size_t i = 0; i < 8; ++i)
      os << " " << llvm::format("%.6g", values[i]);
    os << "\n";
    return;
  }
  size_t rank = shape.size();
  size_t rowLen = rank ? static_cast<size_t>(shape.back()) : 1;
  for (size_t start = 0; start < values.size(); start += rowLen) {
    os << "  [";
    size_t rest = start / rowLen;
    SmallVector<int64_t> index(rank > 0 ? rank - 1 : 0);
    for (size_t d = index.size(); d-- > 0;) {
      index[d] = rest % shape[d];
      rest /= shape[d];
    }
    for (int64_t idx : index)
      os << idx << ", ";
    os << (rank ? ":]" : "]");
    for (size_t i = 0; i < rowLen; ++i)
      os << " " << llvm::format("%9.6f", values[start + i]);
    os << "\n";
  }
}

double mlir::attn::getPeakRssMb() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}
