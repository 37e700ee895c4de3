//===- GpuKernels.cpp - PTX, cubin and JSON of GPU kernels ----------------===//
//
// Writes what attn-compile --target=gpu ships besides the library and the
// header: the PTX of each kernel module (the gpu.binary ops of
// attn-gpu-pipeline, format isa), a cubin assembled by ptxas when it is
// available, and a JSON description for runtimes that launch the kernels
// themselves.
//
//===----------------------------------------------------------------------===//

#include "attn/Export/Export.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::attn;

static llvm::Error makeError(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

std::vector<GpuKernelModule> mlir::attn::getGpuKernelModules(ModuleOp module) {
  std::vector<GpuKernelModule> kernels;
  for (auto binary : module.getOps<gpu::BinaryOp>())
    for (Attribute object : binary.getObjects())
      if (auto gpuObject = dyn_cast<gpu::ObjectAttr>(object))
        if (gpuObject.getFormat() == gpu::CompilationTarget::Assembly)
          kernels.push_back({binary.getSymName().str(),
                             gpuObject.getObject().getValue().str()});
  return kernels;
}

static llvm::Error writeText(StringRef path, StringRef text) {
  std::error_code ec;
  llvm::ToolOutputFile out(path, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return makeError("cannot write '" + path + "': " + ec.message());
  out.os() << text;
  out.keep();
  return llvm::Error::success();
}

/// JSON string literal of `text` (names and paths: no control characters).
static std::string quote(StringRef text) {
  std::string s = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      s += '\\';
    s += c;
  }
  return s + "\"";
}

llvm::Error mlir::attn::writeGpuKernelFiles(ArrayRef<GpuKernelModule> kernels,
                                            StringRef outputBase,
                                            StringRef chip, StringRef ptxas) {
  std::string json = "{\n  \"chip\": " + quote(chip) + ",\n  \"modules\": [";
  for (auto [i, kernel] : llvm::enumerate(kernels)) {
    std::string base = kernels.size() == 1
                           ? outputBase.str()
                           : (outputBase + "." + kernel.name).str();
    std::string ptxPath = base + ".ptx", cubinPath = base + ".cubin";
    if (llvm::Error err = writeText(ptxPath, kernel.ptx))
      return err;
    bool haveCubin = false;
    if (!ptxas.empty()) {
      SmallVector<StringRef> args = {ptxas, "-arch", chip, ptxPath, "-o",
                                     cubinPath};
      std::string error;
      if (llvm::sys::ExecuteAndWait(ptxas, args, std::nullopt, {}, 0, 0,
                                    &error) != 0)
        return makeError("ptxas failed on '" + ptxPath + "'" +
                         (error.empty() ? "" : ": " + error));
      haveCubin = true;
    }
    // Entry points, threads per block and static shared memory, read from
    // the PTX itself.
    std::string entries;
    llvm::Regex entry("\\.entry ([A-Za-z_][A-Za-z0-9_$]*)");
    StringRef rest = kernel.ptx;
    SmallVector<StringRef> matches;
    while (entry.match(rest, &matches)) {
      entries += (entries.empty() ? "" : ", ") + quote(matches[1]);
      rest = rest.drop_front(rest.find(matches[0]) + matches[0].size());
    }
    std::string threads = "null";
    llvm::Regex maxntid("\\.maxntid ([0-9]+), ([0-9]+), ([0-9]+)");
    if (maxntid.match(kernel.ptx, &matches))
      threads = "[" + matches[1].str() + ", " + matches[2].str() + ", " +
                matches[3].str() + "]";
    uint64_t shared = 0;
    llvm::Regex sharedDecl("\\.shared \\.align [0-9]+ \\.b8 [^[]+\\[([0-9]+)\\]");
    rest = kernel.ptx;
    while (sharedDecl.match(rest, &matches)) {
      shared += std::stoull(matches[1].str());
      rest = rest.drop_front(rest.find(matches[0]) + matches[0].size());
    }
    json += std::string(i ? "," : "") + "\n    {\"name\": " +
            quote(kernel.name) + ", \"ptx\": " +
            quote(llvm::sys::path::filename(ptxPath)) + ", \"cubin\": " +
            (haveCubin ? quote(llvm::sys::path::filename(cubinPath))
                       : std::string("null")) +
            ", \"entries\": [" + entries + "], \"block\": " + threads +
            ", \"static_shared_bytes\": " + std::to_string(shared) +
            ", \"dynamic_shared_bytes\": 0, \"grid\": \"computed by the C "
            "entry from the argument sizes\"}";
  }
  json += "\n  ]\n}\n";
  return writeText(outputBase.str() + ".json", json);
}
