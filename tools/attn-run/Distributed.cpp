//===- Distributed.cpp - attn-run across MPI ranks ------------------------===//
//
// The MPI side of attn-run --distributed=ring. Built with MPI when CMake
// finds it (ATTN_HAS_MPI); otherwise isAvailable() is false and nothing
// else is called.
//
//===----------------------------------------------------------------------===//

#include "Distributed.h"

#include <chrono>
#include <cstring>
#include <limits>

#ifdef ATTN_HAS_MPI
#include <mpi.h>
#endif

using namespace mlir::attn;
using namespace mlir::attn::distributed;
using runtime::HostBuffer;

Counters &distributed::getCounters() {
  static Counters counters;
  return counters;
}

/// Rows of `dim`: the product of the dimensions before it (outer), and the
/// bytes of one row (the dimensions after it times the element size).
static std::pair<int64_t, int64_t> getRowGeometry(const HostBuffer &buffer,
                                                  int64_t dim) {
  const std::vector<int64_t> &shape = buffer.getShape();
  int64_t outer = 1, rowBytes = runtime::getElementByteSize(buffer.getKind());
  for (int64_t d = 0; d < dim; ++d)
    outer *= shape[d];
  for (size_t d = dim + 1; d < shape.size(); ++d)
    rowBytes *= shape[d];
  return {outer, rowBytes};
}

HostBuffer distributed::takeRows(const HostBuffer &full, int64_t dim,
                                 const Rows &rows) {
  std::vector<int64_t> shape = full.getShape();
  int64_t count = 0;
  for (auto [begin, end] : rows)
    count += end - begin;
  int64_t fullRows = shape[dim];
  shape[dim] = count;
  HostBuffer local(full.getKind(), shape);
  auto [outer, rowBytes] = getRowGeometry(full, dim);
  const char *src = static_cast<const char *>(full.getData());
  char *dst = static_cast<char *>(local.getData());
  for (int64_t o = 0; o < outer; ++o)
    for (auto [begin, end] : rows) {
      std::memcpy(dst, src + (o * fullRows + begin) * rowBytes,
                  (end - begin) * rowBytes);
      dst += (end - begin) * rowBytes;
    }
  return local;
}

/// Copies the rows of `local` into `full`.
static void putRows(HostBuffer &full, const char *local, int64_t dim,
                    const Rows &rows) {
  auto [outer, rowBytes] = getRowGeometry(full, dim);
  int64_t fullRows = full.getShape()[dim];
  char *dst = static_cast<char *>(full.getData());
  for (int64_t o = 0; o < outer; ++o)
    for (auto [begin, end] : rows) {
      std::memcpy(dst + (o * fullRows + begin) * rowBytes, local,
                  (end - begin) * rowBytes);
      local += (end - begin) * rowBytes;
    }
}

#ifdef ATTN_HAS_MPI

bool distributed::isAvailable() { return true; }

Session::Session() {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
}

Session::~Session() { MPI_Finalize(); }

bool distributed::gatherRows(HostBuffer *full, const HostBuffer &local,
                             int64_t dim, const std::vector<Rows> &rowsOfRank,
                             std::string &error) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  constexpr int kTag = 4242;
  if (local.getNumBytes() > size_t(std::numeric_limits<int>::max())) {
    error = "a rank's result has " + std::to_string(local.getNumBytes()) +
            " bytes, more than one MPI message holds";
    return false;
  }
  if (rank != 0) {
    MPI_Send(local.getData(), static_cast<int>(local.getNumBytes()), MPI_BYTE,
             0, kTag, MPI_COMM_WORLD);
    return true;
  }
  putRows(*full, static_cast<const char *>(local.getData()), dim,
          rowsOfRank[0]);
  std::vector<char> message;
  for (int r = 1; r < size; ++r) {
    auto [outer, rowBytes] = getRowGeometry(*full, dim);
    int64_t count = 0;
    for (auto [begin, end] : rowsOfRank[r])
      count += end - begin;
    message.resize(outer * count * rowBytes);
    MPI_Recv(message.data(), static_cast<int>(message.size()), MPI_BYTE, r,
             kTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    putRows(*full, message.data(), dim, rowsOfRank[r]);
  }
  return true;
}

double distributed::maxOverRanks(double value) {
  double result = value;
  PMPI_Allreduce(&value, &result, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return result;
}

int distributed::maxOverRanks(int value) {
  int result = value;
  PMPI_Allreduce(&value, &result, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return result;
}

double distributed::sumOverRanks(double value) {
  double result = value;
  PMPI_Allreduce(&value, &result, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  return result;
}

void distributed::barrier() { PMPI_Barrier(MPI_COMM_WORLD); }

// PMPI wrappers: the compiled code's MPI calls resolve to these (attn-run
// exports them), which count the bytes it sends and the time it spends
// waiting for transfers and reductions, then forward to the library.
namespace {
double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
} // namespace

// A transfer may progress inside any of these calls (OpenMPI's shared
// memory transport copies a large message when the receive matches), so
// the time in each counts.
extern "C" int MPI_Isend(const void *buf, int count, MPI_Datatype type,
                         int dest, int tag, MPI_Comm comm,
                         MPI_Request *request) {
  int typeSize = 0;
  PMPI_Type_size(type, &typeSize);
  if (dest != MPI_PROC_NULL)
    getCounters().bytesSent += uint64_t(count) * uint64_t(typeSize);
  double start = now();
  int rc = PMPI_Isend(buf, count, type, dest, tag, comm, request);
  getCounters().waitSeconds += now() - start;
  return rc;
}

extern "C" int MPI_Irecv(void *buf, int count, MPI_Datatype type, int source,
                         int tag, MPI_Comm comm, MPI_Request *request) {
  double start = now();
  int rc = PMPI_Irecv(buf, count, type, source, tag, comm, request);
  getCounters().waitSeconds += now() - start;
  return rc;
}

extern "C" int MPI_Wait(MPI_Request *request, MPI_Status *status) {
  double start = now();
  int rc = PMPI_Wait(request, status);
  getCounters().waitSeconds += now() - start;
  return rc;
}

extern "C" int MPI_Allreduce(const void *send, void *recv, int count,
                             MPI_Datatype type, MPI_Op op, MPI_Comm comm) {
  int typeSize = 0;
  PMPI_Type_size(type, &typeSize);
  getCounters().bytesSent += uint64_t(count) * uint64_t(typeSize);
  double start = now();
  int rc = PMPI_Allreduce(send, recv, count, type, op, comm);
  getCounters().waitSeconds += now() - start;
  return rc;
}

#else // !ATTN_HAS_MPI

bool distributed::isAvailable() { return false; }
Session::Session() = default;
Session::~Session() = default;
bool distributed::gatherRows(HostBuffer *, const HostBuffer &, int64_t,
                             const std::vector<Rows> &, std::string &error) {
  error = "attn-run was built without MPI";
  return false;
}
double distributed::maxOverRanks(double value) { return value; }
int distributed::maxOverRanks(int value) { return value; }
double distributed::sumOverRanks(double value) { return value; }
void distributed::barrier() {}

#endif // ATTN_HAS_MPI
