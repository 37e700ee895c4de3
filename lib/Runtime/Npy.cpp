//===- Npy.cpp - .npy reading and writing -----------------------*- C++ -*-===//
//
// Implements the .npy reader and writer: format version 1.0/2.0/3.0 headers
// whose Python-literal dictionary is parsed by a small recursive-descent
// parser, little-endian element encoding and decoding, and bit-exact
// half/bfloat16 conversions with round-to-nearest-even.
//
//===----------------------------------------------------------------------===//

#include "attn/Runtime/Npy.h"

#include "llvm/ADT/bit.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <limits>

using namespace llvm;
using namespace llvm::support::endian;

namespace mlir::attn::runtime {

//===----------------------------------------------------------------------===//
// Element kinds
//===----------------------------------------------------------------------===//

namespace {
struct KindInfo {
  StringRef descr;
  StringRef name;
  size_t byteSize;
};
} // namespace

static constexpr ElementKind allKinds[] = {
    ElementKind::F32, ElementKind::F16, ElementKind::BF16, ElementKind::F64,
    ElementKind::I32, ElementKind::I64, ElementKind::I1};

static const KindInfo &getKindInfo(ElementKind kind) {
  static const KindInfo infos[] = {{"<f4", "f32", 4},  {"<f2", "f16", 2},
                                   {"<u2", "bf16", 2}, {"<f8", "f64", 8},
                                   {"<i4", "i32", 4},  {"<i8", "i64", 8},
                                   {"|b1", "i1", 1}};
  return infos[static_cast<size_t>(kind)];
}

StringRef getNpyDescr(ElementKind kind) { return getKindInfo(kind).descr; }

std::optional<ElementKind> getElementKindFromDescr(StringRef descr) {
  for (ElementKind kind : allKinds)
    if (getNpyDescr(kind) == descr)
      return kind;
  return std::nullopt;
}

StringRef getElementKindName(ElementKind kind) {
  return getKindInfo(kind).name;
}

size_t getElementByteSize(ElementKind kind) {
  return getKindInfo(kind).byteSize;
}

/// Returns the data size of an array of `kind` with `shape`, or std::nullopt
/// if a dimension is negative or the size overflows.
static std::optional<uint64_t> getDataByteSize(ElementKind kind,
                                               ArrayRef<int64_t> shape) {
  uint64_t size = getElementByteSize(kind);
  bool overflowed = false;
  for (int64_t dim : shape) {
    if (dim < 0)
      return std::nullopt;
    size = SaturatingMultiply(size, static_cast<uint64_t>(dim), &overflowed);
    if (overflowed)
      return std::nullopt;
  }
  return size;
}

//===----------------------------------------------------------------------===//
// Header parsing
//===----------------------------------------------------------------------===//

namespace {
/// The fields of a .npy header dictionary.
struct NpyHeader {
  std::string descr;
  bool fortranOrder = false;
  std::vector<int64_t> shape;
};

/// Parses the Python-literal dictionary of a .npy header, e.g.
/// "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }".
class HeaderParser {
public:
  explicit HeaderParser(StringRef text) : rest(text) {}

  /// Parses the whole text; errors carry no path prefix.
  Expected<NpyHeader> parse();

private:
  /// Skips whitespace, then consumes `token` if it comes next.
  bool consume(StringRef token) {
    rest = rest.ltrim();
    return rest.consume_front(token);
  }
  Error fail(const Twine &msg) {
    return createStringError("malformed header: " + msg);
  }
  Expected<std::string> parseString();
  Expected<bool> parseBool();
  Expected<std::vector<int64_t>> parseShape();

  StringRef rest;
};
} // namespace

Expected<std::string> HeaderParser::parseString() {
  rest = rest.ltrim();
  if (rest.empty() || (rest.front() != '\'' && rest.front() != '"'))
    return fail("expected a string");
  char quote = rest.front();
  size_t end = rest.find(quote, 1);
  if (end == StringRef::npos)
    return fail("unterminated string");
  std::string result = rest.slice(1, end).str();
  rest = rest.drop_front(end + 1);
  return result;
}

Expected<bool> HeaderParser::parseBool() {
  if (consume("True"))
    return true;
  if (consume("False"))
    return false;
  return fail("expected True or False");
}

Expected<std::vector<int64_t>> HeaderParser::parseShape() {
  if (!consume("("))
    return fail("expected a shape tuple");
  std::vector<int64_t> shape;
  while (!consume(")")) {
    uint64_t dim;
    rest = rest.ltrim();
    if (rest.consumeInteger(10, dim) ||
        dim > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return fail("expected a non-negative dimension");
    consume("L"); // Python 2 long suffix.
    shape.push_back(static_cast<int64_t>(dim));
    if (consume(")"))
      break;
    if (!consume(","))
      return fail("expected ',' or ')' in the shape");
  }
  return shape;
}

Expected<NpyHeader> HeaderParser::parse() {
  NpyHeader header;
  bool seenDescr = false, seenFortranOrder = false, seenShape = false;
  if (!consume("{"))
    return fail("expected '{'");
  while (!consume("}")) {
    Expected<std::string> key = parseString();
    if (!key)
      return key.takeError();
    if (!consume(":"))
      return fail("expected ':' after '" + *key + "'");
    if (*key == "descr" && !seenDescr) {
      Expected<std::string> descr = parseString();
      if (!descr)
        return descr.takeError();
      header.descr = std::move(*descr);
      seenDescr = true;
    } else if (*key == "fortran_order" && !seenFortranOrder) {
      Expected<bool> fortranOrder = parseBool();
      if (!fortranOrder)
        return fortranOrder.takeError();
      header.fortranOrder = *fortranOrder;
      seenFortranOrder = true;
    } else if (*key == "shape" && !seenShape) {
      Expected<std::vector<int64_t>> shape = parseShape();
      if (!shape)
        return shape.takeError();
      header.shape = std::move(*shape);
      seenShape = true;
    } else {
      return fail("unexpected or duplicate key '" + *key + "'");
    }
    if (consume("}"))
      break;
    if (!consume(","))
      return fail("expected ',' or '}'");
  }
  if (!rest.ltrim().empty())
    return fail("unexpected text after the dictionary");
  if (!seenDescr || !seenFortranOrder || !seenShape)
    return fail("missing 'descr', 'fortran_order' or 'shape'");
  return header;
}

//===----------------------------------------------------------------------===//
// Reading and writing
//===----------------------------------------------------------------------===//

static constexpr StringLiteral npyMagic("\x93NUMPY");

Expected<NpyArray> readNpy(StringRef path) {
  auto fail = [&](const Twine &msg) {
    return createStringError(path + ": " + msg);
  };
  ErrorOr<std::unique_ptr<MemoryBuffer>> buffer =
      MemoryBuffer::getFile(path, /*IsText=*/false,
                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fail("cannot read file: " + buffer.getError().message());
  StringRef contents = (*buffer)->getBuffer();
  if (!contents.consume_front(npyMagic))
    return fail("not a .npy file (bad magic string)");
  if (contents.size() < 2)
    return fail("truncated header");
  unsigned major = static_cast<uint8_t>(contents[0]);
  unsigned minor = static_cast<uint8_t>(contents[1]);
  if (major < 1 || major > 3 || minor != 0)
    return fail(formatv("unsupported format version {0}.{1}", major, minor));
  size_t lengthSize = major == 1 ? 2 : 4;
  contents = contents.drop_front(2);
  if (contents.size() < lengthSize)
    return fail("truncated header");
  uint64_t headerLength =
      major == 1 ? read16le(contents.data()) : read32le(contents.data());
  contents = contents.drop_front(lengthSize);
  if (headerLength > contents.size())
    return fail(
        formatv("header length {0} exceeds the file size", headerLength));

  Expected<NpyHeader> header =
      HeaderParser(contents.take_front(headerLength)).parse();
  if (!header)
    return fail(toString(header.takeError()));
  if (header->fortranOrder)
    return fail("Fortran-order arrays are not supported");
  std::optional<ElementKind> kind = getElementKindFromDescr(header->descr);
  if (!kind && StringRef(header->descr).starts_with(">"))
    return fail("big-endian data is not supported (descr '" + header->descr +
                "')");
  if (!kind)
    return fail("unsupported descr '" + header->descr + "'");
  std::optional<uint64_t> numBytes = getDataByteSize(*kind, header->shape);
  if (!numBytes)
    return fail("shape is too large");

  StringRef data = contents.drop_front(headerLength);
  if (data.size() != *numBytes)
    return fail(formatv("{0} data: expected {1} bytes, found {2}",
                        data.size() < *numBytes ? "truncated" : "trailing",
                        *numBytes, data.size()));
  NpyArray array;
  array.descr = std::move(header->descr);
  array.shape = std::move(header->shape);
  array.bytes.assign(data.bytes_begin(), data.bytes_end());
  return array;
}

Error writeNpy(StringRef path, StringRef descr, ArrayRef<int64_t> shape,
               const void *data, size_t numBytes) {
  auto fail = [&](const Twine &msg) {
    return createStringError(path + ": " + msg);
  };
  std::optional<ElementKind> kind = getElementKindFromDescr(descr);
  if (!kind)
    return fail("unsupported descr '" + descr + "'");
  std::optional<uint64_t> expectedBytes = getDataByteSize(*kind, shape);
  if (!expectedBytes || *expectedBytes != numBytes)
    return fail(formatv("data size {0} does not match the shape", numBytes));

  // Python repr of the shape tuple: (), (3,) or (2, 3).
  std::string shapeText;
  for (int64_t dim : shape)
    shapeText += (shapeText.empty() ? "" : ", ") + std::to_string(dim);
  if (shape.size() == 1)
    shapeText += ",";
  std::string header =
      ("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" +
       shapeText + "), }")
          .str();
  // Pad with spaces and a final newline so that the data is 64-byte aligned.
  size_t prefixSize = npyMagic.size() + 4;
  header.append(63 - (prefixSize + header.size()) % 64, ' ');
  header += '\n';
  if (header.size() > std::numeric_limits<uint16_t>::max())
    return fail("header too long for format version 1.0");

  std::error_code ec;
  raw_fd_ostream os(path, ec);
  if (ec)
    return fail("cannot open file for writing: " + ec.message());
  char lengthBytes[2];
  write16le(lengthBytes, static_cast<uint16_t>(header.size()));
  os << npyMagic << '\x01' << '\x00' << StringRef(lengthBytes, 2) << header;
  os.write(static_cast<const char *>(data), numBytes);
  os.close();
  if (os.has_error()) {
    ec = os.error();
    os.clear_error();
    return fail("cannot write file: " + ec.message());
  }
  return Error::success();
}

//===----------------------------------------------------------------------===//
// Scalar conversions
//===----------------------------------------------------------------------===//

float halfToFloat(uint16_t h) {
  uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  uint32_t exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
  if (exponent == 0) { // Zero or subnormal: mantissa * 2^-24.
    float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
    return sign ? -magnitude : magnitude;
  }
  if (exponent == 0x1f) // Inf or NaN; keeps the NaN payload.
    return bit_cast<float>(sign | 0x7f800000 | mantissa << 13);
  return bit_cast<float>(sign | (exponent + 127 - 15) << 23 | mantissa << 13);
}

uint16_t floatToHalf(float f) {
  uint32_t bits = bit_cast<uint32_t>(f);
  uint16_t sign = (bits >> 16) & 0x8000;
  uint32_t magnitude = bits & 0x7fffffff;
  if (magnitude > 0x7f800000) // NaN: keep the top payload bits, make quiet.
    return sign | 0x7e00 | ((magnitude >> 13) & 0x3ff);
  if (magnitude >= 0x47800000) // Inf, or at least 2^16: overflows to inf.
    return sign | 0x7c00;
  // Below 2^-14 the result is subnormal or zero: scaling by 2^24 is exact and
  // nearbyint rounds to nearest even (1024 is the smallest normal's bits).
  if (magnitude < 0x38800000)
    return sign | static_cast<uint16_t>(
                      std::nearbyint(bit_cast<float>(magnitude) * 0x1p24f));
  // Normal: rebias the exponent, then round off 13 mantissa bits to nearest
  // even; a carry correctly propagates into the exponent (up to inf).
  uint32_t rebased = magnitude - ((127 - 15) << 23);
  return sign |
         static_cast<uint16_t>((rebased + 0xfff + ((rebased >> 13) & 1)) >> 13);
}

float bf16ToFloat(uint16_t b) {
  return bit_cast<float>(static_cast<uint32_t>(b) << 16);
}

uint16_t floatToBF16(float f) {
  uint32_t bits = bit_cast<uint32_t>(f);
  if ((bits & 0x7fffffff) > 0x7f800000) // NaN: truncate and make quiet.
    return static_cast<uint16_t>(bits >> 16) | 0x40;
  return static_cast<uint16_t>((bits + 0x7fff + ((bits >> 16) & 1)) >> 16);
}

//===----------------------------------------------------------------------===//
// Element encoding
//===----------------------------------------------------------------------===//

/// Converts `value` to IntT rounding toward zero, saturating at the range
/// bounds; NaN gives 0.
template <typename IntT> static IntT truncateToInt(double value) {
  using Limits = std::numeric_limits<IntT>;
  // -2^(N-1) is exactly representable, and so is its negation 2^(N-1).
  constexpr double lowest = static_cast<double>(Limits::min());
  if (std::isnan(value))
    return 0;
  if (value <= lowest)
    return Limits::min();
  if (value >= -lowest)
    return Limits::max();
  return static_cast<IntT>(value);
}

std::vector<double> decodeToDouble(ElementKind kind, const void *data,
                                   size_t numElements) {
  const auto *bytes = static_cast<const uint8_t *>(data);
  size_t stride = getElementByteSize(kind);
  std::vector<double> values(numElements);
  for (size_t i = 0; i < numElements; ++i) {
    const uint8_t *p = bytes + i * stride;
    switch (kind) {
    case ElementKind::F32:
      values[i] = bit_cast<float>(read32le(p));
      break;
    case ElementKind::F16:
      values[i] = halfToFloat(read16le(p));
      break;
    case ElementKind::BF16:
      values[i] = bf16ToFloat(read16le(p));
      break;
    case ElementKind::F64:
      values[i] = bit_cast<double>(read64le(p));
      break;
    case ElementKind::I32:
      values[i] = static_cast<int32_t>(read32le(p));
      break;
    case ElementKind::I64:
      values[i] = static_cast<double>(static_cast<int64_t>(read64le(p)));
      break;
    case ElementKind::I1:
      values[i] = *p != 0;
      break;
    }
  }
  return values;
}

void encodeFromDouble(ElementKind kind, ArrayRef<double> values, void *data) {
  auto *bytes = static_cast<uint8_t *>(data);
  size_t stride = getElementByteSize(kind);
  for (size_t i = 0; i < values.size(); ++i) {
    uint8_t *p = bytes + i * stride;
    double value = values[i];
    switch (kind) {
    case ElementKind::F32:
      write32le(p, bit_cast<uint32_t>(static_cast<float>(value)));
      break;
    case ElementKind::F16:
      write16le(p, floatToHalf(static_cast<float>(value)));
      break;
    case ElementKind::BF16:
      write16le(p, floatToBF16(static_cast<float>(value)));
      break;
    case ElementKind::F64:
      write64le(p, bit_cast<uint64_t>(value));
      break;
    case ElementKind::I32:
      write32le(p, static_cast<uint32_t>(truncateToInt<int32_t>(value)));
      break;
    case ElementKind::I64:
      write64le(p, static_cast<uint64_t>(truncateToInt<int64_t>(value)));
      break;
    case ElementKind::I1:
      *p = value != 0;
      break;
    }
  }
}

} // namespace mlir::attn::runtime
