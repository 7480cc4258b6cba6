// An MPI error on one rank while the other waits in a collective: the job must
// report the failed call with file:line and end (non-zero) instead of hanging.
// Run by CTest under mpirun -np 2 with a timeout (tests/CMakeLists.txt).
#include <mpi.h>

#include "dist/check.h"
#include "dist/job.h"

int main(int argc, char** argv) {
  return mh::dist::run_mpi_job(&argc, &argv, [](const mh::dist::Process& p) {
    int value = 0;
    if (p.rank() == 1) MH_MPI_CHECK(MPI_Bcast(&value, 1, MPI_INT, /*root=*/99, MPI_COMM_WORLD));
    MH_MPI_CHECK(MPI_Barrier(MPI_COMM_WORLD));  // rank 0 waits here for ever unless aborted
    return 0;
  });
}
