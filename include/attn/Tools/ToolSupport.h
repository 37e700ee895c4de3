//===- ToolSupport.h - What attn-run and attn-compile share -----*- C++ -*-===//
//
// The driver plumbing of the tools: the command line (with the `--threads`
// flag libLLVM's own option would shadow), the dialect registry, reading and
// verifying the input file with located diagnostics, and one-line errors.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_TOOLS_TOOLSUPPORT_H
#define ATTN_TOOLS_TOOLSUPPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LLVM.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/SourceMgr.h"

#include <memory>

namespace mlir {
class SourceMgrDiagnosticHandler;

namespace attn {

/// Parses the command line of tool `toolName` into the options of
/// `category` (the only ones shown by --help) and `threads` (`--threads=N`,
/// taken out of argv first). Prints an error and returns false when the
/// threads value is not an integer; exits on other parse errors, as
/// llvm::cl does.
bool parseToolCommandLine(int argc, char **argv, StringRef toolName,
                          llvm::cl::OptionCategory &category,
                          StringRef overview, int &threads);

/// The main function of a tool: parses the command line (as
/// parseToolCommandLine), creates a context with the dialects of
/// registerToolDialects and returns `body`'s exit status.
int runToolMain(int argc, char **argv, StringRef toolName,
                llvm::cl::OptionCategory &category, StringRef overview,
                int &threads, function_ref<int(MLIRContext &)> body);

/// Every upstream dialect, extension and LLVM IR translation, and attn.
void registerToolDialects(DialectRegistry &registry);

/// The input file of a tool, parsed and verified, with the diagnostic
/// handler that locates every later diagnostic in it.
class ToolInput {
public:
  /// Reads and parses `path`. Prints an error (located for parse and
  /// verifier errors) and returns null on failure.
  static std::unique_ptr<ToolInput> load(StringRef path, StringRef toolName,
                                         MLIRContext &context);
  ~ToolInput();

  ModuleOp getModule() { return *module; }

private:
  ToolInput() = default;

  llvm::SourceMgr sourceMgr;
  std::unique_ptr<SourceMgrDiagnosticHandler> handler;
  OwningOpRef<ModuleOp> module;
};

/// Prints "<toolName>: error: <message>" and returns 1 (an exit status).
int reportToolError(StringRef toolName, const Twine &message);
/// The same for an llvm::Error.
int reportToolError(StringRef toolName, llvm::Error error);

} // namespace attn
} // namespace mlir

#endif // ATTN_TOOLS_TOOLSUPPORT_H
