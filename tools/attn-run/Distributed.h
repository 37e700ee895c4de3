//===- Distributed.h - attn-run across MPI ranks ----------------*- C++ -*-===//
//
// What attn-run --distributed=ring needs of MPI: the session, the rows of a
// rank's shards (attn/Runtime/RingLayout.h), gathering results on rank 0,
// and the communication counters of --bench, kept by PMPI wrappers of the
// MPI calls the compiled code makes.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_TOOLS_ATTN_RUN_DISTRIBUTED_H
#define ATTN_TOOLS_ATTN_RUN_DISTRIBUTED_H

#include "attn/Runtime/Buffer.h"
#include "attn/Runtime/RingLayout.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mlir::attn::distributed {

using Rows = std::vector<std::pair<int64_t, int64_t>>;

/// Whether attn-run was built with MPI.
bool isAvailable();

/// MPI_Init_thread on construction, MPI_Finalize on destruction.
class Session {
public:
  Session();
  ~Session();
  Session(const Session &) = delete;
  Session &operator=(const Session &) = delete;
  int getRank() const { return rank; }
  int getSize() const { return size; }

private:
  int rank = 0, size = 1;
};

/// The rows `rows` of dimension `dim` of `full`, concatenated.
runtime::HostBuffer takeRows(const runtime::HostBuffer &full, int64_t dim,
                             const Rows &rows);

/// Rank 0: `full` with the rows of every rank (`rowsOf(r)`) filled from
/// that rank's `local`; other ranks send `local`. Returns false with
/// `error` when a buffer is too large for one message.
bool gatherRows(runtime::HostBuffer *full, const runtime::HostBuffer &local,
                int64_t dim, const std::vector<Rows> &rowsOfRank,
                std::string &error);

/// The largest of the ranks' `value`s, on every rank.
double maxOverRanks(double value);
int maxOverRanks(int value);
/// The sum of the ranks' `value`s, on every rank.
double sumOverRanks(double value);
void barrier();

/// Communication counters of this rank, kept by the PMPI wrappers.
struct Counters {
  /// Time inside the MPI calls of the compiled code (isend, irecv, wait,
  /// allreduce): what communication leaves exposed.
  double waitSeconds = 0;
  uint64_t bytesSent = 0;
};
Counters &getCounters();

} // namespace mlir::attn::distributed

#endif // ATTN_TOOLS_ATTN_RUN_DISTRIBUTED_H
