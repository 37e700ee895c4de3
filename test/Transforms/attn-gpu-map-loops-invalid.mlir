// RUN: attn-opt %s --attn-gpu-map-loops --split-input-file -verify-diagnostics

// Code outside the kernels must not touch the (device) buffers.
func.func @negative_host_copy(%x: memref<4xf32>, %y: memref<4xf32>) {
  // expected-error @below {{attn-gpu-map-loops: this op would run on the host, on device memory: the GPU path compiles attention (attn.sdpa and what fuses or raises to it), not other computations or copies}}
  memref.copy %x, %y : memref<4xf32> to memref<4xf32>
  return
}

// -----

// A loop not mapped to blocks is not made a kernel: it stays on the host,
// where it may not touch the (device) buffers.
func.func @negative_unmapped(%x: memref<4xf32>) {
  scf.forall (%i) in (4) {
    // expected-error @below {{attn-gpu-map-loops: this op would run on the host}}
    %v = memref.load %x[%i] : memref<4xf32>
    memref.store %v, %x[%i] : memref<4xf32>
  }
  return
}
