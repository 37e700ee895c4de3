//===- ConstantUtils.cpp - Reading the elements of constants --------------===//
//
// Decodes dense and dense_resource elements attributes into doubles with
// one rule for signedness, i1 and float widths.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/Utils/ConstantUtils.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::attn;

/// Whether elements of `type` have a decoding: floats and integers of at
/// most 64 bits, and index (dense form only).
static bool isDecodableElementType(Type type, bool isResource) {
  if (isa<IndexType>(type))
    return !isResource;
  if (isa<FloatType, IntegerType>(type))
    return type.getIntOrFloatBitWidth() <= 64;
  return false;
}

static uint64_t getBlobElementBytes(Type elementType) {
  return llvm::divideCeil(elementType.getIntOrFloatBitWidth(), 8);
}

/// The blob of a dense_resource holding exactly the elements of its type,
/// or null.
static const AsmResourceBlob *getBlob(DenseResourceElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  if (!type.hasStaticShape())
    return nullptr;
  const AsmResourceBlob *blob = attr.getRawHandle().getBlob();
  if (!blob || blob->getData().size() !=
                   static_cast<uint64_t>(type.getNumElements()) *
                       getBlobElementBytes(type.getElementType()))
    return nullptr;
  return blob;
}

static double toDouble(llvm::APFloat value) {
  bool losesInfo = false;
  value.convert(llvm::APFloat::IEEEdouble(),
                llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  return value.convertToDouble();
}

std::optional<std::string>
mlir::attn::getConstantDecodeError(Attribute attr) {
  auto elements = dyn_cast<ElementsAttr>(attr);
  if (!elements || !isa<DenseElementsAttr, DenseResourceElementsAttr>(attr))
    return std::string("a value other than a dense or dense_resource tensor");
  auto type = cast<ShapedType>(elements.getType());
  bool isResource = isa<DenseResourceElementsAttr>(attr);
  if (!isDecodableElementType(type.getElementType(), isResource))
    return "elements of type " + [&] {
      std::string s;
      llvm::raw_string_ostream(s) << type.getElementType();
      return s;
    }();
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr))
    if (!getBlob(resource))
      return std::string(
          "a dense_resource whose blob is absent or of the wrong size");
  return std::nullopt;
}

FailureOr<std::vector<double>>
mlir::attn::decodeConstantElements(Attribute attr) {
  if (getConstantDecodeError(attr))
    return failure();
  auto type = cast<ShapedType>(cast<ElementsAttr>(attr).getType());
  Type elementType = type.getElementType();
  bool isUnsigned = elementType.isUnsignedInteger();
  std::vector<double> out;
  out.reserve(type.getNumElements());

  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    ArrayRef<char> blob = getBlob(resource)->getData();
    uint64_t numBytes = getBlobElementBytes(elementType);
    unsigned width = elementType.getIntOrFloatBitWidth();
    for (size_t start = 0; start + numBytes <= blob.size();
         start += numBytes) {
      uint64_t bits = 0;
      for (uint64_t byte = 0; byte < numBytes; ++byte)
        bits |= static_cast<uint64_t>(static_cast<uint8_t>(blob[start + byte]))
                << (8 * byte);
      if (auto floatType = dyn_cast<FloatType>(elementType))
        out.push_back(toDouble(llvm::APFloat(floatType.getFloatSemantics(),
                                             llvm::APInt(width, bits))));
      else if (width == 1)
        out.push_back(bits != 0 ? 1.0 : 0.0);
      else if (isUnsigned)
        out.push_back(static_cast<double>(bits));
      else
        out.push_back(static_cast<double>(llvm::SignExtend64(bits, width)));
    }
    return out;
  }

  auto dense = cast<DenseElementsAttr>(attr);
  if (isa<FloatType>(elementType)) {
    for (const llvm::APFloat &value : dense.getValues<llvm::APFloat>())
      out.push_back(toDouble(value));
  } else if (elementType.isInteger(1)) {
    for (bool value : dense.getValues<bool>())
      out.push_back(value ? 1.0 : 0.0);
  } else {
    for (const llvm::APInt &value : dense.getValues<llvm::APInt>())
      out.push_back(isUnsigned ? static_cast<double>(value.getZExtValue())
                               : static_cast<double>(value.getSExtValue()));
  }
  return out;
}

std::optional<double> mlir::attn::decodeConstantScalar(Attribute attr) {
  if (auto f = dyn_cast<FloatAttr>(attr))
    return toDouble(f.getValue());
  auto i = dyn_cast<IntegerAttr>(attr);
  if (!i)
    return std::nullopt;
  if (i.getType().isInteger(1) || i.getType().isUnsignedInteger())
    return static_cast<double>(i.getValue().getZExtValue());
  return static_cast<double>(i.getValue().getSExtValue());
}
