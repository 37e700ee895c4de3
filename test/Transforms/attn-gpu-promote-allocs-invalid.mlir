// RUN: attn-opt %s --attn-gpu-promote-allocs="max-bytes=1024" --split-input-file -verify-diagnostics

// A dynamic tile cannot live in shared memory.
func.func @unsupported_dynamic_alloc(%n: index) {
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%x = %c1, %y = %c1, %z = %c1)
             threads(%tx, %ty, %tz) in (%u = %c1, %v = %c1, %w = %c1) {
    // expected-error @below {{attn-gpu-promote-allocs: a buffer of a GPU block must have a static shape and the default memory space, got 'memref<?xf32>'}}
    %s = memref.alloc(%n) : memref<?xf32>
    gpu.terminator
  }
  return
}

// -----

// More shared memory than max-bytes.
func.func @unsupported_too_much_shared_memory() {
  %c1 = arith.constant 1 : index
  // expected-error @below {{attn-gpu-promote-allocs: the block's buffers need 2048 bytes of shared memory, more than 1024 (choose smaller tiles)}}
  gpu.launch blocks(%bx, %by, %bz) in (%x = %c1, %y = %c1, %z = %c1)
             threads(%tx, %ty, %tz) in (%u = %c1, %v = %c1, %w = %c1) {
    %s = memref.alloc() : memref<512xf32>
    gpu.terminator
  }
  return
}

// -----

// A buffer of per-thread code (under a condition) cannot be shared.
func.func @negative_conditional_alloc(%c: i1) {
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%x = %c1, %y = %c1, %z = %c1)
             threads(%tx, %ty, %tz) in (%u = %c1, %v = %c1, %w = %c1) {
    scf.if %c {
      // expected-error @below {{attn-gpu-promote-allocs: a buffer allocated under a condition (per-thread code) cannot be shared by the block}}
      %s = memref.alloc() : memref<4xf32>
    }
    gpu.terminator
  }
  return
}
