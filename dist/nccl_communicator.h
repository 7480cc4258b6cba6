// Communicator over NCCL for GPU buffers. Built only when CUDA and NCCL are found
// (MH_HAVE_NCCL). The NCCL unique id travels over the MPI communicator it is
// built on, which also serves barrier() and split().
#pragma once

#include <string>

#include "dist/communicator.h"

namespace mh::dist {

// Whether NCCL can run in this process; on failure `reason` says why (no
// driver, no device, ...).
bool nccl_usable(std::string* reason);

// `comm` is duplicated; the device is local rank modulo the visible GPUs.
std::unique_ptr<Communicator> make_nccl_communicator(MPI_Comm comm);

}  // namespace mh::dist
