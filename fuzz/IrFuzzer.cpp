//===- IrFuzzer.cpp - attn-fuzz-ir: passes on mutated IR ------------------===//
//
// The input is one selector byte followed by MLIR text: the text is parsed,
// verified and, when it verifies, run through the pass or pipeline the
// selector names. The seed corpus (scripts/fuzz.sh) is every test input
// under test/ (each split-input-file chunk) behind each selector.
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"

#include <iterator>

using namespace mlir::attn::fuzz;

static const char *const kPipelines[] = {
    "",
    "builtin.module(canonicalize,cse)",
    "builtin.module(attn-fuse)",
    "builtin.module(attn-fuse-qkv)",
    "builtin.module(attn-decompose-mha)",
    "builtin.module(attn-lower-unfused)",
    "builtin.module(attn-tile-flash)",
    "builtin.module(attn-tile-flash{tile-q=3 tile-kv=5 static-blocks=true})",
    "builtin.module(attn-split-kv{num-splits=3 tile-kv=4})",
    "builtin.module(attn-raise-linalg)",
    "builtin.module(attn-raise-tosa)",
    "builtin.module(attn-cpu-pipeline)",
    "builtin.module(attn-cpu-pipeline{strategy=unfused vector-bits=0})",
    "builtin.module(attn-cpu-pipeline{strategy=split-kv vector-bits=512 "
    "threads=2})",
    "builtin.module(attn-cpu-pipeline{tile-q=16 tile-kv=8 vector-bits=128 "
    "runtime-checks=true})",
    "builtin.module(attn-distribute-ring{communicator=argument})",
    "builtin.module(attn-cpu-pipeline{distribute=ring strategy=split-kv "
    "tile-kv=8})",
};

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ByteReader reader(data, size);
  unsigned selector = reader.pick(std::size(kPipelines));
  parseAndRun(reader.rest(), kPipelines[selector]);
  return 0;
}
