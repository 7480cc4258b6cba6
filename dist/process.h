// Process bootstrap: MPI initialisation and where this process sits in the job,
// whether it was started by mpirun (Open MPI), srun (Slurm) or alone.
#pragma once

#include <mpi.h>

#include <string>

namespace mh::dist {

struct Placement {
  std::string launcher;  // "mpirun", "srun", "mpiexec" or "singleton"
  int rank = 0, size = 1;
  int local_rank = 0, local_size = 1;
  std::string hostname;
};

// Reads the launcher's environment (OMPI_COMM_WORLD_*, SLURM_*, PMI_*); fields the
// environment does not give keep their defaults. Pure: testable without MPI.
Placement placement_from_env(const char* const* envp);

class Process {
 public:
  // Initialises MPI (asking for MPI_THREAD_MULTIPLE: the gradient reducer's
  // overlap thread calls MPI while the main thread runs backward) and makes MPI
  // errors return codes, so every failure is reported with file:line by
  // MH_MPI_CHECK instead of killing the job without context.
  Process(int* argc, char*** argv);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  const Placement& placement() const { return placement_; }
  int rank() const { return placement_.rank; }
  int size() const { return placement_.size; }
  int local_rank() const { return placement_.local_rank; }
  int thread_level() const { return thread_level_; }
  static std::string thread_level_name(int level);

  // Ends every rank of the job now (MPI_Abort), so a failure on one rank never
  // leaves the others waiting in a collective.
  [[noreturn]] static void abort(int exit_code);
  static bool initialized();

 private:
  Placement placement_;
  int thread_level_ = 0;
};

}  // namespace mh::dist
