#include "dist/nccl_communicator.h"

#include <ATen/ATen.h>
#include <cuda_runtime_api.h>
#include <nccl.h>

#include "dist/check.h"
#include "dist/mpi_communicator.h"

#define MH_CUDA_CHECK(call)                                                                              \
  do {                                                                                                   \
    cudaError_t mh_err_ = (call);                                                                        \
    if (mh_err_ != cudaSuccess)                                                                          \
      ::mh::dist::throw_error(__FILE__, __LINE__, std::string(#call) + " failed: " + cudaGetErrorString(mh_err_)); \
  } while (0)

#define MH_NCCL_CHECK(call)                                                                              \
  do {                                                                                                   \
    ncclResult_t mh_res_ = (call);                                                                       \
    if (mh_res_ != ncclSuccess)                                                                          \
      ::mh::dist::throw_error(__FILE__, __LINE__, std::string(#call) + " failed: " + ncclGetErrorString(mh_res_)); \
  } while (0)

namespace mh::dist {

bool nccl_usable(std::string* reason) {
  int count = 0;
  cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess) {
    if (reason) *reason = std::string("no usable CUDA device: ") + cudaGetErrorString(err);
    return false;
  }
  if (count == 0) {
    if (reason) *reason = "no CUDA device visible";
    return false;
  }
  int version = 0;
  if (ncclGetVersion(&version) != ncclSuccess) {
    if (reason) *reason = "ncclGetVersion failed";
    return false;
  }
  return true;
}

namespace {

ncclDataType_t nccl_type(const at::Tensor& t) {
  switch (t.scalar_type()) {
    case at::kFloat: return ncclFloat32;
    case at::kDouble: return ncclFloat64;
    case at::kHalf: return ncclFloat16;
    case at::kInt: return ncclInt32;
    case at::kLong: return ncclInt64;
    case at::kByte: return ncclUint8;
    case at::kChar: return ncclInt8;
    default: break;
  }
  throw Error(std::string("NCCL communicator: unsupported dtype ") + std::string(c10::toString(t.scalar_type())));
}

class NcclCommunicator final : public Communicator {
 public:
  explicit NcclCommunicator(MPI_Comm comm) : mpi_(dup(comm)) {
    int devices = 0;
    MH_CUDA_CHECK(cudaGetDeviceCount(&devices));
    MPI_Comm node;
    MH_MPI_CHECK(MPI_Comm_split_type(mpi_.handle(), MPI_COMM_TYPE_SHARED, mpi_.rank(), MPI_INFO_NULL, &node));
    int local_rank = 0;
    MH_MPI_CHECK(MPI_Comm_rank(node, &local_rank));
    MH_MPI_CHECK(MPI_Comm_free(&node));
    device_ = local_rank % devices;
    MH_CUDA_CHECK(cudaSetDevice(device_));
    MH_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));

    ncclUniqueId id;
    if (mpi_.rank() == 0) MH_NCCL_CHECK(ncclGetUniqueId(&id));
    MH_MPI_CHECK(MPI_Bcast(&id, sizeof id, MPI_BYTE, 0, mpi_.handle()));
    MH_NCCL_CHECK(ncclCommInitRank(&comm_, mpi_.size(), id, mpi_.rank()));
  }

  ~NcclCommunicator() override {
    if (scratch_) cudaFree(scratch_);
    if (comm_) ncclCommDestroy(comm_);
    if (stream_) cudaStreamDestroy(stream_);
  }

  std::string backend() const override { return "nccl"; }
  int rank() const override { return mpi_.rank(); }
  int size() const override { return mpi_.size(); }

  void allreduce(const at::Tensor& t, ReduceOp op) override {
    ncclRedOp_t nop = op == ReduceOp::sum ? ncclSum : op == ReduceOp::avg ? ncclAvg
                    : op == ReduceOp::max ? ncclMax : ncclMin;
    if (op == ReduceOp::avg && !t.is_floating_point())
      throw Error("NCCL communicator: avg allreduce needs a floating-point tensor");
    on_device(t, true, [&](void* p) {
      MH_NCCL_CHECK(ncclAllReduce(p, p, t.numel(), nccl_type(t), nop, comm_, stream_));
    });
  }

  void broadcast(const at::Tensor& t, int root) override {
    on_device(t, true, [&](void* p) {
      MH_NCCL_CHECK(ncclBroadcast(p, p, t.numel(), nccl_type(t), root, comm_, stream_));
    });
  }

  at::Tensor allgather(const at::Tensor& t) override {
    std::vector<int64_t> shape{size()};
    for (auto s : t.sizes()) shape.push_back(s);
    at::Tensor out = at::empty(shape, t.options());
    size_t bytes = t.numel() * t.element_size();
    if (t.is_cuda()) {
      MH_NCCL_CHECK(ncclAllGather(t.data_ptr(), out.data_ptr(), t.numel(), nccl_type(t), comm_, stream_));
    } else {
      char* dev = static_cast<char*>(scratch(bytes * (size() + 1)));
      MH_CUDA_CHECK(cudaMemcpyAsync(dev, t.data_ptr(), bytes, cudaMemcpyHostToDevice, stream_));
      MH_NCCL_CHECK(ncclAllGather(dev, dev + bytes, t.numel(), nccl_type(t), comm_, stream_));
      MH_CUDA_CHECK(cudaMemcpyAsync(out.data_ptr(), dev + bytes, bytes * size(), cudaMemcpyDeviceToHost, stream_));
    }
    MH_CUDA_CHECK(cudaStreamSynchronize(stream_));
    return out;
  }

  void barrier() override { mpi_.barrier(); }

  std::unique_ptr<Communicator> split(int color, int key) override {
    MPI_Comm sub = MPI_COMM_NULL;
    MH_MPI_CHECK(MPI_Comm_split(mpi_.handle(), color < 0 ? MPI_UNDEFINED : color, key, &sub));
    if (sub == MPI_COMM_NULL) return nullptr;
    auto result = std::make_unique<NcclCommunicator>(sub);
    MH_MPI_CHECK(MPI_Comm_free(&sub));
    return result;
  }

 private:
  static MPI_Comm dup(MPI_Comm comm) {
    MPI_Comm d;
    MH_MPI_CHECK(MPI_Comm_dup(comm, &d));
    return d;
  }

  void* scratch(size_t bytes) {
    if (bytes > scratch_bytes_) {
      if (scratch_) MH_CUDA_CHECK(cudaFree(scratch_));
      MH_CUDA_CHECK(cudaMalloc(&scratch_, bytes));
      scratch_bytes_ = bytes;
    }
    return scratch_;
  }

  // Runs `op` on a device pointer holding the tensor's data: the tensor itself
  // when it lives on the GPU, else a staging copy (this build's LibTorch may be
  // CPU-only) that is copied back when `copy_back`.
  template <typename F>
  void on_device(const at::Tensor& t, bool copy_back, F&& op) {
    if (!t.is_contiguous()) throw Error("NCCL communicator: tensor must be contiguous");
    size_t bytes = t.numel() * t.element_size();
    if (t.is_cuda()) {
      op(t.data_ptr());
    } else {
      void* dev = scratch(bytes);
      MH_CUDA_CHECK(cudaMemcpyAsync(dev, t.data_ptr(), bytes, cudaMemcpyHostToDevice, stream_));
      op(dev);
      if (copy_back) MH_CUDA_CHECK(cudaMemcpyAsync(t.data_ptr(), dev, bytes, cudaMemcpyDeviceToHost, stream_));
    }
    MH_CUDA_CHECK(cudaStreamSynchronize(stream_));
  }

  MpiCommunicator mpi_;
  int device_ = 0;
  cudaStream_t stream_ = nullptr;
  ncclComm_t comm_ = nullptr;
  void* scratch_ = nullptr;
  size_t scratch_bytes_ = 0;
};

}  // namespace

std::unique_ptr<Communicator> make_nccl_communicator(MPI_Comm comm) {
  return std::make_unique<NcclCommunicator>(comm);
}

}  // namespace mh::dist
