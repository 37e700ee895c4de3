// RUN: attn-opt %s --attn-gpu-align-shared | FileCheck %s
// RUN: attn-opt %s --attn-gpu-align-shared=alignment=32 | FileCheck %s --check-prefix=A32
// RUN: not attn-opt %s --attn-gpu-align-shared=alignment=12 2>&1 | FileCheck %s --check-prefix=BAD

///--- attn-gpu-align-shared
/// IN:  gpu.func kernels with workgroup attributions.
/// OUT: each attribution aligned to `alignment` bytes (llvm.align), a
///      larger alignment kept.

// CHECK-LABEL: gpu.func @kernel
//  CHECK-SAME:   workgroup(%{{.*}} : memref<32x64xf16, #gpu.address_space<workgroup>> {llvm.align = 16 : i64}, %{{.*}} : memref<8xf32, #gpu.address_space<workgroup>> {llvm.align = 64 : i64})
// A32-LABEL: gpu.func @kernel
//  A32-SAME:   {llvm.align = 32 : i64}, %{{.*}} : memref<8xf32, #gpu.address_space<workgroup>> {llvm.align = 64 : i64})
// BAD: attn-gpu-align-shared: alignment must be a power of 2, got 12
gpu.module @kernels {
  gpu.func @kernel(%o: memref<f16>)
      workgroup(%a : memref<32x64xf16, #gpu.address_space<workgroup>>,
                %b : memref<8xf32, #gpu.address_space<workgroup>> {llvm.align = 64 : i64}) kernel {
    %c0 = arith.constant 0 : index
    %v = memref.load %a[%c0, %c0] : memref<32x64xf16, #gpu.address_space<workgroup>>
    memref.store %v, %o[] : memref<f16>
    gpu.return
  }
}
