//===- GenFuzzer.cpp - attn-fuzz-gen: random valid attn IR ----------------===//
//
// A structure-aware fuzzer: the input bytes choose a program rather than
// being one. Each input builds one function around attn.sdpa (every operand
// and attribute of DESIGN §2: masks of both kinds with broadcast, kv_lens,
// causal, window, softcap, scale, score_mod, lse, GQA, Dk != Dv), attn.mha,
// or the decomposed chain (linear, split_heads, scores, mask, softmax,
// context, merge_heads), on shapes that include 0, 1 and dynamic sizes and
// on f32/f16/bf16, then runs it through one of the pipelines with options
// also chosen by the input. Programs the verifier rejects are allowed (the
// generator aims at valid ones); a crash or sanitizer report is a finding.
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <string>
#include <vector>

using namespace mlir::attn::fuzz;

namespace {
/// A dimension: a static size or `?`.
struct Dim {
  int64_t size;
  bool dynamic;
};

std::string shape(std::initializer_list<Dim> dims, llvm::StringRef elt) {
  std::string s = "tensor<";
  for (const Dim &d : dims)
    s += (d.dynamic ? std::string("?") : std::to_string(d.size)) + "x";
  return s + elt.str() + ">";
}

class Generator {
public:
  explicit Generator(ByteReader &in) : in(in) {}

  /// A size from `choices`, dynamic with probability 1/4 when allowed.
  Dim size(std::initializer_list<int64_t> choices, bool mayBeDynamic) {
    int64_t s = *(choices.begin() + in.pick(choices.size()));
    return {s, mayBeDynamic && in.pick(4) == 0};
  }
  llvm::StringRef floatType() {
    static const char *const types[] = {"f32", "f16", "bf16"};
    return types[in.pick(3)];
  }

  std::string sdpa();
  std::string mha();
  std::string decomposed();
  std::string pipeline();

private:
  ByteReader &in;
};
} // namespace

std::string Generator::sdpa() {
  Dim b = size({0, 1, 2, 3}, true), lq = size({0, 1, 2, 5, 17, 64}, true),
      lk = size({0, 1, 3, 16, 33, 130}, true);
  int64_t hkv = 1 + in.pick(3), group = 1 + in.pick(3), hq = hkv * group;
  int64_t d = *(std::initializer_list<int64_t>{1, 4, 8, 16, 64}.begin() +
                in.pick(5));
  int64_t dv = in.flag() ? d : 1 + in.pick(24);
  llvm::StringRef elt = floatType();
  Dim H{hq, false}, Hk{hkv, false}, D{d, false}, Dv{dv, false};
  std::string tq = shape({b, H, lq, D}, elt), tk = shape({b, Hk, lk, D}, elt),
              tv = shape({b, Hk, lk, Dv}, elt), to = shape({b, H, lq, Dv}, elt);
  std::string args = "%q: " + tq + ", %k: " + tk + ", %v: " + tv;
  std::string operands = "%q, %k, %v";
  unsigned maskKind = in.pick(4); // none, float, bool, float broadcast
  if (maskKind) {
    Dim mb = maskKind == 3 ? Dim{1, false} : b;
    Dim mh = maskKind == 3 || in.flag() ? Dim{1, false} : H;
    std::string tm = shape({mb, mh, lq, lk}, maskKind == 2 ? "i1" : elt);
    args += ", %m: " + tm;
    operands += " mask(%m : " + tm + ")";
  }
  if (in.flag()) {
    std::string tl = shape({b}, "i32");
    args += ", %lens: " + tl;
    operands += " kv_lens(%lens : " + tl + ")";
  }
  std::vector<std::string> attrs;
  if (in.flag())
    attrs.push_back("causal");
  if (in.flag())
    attrs.push_back("window = array<i64: " + std::to_string(in.pick(40)) +
                    ", " + std::to_string(int(in.pick(8)) - 2) + ">");
  if (in.flag())
    attrs.push_back("softcap = " + std::to_string(0.5 + in.pick(60)) + " : f32");
  if (in.flag())
    attrs.push_back("scale = " + std::to_string(0.01 * (1 + in.pick(200))) +
                    " : f32");
  bool lse = in.flag();
  std::string body = "  %o";
  if (lse)
    body += ", %lse";
  body += " = attn.sdpa " + operands;
  if (!attrs.empty())
    body += " {" + llvm::join(attrs, ", ") + "}";
  switch (in.pick(4)) {
  case 1: // ALiBi-like bias from the indices.
    body += " score_mod {\n  ^bb0(%s: f32, %bi: index, %h: index, %i: index, "
            "%j: index):\n    %d = arith.subi %j, %i : index\n    %di = "
            "arith.index_cast %d : index to i64\n    %df = arith.sitofp %di : "
            "i64 to f32\n    %r = arith.addf %s, %df : f32\n    attn.yield %r "
            ": f32\n  }";
    break;
  case 2: // A head-dependent scaling and a tanh.
    body += " score_mod {\n  ^bb0(%s: f32, %bi: index, %h: index, %i: index, "
            "%j: index):\n    %hi = arith.index_cast %h : index to i32\n    "
            "%hf = arith.sitofp %hi : i32 to f32\n    %t = math.tanh %s : "
            "f32\n    %r = arith.mulf %t, %hf : f32\n    attn.yield %r : "
            "f32\n  }";
    break;
  case 3: // A data-dependent mask inside the modifier.
    body += " score_mod {\n  ^bb0(%s: f32, %bi: index, %h: index, %i: index, "
            "%j: index):\n    %c = arith.cmpi ugt, %j, %i : index\n    %ninf "
            "= arith.constant 0xFF800000 : f32\n    %r = arith.select %c, "
            "%ninf, %s : f32\n    attn.yield %r : f32\n  }";
    break;
  default:
    break;
  }
  std::string results = to;
  std::string lseType = shape({b, H, lq}, "f32");
  body += " : " + tq + ", " + tk + ", " + tv + " -> " + to;
  if (lse) {
    body += ", " + lseType;
    results += ", " + lseType;
  }
  body += "\n  return %o" + std::string(lse ? ", %lse : " : " : ") + results +
          "\n";
  return "func.func @gen(" + args + ") -> (" + results + ") {\n" + body +
         "}\n";
}

std::string Generator::mha() {
  Dim b = size({0, 1, 2}, true), l = size({0, 1, 4, 19}, true);
  int64_t hkv = 1 + in.pick(3), hq = hkv * (1 + in.pick(3));
  int64_t d = 1 + in.pick(8), dv = in.flag() ? d : 1 + in.pick(8);
  int64_t e = 1 + in.pick(32), eo = in.flag() ? e : 1 + in.pick(32);
  llvm::StringRef elt = floatType();
  Dim E{e, false}, Eo{eo, false};
  std::string tx = shape({b, l, E}, elt),
              twq = shape({E, Dim{hq * d, false}}, elt),
              twk = shape({E, Dim{hkv * d, false}}, elt),
              twv = shape({E, Dim{hkv * dv, false}}, elt),
              two = shape({Dim{hq * dv, false}, Eo}, elt),
              ty = shape({b, l, Eo}, elt);
  std::string attrs = "num_heads = " + std::to_string(hq) + " : i64";
  if (hkv != hq || in.flag())
    attrs += ", num_kv_heads = " + std::to_string(hkv) + " : i64";
  if (in.flag())
    attrs += ", causal";
  return "func.func @gen(%x: " + tx + ", %wq: " + twq + ", %wk: " + twk +
         ", %wv: " + twv + ", %wo: " + two + ") -> " + ty +
         " {\n  %y = attn.mha %x, %wq, %wk, %wv, %wo {" + attrs + "} : " + tx +
         ", " + twq + ", " + twk + ", " + twv + ", " + two + " -> " + ty +
         "\n  return %y : " + ty + "\n}\n";
}

std::string Generator::decomposed() {
  Dim b = size({0, 1, 2}, true), l = size({0, 1, 6, 33}, true);
  int64_t h = 1 + in.pick(4), d = 1 + in.pick(8);
  llvm::StringRef elt = floatType();
  Dim H{h, false}, D{d, false}, E{h * d, false};
  std::string tx = shape({b, l, E}, elt), tw = shape({E, E}, elt),
              th = shape({b, H, l, D}, elt), ts = shape({b, H, l, l}, elt);
  std::string maskAttrs;
  std::vector<std::string> attrs;
  if (in.flag())
    attrs.push_back("causal");
  if (in.flag())
    attrs.push_back("window = array<i64: " + std::to_string(in.pick(9)) +
                    ", " + std::to_string(in.pick(3)) + ">");
  if (!attrs.empty())
    maskAttrs = " {" + llvm::join(attrs, ", ") + "}";
  std::string scoreAttrs =
      in.flag() ? " {softcap = 20.0 : f32, scale = 0.5 : f32}" : "";
  return "func.func @gen(%x: " + tx + ", %w: " + tw + ") -> " + tx +
         " {\n  %p = attn.linear %x, %w : " + tx + ", " + tw + " -> " + tx +
         "\n  %h = attn.split_heads %p : " + tx + " -> " + th +
         "\n  %s = attn.scores %h, %h" + scoreAttrs + " : " + th + ", " + th +
         " -> " + ts + "\n  %m = attn.mask %s" + maskAttrs + " : " + ts +
         " -> " + ts + "\n  %r = attn.softmax %m : " + ts +
         "\n  %c = attn.context %r, %h : " + ts + ", " + th + " -> " + th +
         "\n  %y = attn.merge_heads %c : " + th + " -> " + tx +
         "\n  return %y : " + tx + "\n}\n";
}

std::string Generator::pipeline() {
  static const char *const strategies[] = {"flash", "unfused", "split-kv"};
  static const int64_t bits[] = {0, 128, 256, 512};
  switch (in.pick(4)) {
  case 0:
    return "builtin.module(attn-fuse,attn-lower-unfused)";
  case 1:
    return "builtin.module(attn-tile-flash{tile-q=" +
           std::to_string(1 + in.pick(70)) +
           " tile-kv=" + std::to_string(1 + in.pick(140)) +
           (in.flag() ? " static-blocks=true" : "") + "})";
  default:
    return std::string("builtin.module(attn-cpu-pipeline{strategy=") +
           strategies[in.pick(3)] +
           " tile-q=" + std::to_string(1 + in.pick(70)) +
           " tile-kv=" + std::to_string(1 + in.pick(140)) +
           " num-splits=" + std::to_string(in.pick(6)) +
           " vector-bits=" + std::to_string(bits[in.pick(4)]) +
           " threads=" + std::to_string(1 + in.pick(3)) + "})";
  }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ByteReader in(data, size);
  Generator gen(in);
  unsigned kind = in.pick(4);
  std::string program = kind == 2   ? gen.mha()
                        : kind == 3 ? gen.decomposed()
                                    : gen.sdpa();
  std::string pipeline = gen.pipeline();
  if (std::getenv("ATTN_FUZZ_PRINT"))
    llvm::errs() << "// " << pipeline << "\n" << program;
  parseAndRun(program, pipeline);
  return 0;
}
