//===- common.h - Shared helpers of the benchmark baselines ------*- C++ -*-===//
//
// Timing, peak memory, argument parsing, bf16 conversion, a static thread
// split and one-line JSON output shared by the baseline programs in bench/.
// Each program times one measurement per process so that getrusage's
// maxrss is the peak of that measurement alone.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_BENCH_COMMON_H
#define ATTN_BENCH_COMMON_H

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <sys/resource.h>
#include <thread>
#include <vector>

namespace bench {

/// `--key=value` and `--flag` arguments.
class Args {
public:
  Args(int argc, char **argv) {
    for (int i = 1; i < argc; ++i) {
      std::string a = argv[i];
      if (a.rfind("--", 0) != 0) {
        positional.push_back(a);
        continue;
      }
      size_t eq = a.find('=');
      if (eq == std::string::npos)
        values[a.substr(2)] = "1";
      else
        values[a.substr(2, eq - 2)] = a.substr(eq + 1);
    }
  }
  long getInt(const std::string &k, long def) const {
    auto it = values.find(k);
    return it == values.end() ? def : std::strtol(it->second.c_str(), nullptr, 10);
  }
  std::string get(const std::string &k, const std::string &def) const {
    auto it = values.find(k);
    return it == values.end() ? def : it->second;
  }
  bool has(const std::string &k) const { return values.count(k) != 0; }
  std::vector<std::string> positional;

private:
  std::map<std::string, std::string> values;
};

/// Attention problem: Q [B,Hq,Lq,D], K/V [B,Hkv,Lk,D].
struct Shape {
  long b, hq, hkv, lq, lk, d;
  bool causal;
  static Shape fromArgs(const Args &a) {
    Shape s;
    s.b = a.getInt("B", 1);
    s.hq = a.getInt("H", 8);
    s.hkv = a.getInt("Hkv", s.hq);
    s.lq = a.getInt("Lq", 1024);
    s.lk = a.getInt("Lk", s.lq);
    s.d = a.getInt("D", 64);
    s.causal = a.has("causal");
    return s;
  }
  /// 4·B·Hq·Lq·Lk·D, halved for causal (the convention of attn-run).
  double flops() const {
    double f = 4.0 * b * hq * lq * lk * d;
    return causal ? f / 2 : f;
  }
  /// Number of keys visible to query i (bottom-right aligned causality).
  long visible(long i) const {
    if (!causal)
      return lk;
    long v = i + lk - lq + 1;
    return std::max(0L, std::min(lk, v));
  }
};

inline double nowMs() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch())
      .count();
}

/// Runs `fn` once to warm up, then `repeat` times; returns the median in ms.
inline double medianMs(int repeat, const std::function<void()> &fn) {
  fn();
  std::vector<double> t;
  for (int i = 0; i < std::max(1, repeat); ++i) {
    double t0 = nowMs();
    fn();
    t.push_back(nowMs() - t0);
  }
  std::sort(t.begin(), t.end());
  size_t n = t.size();
  return n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
}

/// Peak resident set of this process in MB (Linux reports KiB).
inline double peakRssMb() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024.0;
}

inline uint16_t toBf16(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  u += 0x7fff + ((u >> 16) & 1); // round to nearest even
  return uint16_t(u >> 16);
}
inline float fromBf16(uint16_t h) {
  uint32_t u = uint32_t(h) << 16;
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

/// Uniform [-1, 1] data, like attn-run's seeded inputs.
inline std::vector<float> randomVec(size_t n, unsigned seed) {
  std::mt19937 g(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (auto &x : v)
    x = u(g);
  return v;
}

/// Calls fn(t, begin, end) on `threads` threads over a static split of
/// [0, n); thread 0 is the caller.
inline void parallelFor(int threads, long n,
                        const std::function<void(int, long, long)> &fn) {
  threads = int(std::max(1L, std::min<long>(threads, n)));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t)
    pool.emplace_back(fn, t, n * t / threads, n * (t + 1) / threads);
  fn(0, 0, n / threads);
  for (auto &th : pool)
    th.join();
}

/// One JSON object per line, keys as attn-run's --bench-format=json.
inline void printJson(const std::string &impl, double ms, double gflops,
                      int threads, const std::string &extra = "") {
  std::printf("{\"impl\": \"%s\", \"median_ms\": %.4f, \"gflops\": %.3f, "
              "\"peak_rss_mb\": %.1f, \"threads\": %d%s%s}\n",
              impl.c_str(), ms, gflops, peakRssMb(), threads,
              extra.empty() ? "" : ", ", extra.c_str());
  std::fflush(stdout);
}

} // namespace bench

#endif // ATTN_BENCH_COMMON_H
