// RUN: attn-opt %s --split-input-file --finalize-memref-to-llvm --attn-convert-mpi-to-llvm --convert-to-llvm --reconcile-unrealized-casts 2>&1 | FileCheck %s --implicit-check-not="error:"

// OpenMPI: handles are pointers to predefined objects. Non-blocking
// transfers move the whole buffer (every dimension) as bytes, so bf16 and
// rank-3 buffers work; a count above 2^31 - 1 becomes the invalid -1.
// CHECK: llvm.func @MPI_Wait(!llvm.ptr, !llvm.ptr) -> i32
// CHECK: llvm.func @MPI_Irecv(!llvm.ptr, i32, !llvm.ptr, i32, i32, !llvm.ptr, !llvm.ptr) -> i32
// CHECK: llvm.func @MPI_Isend(!llvm.ptr, i32, !llvm.ptr, i32, i32, !llvm.ptr, !llvm.ptr) -> i32
// CHECK: llvm.mlir.global external @ompi_mpi_byte()
// CHECK: llvm.func @MPI_Comm_size(!llvm.ptr, !llvm.ptr) -> i32
// CHECK-LABEL: llvm.func @point_to_point
// CHECK: llvm.call @MPI_Comm_size
// CHECK: %[[ONE:.*]] = llvm.mlir.constant(1 : i64) : i64
// CHECK: %[[N0:.*]] = llvm.mul %[[ONE]], %{{.*}} : i64
// CHECK: %[[N1:.*]] = llvm.mul %[[N0]], %{{.*}} : i64
// CHECK: %[[N:.*]] = llvm.mul %[[N1]], %{{.*}} : i64
// CHECK: %[[TWO:.*]] = llvm.mlir.constant(2 : i64) : i64
// CHECK: %[[BYTES:.*]] = llvm.mul %[[N]], %[[TWO]] : i64
// CHECK: %[[FITS:.*]] = llvm.icmp "ule" %[[BYTES]]
// CHECK: %[[COUNT:.*]] = llvm.select %[[FITS]], %[[BYTES]]
// CHECK: %[[COUNT32:.*]] = llvm.trunc %[[COUNT]] : i64 to i32
// CHECK: %[[BYTE:.*]] = llvm.mlir.addressof @ompi_mpi_byte
// CHECK: %[[REQ:.*]] = llvm.alloca %{{.*}} x !llvm.ptr
// CHECK: llvm.call @MPI_Isend(%{{.*}}, %[[COUNT32]], %[[BYTE]], %{{.*}}, %{{.*}}, %{{.*}}, %[[REQ]])
// CHECK: llvm.call @MPI_Irecv
// CHECK: llvm.call @MPI_Wait
// CHECK: llvm.call @MPI_Wait
module attributes {dlti.map = #dlti.map<"MPI:Implementation" = "OpenMPI">} {
  func.func @point_to_point(%buf: memref<2x?x4xbf16>, %out: memref<2x?x4xbf16>) -> i32 {
    %comm = mpi.comm_world : !mpi.comm
    %rank = mpi.comm_rank(%comm) : i32
    %size = mpi.comm_size(%comm) : i32
    %tag = arith.constant 7 : i32
    %r1 = mpi.isend(%buf, %tag, %rank, %comm) : memref<2x?x4xbf16>, i32, i32 -> !mpi.request
    %r2 = mpi.irecv(%out, %tag, %rank, %comm) : memref<2x?x4xbf16>, i32, i32 -> !mpi.request
    mpi.wait(%r1) : !mpi.request
    mpi.wait(%r2) : !mpi.request
    return %size : i32
  }
}

// -----

// All-reduce: OpenMPI's predefined operations are ompi_mpi_op_*, and the
// count is every element of the buffer.
// CHECK-LABEL: llvm.func @reduce
// CHECK-DAG: llvm.mlir.addressof @ompi_mpi_float
// CHECK-DAG: llvm.mlir.addressof @ompi_mpi_op_max
// CHECK: %[[C1:.*]] = llvm.mlir.constant(1 : i64) : i64
// CHECK: %[[N0:.*]] = llvm.mul %[[C1]], %{{.*}} : i64
// CHECK: %[[N:.*]] = llvm.mul %[[N0]], %{{.*}} : i64
// CHECK: llvm.call @MPI_Allreduce
// CHECK: llvm.mlir.addressof @ompi_mpi_op_sum
// CHECK: llvm.call @MPI_Allreduce
module attributes {dlti.map = #dlti.map<"MPI:Implementation" = "OpenMPI">} {
  func.func @reduce(%a: memref<3x5xf32>, %b: memref<3x5xf32>, %c: memref<1xi64>, %d: memref<1xi64>) {
    %comm = mpi.comm_world : !mpi.comm
    mpi.allreduce(%a, %b, MPI_MAX, %comm) : memref<3x5xf32>, memref<3x5xf32>
    mpi.allreduce(%c, %d, MPI_SUM, %comm) : memref<1xi64>, memref<1xi64>
    return
  }
}

// -----

// MPICH (no DLTI entry, and no diagnostic for it): 32-bit handles and
// constants.
// CHECK-LABEL: llvm.func @mpich
// CHECK: %[[WORLD:.*]] = llvm.mlir.constant(1140850688 : i64) : i64
// CHECK: %[[BYTE:.*]] = llvm.mlir.constant(1275068685 : i32) : i32
// CHECK: %[[COMM:.*]] = llvm.trunc %[[WORLD]] : i64 to i32
// CHECK: llvm.call @MPI_Isend(%{{.*}}, %{{.*}}, %[[BYTE]], %{{.*}}, %{{.*}}, %[[COMM]]
// CHECK: llvm.call @MPI_Wait
// CHECK: %[[SUM:.*]] = llvm.mlir.constant(1476395011 : i32) : i32
// CHECK: llvm.call @MPI_Allreduce(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[SUM]]
func.func @mpich(%buf: memref<8xf32>, %out: memref<8xf32>) {
  %comm = mpi.comm_world : !mpi.comm
  %tag = arith.constant 1 : i32
  %dest = arith.constant 0 : i32
  %r = mpi.isend(%buf, %tag, %dest, %comm) : memref<8xf32>, i32, i32 -> !mpi.request
  mpi.wait(%r) : !mpi.request
  mpi.allreduce(%buf, %out, MPI_SUM, %comm) : memref<8xf32>, memref<8xf32>
  return
}
