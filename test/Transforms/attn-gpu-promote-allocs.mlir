// RUN: attn-opt %s --attn-gpu-promote-allocs --split-input-file | FileCheck %s

///--- attn-gpu-promote-allocs
/// IN:  a gpu.launch whose body allocates its tiles with memref.alloc.
/// OUT: each tile a workgroup attribution (shared memory) seen through a
///      memory_space_cast to the generic address space; no alloc, no
///      dealloc left in the kernel.

// CHECK-LABEL: func @tiles_in_shared_memory
//       CHECK:   gpu.launch {{.*}} workgroup(%[[S:.*]] : memref<32x16xf32, #gpu.address_space<workgroup>>, %[[R:.*]] : memref<32xf32, #gpu.address_space<workgroup>>)
//   CHECK-DAG:     memref.memory_space_cast %[[S]] : memref<32x16xf32, #gpu.address_space<workgroup>> to memref<32x16xf32>
//   CHECK-DAG:     memref.memory_space_cast %[[R]] : memref<32xf32, #gpu.address_space<workgroup>> to memref<32xf32>
//   CHECK-NOT:     memref.alloc
//   CHECK-NOT:     memref.dealloc
func.func @tiles_in_shared_memory(%out: memref<32xf32>) {
  %c1 = arith.constant 1 : index
  %c0 = arith.constant 0 : index
  %f = arith.constant 1.0 : f32
  gpu.launch blocks(%bx, %by, %bz) in (%x = %c1, %y = %c1, %z = %c1)
             threads(%tx, %ty, %tz) in (%u = %c1, %v = %c1, %w = %c1) {
    %s = memref.alloc() : memref<32x16xf32>
    %r = memref.alloc() : memref<32xf32>
    memref.store %f, %s[%c0, %c0] : memref<32x16xf32>
    %l = memref.load %s[%c0, %c0] : memref<32x16xf32>
    memref.store %l, %r[%c0] : memref<32xf32>
    %m = memref.load %r[%c0] : memref<32xf32>
    memref.store %m, %out[%c0] : memref<32xf32>
    memref.dealloc %s : memref<32x16xf32>
    memref.dealloc %r : memref<32xf32>
    gpu.terminator
  }
  return
}

// -----

// Allocations outside kernels stay.
// CHECK-LABEL: func @negative_host_alloc
//       CHECK:   memref.alloc()
//   CHECK-NOT:   workgroup
func.func @negative_host_alloc() -> memref<4xf32> {
  %a = memref.alloc() : memref<4xf32>
  return %a : memref<4xf32>
}
