// Checked MPI calls: every failure becomes a dist::Error that names the call,
// the source file and line, and MPI's own description of the error.
#pragma once

#include <mpi.h>

#include <stdexcept>
#include <string>

namespace mh::dist {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string mpi_error_string(int code);

[[noreturn]] void throw_error(const char* file, int line, const std::string& what);

}  // namespace mh::dist

#define MH_MPI_CHECK(call)                                                                      \
  do {                                                                                          \
    int mh_rc_ = (call);                                                                        \
    if (mh_rc_ != MPI_SUCCESS)                                                                  \
      ::mh::dist::throw_error(__FILE__, __LINE__, std::string(#call) + " failed: " +            \
                                                      ::mh::dist::mpi_error_string(mh_rc_));    \
  } while (0)
