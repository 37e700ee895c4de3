//===- attn-opt.cpp - Attn optimizer driver -------------------------------===//
//
// The `mlir-opt` of Attn: parses IR, runs passes and pipelines, prints IR. It
// registers the attn dialect, its passes and pipelines, and the upstream
// dialects, extensions and passes they are used with.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnDialect.h"
#include "attn/Dialect/Attn/TransformOps/AttnTransformOps.h"
#include "attn/Pipelines/Pipelines.h"
#include "attn/Transforms/Passes.h"
#include "attn/Transforms/Transforms.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/PrettyStackTrace.h"

int main(int argc, char **argv) {
  llvm::setBugReportMsg("attn-opt crashed: please report the input IR and "
                        "command line to the Attn developers.\n");
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // gpu-module-to-binary translates GPU modules to LLVM IR.
  mlir::registerAllToLLVMIRTranslations(registry);
  registry.insert<mlir::attn::AttnDialect>();
  mlir::attn::registerTransformDialectExtension(registry);
  mlir::attn::registerMpiMemoryEffectModels(registry);
  mlir::registerAllPasses();
  mlir::attn::registerAttnPasses();
  mlir::attn::registerAttnPipelines();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Attn optimizer driver\n", registry));
}
