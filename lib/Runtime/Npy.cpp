//===- Npy.cpp - .npy reading and writing -----------------------*- C++ -*-===//
//
// Implements the .npy reader and writer: format version 1.0/2.0/3.0 headers
// whose Python-literal dictionary is parsed by a small recursive-descent
// parser, little-endian element encoding and decoding, and bit-exact
// half/bfloat16 conversions with round-to-nearest-even.
//
//===----------------------------------------------------------------------===//

#include "attn/Runtime/Npy.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>

namespace mlir::attn::runtime {

//===----------------------------------------------------------------------===//
// Bytes
//===----------------------------------------------------------------------===//

template <typename To, typename From> static To bitCast(From from) {
  static_assert(sizeof(To) == sizeof(From), "bitCast between sizes");
  To to;
  std::memcpy(&to, &from, sizeof(To));
  return to;
}

/// Little-endian loads and stores of `N`-byte unsigned integers.
template <typename T> static T readLE(const void *p) {
  const auto *bytes = static_cast<const uint8_t *>(p);
  T value = 0;
  for (size_t i = 0; i < sizeof(T); ++i)
    value |= static_cast<T>(bytes[i]) << (8 * i);
  return value;
}
template <typename T> static void writeLE(void *p, T value) {
  auto *bytes = static_cast<uint8_t *>(p);
  for (size_t i = 0; i < sizeof(T); ++i)
    bytes[i] = static_cast<uint8_t>(value >> (8 * i));
}
static uint16_t read16le(const void *p) { return readLE<uint16_t>(p); }
static uint32_t read32le(const void *p) { return readLE<uint32_t>(p); }
static uint64_t read64le(const void *p) { return readLE<uint64_t>(p); }
static void write16le(void *p, uint16_t v) { writeLE(p, v); }
static void write32le(void *p, uint32_t v) { writeLE(p, v); }
static void write64le(void *p, uint64_t v) { writeLE(p, v); }

/// Skips leading whitespace.
static std::string_view ltrim(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && std::strchr(" \t\n\r\v\f", s[i]) && s[i] != 0)
    ++i;
  return s.substr(i);
}

/// Removes `prefix` from the front of `s` if it is there.
static bool consumeFront(std::string_view &s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix)
    return false;
  s.remove_prefix(prefix.size());
  return true;
}

//===----------------------------------------------------------------------===//
// Element kinds
//===----------------------------------------------------------------------===//

namespace {
struct KindInfo {
  std::string_view descr;
  std::string_view name;
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

std::string_view getNpyDescr(ElementKind kind) { return getKindInfo(kind).descr; }

std::optional<ElementKind> getElementKindFromDescr(std::string_view descr) {
  for (ElementKind kind : allKinds)
    if (getNpyDescr(kind) == descr)
      return kind;
  return std::nullopt;
}

std::string_view getElementKindName(ElementKind kind) {
  return getKindInfo(kind).name;
}

size_t getElementByteSize(ElementKind kind) {
  return getKindInfo(kind).byteSize;
}

std::optional<uint64_t> getDataByteSize(ElementKind kind,
                                        const std::vector<int64_t> &shape) {
  uint64_t size = getElementByteSize(kind);
  for (int64_t dim : shape) {
    if (dim < 0)
      return std::nullopt;
    uint64_t factor = static_cast<uint64_t>(dim);
    if (factor != 0 &&
        size > std::numeric_limits<uint64_t>::max() / factor)
      return std::nullopt;
    size *= factor;
  }
  if (size > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
    return std::nullopt;
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
  explicit HeaderParser(std::string_view text) : rest(text) {}

  /// Parses the whole text into `header`, or returns false with `error`
  /// set (no path prefix).
  bool parse(NpyHeader &header);

  const std::string &getError() const { return error; }

private:
  /// Skips whitespace, then consumes `token` if it comes next.
  bool consume(std::string_view token) {
    rest = ltrim(rest);
    return consumeFront(rest, token);
  }
  bool fail(const std::string &msg) {
    error = "malformed header: " + msg;
    return false;
  }
  bool parseString(std::string &result);
  bool parseBool(bool &result);
  bool parseShape(std::vector<int64_t> &shape);

  std::string_view rest;
  std::string error;
};
} // namespace

bool HeaderParser::parseString(std::string &result) {
  rest = ltrim(rest);
  if (rest.empty() || (rest.front() != '\'' && rest.front() != '"'))
    return fail("expected a string");
  char quote = rest.front();
  size_t end = rest.find(quote, 1);
  if (end == std::string_view::npos)
    return fail("unterminated string");
  result = std::string(rest.substr(1, end - 1));
  rest.remove_prefix(end + 1);
  return true;
}

bool HeaderParser::parseBool(bool &result) {
  if (consume("True"))
    return result = true, true;
  if (consume("False"))
    return result = false, true;
  return fail("expected True or False");
}

bool HeaderParser::parseShape(std::vector<int64_t> &shape) {
  if (!consume("("))
    return fail("expected a shape tuple");
  while (!consume(")")) {
    rest = ltrim(rest);
    size_t digits = 0;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9')
      ++digits;
    uint64_t dim = 0;
    bool overflow = digits == 0;
    for (size_t i = 0; i < digits && !overflow; ++i) {
      uint64_t digit = static_cast<uint64_t>(rest[i] - '0');
      if (dim > (static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) -
                 digit) / 10)
        overflow = true;
      dim = dim * 10 + digit;
    }
    if (overflow)
      return fail("expected a non-negative dimension");
    rest.remove_prefix(digits);
    consume("L"); // Python 2 long suffix.
    shape.push_back(static_cast<int64_t>(dim));
    if (consume(")"))
      break;
    if (!consume(","))
      return fail("expected ',' or ')' in the shape");
  }
  return true;
}

bool HeaderParser::parse(NpyHeader &header) {
  bool seenDescr = false, seenFortranOrder = false, seenShape = false;
  if (!consume("{"))
    return fail("expected '{'");
  while (!consume("}")) {
    std::string key;
    if (!parseString(key))
      return false;
    if (!consume(":"))
      return fail("expected ':' after '" + key + "'");
    if (key == "descr" && !seenDescr) {
      if (!parseString(header.descr))
        return false;
      seenDescr = true;
    } else if (key == "fortran_order" && !seenFortranOrder) {
      if (!parseBool(header.fortranOrder))
        return false;
      seenFortranOrder = true;
    } else if (key == "shape" && !seenShape) {
      if (!parseShape(header.shape))
        return false;
      seenShape = true;
    } else {
      return fail("unexpected or duplicate key '" + key + "'");
    }
    if (consume("}"))
      break;
    if (!consume(","))
      return fail("expected ',' or '}'");
  }
  if (!ltrim(rest).empty())
    return fail("unexpected text after the dictionary");
  if (!seenDescr || !seenFortranOrder || !seenShape)
    return fail("missing 'descr', 'fortran_order' or 'shape'");
  return true;
}

//===----------------------------------------------------------------------===//
// Reading and writing
//===----------------------------------------------------------------------===//

static constexpr std::string_view npyMagic("\x93NUMPY", 6);

bool readNpy(const std::string &path, NpyArray &array, std::string &error) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    error = path + ": cannot read file: " + std::strerror(errno);
    return false;
  }
  std::string bytes((std::istreambuf_iterator<char>(file)),
                    std::istreambuf_iterator<char>());
  if (file.bad()) {
    error = path + ": cannot read file";
    return false;
  }
  if (parseNpy(bytes, array, error))
    return true;
  error = path + ": " + error;
  return false;
}

bool parseNpy(std::string_view contents, NpyArray &array, std::string &error) {
  auto fail = [&](const std::string &msg) {
    error = msg;
    return false;
  };
  if (!consumeFront(contents, npyMagic))
    return fail("not a .npy file (bad magic string)");
  if (contents.size() < 2)
    return fail("truncated header");
  unsigned major = static_cast<uint8_t>(contents[0]);
  unsigned minor = static_cast<uint8_t>(contents[1]);
  if (major < 1 || major > 3 || minor != 0)
    return fail("unsupported format version " + std::to_string(major) + "." +
                std::to_string(minor));
  size_t lengthSize = major == 1 ? 2 : 4;
  contents.remove_prefix(2);
  if (contents.size() < lengthSize)
    return fail("truncated header");
  uint64_t headerLength =
      major == 1 ? read16le(contents.data()) : read32le(contents.data());
  contents.remove_prefix(lengthSize);
  if (headerLength > contents.size())
    return fail("header length " + std::to_string(headerLength) +
                " exceeds the file size");

  NpyHeader header;
  HeaderParser parser(contents.substr(0, headerLength));
  if (!parser.parse(header))
    return fail(parser.getError());
  if (header.fortranOrder)
    return fail("Fortran-order arrays are not supported");
  std::optional<ElementKind> kind = getElementKindFromDescr(header.descr);
  if (!kind && !header.descr.empty() && header.descr[0] == '>')
    return fail("big-endian data is not supported (descr '" + header.descr +
                "')");
  if (!kind)
    return fail("unsupported descr '" + header.descr + "'");
  std::optional<uint64_t> numBytes = getDataByteSize(*kind, header.shape);
  if (!numBytes)
    return fail("shape is too large");

  std::string_view data = contents.substr(headerLength);
  if (data.size() != *numBytes)
    return fail(std::string(data.size() < *numBytes ? "truncated"
                                                    : "trailing") +
                " data: expected " + std::to_string(*numBytes) +
                " bytes, found " + std::to_string(data.size()));
  array.descr = std::move(header.descr);
  array.shape = std::move(header.shape);
  array.bytes.assign(data.begin(), data.end());
  return true;
}

bool writeNpy(const std::string &path, std::string_view descr,
              const std::vector<int64_t> &shape, const void *data,
              size_t numBytes, std::string &error) {
  auto fail = [&](const std::string &msg) {
    error = path + ": " + msg;
    return false;
  };
  std::optional<ElementKind> kind = getElementKindFromDescr(descr);
  if (!kind)
    return fail("unsupported descr '" + std::string(descr) + "'");
  std::optional<uint64_t> expectedBytes = getDataByteSize(*kind, shape);
  if (!expectedBytes || *expectedBytes != numBytes)
    return fail("data size " + std::to_string(numBytes) +
                " does not match the shape");

  // Python repr of the shape tuple: (), (3,) or (2, 3).
  std::string shapeText;
  for (int64_t dim : shape)
    shapeText += (shapeText.empty() ? "" : ", ") + std::to_string(dim);
  if (shape.size() == 1)
    shapeText += ",";
  std::string header = "{'descr': '" + std::string(descr) +
                       "', 'fortran_order': False, 'shape': (" + shapeText +
                       "), }";
  // Pad with spaces and a final newline so that the data is 64-byte aligned.
  size_t prefixSize = npyMagic.size() + 4;
  header.append(63 - (prefixSize + header.size()) % 64, ' ');
  header += '\n';
  if (header.size() > std::numeric_limits<uint16_t>::max())
    return fail("header too long for format version 1.0");

  std::ofstream os(path, std::ios::binary | std::ios::trunc);
  if (!os)
    return fail(std::string("cannot open file for writing: ") +
                std::strerror(errno));
  char lengthBytes[2];
  write16le(lengthBytes, static_cast<uint16_t>(header.size()));
  os.write(npyMagic.data(), npyMagic.size());
  os.put('\x01');
  os.put('\x00');
  os.write(lengthBytes, 2);
  os.write(header.data(), header.size());
  os.write(static_cast<const char *>(data), numBytes);
  os.close();
  if (!os)
    return fail(std::string("cannot write file: ") + std::strerror(errno));
  return true;
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
    return bitCast<float>(sign | 0x7f800000 | mantissa << 13);
  return bitCast<float>(sign | (exponent + 127 - 15) << 23 | mantissa << 13);
}

uint16_t floatToHalf(float f) {
  uint32_t bits = bitCast<uint32_t>(f);
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
                      std::nearbyint(bitCast<float>(magnitude) * 0x1p24f));
  // Normal: rebias the exponent, then round off 13 mantissa bits to nearest
  // even; a carry correctly propagates into the exponent (up to inf).
  uint32_t rebased = magnitude - ((127 - 15) << 23);
  return sign |
         static_cast<uint16_t>((rebased + 0xfff + ((rebased >> 13) & 1)) >> 13);
}

float bf16ToFloat(uint16_t b) {
  return bitCast<float>(static_cast<uint32_t>(b) << 16);
}

uint16_t floatToBF16(float f) {
  uint32_t bits = bitCast<uint32_t>(f);
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
      values[i] = bitCast<float>(read32le(p));
      break;
    case ElementKind::F16:
      values[i] = halfToFloat(read16le(p));
      break;
    case ElementKind::BF16:
      values[i] = bf16ToFloat(read16le(p));
      break;
    case ElementKind::F64:
      values[i] = bitCast<double>(read64le(p));
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

void encodeFromDouble(ElementKind kind, const std::vector<double> &values,
                      void *data) {
  auto *bytes = static_cast<uint8_t *>(data);
  size_t stride = getElementByteSize(kind);
  for (size_t i = 0; i < values.size(); ++i) {
    uint8_t *p = bytes + i * stride;
    double value = values[i];
    switch (kind) {
    case ElementKind::F32:
      write32le(p, bitCast<uint32_t>(static_cast<float>(value)));
      break;
    case ElementKind::F16:
      write16le(p, floatToHalf(static_cast<float>(value)));
      break;
    case ElementKind::BF16:
      write16le(p, floatToBF16(static_cast<float>(value)));
      break;
    case ElementKind::F64:
      write64le(p, bitCast<uint64_t>(value));
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
