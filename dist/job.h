// Runs the body of an MPI job so that a failure on one rank ends the whole job:
// the error is logged with its rank tag, then MPI_Abort stops every rank, so none
// is left waiting in a collective for the rank that failed.
#pragma once

#include <functional>

#include "dist/process.h"

namespace mh::dist {

// Initialises MPI, runs `body` and returns its exit code. An exception from
// `body` is logged and ends the job with exit code 1 (MPI_Abort when the job
// has more than one rank).
int run_mpi_job(int* argc, char*** argv, const std::function<int(const Process&)>& body);

}  // namespace mh::dist
