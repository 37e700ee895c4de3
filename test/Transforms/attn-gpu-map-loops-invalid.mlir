// RUN: attn-opt %s --attn-gpu-map-loops --split-input-file -verify-diagnostics

// Limitation: the upstream mapping needs a static grid.
func.func @unsupported_dynamic_grid(%x: memref<?xf32>, %n: index) {
  // expected-error @below {{attn-gpu-map-loops: the grid of this block loop is dynamic (a dynamic batch or query length); GPU kernels need static sizes so far}}
  scf.forall (%i) in (%n) {
    %v = memref.load %x[%i] : memref<?xf32>
    memref.store %v, %x[%i] : memref<?xf32>
  } {mapping = [#gpu.block<x>]}
  return
}
