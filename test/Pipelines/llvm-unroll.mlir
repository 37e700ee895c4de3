// RUN: attn-opt %s --pass-pipeline='builtin.module(attn-cpu-pipeline{strategy=split-kv})' | mlir-translate --mlir-to-llvmir | FileCheck %s
// RUN: attn-opt %s --pass-pipeline='builtin.module(attn-cpu-pipeline{strategy=split-kv llvm-unroll=true})' | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=UNROLL
// RUN: not attn-opt %s --pass-pipeline='builtin.module(attn-cpu-pipeline{llvm-unroll=maybe})' 2>&1 | FileCheck %s --check-prefix=BADOPT

// attn-cpu-pipeline runs attn-limit-llvm-unroll before convert-scf-to-cf
// (unless llvm-unroll=true): the unroll hint of each scalar loop reaches the
// LLVM IR as `!llvm.loop` metadata on the loop's back edge, and the vector
// loops keep theirs to LLVM. With llvm-unroll=true no loop says anything.

// BADOPT: for the --llvm-unroll option: 'maybe' is invalid value for boolean argument
// BADOPT: error: failed to add `attn-cpu-pipeline` with options `llvm-unroll=maybe`

// CHECK-LABEL: define {{.*}} @split_kv_dynamic_lq(
//       CHECK:   br label %{{[0-9]+}}, !llvm.loop ![[LOOP:[0-9]+]]
//       CHECK: ![[LOOP]] = distinct !{![[LOOP]], ![[DISABLE:[0-9]+]]}
//       CHECK: ![[DISABLE]] = !{!"llvm.loop.unroll.disable"}

// UNROLL-LABEL: define {{.*}} @split_kv_dynamic_lq(
//   UNROLL-NOT: !llvm.loop
//   UNROLL-NOT: llvm.loop.unroll
func.func @split_kv_dynamic_lq(%q: tensor<1x2x?x16xf32>, %k: tensor<1x2x40x16xf32>,
                               %v: tensor<1x2x40x16xf32>) -> tensor<1x2x?x16xf32> {
  %o = attn.sdpa %q, %k, %v
      : tensor<1x2x?x16xf32>, tensor<1x2x40x16xf32>, tensor<1x2x40x16xf32>
      -> tensor<1x2x?x16xf32>
  return %o : tensor<1x2x?x16xf32>
}
