// RUN: attn-opt %s --attn-omp-dynamic-schedule --split-input-file | FileCheck %s

///----------------------------------------------------------------------------
/// IN:  omp.wsloop ops (what convert-scf-to-openmp makes of tile loops).
/// OUT: the ones without a schedule get schedule(dynamic).
/// Why: causal query tiles cost in proportion to their position; a static
///      split gives one thread most of the work. A chosen schedule is kept.
///----------------------------------------------------------------------------

// CHECK-LABEL: func @tile_loop
//       CHECK:   omp.wsloop schedule(dynamic) {
func.func @tile_loop(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%n) step (%c1) {
        omp.yield
      }
    }
    omp.terminator
  }
  return
}

// -----

// CHECK-LABEL: func @negative_scheduled
//       CHECK:   omp.wsloop schedule(static) {
func.func @negative_scheduled(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  omp.parallel {
    omp.wsloop schedule(static) {
      omp.loop_nest (%i) : index = (%c0) to (%n) step (%c1) {
        omp.yield
      }
    }
    omp.terminator
  }
  return
}
