// The one interface every collective goes through. Two backends: MPI (host
// tensors, always built) and NCCL (device buffers, built when CUDA and NCCL are
// found). Tensors must be contiguous; all ranks call the same operations in the
// same order, as with any collective library.
#pragma once

#include <ATen/core/Tensor.h>
#include <mpi.h>

#include <memory>
#include <string>
#include <vector>

namespace mh::dist {

enum class ReduceOp { sum, avg, max, min };

class Communicator {
 public:
  virtual ~Communicator() = default;
  virtual std::string backend() const = 0;
  virtual int rank() const = 0;
  virtual int size() const = 0;

  // In place: afterwards every rank holds the reduction. avg is floating point only.
  virtual void allreduce(const at::Tensor& tensor, ReduceOp op) = 0;
  // In place: afterwards every rank holds root's values.
  virtual void broadcast(const at::Tensor& tensor, int root) = 0;
  // Returns a tensor of shape [size(), ...tensor.shape] whose row r is rank r's tensor.
  virtual at::Tensor allgather(const at::Tensor& tensor) = 0;
  virtual void barrier() = 0;
  // Collective: ranks with the same color form a new communicator of the same
  // backend, ordered by key; a negative color takes no part and gets nullptr.
  virtual std::unique_ptr<Communicator> split(int color, int key) = 0;
};

enum class Backend { automatic, mpi, nccl };
Backend parse_backend(const std::string& name);  // "auto", "mpi", "nccl"
std::string backend_name(Backend b);

// Whether a backend is compiled in and can run on this process, and if not, why.
struct BackendStatus {
  std::string name;
  bool compiled = false;
  bool usable = false;
  std::string reason;  // why not usable; empty when usable
};
std::vector<BackendStatus> backend_statuses();

// The communicator over `comm` (duplicated, so it owns its own context) for the
// requested backend. automatic: NCCL when usable, else MPI with a warning when
// NCCL is compiled but not usable. Asking for NCCL when it cannot run is an error.
std::unique_ptr<Communicator> make_communicator(Backend backend, MPI_Comm comm = MPI_COMM_WORLD);

}  // namespace mh::dist
