// main() for GoogleTest binaries run under mpirun: MPI is initialised once for
// all tests, only rank 0 prints the usual report (other ranks print their
// failures, tagged), and every rank exits non-zero when any rank failed.
#include <gtest/gtest.h>

#include <iostream>

#include "dist/check.h"
#include "dist/process.h"

namespace {
class RankFailurePrinter : public testing::EmptyTestEventListener {
 public:
  explicit RankFailurePrinter(int rank) : rank_(rank) {}
  void OnTestPartResult(const testing::TestPartResult& r) override {
    if (r.failed())
      std::cerr << "[rank " << rank_ << "] " << (r.file_name() ? r.file_name() : "?") << ":" << r.line_number()
                << ": " << r.summary() << std::endl;
  }

 private:
  int rank_;
};
}  // namespace

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  mh::dist::Process process(&argc, &argv);
  auto& listeners = testing::UnitTest::GetInstance()->listeners();
  if (process.rank() != 0) {
    delete listeners.Release(listeners.default_result_printer());
    listeners.Append(new RankFailurePrinter(process.rank()));
  }
  int failed = RUN_ALL_TESTS() != 0 ? 1 : 0, any_failed = 0;
  MH_MPI_CHECK(MPI_Allreduce(&failed, &any_failed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD));
  if (process.rank() == 0 && any_failed && !failed) std::cerr << "a test failed on another rank" << std::endl;
  return any_failed;
}
