// RUN: attn-opt %s --attn-distribute-ring --split-input-file | FileCheck %s
// RUN: attn-opt %s --attn-distribute-ring --attn-distribute-ring --split-input-file | FileCheck %s --check-prefix=TWICE
// RUN: attn-opt %s --attn-distribute-ring=communicator=argument --split-input-file | FileCheck %s --check-prefix=ARG

// With communicator=argument the caller's communicator comes in as a
// trailing i64 handle.
// ARG-LABEL: func.func @ring_contiguous
// ARG-SAME: %[[HANDLE:[a-z0-9]+]]: i64) -> tensor<2x4x?x8xf32>
// ARG: %[[COMM:.*]] = builtin.unrealized_conversion_cast %[[HANDLE]] : i64 to !mpi.comm
// ARG-NOT: mpi.comm_world
// ARG: mpi.comm_rank(%[[COMM]])

// Without a visibility band: contiguous layout, one chunk per rank. The
// function takes the rank's rows; the key/value block of each step goes to
// the next rank while the previous rank's arrives; the block is one
// attn.sdpa whose tile_origin places its queries and keys in the whole
// problem (29 queries, 45 keys).
// CHECK: module attributes {dlti.map = #dlti.map<"MPI:Implementation" = "OpenMPI">}
// CHECK-LABEL: func.func @ring_contiguous
// CHECK-SAME: (%[[Q:.*]]: tensor<2x4x?x16xf32>, %[[K:.*]]: tensor<2x2x?x16xf32>, %[[V:.*]]: tensor<2x2x?x8xf32>) -> tensor<2x4x?x8xf32>
// CHECK-SAME: attn.distributed = {layout = "contiguous", mode = "ring"}
// CHECK: %[[COMM:.*]] = mpi.comm_world
// CHECK: mpi.comm_rank(%[[COMM]])
// CHECK: mpi.comm_size(%[[COMM]])
// CHECK-DAG: %[[C29:.*]] = arith.constant 29 : index
// CHECK-DAG: %[[C45:.*]] = arith.constant 45 : index
// CHECK: scf.for {{.*}} iter_args(%[[KCUR:.*]] = %[[K]], %[[VCUR:.*]] = %[[V]],
// CHECK: %[[KSEND:.*]] = bufferization.to_buffer %[[KCUR]] read_only
// CHECK: %[[KREQ:.*]] = mpi.isend({{.*}}, %c0_i32
// CHECK: %[[KRECV:.*]] = memref.alloc
// CHECK: %[[KRREQ:.*]] = mpi.irecv({{.*}}, %c0_i32
// CHECK: mpi.isend({{.*}}, %c1_i32
// CHECK: mpi.irecv({{.*}}, %c1_i32
// CHECK-NOT: scf.if
// CHECK: attn.sdpa {{.*}} tile_origin(%{{.*}}, %{{.*}}, %{{.*}}, %[[C29]], %{{.*}}, %[[C45]])
// CHECK-SAME: -> tensor<2x4x?x8xf32>, tensor<2x4x?xf32>
// CHECK: linalg.generic
// CHECK: math.exp
// CHECK: mpi.wait(%[[KREQ]])
// CHECK: mpi.wait(%[[KRREQ]])
// CHECK: bufferization.to_tensor %[[KRECV]] restrict writable
// TWICE-LABEL: func.func @ring_contiguous
// TWICE: mpi.comm_world
// TWICE-NOT: mpi.comm_world
// TWICE-LABEL: func.func @ring_zigzag
func.func @ring_contiguous(%q: tensor<2x4x29x16xf32>, %k: tensor<2x2x45x16xf32>,
                           %v: tensor<2x2x45x8xf32>) -> tensor<2x4x29x8xf32> {
  %o = attn.sdpa %q, %k, %v : tensor<2x4x29x16xf32>, tensor<2x2x45x16xf32>,
      tensor<2x2x45x8xf32> -> tensor<2x4x29x8xf32>
  return %o : tensor<2x4x29x8xf32>
}

// -----

// Causal: zig-zag layout (two chunks per rank, four block pairs per step),
// and a pair that causality hides entirely is skipped by an scf.if. The
// mask's rows are the rank's queries; its columns are sliced per block.
// CHECK-LABEL: func.func @ring_zigzag
// CHECK-SAME: tensor<1x1x?x45xi1>
// CHECK-SAME: -> (tensor<1x4x?x16xf32>, tensor<1x4x?xf32>)
// CHECK-SAME: attn.distributed = {layout = "zigzag", mode = "ring"}
// CHECK: scf.for
// CHECK-COUNT-2: mpi.isend
// CHECK: %[[VISIBLE:.*]] = arith.cmpi sle
// CHECK: scf.if %[[VISIBLE]]
// CHECK: attn.sdpa {{.*}} mask({{.*}} : tensor<1x1x?x?xi1>) kv_lens({{.*}}) tile_origin({{.*}}) {causal, scale = 2.500000e-01 : f32}
// CHECK-COUNT-3: attn.sdpa {{.*}} mask(
// CHECK-COUNT-4: mpi.wait
func.func @ring_zigzag(%q: tensor<1x4x29x16xf32>, %k: tensor<1x1x45x16xf32>,
                       %v: tensor<1x1x45x16xf32>, %m: tensor<1x1x29x45xi1>,
                       %lens: tensor<1xi32>)
    -> (tensor<1x4x29x16xf32>, tensor<1x4x29xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v mask(%m : tensor<1x1x29x45xi1>)
      kv_lens(%lens : tensor<1xi32>) {causal, scale = 0.25 : f32}
      : tensor<1x4x29x16xf32>, tensor<1x1x45x16xf32>, tensor<1x1x45x16xf32>
      -> tensor<1x4x29x16xf32>, tensor<1x4x29xf32>
  return %o, %lse : tensor<1x4x29x16xf32>, tensor<1x4x29xf32>
}

// -----

// Dynamic lengths: the whole problem's lengths are all-reduced sums of the
// ranks' lengths.
// CHECK-LABEL: func.func @ring_dynamic
// CHECK: %[[LEN:.*]] = tensor.dim %{{.*}}, %c2
// CHECK: memref.store {{.*}} : memref<1xi64>
// CHECK: mpi.allreduce({{.*}}, MPI_SUM, {{.*}}) : memref<1xi64>, memref<1xi64>
// CHECK: mpi.allreduce({{.*}}, MPI_SUM, {{.*}}) : memref<1xi64>, memref<1xi64>
// CHECK: scf.for
func.func @ring_dynamic(%q: tensor<?x2x?x16xf32>, %k: tensor<?x2x?x16xf32>,
                        %v: tensor<?x2x?x16xf32>) -> tensor<?x2x?x16xf32> {
  %o = attn.sdpa %q, %k, %v {window = array<i64: 8, 0>}
      : tensor<?x2x?x16xf32>, tensor<?x2x?x16xf32>, tensor<?x2x?x16xf32>
      -> tensor<?x2x?x16xf32>
  return %o : tensor<?x2x?x16xf32>
}

// -----

// Decoding (Lq <= 16): queries and results replicated, keys split in
// contiguous chunks, (out, lse) combined with two all-reduces (the weights
// travel as a 65th column of the weighted outputs).
// CHECK-LABEL: func.func @decode
// CHECK-SAME: (%{{.*}}: tensor<1x8x1x64xbf16>, %{{.*}}: tensor<1x2x?x64xbf16>, %{{.*}}: tensor<1x2x?x64xbf16>) -> tensor<1x8x1x64xbf16>
// CHECK-SAME: attn.distributed = {layout = "contiguous", mode = "decode"}
// CHECK-NOT: scf.for
// CHECK-NOT: mpi.isend
// CHECK: attn.sdpa {{.*}} tile_origin({{.*}}) {causal}
// CHECK: mpi.allreduce({{.*}}, MPI_MAX, {{.*}}) : memref<8xf32>, memref<8xf32>
// CHECK: tensor.insert_slice {{.*}} into tensor<1x8x1x65xf32>
// CHECK: tensor.insert_slice {{.*}}[0, 0, 0, 64] [1, 8, 1, 1] [1, 1, 1, 1] : tensor<1x8x1x1xf32> into tensor<1x8x1x65xf32>
// CHECK: mpi.allreduce({{.*}}, MPI_SUM, {{.*}}) : memref<520xf32>, memref<520xf32>
// CHECK-NOT: mpi.allreduce
func.func @decode(%q: tensor<1x8x1x64xbf16>, %k: tensor<1x2x1000x64xbf16>,
                  %v: tensor<1x2x1000x64xbf16>) -> tensor<1x8x1x64xbf16> {
  %o = attn.sdpa %q, %k, %v {causal} : tensor<1x8x1x64xbf16>,
      tensor<1x2x1000x64xbf16>, tensor<1x2x1000x64xbf16>
      -> tensor<1x8x1x64xbf16>
  return %o : tensor<1x8x1x64xbf16>
}

// -----

// A function without attention is left alone, and so is the module.
// CHECK-NOT: dlti.map
// CHECK-LABEL: func.func @negative_no_attention
// CHECK-NOT: mpi.
func.func @negative_no_attention(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
