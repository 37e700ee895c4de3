//===- RefusalReporter.h - refusals of fusion passes as remarks -*- C++ -*-===//
//
// A rewriter listener that turns `notifyMatchFailure` into MLIR remarks, so
// that the fusion and raising passes can explain, under their
// `report-refusals` option, why a candidate was left alone. Each reason is
// reported once per location.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_TRANSFORMS_REFUSALREPORTER_H
#define ATTN_LIB_TRANSFORMS_REFUSALREPORTER_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/ADT/StringSet.h"

namespace mlir {
namespace attn {

/// Turns match failures into remarks prefixed with `<passName>: `, once per
/// location and reason.
class RefusalReporter : public RewriterBase::Listener {
public:
  explicit RefusalReporter(StringRef passName) : passName(passName.str()) {}

  void
  notifyMatchFailure(Location loc,
                     function_ref<void(Diagnostic &)> reasonCallback) override {
    Diagnostic diag(loc, DiagnosticSeverity::Remark);
    reasonCallback(diag);
    std::string key;
    llvm::raw_string_ostream os(key);
    os << loc << diag.str();
    if (reported.insert(key).second) {
      emitRemark(loc) << passName << ": " << diag.str();
      locations.push_back(loc);
    }
  }

  /// The locations of the remarks reported so far.
  ArrayRef<Location> getReportedLocations() const { return locations; }

private:
  std::string passName;
  llvm::StringSet<> reported;
  SmallVector<Location> locations;
};

/// Applies `patterns` greedily under `root`; with `reportRefusals`, every
/// match failure becomes a remark prefixed with `passName`. The body of
/// every fusion and raising pass.
inline LogicalResult applyReportingRefusals(Operation *root,
                                            RewritePatternSet &&patterns,
                                            StringRef passName,
                                            bool reportRefusals,
                                            RefusalReporter *custom = nullptr) {
  RefusalReporter local(passName);
  RefusalReporter &reporter = custom ? *custom : local;
  GreedyRewriteConfig config;
  if (reportRefusals)
    config.setListener(&reporter);
  return applyPatternsGreedily(root, std::move(patterns), config);
}

} // namespace attn
} // namespace mlir

#endif // ATTN_LIB_TRANSFORMS_REFUSALREPORTER_H
