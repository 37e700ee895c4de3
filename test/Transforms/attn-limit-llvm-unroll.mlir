// RUN: attn-opt %s --attn-limit-llvm-unroll --split-input-file | FileCheck %s
// RUN: attn-opt %s --attn-limit-llvm-unroll=inner-unroll-count=4 --split-input-file | FileCheck %s --check-prefix=COUNT
// RUN: not attn-opt %s --attn-limit-llvm-unroll=inner-unroll-count=-1 2>&1 | FileCheck %s --check-prefix=BADCOUNT

///----------------------------------------------------------------------------
/// IN:  scf.for loops just before convert-scf-to-cf.
/// OUT: loops whose iter_args carry no vector get
///      loop_annotation = #llvm.loop_annotation<unroll = <disable = true>>,
///      unless they are innermost with a static trip count;
///      with inner-unroll-count=N the vector-carrying ones get count = N.
/// Why: LLVM's runtime unrolling of the scalar loops of a dynamic-length
///      nest multiplies the IR twentyfold and costs seconds of compile time;
///      the vector loops are the hot ones and keep LLVM's unrolling.
///----------------------------------------------------------------------------

// CHECK-DAG: #[[$DISABLE:.+]] = #llvm.loop_unroll<disable = true>
// CHECK-DAG: #[[$NO_UNROLL:.+]] = #llvm.loop_annotation<unroll = #[[$DISABLE]]>

// A scalar reduction (the scalar tail of a padded block).
// CHECK-LABEL: func @scalar_reduction
//       CHECK:   scf.for
//       CHECK:   } {loop_annotation = #[[$NO_UNROLL]]}
func.func @scalar_reduction(%n: index, %m: memref<?xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %sum = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> f32 {
    %x = memref.load %m[%i] : memref<?xf32>
    %next = arith.addf %acc, %x : f32
    scf.yield %next : f32
  }
  return %sum : f32
}

// -----

// Bookkeeping loops around a loop: even with a static trip count, a loop
// that holds another one is not unrolled (its copies would copy the inner
// loop), nor is an innermost loop with a dynamic trip count.
// CHECK-LABEL: func @nested_loops
//       CHECK:   scf.for
//       CHECK:     scf.for
//       CHECK:       memref.store
//       CHECK:     } {loop_annotation = #[[$NO_UNROLL]]}
//       CHECK:   } {loop_annotation = #[[$NO_UNROLL]]}
func.func @nested_loops(%n: index, %m: memref<4x?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %j = %c0 to %n step %c1 {
      memref.store %one, %m[%i, %j] : memref<4x?xf32>
    }
  }
  return
}

// -----

// An innermost loop with a static trip count (the scalar dot products of
// dynamic-shaped tiles) is left to LLVM, whose thresholds bound it; the loop
// around it is not unrolled.
// CHECK-LABEL: func @negative_static_innermost
//       CHECK:   scf.for
//       CHECK:     scf.for
//       CHECK:       scf.yield
//  CHECK-NEXT:     }{{$}}
//  CHECK-NEXT:     memref.store
//  CHECK-NEXT:   } {loop_annotation = #[[$NO_UNROLL]]}
func.func @negative_static_innermost(%n: index, %m: memref<?x64xf32>,
                                     %o: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    %dot = scf.for %d = %c0 to %c64 step %c1 iter_args(%acc = %zero) -> f32 {
      %x = memref.load %m[%i, %d] : memref<?x64xf32>
      %y = arith.mulf %x, %x : f32
      %next = arith.addf %acc, %y : f32
      scf.yield %next : f32
    }
    memref.store %dot, %o[%i] : memref<?xf32>
  }
  return
}

// -----

// A register-blocked loop carrying vector accumulators is left to LLVM
// (or, with inner-unroll-count, gets that count).
// CHECK-LABEL: func @negative_vector_accumulator
//       CHECK:   scf.for
//   CHECK-NOT:   loop_annotation
//       CHECK:   return
// COUNT-DAG: #[[$COUNT4:.+]] = #llvm.loop_unroll<count = 4 : i32>
// COUNT-DAG: #[[$UNROLL4:.+]] = #llvm.loop_annotation<unroll = #[[$COUNT4]]>
// COUNT-LABEL: func @negative_vector_accumulator
//       COUNT:   } {loop_annotation = #[[$UNROLL4]]}
func.func @negative_vector_accumulator(%n: index, %m: memref<?x8xf32>,
                                       %s: f32) -> (vector<8xf32>, f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant dense<0.0> : vector<8xf32>
  %r:2 = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero, %t = %s)
      -> (vector<8xf32>, f32) {
    %x = vector.load %m[%i, %c0] : memref<?x8xf32>, vector<8xf32>
    %next = arith.addf %acc, %x : vector<8xf32>
    scf.yield %next, %t : vector<8xf32>, f32
  }
  return %r#0, %r#1 : vector<8xf32>, f32
}

// -----

// A loop that already says how to unroll it keeps its annotation.
// CHECK-DAG: #[[$FULL:.+]] = #llvm.loop_unroll<full = true>
// CHECK-DAG: #[[$FULL_UNROLL:.+]] = #llvm.loop_annotation<unroll = #[[$FULL]]>
// CHECK-LABEL: func @negative_annotated
//       CHECK:   } {loop_annotation = #[[$FULL_UNROLL]]}
//   CHECK-NOT:   loop_annotation
func.func @negative_annotated(%m: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %one, %m[%i] : memref<4xf32>
  } {loop_annotation = #llvm.loop_annotation<unroll = #llvm.loop_unroll<full = true>>}
  return
}

// BADCOUNT: attn-limit-llvm-unroll: inner-unroll-count must be >= 0, got -1
