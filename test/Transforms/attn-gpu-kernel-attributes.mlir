// RUN: attn-opt %s --attn-gpu-kernel-attributes | FileCheck %s
// RUN: attn-opt %s --attn-gpu-kernel-attributes="shared-alignment=32 min-blocks-per-sm=0" | FileCheck %s --check-prefix=A32
// RUN: not attn-opt %s --attn-gpu-kernel-attributes=shared-alignment=12 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not attn-opt %s --attn-gpu-kernel-attributes=min-blocks-per-sm=-1 2>&1 | FileCheck %s --check-prefix=BADMIN

///--- attn-gpu-kernel-attributes
/// IN:  gpu.func kernels with workgroup attributions.
/// OUT: each attribution aligned to `shared-alignment` bytes (llvm.align),
///      a larger alignment kept; `nvvm.minctasm = min-blocks-per-sm` on
///      each kernel (none with 0, an existing one kept). Non-kernel
///      functions are left alone.

// CHECK-LABEL: gpu.func @kernel
//  CHECK-SAME:   workgroup(%{{.*}} : memref<32x64xf16, #gpu.address_space<workgroup>> {llvm.align = 16 : i64}, %{{.*}} : memref<8xf32, #gpu.address_space<workgroup>> {llvm.align = 64 : i64})
//  CHECK-SAME:   kernel attributes {nvvm.minctasm = 1 : i32}
// CHECK-LABEL: gpu.func @kernel_with_occupancy
//  CHECK-SAME:   {nvvm.minctasm = 4 : i32}
// CHECK-LABEL: gpu.func @helper
//   CHECK-NOT:   llvm.align
//   CHECK-NOT:   minctasm
// A32-LABEL: gpu.func @kernel
//  A32-SAME:   {llvm.align = 32 : i64}, %{{.*}} : memref<8xf32, #gpu.address_space<workgroup>> {llvm.align = 64 : i64}) kernel {
// BAD: attn-gpu-kernel-attributes: shared-alignment must be a power of 2, got 12
// BADMIN: attn-gpu-kernel-attributes: min-blocks-per-sm must be >= 0, got -1
gpu.module @kernels {
  gpu.func @kernel(%o: memref<f16>)
      workgroup(%a : memref<32x64xf16, #gpu.address_space<workgroup>>,
                %b : memref<8xf32, #gpu.address_space<workgroup>> {llvm.align = 64 : i64}) kernel {
    %c0 = arith.constant 0 : index
    %v = memref.load %a[%c0, %c0] : memref<32x64xf16, #gpu.address_space<workgroup>>
    memref.store %v, %o[] : memref<f16>
    gpu.return
  }
  gpu.func @kernel_with_occupancy(%o: memref<f16>) kernel attributes {nvvm.minctasm = 4 : i32} {
    gpu.return
  }
  gpu.func @helper(%o: memref<f16>) {
    gpu.return
  }
}
