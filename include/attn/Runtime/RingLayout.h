//===- RingLayout.h - which sequence rows each rank holds -------*- C++ -*-===//
//
// The sequence sharding of ring attention (attn-distribute-ring), written
// once for the compiler, attn-run and programs calling an exported per-rank
// kernel. Standard C++ only.
//
// A sequence of L rows is cut into C chunks, chunk c covering rows
// [c·L/C, (c+1)·L/C) (integer division: lengths differ by at most one, so
// any L works with any number of ranks P, and chunks may be empty when
// L < C). Contiguous layout: C = P and rank r holds chunk r. Zig-zag layout:
// C = 2P and rank r holds chunks r and 2P-1-r, in this order (its local
// tensor is the rows of chunk r followed by those of chunk 2P-1-r), which
// gives every rank the same amount of causal work up to one row per chunk.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_RUNTIME_RINGLAYOUT_H
#define ATTN_RUNTIME_RINGLAYOUT_H

#include <cstdint>
#include <utility>
#include <vector>

namespace mlir::attn::ring {

enum class Layout { Contiguous, ZigZag };

inline const char *getLayoutName(Layout layout) {
  return layout == Layout::ZigZag ? "zigzag" : "contiguous";
}

inline int64_t getNumChunks(Layout layout, int64_t ranks) {
  return layout == Layout::ZigZag ? 2 * ranks : ranks;
}

/// The first row of chunk `chunk` of a sequence of `length` rows.
inline int64_t getChunkStart(int64_t chunk, int64_t length, int64_t numChunks) {
  return static_cast<int64_t>(static_cast<__int128>(chunk) * length /
                              numChunks);
}

/// The chunks rank `rank` holds, in the order of its local rows.
inline std::vector<int64_t> getRankChunks(Layout layout, int64_t ranks,
                                          int64_t rank) {
  if (layout == Layout::ZigZag)
    return {rank, 2 * ranks - 1 - rank};
  return {rank};
}

/// The global row ranges [begin, end) of rank `rank`, in local order.
inline std::vector<std::pair<int64_t, int64_t>>
getRankRows(Layout layout, int64_t length, int64_t ranks, int64_t rank) {
  int64_t numChunks = getNumChunks(layout, ranks);
  std::vector<std::pair<int64_t, int64_t>> rows;
  for (int64_t chunk : getRankChunks(layout, ranks, rank))
    rows.emplace_back(getChunkStart(chunk, length, numChunks),
                      getChunkStart(chunk + 1, length, numChunks));
  return rows;
}

/// The number of rows rank `rank` holds.
inline int64_t getRankLength(Layout layout, int64_t length, int64_t ranks,
                             int64_t rank) {
  int64_t total = 0;
  for (auto [begin, end] : getRankRows(layout, length, ranks, rank))
    total += end - begin;
  return total;
}

} // namespace mlir::attn::ring

#endif // ATTN_RUNTIME_RINGLAYOUT_H
