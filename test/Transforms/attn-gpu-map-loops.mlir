// RUN: attn-opt %s --attn-gpu-map-loops="num-threads=64" --split-input-file | FileCheck %s

///--- attn-gpu-map-loops
/// IN:  (bufferized) scf.forall loops mapped to GPU blocks, with thread
///      foralls and copies inside.
/// OUT: a gpu.launch of 64 threads per block per block loop (grid: the trip
///      counts, static or dynamic; a query-tile loop steps by the tile
///      size), thread foralls as
///      thread-id arithmetic with a barrier after each, copies distributed
///      like the tile computations.

// CHECK-LABEL: func @block_and_thread_loops
//       CHECK:   gpu.launch blocks({{.*}}) in ({{.*}} = %[[C3:.*]], {{.*}}) threads({{.*}}) in ({{.*}} = %[[C64:.*]], {{.*}})
//   CHECK-NOT:   scf.forall
//       CHECK:     gpu.thread_id
//       CHECK:     gpu.barrier
//       CHECK:     gpu.terminator
func.func @block_and_thread_loops(%x: memref<96xf32>, %y: memref<96xf32>) {
  scf.forall (%i) = (0) to (96) step (32) {
    %xs = memref.subview %x[%i] [32] [1] : memref<96xf32> to memref<32xf32, strided<[1], offset: ?>>
    %ys = memref.subview %y[%i] [32] [1] : memref<96xf32> to memref<32xf32, strided<[1], offset: ?>>
    scf.forall (%t) in (32) {
      %v = memref.load %xs[%t] : memref<32xf32, strided<[1], offset: ?>>
      %w = arith.addf %v, %v : f32
      memref.store %w, %ys[%t] : memref<32xf32, strided<[1], offset: ?>>
    } {mapping = [#gpu.thread<linear_dim_0>]}
  } {mapping = [#gpu.block<x>]}
  return
}

// -----

// A copy left in a block becomes a linalg.copy over the threads.
// CHECK-LABEL: func @copy_in_block
//       CHECK:   gpu.launch
//   CHECK-NOT:   memref.copy
//       CHECK:     linalg.copy
//       CHECK:     gpu.barrier
func.func @copy_in_block(%x: memref<2x64xf32>, %y: memref<2x64xf32>) {
  scf.forall (%i) in (2) {
    %xs = memref.subview %x[%i, 0] [1, 64] [1, 1] : memref<2x64xf32> to memref<64xf32, strided<[1], offset: ?>>
    %ys = memref.subview %y[%i, 0] [1, 64] [1, 1] : memref<2x64xf32> to memref<64xf32, strided<[1], offset: ?>>
    memref.copy %xs, %ys : memref<64xf32, strided<[1], offset: ?>> to memref<64xf32, strided<[1], offset: ?>>
  } {mapping = [#gpu.block<x>]}
  return
}

// -----

// A dynamic grid (a dynamic batch or query length): the launch takes the
// trip count at run time.
// CHECK-LABEL: func @dynamic_grid
//       CHECK:   %[[N:.*]] = arith.ceildivsi %{{.*}}, %c2
//       CHECK:   gpu.launch blocks({{.*}}) in ({{.*}} = %[[N]], {{.*}})
func.func @dynamic_grid(%x: memref<?xf32>, %n: index) {
  scf.forall (%i) = (0) to (%n) step (2) {
    %v = memref.load %x[%i] : memref<?xf32>
    memref.store %v, %x[%i] : memref<?xf32>
  } {mapping = [#gpu.block<x>]}
  return
}
