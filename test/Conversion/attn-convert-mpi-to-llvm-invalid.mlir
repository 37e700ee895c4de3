// RUN: attn-opt %s --attn-convert-mpi-to-llvm -verify-diagnostics

// A strided buffer is not one contiguous run of bytes: the transfer is not
// lowered, and the conversion says which op it could not legalize.
module attributes {dlti.map = #dlti.map<"MPI:Implementation" = "OpenMPI">} {
  func.func @negative_strided(%buf: memref<4x4xf32, strided<[8, 2]>>) {
    %comm = mpi.comm_world : !mpi.comm
    %tag = arith.constant 0 : i32
    // expected-error @+1 {{failed to legalize operation 'mpi.isend'}}
    %r = mpi.isend(%buf, %tag, %tag, %comm) : memref<4x4xf32, strided<[8, 2]>>, i32, i32 -> !mpi.request
    mpi.wait(%r) : !mpi.request
    return
  }
}
