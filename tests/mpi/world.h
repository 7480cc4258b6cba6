// The world communicator shared by the MPI tests (MPI is initialised in mpi_main.cpp).
#pragma once

#include "dist/communicator.h"

namespace mh::test {
inline dist::Communicator& world() {
  static auto comm = dist::make_communicator(dist::Backend::mpi);
  return *comm;
}
}  // namespace mh::test
