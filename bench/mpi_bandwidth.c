/* Point-to-point bandwidth between ranks 0 and 1 (the link ring attention
 * uses on this machine), for the cost model of docs/ScaleOut.md.
 *   mpicc -O2 bench/mpi_bandwidth.c -o /tmp/mpi_bandwidth
 *   mpirun -np 2 /tmp/mpi_bandwidth
 * Prints, per message size, the one-way time (half a round trip, median of
 * 20) and the bandwidth in GB/s. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  for (long bytes = 1 << 16; bytes <= (1L << 25); bytes <<= 2) {
    char *buf = calloc(bytes, 1);
    double times[20];
    for (int r = 0; r < 20; ++r) {
      MPI_Barrier(MPI_COMM_WORLD);
      double start = MPI_Wtime();
      if (rank == 0) {
        MPI_Send(buf, (int)bytes, MPI_BYTE, 1, 0, MPI_COMM_WORLD);
        MPI_Recv(buf, (int)bytes, MPI_BYTE, 1, 0, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
      } else if (rank == 1) {
        MPI_Recv(buf, (int)bytes, MPI_BYTE, 0, 0, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        MPI_Send(buf, (int)bytes, MPI_BYTE, 0, 0, MPI_COMM_WORLD);
      }
      times[r] = (MPI_Wtime() - start) / 2;
    }
    qsort(times, 20, sizeof(double), compare);
    if (rank == 0)
      printf("%9ld bytes: %8.1f us one way, %6.2f GB/s\n", bytes,
             times[10] * 1e6, bytes / times[10] / 1e9);
    free(buf);
  }
  MPI_Finalize();
  return 0;
}
