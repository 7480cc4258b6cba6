#include "dist/mpi_communicator.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "dist/check.h"
#include "dist/process.h"

namespace mh::dist {
namespace {

MPI_Datatype mpi_type(const at::Tensor& t) {
  switch (t.scalar_type()) {
    case at::kFloat: return MPI_FLOAT;
    case at::kDouble: return MPI_DOUBLE;
    case at::kInt: return MPI_INT32_T;
    case at::kLong: return MPI_INT64_T;
    case at::kByte: return MPI_UINT8_T;
    case at::kChar: return MPI_INT8_T;
    case at::kBool: return MPI_C_BOOL;
    default: break;
  }
  throw Error(std::string("MPI communicator: unsupported dtype ") + std::string(c10::toString(t.scalar_type())));
}

void require_host_contiguous(const at::Tensor& t, const char* op) {
  if (!t.defined() || !t.device().is_cpu() || !t.is_contiguous())
    throw Error(std::string("MPI communicator: ") + op + " needs a defined, contiguous CPU tensor");
}

// MPI counts are int: large tensors go in pieces of at most 2^30 elements.
template <typename F>
void in_chunks(int64_t numel, int64_t elem_size, char* base, F&& f) {
  constexpr int64_t chunk = int64_t(1) << 30;
  for (int64_t off = 0; off < numel; off += chunk)
    f(base + off * elem_size, static_cast<int>(std::min(chunk, numel - off)));
}

}  // namespace

MpiCommunicator::MpiCommunicator(MPI_Comm comm) : comm_(comm) {
  MH_MPI_CHECK(MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN));
  MH_MPI_CHECK(MPI_Comm_rank(comm_, &rank_));
  MH_MPI_CHECK(MPI_Comm_size(comm_, &size_));
}

MpiCommunicator::~MpiCommunicator() {
  // Unchecked on purpose: a destructor must not throw, and a failure to free a
  // communicator at teardown loses nothing.
  if (comm_ != MPI_COMM_WORLD && comm_ != MPI_COMM_NULL && Process::initialized()) MPI_Comm_free(&comm_);
}

void MpiCommunicator::allreduce(const at::Tensor& t, ReduceOp op) {
  require_host_contiguous(t, "allreduce");
  if (op == ReduceOp::avg && !t.is_floating_point())
    throw Error("MPI communicator: avg allreduce needs a floating-point tensor");
  MPI_Op mop = op == ReduceOp::max ? MPI_MAX : op == ReduceOp::min ? MPI_MIN : MPI_SUM;
  MPI_Datatype type = mpi_type(t);
  in_chunks(t.numel(), t.element_size(), static_cast<char*>(t.data_ptr()), [&](char* p, int n) {
    MH_MPI_CHECK(MPI_Allreduce(MPI_IN_PLACE, p, n, type, mop, comm_));
  });
  if (op == ReduceOp::avg && size_ > 1) t.div_(size_);
}

void MpiCommunicator::broadcast(const at::Tensor& t, int root) {
  require_host_contiguous(t, "broadcast");
  MPI_Datatype type = mpi_type(t);
  in_chunks(t.numel(), t.element_size(), static_cast<char*>(t.data_ptr()),
            [&](char* p, int n) { MH_MPI_CHECK(MPI_Bcast(p, n, type, root, comm_)); });
}

at::Tensor MpiCommunicator::allgather(const at::Tensor& t) {
  require_host_contiguous(t, "allgather");
  std::vector<int64_t> shape{size_};
  for (auto s : t.sizes()) shape.push_back(s);
  at::Tensor out = at::empty(shape, t.options());
  if (t.numel() > (int64_t(1) << 30)) throw Error("MPI communicator: allgather of over 2^30 elements per rank");
  MH_MPI_CHECK(MPI_Allgather(t.data_ptr(), static_cast<int>(t.numel()), mpi_type(t), out.data_ptr(),
                             static_cast<int>(t.numel()), mpi_type(t), comm_));
  return out;
}

void MpiCommunicator::barrier() {
  // Ranks often wait here for rank 0 to write files or train fastText vectors
  // for minutes; MPI_Barrier would spin on a core that rank 0's threads need.
  MPI_Request request;
  MH_MPI_CHECK(MPI_Ibarrier(comm_, &request));
  int done = 0;
  for (auto nap = std::chrono::microseconds(0);; nap = std::min(nap * 2 + std::chrono::microseconds(50), std::chrono::microseconds(20000))) {
    MH_MPI_CHECK(MPI_Test(&request, &done, MPI_STATUS_IGNORE));
    if (done) return;
    std::this_thread::sleep_for(nap);
  }
}

std::unique_ptr<Communicator> MpiCommunicator::split(int color, int key) {
  MPI_Comm sub = MPI_COMM_NULL;
  MH_MPI_CHECK(MPI_Comm_split(comm_, color < 0 ? MPI_UNDEFINED : color, key, &sub));
  if (sub == MPI_COMM_NULL) return nullptr;
  return std::make_unique<MpiCommunicator>(sub);
}

}  // namespace mh::dist
