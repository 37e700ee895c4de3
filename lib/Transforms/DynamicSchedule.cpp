//===- DynamicSchedule.cpp - balanced OpenMP schedules for tile loops -----===//
//
// Implements `attn-omp-dynamic-schedule`: the worksharing loops that
// convert-scf-to-openmp makes of the tile loops get a dynamic schedule, so
// that tiles of unequal cost (the query tiles of causal attention, whose
// work grows with their position) are balanced across threads.
//
//===----------------------------------------------------------------------===//

#include "attn/Transforms/Passes.h"

#include "mlir/Dialect/OpenMP/OpenMPDialect.h"

#include "llvm/Support/DebugLog.h"

#define DEBUG_TYPE "attn-omp-dynamic-schedule"

namespace mlir {
namespace attn {
#define GEN_PASS_DEF_ATTNOMPDYNAMICSCHEDULEPASS
#include "attn/Transforms/Passes.h.inc"
} // namespace attn
} // namespace mlir

using namespace mlir;

namespace {
struct AttnOmpDynamicSchedulePass
    : attn::impl::AttnOmpDynamicSchedulePassBase<AttnOmpDynamicSchedulePass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    getOperation()->walk([&](omp::WsloopOp loop) {
      // A schedule somebody chose is kept.
      if (loop.getScheduleKindAttr()) {
        LDBG() << "kept the schedule of the loop at " << loop.getLoc();
        return;
      }
      LDBG() << "dynamic schedule for the loop at " << loop.getLoc();
      loop.setScheduleKindAttr(omp::ClauseScheduleKindAttr::get(
          ctx, omp::ClauseScheduleKind::Dynamic));
    });
  }
};
} // namespace
