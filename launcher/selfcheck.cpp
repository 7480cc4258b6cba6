// `3mhealth selfcheck`: what a user checks first on a new cluster: ranks and
// where they run, threads per rank, which BLAS is loaded and how fast it is,
// which communicator backends are compiled in and usable, and a real collective.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <dlfcn.h>
#include <link.h>
#include <sched.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iomanip>
#include <cstring>
#include <iostream>
#include <sstream>

#include "dist/check.h"
#include "dist/communicator.h"
#include "dist/process.h"
#include "launcher/cli.h"
#include "launcher/subcommands.h"
#include "log/log.h"

namespace mh::launcher {
namespace {

int find_blas(dl_phdr_info* info, size_t, void* out) {
  std::string name = info->dlpi_name ? info->dlpi_name : "";
  auto slash = name.rfind('/');
  std::string base = slash == std::string::npos ? name : name.substr(slash + 1);
  if (base.find("blas") != std::string::npos) {
    auto& s = *static_cast<std::string*>(out);
    s += (s.empty() ? "" : ", ") + name;
  }
  return 0;
}

std::string blas_description() {
  std::string libs;
  dl_iterate_phdr(find_blas, &libs);
  std::string out = libs.empty() ? "no BLAS library loaded" : libs;
  // Through the alternatives system libblas.so.3 may be OpenBLAS or the
  // ~30x slower reference BLAS; OpenBLAS says so itself.
  using ConfigFn = char* (*)();
  if (auto config = reinterpret_cast<ConfigFn>(dlsym(RTLD_DEFAULT, "openblas_get_config")))
    out += " [" + std::string(config()) + "]";
  else
    out += " [not OpenBLAS: install libopenblas0-pthread, reference BLAS is ~30x slower]";
  return out;
}

double sgemm_gflops() {
  const int64_t n = 512;
  auto a = at::randn({n, n}), b = at::randn({n, n});
  at::mm(a, b);  // warm-up
  auto start = std::chrono::steady_clock::now();
  int reps = 0;
  double elapsed = 0;
  do {
    at::mm(a, b);
    ++reps;
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  } while (elapsed < 0.2);
  return 2.0 * n * n * n * reps / elapsed / 1e9;
}

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

// One fixed-width record per rank, gathered to every rank.
std::vector<std::string> gather_lines(dist::Communicator& comm, const std::string& line) {
  constexpr int64_t width = 512;
  auto buf = at::zeros({width}, at::kByte);
  std::memcpy(buf.data_ptr(), line.data(), std::min<size_t>(line.size(), width - 1));
  auto all = comm.allgather(buf);
  std::vector<std::string> out;
  for (int r = 0; r < comm.size(); ++r) out.emplace_back(reinterpret_cast<const char*>(all[r].data_ptr()));
  return out;
}

void check_backend(const std::string& name) {
  try {
    dist::parse_backend(name);
  } catch (const std::invalid_argument& e) {
    throw po::validation_error(po::validation_error::invalid_option_value, "backend", name);
  }
}

int run_selfcheck(const po::variables_map& vm, const dist::Process& process) {
  auto backend = dist::parse_backend(vm["backend"].as<std::string>());
  const int rank = process.rank(), world = process.size();
  log::set_role("selfcheck");

  auto comm = dist::make_communicator(backend);

  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  int affinity = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : -1;
  char host[128] = {0};
  gethostname(host, sizeof host - 1);
  double gflops = sgemm_gflops();
  std::ostringstream mine;
  mine << std::setw(4) << rank << std::setw(7) << process.local_rank()
       << "  " << std::left << std::setw(16) << host << std::right << std::setw(8) << getpid() << std::setw(6)
       << affinity << std::setw(8) << at::get_num_threads() << std::setw(6) << env_or("OMP_NUM_THREADS", "-")
       << std::setw(10) << env_or("OPENBLAS_NUM_THREADS", "-") << std::setw(11) << std::fixed
       << std::setprecision(1) << gflops;
  auto lines = gather_lines(*comm, mine.str());

  // A real collective through the chosen backend: the sum of 1..world.
  auto x = at::full({4}, static_cast<double>(rank + 1), at::kDouble);
  comm->allreduce(x, dist::ReduceOp::sum);
  double expected = world * (world + 1) / 2.0;
  bool allreduce_ok = (x == expected).all().item<bool>();
  int all_ok = allreduce_ok ? 1 : 0, ok_everywhere = 0;
  MH_MPI_CHECK(MPI_Allreduce(&all_ok, &ok_everywhere, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD));

  if (rank == 0) {
    char version[MPI_MAX_LIBRARY_VERSION_STRING];
    int len = 0;
    MH_MPI_CHECK(MPI_Get_library_version(version, &len));
    std::string mpi_version(version, len);
    mpi_version = mpi_version.substr(0, mpi_version.find_first_of(",\n"));
    int level = 0;
    MH_MPI_CHECK(MPI_Query_thread(&level));
    std::cout << version_string() << " selfcheck\n"
              << "ranks:    " << world << " (launcher: " << process.placement().launcher << ", "
              << process.placement().local_size << " on rank 0's node)\n"
              << "MPI:      " << mpi_version << ", thread level " << dist::Process::thread_level_name(level) << "\n"
              << "BLAS:     " << blas_description() << "\n"
              << "cores:    " << sysconf(_SC_NPROCESSORS_ONLN) << " online on rank 0's node\n\n"
              << "rank  local  host                  pid  cpus  torch  omp  openblas  sgemm GF/s\n";
    for (const auto& l : lines) std::cout << l << "\n";
    std::cout << "\nbackends:\n";
    for (const auto& s : dist::backend_statuses())
      std::cout << "  " << std::left << std::setw(5) << s.name << std::right
                << (s.compiled ? " compiled," : " not compiled") << (s.compiled ? (s.usable ? " usable" : " not usable: " + s.reason) : "")
                << "\n";
    std::cout << "  in use: " << comm->backend() << " (requested " << dist::backend_name(backend) << ")\n"
              << "allreduce check (" << comm->backend() << "): sum of 1.." << world << " = " << x[0].item<double>()
              << ", expected " << expected << (ok_everywhere ? "  ok" : "  FAILED") << "\n";
  }
  return ok_everywhere ? 0 : 1;
}

}  // namespace

Subcommand selfcheck_subcommand() {
  Subcommand s;
  s.name = "selfcheck";
  s.summary = "report ranks, threads, BLAS and communicator backends, and test a collective";
  s.usage = "mpirun -np N 3mhealth selfcheck [--backend auto|mpi|nccl]";
  s.options = [](po::options_description& d) {
    d.add_options()("backend", po::value<std::string>()->default_value("auto")->notifier(check_backend),
                    "communicator to test: auto (NCCL when usable, else MPI), mpi or nccl");
  };
  s.run = [](const po::variables_map& vm, const dist::Process* p) { return run_selfcheck(vm, *p); };
  return s;
}

}  // namespace mh::launcher
