#include "dist/gradient_reducer.h"

#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/function_hook.h>
#include <torch/csrc/autograd/variable.h>

#include "dist/check.h"

namespace mh::dist {

// Runs after AccumulateGrad has added this step's gradient into .grad.
class GradientReducer::ReadyHook final : public torch::autograd::FunctionPostHook {
 public:
  ReadyHook(GradientReducer* reducer, int64_t param) : reducer_(reducer), param_(param) {}
  torch::autograd::variable_list operator()(const torch::autograd::variable_list& outputs,
                                            const torch::autograd::variable_list& /*inputs*/) override {
    reducer_->mark_ready(param_);
    return outputs;
  }

 private:
  GradientReducer* reducer_;
  int64_t param_;
};

namespace {
std::vector<int64_t> contiguous_strides(const at::Tensor& t) {
  std::vector<int64_t> strides(t.dim(), 1);
  for (int64_t d = t.dim() - 2; d >= 0; --d) strides[d] = strides[d + 1] * t.size(d + 1);
  return strides;
}

std::vector<at::Tensor> trainable(torch::nn::Module& module) {
  std::vector<at::Tensor> out;
  for (auto& p : module.parameters(/*recurse=*/true))
    if (p.requires_grad()) out.push_back(p);
  return out;
}
}  // namespace

GradientReducer::GradientReducer(torch::nn::Module& module, Communicator& comm, ReducerOptions options)
    : GradientReducer(trainable(module), comm, options) {}

GradientReducer::GradientReducer(std::vector<at::Tensor> parameters, Communicator& comm, ReducerOptions options)
    : params_(std::move(parameters)), comm_(comm), options_(options) {
  if (options_.bucket_bytes <= 0) throw Error("GradientReducer: bucket size must be positive");
  if (options_.op != ReduceOp::avg && options_.op != ReduceOp::sum)
    throw Error("GradientReducer: gradients are reduced by avg or sum");
  for (auto& p : params_)
    if (!p.defined() || !p.requires_grad() || !p.is_leaf())
      throw Error("GradientReducer: every parameter must be a leaf tensor that requires grad");
  build_buckets();
  for (int64_t i = 0; i < static_cast<int64_t>(params_.size()); ++i) attach_grad(i);
  if (!options_.overlap) return;

  // The communication thread calls MPI while the main thread may too (outside
  // backward); MPI must allow calls from more than one thread.
  int level = MPI_THREAD_SINGLE;
  MH_MPI_CHECK(MPI_Query_thread(&level));
  if (level < MPI_THREAD_SERIALIZED)
    throw Error("GradientReducer: overlap needs MPI_THREAD_SERIALIZED or better; MPI gave level " +
                std::to_string(level));
  ready_.assign(params_.size(), 0);
  for (int64_t i = 0; i < static_cast<int64_t>(params_.size()); ++i) {
    // The accumulator is held here: the parameter keeps only a weak reference.
    auto acc = torch::autograd::impl::grad_accumulator(params_[i]);
    hook_keys_.push_back(acc->add_post_hook(std::make_unique<ReadyHook>(this, i)));
    accumulators_.push_back(std::move(acc));
  }
  comm_thread_ = std::thread([this] { comm_loop(); });
}

GradientReducer::~GradientReducer() {
  if (comm_thread_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    cv_.notify_all();
    comm_thread_.join();
  }
  for (size_t i = 0; i < accumulators_.size(); ++i) accumulators_[i]->del_post_hook(hook_keys_[i]);
}

void GradientReducer::build_buckets() {
  slots_.resize(params_.size());
  std::vector<int64_t> current;
  int64_t current_bytes = 0;
  auto close = [&] {
    if (current.empty()) return;
    int64_t numel = 0;
    for (auto i : current) numel += params_[i].numel();
    Bucket b;
    b.flat = at::zeros({numel}, params_[current.front()].options().requires_grad(false));
    int64_t offset = 0;
    for (auto i : current) {
      slots_[i].bucket = static_cast<int64_t>(buckets_.size());
      // Shares the bucket's storage without being an autograd view, so that
      // optimizer.zero_grad() (which calls detach_() on every .grad) still works.
      slots_[i].view = at::empty({0}, b.flat.options())
                           .set_(b.flat.storage(), offset, params_[i].sizes(), contiguous_strides(params_[i]));
      offset += params_[i].numel();
    }
    b.params = current;
    b.pending = static_cast<int64_t>(current.size());
    buckets_.push_back(std::move(b));
    current.clear();
    current_bytes = 0;
  };
  for (int64_t i = static_cast<int64_t>(params_.size()) - 1; i >= 0; --i) {
    const auto& p = params_[i];
    bool same_kind = current.empty() || (params_[current.front()].scalar_type() == p.scalar_type() &&
                                         params_[current.front()].device() == p.device());
    if (!same_kind || current_bytes >= options_.bucket_bytes) close();
    current.push_back(i);
    current_bytes += p.numel() * p.element_size();
  }
  close();
}

void GradientReducer::attach_grad(int64_t i) {
  auto& p = params_[i];
  const auto& view = slots_[i].view;
  const auto& g = p.grad();
  if (g.defined() && g.data_ptr() == view.data_ptr() && g.strides() == view.strides()) return;
  {
    at::NoGradGuard no_grad;
    if (g.defined()) view.copy_(g);
    else view.zero_();
  }
  p.mutable_grad() = view;
}

void GradientReducer::mark_ready(int64_t i) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (ready_[i])
    throw Error("GradientReducer: a parameter got a second gradient before finish(); with overlap, call "
                "finish() after every backward");
  ready_[i] = 1;
  attach_grad(i);  // AccumulateGrad replaces .grad when it was reset to undefined
  if (--buckets_[slots_[i].bucket].pending == 0) launch_ready_in_order();
}

void GradientReducer::launch_ready_in_order() {
  while (next_launch_ < bucket_count() && buckets_[next_launch_].pending == 0) {
    queue_.push_back(next_launch_++);
    if (!finishing_) ++launched_in_backward_;
  }
  cv_.notify_all();
}

void GradientReducer::comm_loop() {
  for (;;) {
    int64_t b;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;
      b = queue_.front();
      queue_.pop_front();
      if (comm_error_) {  // after a failed collective the rest are skipped
        ++reduced_;
        cv_.notify_all();
        continue;
      }
    }
    std::exception_ptr error;
    try {
      comm_.allreduce(buckets_[b].flat, options_.op);
    } catch (...) {
      error = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (error && !comm_error_) comm_error_ = error;
    ++reduced_;
    cv_.notify_all();
  }
}

void GradientReducer::finish() {
  if (!options_.overlap) {
    for (int64_t i = 0; i < static_cast<int64_t>(params_.size()); ++i) attach_grad(i);
    for (auto& b : buckets_) comm_.allreduce(b.flat, options_.op);
    last_launched_in_backward_ = 0;
    return;
  }
  std::exception_ptr error;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    finishing_ = true;
    // Parameters that got no gradient this step still take part, with what
    // their .grad holds (zeros after zero_grad()).
    for (int64_t b = next_launch_; b < bucket_count(); ++b) {
      for (auto i : buckets_[b].params)
        if (!ready_[i]) attach_grad(i);
      buckets_[b].pending = 0;
    }
    launch_ready_in_order();
    cv_.wait(lock, [&] { return reduced_ == bucket_count(); });
    std::fill(ready_.begin(), ready_.end(), 0);
    for (auto& b : buckets_) b.pending = static_cast<int64_t>(b.params.size());
    next_launch_ = reduced_ = 0;
    finishing_ = false;
    last_launched_in_backward_ = launched_in_backward_;
    launched_in_backward_ = 0;
    std::swap(error, comm_error_);
  }
  if (error) std::rethrow_exception(error);
}

void GradientReducer::zero_grad() {
  for (int64_t i = 0; i < static_cast<int64_t>(params_.size()); ++i) attach_grad(i);
  at::NoGradGuard no_grad;
  for (auto& b : buckets_) b.flat.zero_();
}

}  // namespace mh::dist
