// Data-parallel gradient averaging (LibTorch has no C++ DDP; this is it).
//
// Parameters are packed, in reverse registration order (roughly the order
// backward produces their gradients), into flat buckets of about
// `bucket_bytes`; each parameter's .grad is made a view into its bucket, so
// autograd accumulates straight into the buffers that are reduced and no copy
// is made. A bucket holds at least one whole parameter.
//
// Without overlap, finish() allreduces the buckets one after another. With
// overlap, a post-hook on every parameter's gradient accumulator marks it
// ready during backward; a bucket whose parameters are all ready is handed,
// strictly in bucket order (so all ranks issue the same collectives in the same
// order), to a communication thread, while backward goes on. finish() then
// launches what is left (parameters that got no gradient) and waits.
#pragma once

#include <torch/nn/module.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "dist/communicator.h"

namespace mh::dist {

struct ReducerOptions {
  int64_t bucket_bytes = 25 * 1024 * 1024;
  bool overlap = false;
  // avg: .grad becomes the mean over ranks (right when every rank's loss is a
  // mean over equally many samples). sum: the caller normalises each rank's
  // loss by the global batch size, so the sum is the exact mean gradient even
  // when ranks hold different numbers of samples (the sampler's last batch);
  // it also saves the pass over the buckets that averaging costs.
  ReduceOp op = ReduceOp::avg;
};

class GradientReducer {
 public:
  GradientReducer(torch::nn::Module& module, Communicator& comm, ReducerOptions options = {});
  GradientReducer(std::vector<at::Tensor> parameters, Communicator& comm, ReducerOptions options = {});
  ~GradientReducer();
  GradientReducer(const GradientReducer&) = delete;
  GradientReducer& operator=(const GradientReducer&) = delete;

  // After backward: returns when every parameter's .grad holds the average over
  // all ranks. One backward per finish() when overlapping.
  void finish();
  // Zeros every gradient in place (keeps .grad a view into its bucket).
  void zero_grad();

  int64_t bucket_count() const { return static_cast<int64_t>(buckets_.size()); }
  // Buckets handed to the communication thread before finish() in the last step:
  // evidence that communication overlapped backward.
  int64_t buckets_launched_during_backward() const { return last_launched_in_backward_; }

 private:
  struct Bucket {
    at::Tensor flat;
    std::vector<int64_t> params;  // indices into params_
    int64_t pending = 0;          // parameters not yet ready in this step
  };
  struct Slot {
    int64_t bucket;
    at::Tensor view;  // the parameter's gradient inside the bucket
  };
  class ReadyHook;

  void build_buckets();
  void attach_grad(int64_t param);  // make .grad the bucket view, keeping its values
  void mark_ready(int64_t param);   // called from autograd post-hooks
  void launch_ready_in_order();     // caller holds mutex_
  void comm_loop();
  void wait_all_reduced();

  std::vector<at::Tensor> params_;
  Communicator& comm_;
  ReducerOptions options_;
  std::vector<Bucket> buckets_;
  std::vector<Slot> slots_;

  // Overlap state, guarded by mutex_.
  std::vector<std::shared_ptr<torch::autograd::Node>> accumulators_;
  std::vector<uintptr_t> hook_keys_;
  std::vector<char> ready_;
  int64_t next_launch_ = 0, reduced_ = 0, launched_in_backward_ = 0, last_launched_in_backward_ = 0;
  bool finishing_ = false, stop_ = false;
  std::deque<int64_t> queue_;
  std::exception_ptr comm_error_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::thread comm_thread_;
};

}  // namespace mh::dist
