//===- Npy.h - .npy reading and writing -------------------------*- C++ -*-===//
//
// Declares a reader and writer for NumPy .npy files (C-order, little-endian
// arrays of the element kinds Attn supports), the element kinds themselves,
// and scalar conversions between those kinds and float/double. Part of the
// MLIR- and LLVM-free runtime: standard C++ only.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_RUNTIME_NPY_H
#define ATTN_RUNTIME_NPY_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlir::attn::runtime {

/// Element kinds that can be stored in .npy files.
enum class ElementKind { F32, F16, BF16, F64, I32, I64, I1 };

/// Returns the numpy descr of `kind`: "<f4", "<f2", "<u2" (bf16 bits stored as
/// little-endian uint16), "<f8", "<i4", "<i8" or "|b1".
std::string_view getNpyDescr(ElementKind kind);

/// Returns the kind whose numpy descr is `descr` (the inverse of getNpyDescr;
/// "<u2" maps to BF16), or std::nullopt if there is none.
std::optional<ElementKind> getElementKindFromDescr(std::string_view descr);

/// Returns the short name of `kind`: "f32", "f16", "bf16", "f64", "i32",
/// "i64" or "i1".
std::string_view getElementKindName(ElementKind kind);

/// Returns the size in bytes of one element of `kind` (1 for I1).
size_t getElementByteSize(ElementKind kind);

/// The data size of an array of `kind` with `shape`, or std::nullopt if a
/// dimension is negative or the size exceeds 2^63 - 1 bytes.
std::optional<uint64_t> getDataByteSize(ElementKind kind,
                                        const std::vector<int64_t> &shape);

/// The contents of a .npy file.
struct NpyArray {
  /// The numpy descr, one of those returned by getNpyDescr.
  std::string descr;
  /// The dimensions; empty for a scalar.
  std::vector<int64_t> shape;
  /// Raw little-endian C-order element data.
  std::vector<uint8_t> bytes;
};

/// Reads the .npy file at `path` (format versions 1.0, 2.0 and 3.0) into
/// `array`. Returns false with `error` set to a one-line message starting
/// with the path on unreadable files, bad magic, unsupported versions,
/// malformed headers, Fortran-order arrays, unsupported or big-endian
/// descrs, and truncated or overlong data.
bool readNpy(const std::string &path, NpyArray &array, std::string &error);

/// readNpy on the bytes of a file already in memory; `error` then has no
/// path prefix.
bool parseNpy(std::string_view contents, NpyArray &array, std::string &error);

/// Writes `numBytes` bytes of little-endian C-order `data` with `descr` and
/// `shape` to `path` as a version 1.0 .npy file whose data starts at a
/// multiple of 64 bytes. `descr` must be one of those returned by getNpyDescr
/// and `numBytes` must match `shape`. Returns false with `error` set (a
/// message starting with the path) when not.
bool writeNpy(const std::string &path, std::string_view descr,
              const std::vector<int64_t> &shape, const void *data,
              size_t numBytes, std::string &error);

/// Converts an IEEE binary16 bit pattern to float (exact).
float halfToFloat(uint16_t h);
/// Converts a float to an IEEE binary16 bit pattern, rounding to nearest even;
/// NaNs stay (quiet) NaNs.
uint16_t floatToHalf(float f);
/// Converts a bfloat16 bit pattern to float (exact).
float bf16ToFloat(uint16_t b);
/// Converts a float to a bfloat16 bit pattern, rounding to nearest even; NaNs
/// stay (quiet) NaNs.
uint16_t floatToBF16(float f);

/// Decodes `numElements` little-endian elements of `kind` at `data` into
/// doubles (I1 gives 0 or 1).
std::vector<double> decodeToDouble(ElementKind kind, const void *data,
                                   size_t numElements);

/// Encodes `values` as little-endian elements of `kind` into `data`, which
/// must hold values.size() elements. F16 and BF16 round via float; integer
/// kinds round toward zero and saturate (NaN gives 0); I1 stores value != 0.
void encodeFromDouble(ElementKind kind, const std::vector<double> &values,
                      void *data);

} // namespace mlir::attn::runtime

#endif // ATTN_RUNTIME_NPY_H
