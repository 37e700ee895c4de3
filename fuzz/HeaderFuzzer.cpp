//===- HeaderFuzzer.cpp - attn-fuzz-header: the C ABI of random signatures ===//
//
// The input bytes choose a function signature: its name (C identifiers, C
// keywords, names that are not identifiers), arguments (tensors of rank 0-5
// with static, dynamic, 0 and huge sizes, scalars, element types Attn
// exports and ones it does not) and results (arguments passed through,
// tensors sized by tensor.dim of an argument, by an index argument, or not
// at all). attn-compile's export steps run on it: the description
// (prepareExport), the C header and the LLVM type of the C entry. Each
// either succeeds, with a header whose brackets balance and that names the
// function, or refuses with a diagnostic.
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"

#include "attn/Export/Export.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <string>
#include <vector>

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ByteReader in(data, size);
  static const char *const names[] = {
      "attention", "f",     "_x1",  "int",   "return", "main", "q",
      "int64_t",   "1abc",  "a.b",  "_Bool", "restrict", "__attn_impl_f",
      "static",    "x_y_z", "while"};
  static const char *const elements[] = {"f32", "f16", "bf16", "f64", "i32",
                                         "i64", "i1",  "i8",   "f8E4M3FN",
                                         "index", "complex<f32>"};
  static const int64_t sizes[] = {0, 1, 2, 7, 64, 1 << 20,
                                  int64_t(1) << 40};
  std::string name = names[in.pick(std::size(names))];
  unsigned numArgs = in.pick(6);
  std::vector<std::string> argTypes;
  std::vector<unsigned> argRanks;
  for (unsigned i = 0; i < numArgs; ++i) {
    std::string elt = elements[in.pick(std::size(elements))];
    if (in.pick(5) == 0) { // A scalar.
      argTypes.push_back(elt);
      argRanks.push_back(~0u);
      continue;
    }
    unsigned rank = in.pick(6);
    std::string t = "tensor<";
    for (unsigned d = 0; d < rank; ++d)
      t += (in.pick(3) == 0 ? std::string("?")
                            : std::to_string(sizes[in.pick(std::size(sizes))])) +
           "x";
    argTypes.push_back(t + elt + ">");
    argRanks.push_back(rank);
  }

  std::string body, results, resultTypes;
  unsigned numResults = in.pick(4);
  for (unsigned r = 0; r < numResults; ++r) {
    std::string value = "%r" + std::to_string(r);
    unsigned how = in.pick(3);
    // 0: an argument passed through; 1: tensor.empty sized by tensor.dim of
    // an argument; 2: tensor.empty with a size no argument determines.
    int source = -1;
    for (unsigned i = 0; i < numArgs && source < 0; ++i) {
      unsigned a = (i + in.pick(8)) % numArgs;
      if (argRanks[a] != ~0u)
        source = a;
    }
    if (how == 0 && source >= 0) {
      body += "  " + value + " = tensor.cast %a" + std::to_string(source) +
              " : " + argTypes[source] + " to " + argTypes[source] + "\n";
      resultTypes += (r ? ", " : "") + argTypes[source];
    } else if (how == 1 && source >= 0 && argRanks[source] > 0) {
      unsigned d = in.pick(argRanks[source]);
      body += "  %c" + std::to_string(r) + " = arith.constant " +
              std::to_string(d) + " : index\n  %d" + std::to_string(r) +
              " = tensor.dim %a" + std::to_string(source) + ", %c" +
              std::to_string(r) + " : " + argTypes[source] + "\n  " + value +
              " = tensor.empty(%d" + std::to_string(r) + ") : tensor<?xf32>\n";
      resultTypes += std::string(r ? ", " : "") + "tensor<?xf32>";
    } else {
      body += "  %n" + std::to_string(r) + " = arith.constant " +
              std::to_string(in.pick(9)) + " : index\n  " + value +
              " = tensor.empty(%n" + std::to_string(r) +
              ") : tensor<?x4xf16>\n";
      resultTypes += std::string(r ? ", " : "") + "tensor<?x4xf16>";
    }
    results += (r ? ", " : "") + value;
  }
  std::string args;
  for (unsigned i = 0; i < numArgs; ++i)
    args += (i ? ", %a" : "%a") + std::to_string(i) + ": " + argTypes[i];
  std::string source = "func.func @\"" + name + "\"(" + args + ") -> (" +
                       resultTypes + ") {\n" + body + "  return " + results +
                       (numResults ? " : " + resultTypes : "") + "\n}\n";
  if (std::getenv("ATTN_FUZZ_PRINT"))
    llvm::errs() << source;

  MLIRContext &context = getFuzzContext();
  ParserConfig config(&context);
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(source, config, "fuzz-input");
  if (!module || failed(verify(*module)))
    return 0;
  auto func = *module->getOps<func::FuncOp>().begin();
  FailureOr<std::vector<ExportedFunction>> exported =
      prepareExport(*module, {func}, /*requireCName=*/true);
  if (failed(exported))
    return 0;
  std::string header;
  llvm::raw_string_ostream os(header);
  CHeaderInfo info;
  info.inputName = "fuzz.mlir";
  info.guardBase = "fuzz";
  writeCHeader(os, *exported, info);
  (void)getCFunctionType(&context, (*exported)[0]);
  // The header declares the function, and its brackets balance.
  if (header.find(" " + name + "(") == std::string::npos ||
      llvm::count(header, '(') != llvm::count(header, ')') ||
      llvm::count(header, '{') != llvm::count(header, '}'))
    std::abort();
  return 0;
}
