// GradientReducer bandwidth against a raw MPI_Allreduce of the same bytes, and
// bus bandwidth, printed as a table by rank 0. Run under mpirun, e.g.
//   mpirun -np 2 build/bench/bench_reducer_bandwidth
// Bus bandwidth follows the nccl-tests convention: bytes * 2 (n-1)/n / time,
// the per-link traffic of a ring allreduce, so runs of different sizes compare.
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "dist/check.h"
#include "dist/communicator.h"
#include "dist/gradient_reducer.h"
#include "dist/process.h"

namespace {

using Clock = std::chrono::steady_clock;

// Median seconds of `iters` runs of f, each started together on all ranks.
template <typename F>
double median_seconds(int iters, F&& f) {
  std::vector<double> t;
  for (int i = 0; i < iters + 2; ++i) {
    MH_MPI_CHECK(MPI_Barrier(MPI_COMM_WORLD));
    auto start = Clock::now();
    f();
    double s = std::chrono::duration<double>(Clock::now() - start).count();
    MH_MPI_CHECK(MPI_Allreduce(MPI_IN_PLACE, &s, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD));
    if (i >= 2) t.push_back(s);  // the first two warm up buffers and connections
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  mh::dist::Process process(&argc, &argv);
  auto comm = mh::dist::make_communicator(mh::dist::Backend::mpi);
  const int n = comm->size();
  const int iters = argc > 1 ? std::atoi(argv[1]) : 20;
  if (process.rank() == 0) {
    std::printf("ranks %d, %d iterations (median), float32, bucket 25 MiB, 16 parameters per model\n", n, iters);
    std::printf("reducer columns: op sum (no averaging pass), op avg (one extra pass), sum with overlap thread\n");
    std::printf("ratio = MPI time / reducer time (bandwidth ratio, target >= 0.9); busbw in GB/s\n");
    std::printf("%8s  %9s  %9s  %9s  %9s  %9s  %9s  %9s  %9s  %9s\n", "size", "MPI ms", "sum ms", "avg ms", "ovl ms",
                "ratio sum", "ratio avg", "ratio ovl", "busbw MPI", "busbw sum");
  }
  for (int64_t mib : {4, 64}) {
    const int64_t floats = mib * 1024 * 1024 / 4;
    auto raw = torch::ones({floats});
    double t_mpi = median_seconds(iters, [&] {
      MH_MPI_CHECK(MPI_Allreduce(MPI_IN_PLACE, raw.data_ptr(), static_cast<int>(floats), MPI_FLOAT, MPI_SUM,
                                 MPI_COMM_WORLD));
    });

    // The same bytes as the gradients of 16 parameters.
    std::vector<torch::Tensor> params;
    for (int i = 0; i < 16; ++i) {
      auto p = torch::zeros({floats / 16}, torch::requires_grad());
      p.mutable_grad() = torch::ones({floats / 16});
      params.push_back(p);
    }
    auto time_reducer = [&](mh::dist::ReduceOp op, bool overlap) {
      mh::dist::ReducerOptions o;
      o.op = op;
      o.overlap = overlap;
      mh::dist::GradientReducer reducer(params, *comm, o);
      return median_seconds(iters, [&] { reducer.finish(); });
    };
    double t_sum = time_reducer(mh::dist::ReduceOp::sum, false);
    double t_avg = time_reducer(mh::dist::ReduceOp::avg, false);
    double t_ovl = time_reducer(mh::dist::ReduceOp::sum, true);
    double bytes = floats * 4.0;
    auto busbw = [&](double t) { return bytes * 2.0 * (n - 1) / n / t / 1e9; };
    if (process.rank() == 0)
      std::printf("%4ld MiB  %9.3f  %9.3f  %9.3f  %9.3f  %9.3f  %9.3f  %9.3f  %9.2f  %9.2f\n", static_cast<long>(mib),
                  t_mpi * 1e3, t_sum * 1e3, t_avg * 1e3, t_ovl * 1e3, t_mpi / t_sum, t_mpi / t_avg, t_mpi / t_ovl,
                  busbw(t_mpi), busbw(t_sum));
  }
  return 0;
}
