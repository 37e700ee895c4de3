//===- attn_dnnl.cpp - Unfused attention with oneDNN primitives ----------===//
//
//   attn-bench-dnnl --B=1 --H=8 --Lq=1024 [--Lk=1024] --D=64 [--causal]
//                   [--dtype=f32|bf16] [--threads=N] [--repeat=R] [--check]
//
// Attention as a oneDNN user writes it without a fused kernel, all heads at
// once as a batch of B·H: a matmul primitive S = Q·Kᵀ (K read transposed
// through its strides, the 1/√D scale as an output scale), for causal rows a
// binary primitive adding a 0/-inf mask broadcast over the batch (as a
// matmul post-op oneDNN 2.6 falls back to its reference matmul), a softmax
// primitive along the key axis, and a matmul primitive O = P·V. Primitives
// are created once, outside the timed region; S is materialised for every
// head. Threads come from oneDNN's OpenMP runtime (OMP_NUM_THREADS).
// bf16: bf16 Q/K/V/O, f32 scores, softmax writing bf16 probabilities; when
// this CPU or oneDNN build has no bf16 matmul the program prints a
// {"skipped": ...} line.
//
//===----------------------------------------------------------------------===//

#include "common.h"

#include <cmath>
#include <oneapi/dnnl/dnnl.hpp>

using namespace bench;
using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

namespace {

void skip(const std::string &why) {
  std::printf("{\"impl\": \"onednn\", \"skipped\": \"%s\"}\n", why.c_str());
}

memory filled(const memory::desc &md, const dnnl::engine &eng,
              const std::vector<float> &vals, bool bf16) {
  memory m(md, eng);
  if (bf16) {
    auto *p = static_cast<uint16_t *>(m.get_data_handle());
    for (size_t i = 0; i < vals.size(); ++i)
      p[i] = toBf16(vals[i]);
  } else {
    std::memcpy(m.get_data_handle(), vals.data(), vals.size() * sizeof(float));
  }
  return m;
}

} // namespace

int main(int argc, char **argv) {
  Args args(argc, argv);
  Shape s = Shape::fromArgs(args);
  bool bf16 = args.get("dtype", "f32") == "bf16";
  int threads = int(args.getInt("threads", 1));
  int repeat = int(args.getInt("repeat", 5));
  if (s.hkv != s.hq) {
    skip("GQA/MQA (Hkv != Hq) is not written for oneDNN here");
    return 0;
  }
  const long bh = s.b * s.hq;
  const dt io = bf16 ? dt::bf16 : dt::f32;
  const float scale = 1.0f / std::sqrt(float(s.d));

  try {
    dnnl::engine eng(dnnl::engine::kind::cpu, 0);
    dnnl::stream strm(eng);

    memory::desc qMd({bh, s.lq, s.d}, io, tag::abc);
    // K is stored [bh, Lk, D]; read as the [bh, D, Lk] weights through strides.
    memory::desc ktMd({bh, s.d, s.lk}, io, tag::acb);
    memory::desc kMd({bh, s.lk, s.d}, io, tag::abc);
    memory::desc vMd({bh, s.lk, s.d}, io, tag::abc);
    memory::desc sMd({bh, s.lq, s.lk}, dt::f32, tag::abc);
    memory::desc pMd({bh, s.lq, s.lk}, io, tag::abc);
    memory::desc oMd({bh, s.lq, s.d}, io, tag::abc);
    memory::desc maskMd({1, s.lq, s.lk}, dt::f32, tag::abc);

    dnnl::primitive_attr qkAttr;
    qkAttr.set_output_scales(0, {scale});
    dnnl::matmul::primitive_desc qkPd(
        dnnl::matmul::desc(qMd, ktMd, sMd), qkAttr, eng);
    dnnl::binary::primitive_desc maskPd(
        dnnl::binary::desc(dnnl::algorithm::binary_add, sMd, maskMd, sMd), eng);
    dnnl::softmax_v2_forward::primitive_desc smPd(
        dnnl::softmax_v2_forward::desc(dnnl::prop_kind::forward_inference,
                                       dnnl::algorithm::softmax_accurate, sMd,
                                       pMd, 2),
        eng);
    dnnl::matmul::primitive_desc pvPd(dnnl::matmul::desc(pMd, vMd, oMd), eng);
    dnnl::matmul qk(qkPd);
    dnnl::softmax_v2_forward sm(smPd);
    dnnl::matmul pv(pvPd);
    dnnl::binary addMask(maskPd);

    std::vector<float> qv = randomVec(bh * s.lq * s.d, 11),
                       kv = randomVec(bh * s.lk * s.d, 12),
                       vv = randomVec(bh * s.lk * s.d, 13);
    memory q = filled(qMd, eng, qv, bf16), k = filled(kMd, eng, kv, bf16),
           v = filled(vMd, eng, vv, bf16);
    memory kt(ktMd, eng, k.get_data_handle());
    memory sc(sMd, eng), p(pMd, eng), o(oMd, eng);
    memory mask(maskMd, eng);
    if (s.causal) {
      auto *m = static_cast<float *>(mask.get_data_handle());
      for (long i = 0; i < s.lq; ++i)
        for (long j = 0; j < s.lk; ++j)
          m[i * s.lk + j] = j < s.visible(i) ? 0.0f : -INFINITY;
    }

    double ms = medianMs(repeat, [&] {
      qk.execute(strm, {{DNNL_ARG_SRC, q}, {DNNL_ARG_WEIGHTS, kt},
                        {DNNL_ARG_DST, sc}});
      if (s.causal)
        addMask.execute(strm, {{DNNL_ARG_SRC_0, sc}, {DNNL_ARG_SRC_1, mask},
                               {DNNL_ARG_DST, sc}});
      sm.execute(strm, {{DNNL_ARG_SRC, sc}, {DNNL_ARG_DST, p}});
      pv.execute(strm, {{DNNL_ARG_SRC, p}, {DNNL_ARG_WEIGHTS, v},
                        {DNNL_ARG_DST, o}});
      strm.wait();
    });

    std::string extra = std::string("\"dtype\": \"") + (bf16 ? "bf16" : "f32") +
                        "\", \"onednn\": \"" +
                        std::to_string(dnnl_version()->major) + "." +
                        std::to_string(dnnl_version()->minor) + "." +
                        std::to_string(dnnl_version()->patch) +
                        "\", \"note\": \"" + qkPd.impl_info_str() + "/" +
                        smPd.impl_info_str() + "/" + pvPd.impl_info_str() + "\"";
    if (args.has("check")) {
      // Last head, three rows, against float64 (on the inputs as stored).
      auto in = [&](const std::vector<float> &x, long i) {
        return bf16 ? double(fromBf16(toBf16(x[i]))) : double(x[i]);
      };
      double worst = 0;
      long h = bh - 1;
      for (long i : {0L, s.lq / 2, s.lq - 1}) {
        long vis = s.visible(i);
        std::vector<double> w(vis);
        double mx = -INFINITY, sum = 0;
        for (long j = 0; j < vis; ++j) {
          double dot = 0;
          for (long c = 0; c < s.d; ++c)
            dot += in(qv, (h * s.lq + i) * s.d + c) *
                   in(kv, (h * s.lk + j) * s.d + c);
          w[j] = dot / std::sqrt(double(s.d));
          mx = std::max(mx, w[j]);
        }
        for (auto &x : w)
          sum += (x = std::exp(x - mx));
        double num = 0, den = 0;
        for (long c = 0; c < s.d; ++c) {
          double ref = 0;
          for (long j = 0; j < vis; ++j)
            ref += w[j] / sum * in(vv, (h * s.lk + j) * s.d + c);
          long idx = (h * s.lq + i) * s.d + c;
          double got =
              bf16 ? fromBf16(static_cast<uint16_t *>(o.get_data_handle())[idx])
                   : static_cast<float *>(o.get_data_handle())[idx];
          num += (got - ref) * (got - ref);
          den += ref * ref;
        }
        worst = std::max(worst, std::sqrt(num / std::max(den, 1e-300)));
      }
      char buf[64];
      std::snprintf(buf, sizeof buf, ", \"check_rel_err\": %.3g", worst);
      extra += buf;
    }
    printJson("onednn", ms, s.flops() / (ms * 1e6), threads, extra);
  } catch (const dnnl::error &e) {
    if (e.status == dnnl_unimplemented) {
      skip(std::string(bf16 ? "bf16" : "f32") +
           " primitives not implemented by oneDNN " +
           std::to_string(dnnl_version()->major) + "." +
           std::to_string(dnnl_version()->minor) + " on this CPU" +
           (bf16 ? " (bf16 needs AVX-512 there)" : ""));
      return 0;
    }
    std::fprintf(stderr, "oneDNN error: %s\n", e.what());
    return 1;
  }
  return 0;
}
