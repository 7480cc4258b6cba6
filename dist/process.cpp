#include "dist/process.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <map>

#include "dist/check.h"
#include "log/log.h"

namespace mh::dist {

std::string mpi_error_string(int code) {
  char buf[MPI_MAX_ERROR_STRING];
  int len = 0;
  if (MPI_Error_string(code, buf, &len) != MPI_SUCCESS) return "MPI error " + std::to_string(code);
  return std::string(buf, len) + " (code " + std::to_string(code) + ")";
}

void throw_error(const char* file, int line, const std::string& what) {
  const char* base = std::strrchr(file, '/');
  throw Error(std::string(base ? base + 1 : file) + ":" + std::to_string(line) + ": " + what);
}

Placement placement_from_env(const char* const* envp) {
  std::map<std::string, std::string> env;
  for (auto e = envp; e && *e; ++e) {
    const char* eq = std::strchr(*e, '=');
    if (eq) env.emplace(std::string(*e, eq), std::string(eq + 1));
  }
  auto get = [&](const char* key, int& out) {
    auto it = env.find(key);
    if (it == env.end()) return false;
    out = std::atoi(it->second.c_str());
    return true;
  };
  Placement p;
  if (get("OMPI_COMM_WORLD_RANK", p.rank)) {
    p.launcher = "mpirun";
    get("OMPI_COMM_WORLD_SIZE", p.size);
    get("OMPI_COMM_WORLD_LOCAL_RANK", p.local_rank);
    get("OMPI_COMM_WORLD_LOCAL_SIZE", p.local_size);
  } else if (get("SLURM_PROCID", p.rank)) {
    p.launcher = "srun";
    get("SLURM_NTASKS", p.size);
    get("SLURM_LOCALID", p.local_rank);
    // SLURM_TASKS_PER_NODE can be "2(x3),1": the local size comes from MPI instead.
    p.local_size = 0;
  } else if (get("PMI_RANK", p.rank)) {
    p.launcher = "mpiexec";
    get("PMI_SIZE", p.size);
    if (!get("MPI_LOCALRANKID", p.local_rank)) p.local_rank = -1;
    p.local_size = 0;
  } else {
    p.launcher = "singleton";
  }
  return p;
}

Process::Process(int* argc, char*** argv) {
  MH_MPI_CHECK(MPI_Init_thread(argc, argv, MPI_THREAD_MULTIPLE, &thread_level_));
  MH_MPI_CHECK(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN));
  placement_ = placement_from_env(::environ);

  int rank = 0, size = 1;
  MH_MPI_CHECK(MPI_Comm_rank(MPI_COMM_WORLD, &rank));
  MH_MPI_CHECK(MPI_Comm_size(MPI_COMM_WORLD, &size));
  if (placement_.launcher != "singleton" && (rank != placement_.rank || size != placement_.size))
    log::warn("launcher says rank ", placement_.rank, "/", placement_.size, " but MPI says ", rank, "/", size,
              "; using MPI's");
  placement_.rank = rank;
  placement_.size = size;

  // The node-local view from MPI itself is authoritative; launcher variables are
  // only a cross-check (srun without --mpi=pmix can hand out misleading ones).
  MPI_Comm node;
  MH_MPI_CHECK(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node));
  int local_rank = 0, local_size = 1;
  MH_MPI_CHECK(MPI_Comm_rank(node, &local_rank));
  MH_MPI_CHECK(MPI_Comm_size(node, &local_size));
  MH_MPI_CHECK(MPI_Comm_free(&node));
  if (placement_.launcher != "singleton" && placement_.local_rank >= 0 && placement_.local_rank != local_rank)
    log::warn("launcher local rank ", placement_.local_rank, " differs from MPI's node-local rank ", local_rank);
  placement_.local_rank = local_rank;
  placement_.local_size = local_size;

  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  placement_.hostname = host;
  log::set_rank(rank, size);
}

Process::~Process() {
  // Teardown and abort paths are unchecked on purpose: they run during error
  // handling and must not throw.
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

bool Process::initialized() {
  int init = 0, fin = 0;
  MPI_Initialized(&init);
  MPI_Finalized(&fin);
  return init && !fin;
}

void Process::abort(int exit_code) {
  if (initialized()) MPI_Abort(MPI_COMM_WORLD, exit_code);
  std::_Exit(exit_code);
}

std::string Process::thread_level_name(int level) {
  switch (level) {
    case MPI_THREAD_SINGLE: return "single";
    case MPI_THREAD_FUNNELED: return "funneled";
    case MPI_THREAD_SERIALIZED: return "serialized";
    case MPI_THREAD_MULTIPLE: return "multiple";
  }
  return "unknown";
}

}  // namespace mh::dist
