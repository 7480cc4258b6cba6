#include "dist/job.h"

#include <exception>

#include "log/log.h"

namespace mh::dist {

int run_mpi_job(int* argc, char*** argv, const std::function<int(const Process&)>& body) {
  std::unique_ptr<Process> process;
  try {
    process = std::make_unique<Process>(argc, argv);
  } catch (const std::exception& e) {
    log::error("MPI start-up failed: ", e.what());
    return 1;
  }
  try {
    return body(*process);
  } catch (const std::exception& e) {
    log::error(e.what());
  } catch (...) {
    log::error("unknown exception");
  }
  if (process->size() > 1) {
    log::error("aborting all ", process->size(), " ranks");
    Process::abort(1);
  }
  return 1;
}

}  // namespace mh::dist
