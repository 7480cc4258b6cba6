#include "dist/communicator.h"

#include "mh_config.h"
#include "dist/check.h"
#include "dist/mpi_communicator.h"
#include "log/log.h"
#if MH_HAVE_NCCL
#include "dist/nccl_communicator.h"
#endif

namespace mh::dist {

Backend parse_backend(const std::string& name) {
  if (name == "auto") return Backend::automatic;
  if (name == "mpi") return Backend::mpi;
  if (name == "nccl") return Backend::nccl;
  throw std::invalid_argument("unknown communicator backend '" + name + "' (expected auto, mpi or nccl)");
}

std::string backend_name(Backend b) {
  switch (b) {
    case Backend::automatic: return "auto";
    case Backend::mpi: return "mpi";
    case Backend::nccl: return "nccl";
  }
  return "?";
}

std::vector<BackendStatus> backend_statuses() {
  std::vector<BackendStatus> out;
  out.push_back({"mpi", true, true, ""});
  BackendStatus nccl{"nccl", false, false, "not compiled in (CUDA or NCCL not found at build time)"};
#if MH_HAVE_NCCL
  nccl.compiled = true;
  nccl.reason.clear();
  nccl.usable = nccl_usable(&nccl.reason);
#endif
  out.push_back(nccl);
  return out;
}

std::unique_ptr<Communicator> make_communicator(Backend backend, MPI_Comm comm) {
  if (backend != Backend::mpi) {
    BackendStatus nccl = backend_statuses()[1];
    // Every rank must pick the same backend, so NCCL is used only where all can.
    int usable_here = nccl.usable ? 1 : 0, usable_everywhere = 0;
    MH_MPI_CHECK(MPI_Allreduce(&usable_here, &usable_everywhere, 1, MPI_INT, MPI_MIN, comm));
    if (nccl.usable && !usable_everywhere) nccl.reason = "not usable on every rank";
    nccl.usable = usable_everywhere != 0;
    if (nccl.usable) {
#if MH_HAVE_NCCL
      return make_nccl_communicator(comm);
#endif
    }
    if (backend == Backend::nccl) throw Error("NCCL backend requested but not usable: " + nccl.reason);
    int rank = 0;
    MH_MPI_CHECK(MPI_Comm_rank(comm, &rank));
    if (nccl.compiled && rank == 0) log::warn("NCCL backend not usable (", nccl.reason, "); falling back to MPI");
  }
  MPI_Comm own;
  MH_MPI_CHECK(MPI_Comm_dup(comm, &own));
  return std::make_unique<MpiCommunicator>(own);
}

}  // namespace mh::dist
