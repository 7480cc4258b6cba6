// The common trainer under MPI: data parallelism must not change the result,
// and a run stopped by SIGTERM and resumed must end where an uninterrupted run does.
#include <gtest/gtest.h>
#include <torch/torch.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>

#include "tests/mpi/world.h"
#include "train/stop_signal.h"
#include "train/trainer.h"

using namespace mh::train;
using mh::test::world;

namespace {

struct Toy {
  torch::Tensor x;
  std::vector<int32_t> labels, lengths;
  std::vector<int64_t> train, val;
};

// 3 classes, linearly separable with noise; the same on every rank.
Toy toy_data() {
  torch::manual_seed(42);
  const int64_t n = 150;
  Toy t;
  t.x = torch::randn({n, 8});
  auto w = torch::randn({8, 3});
  auto y = (t.x.matmul(w) + 0.5 * torch::randn({n, 3})).argmax(1);
  for (int64_t i = 0; i < n; ++i) {
    t.labels.push_back(static_cast<int32_t>(y[i].item<int64_t>()));
    t.lengths.push_back(static_cast<int32_t>(1 + (i * 7) % 30));
    (i % 5 == 0 ? t.val : t.train).push_back(i);
  }
  return t;
}

struct MlpImpl : torch::nn::Module {
  explicit MlpImpl(double dropout) {
    a = register_module("a", torch::nn::Linear(8, 16));
    d = register_module("d", torch::nn::Dropout(dropout));
    b = register_module("b", torch::nn::Linear(16, 3));
  }
  torch::Tensor forward(const torch::Tensor& x) { return b(d(torch::relu(a(x)))); }
  torch::nn::Linear a{nullptr}, b{nullptr};
  torch::nn::Dropout d{nullptr};
};
TORCH_MODULE(Mlp);

TrainTask task(Mlp& model, const Toy& data, std::function<void()> on_step = {}) {
  TrainTask t;
  t.module = model.ptr().get();
  t.logits = [&data, model, on_step](const std::vector<int64_t>& rows) mutable {
    if (on_step && model->is_training()) on_step();
    return model->forward(data.x.index_select(0, torch::tensor(rows, torch::kLong)));
  };
  t.sample_loss = [&data](const torch::Tensor& logits, const std::vector<int64_t>& rows) {
    std::vector<int64_t> y;
    for (auto r : rows) y.push_back(data.labels[r]);
    return torch::nn::functional::cross_entropy(
        logits, torch::tensor(y, torch::kLong), torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
  };
  t.labels = data.labels;
  t.lengths = data.lengths;
  t.num_classes = 3;
  return t;
}

TrainOptions options(int64_t batch) {
  TrainOptions o;
  o.epochs = 4;
  o.batch_size = batch;
  o.lr = 1e-2;
  o.patience = 10;
  o.seed = 3;
  o.bucket_window = 2;
  o.log_interval_s = 1e9;
  return o;
}

double max_diff(Mlp& a, Mlp& b) {
  double worst = 0;
  auto pa = a->parameters(), pb = b->parameters();
  for (size_t i = 0; i < pa.size(); ++i) worst = std::max(worst, (pa[i] - pb[i]).abs().max().item<double>());
  return worst;
}

}  // namespace

TEST(Trainer, DataParallelRanksGiveTheWeightsOfOneRankOnTheSameGlobalBatch) {
  auto& comm = world();
  auto data = toy_data();
  const int64_t per_rank = 4;
  // The whole world with 4 samples per rank...
  torch::manual_seed(7);
  Mlp parallel(0.0);
  Trainer(task(parallel, data), comm, options(per_rank)).fit(data.train, data.val);
  // ...and each rank alone with the same global batch.
  auto alone = comm.split(comm.rank(), 0);
  torch::manual_seed(7);
  Mlp single(0.0);
  Trainer(task(single, data), *alone, options(per_rank * comm.size())).fit(data.train, data.val);
  EXPECT_LE(max_diff(parallel, single), 1e-5);
}

namespace {

void resume_matches_uninterrupted(const std::string& schedule, double ema_decay = 0) {
  auto& comm = world();
  auto data = toy_data();
  auto dir = std::filesystem::temp_directory_path() / ("mh_trainer_resume_" + std::to_string(getppid()));
  if (comm.rank() == 0) std::filesystem::remove_all(dir);
  comm.barrier();
  auto o = options(4);
  o.schedule = schedule;
  o.ema_decay = ema_decay;
  o.plateau_factor = 0.3;
  if (schedule == "plateau") o.epochs = 12;  // long enough for validation to stall
  o.checkpoint = dir / "checkpoint.pt";

  torch::manual_seed(9);
  Mlp straight(0.2);  // dropout: the resumed run must restore the RNG too
  auto plain = o;
  plain.checkpoint.clear();
  auto full = Trainer(task(straight, data), comm, plain).fit(data.train, data.val);
  EXPECT_FALSE(full.interrupted);
  if (schedule == "plateau") EXPECT_GT(full.lr_reductions, 0) << "the plateau schedule was never exercised";

  install_stop_handlers();
  torch::manual_seed(9);
  Mlp first(0.2);
  int steps = 0;
  // Only rank 0 gets the signal, in the middle of epoch 2: all ranks must stop together.
  auto stopped = Trainer(task(first, data, [&] {
                           if (++steps == 20 && comm.rank() == 0) std::raise(SIGTERM);
                         }),
                         comm, o)
                     .fit(data.train, data.val);
  EXPECT_TRUE(stopped.interrupted);
  clear_stop();

  torch::manual_seed(1234);  // different initial weights: everything must come from the checkpoint
  Mlp resumed(0.2);
  o.resume = true;
  auto rest = Trainer(task(resumed, data), comm, o).fit(data.train, data.val);
  EXPECT_FALSE(rest.interrupted);
  EXPECT_EQ(rest.best_epoch, full.best_epoch);
  EXPECT_EQ(rest.lr_reductions, full.lr_reductions);
  EXPECT_DOUBLE_EQ(rest.best_val_macro_f1, full.best_val_macro_f1);
  EXPECT_LE(max_diff(resumed, straight), 1e-6);
  comm.barrier();
  if (comm.rank() == 0) std::filesystem::remove_all(dir);
}

}  // namespace

// Both schedules: the plateau schedule's learning-rate factor is training state
// too; and the moving average of the weights.
TEST(Trainer, ResumeAfterSigtermReachesTheSameWeightsAsAnUninterruptedRun) {
  for (const std::string schedule : {"linear", "plateau"}) {
    SCOPED_TRACE(schedule);
    resume_matches_uninterrupted(schedule);
  }
  SCOPED_TRACE("moving average");
  resume_matches_uninterrupted("linear", 0.9);
}

// With ema_decay d the trainer returns avg_n = d^n w_0 + sum_k (1 - d) d^(n-k) w_k
// over the weights w_k after each of its n steps, and trains exactly as without
// it: the same run without the average records the w_k (at the start of each
// step) and ends at w_n. Two epochs: after the first epoch's snapshot the live
// weights must come back, or the trajectory would change.
TEST(Trainer, MovingAverageIsThePolyakAverageOfTheTrajectoryAndLeavesTrainingAlone) {
  auto& comm = world();
  auto data = toy_data();
  auto o = options(4);
  o.epochs = 2;
  o.lr = 3e-2;
  std::vector<std::vector<torch::Tensor>> trajectory;
  torch::manual_seed(5);
  Mlp plain(0.0);
  Trainer(task(plain, data, [&] {
            std::vector<torch::Tensor> w;
            for (auto& t : plain->parameters()) w.push_back(t.detach().clone());
            trajectory.push_back(w);
          }),
          comm, o)
      .fit(data.train, {});
  std::vector<torch::Tensor> last;
  for (auto& t : plain->parameters()) last.push_back(t.detach().clone());
  trajectory.push_back(last);  // w_n

  const double d = 0.8;
  std::vector<torch::Tensor> by_hand;
  for (auto& t : trajectory[0]) by_hand.push_back(t.clone());
  for (size_t k = 1; k < trajectory.size(); ++k)
    for (size_t i = 0; i < by_hand.size(); ++i) by_hand[i] = d * by_hand[i] + (1 - d) * trajectory[k][i];

  torch::manual_seed(5);
  Mlp averaged(0.0);
  o.ema_decay = d;
  Trainer(task(averaged, data), comm, o).fit(data.train, {});
  auto got = averaged->parameters();
  ASSERT_GT(trajectory.size(), 10u);  // 2 epochs of 8 (4 ranks) or 15 (2 ranks) steps, and w_n
  double worst = 0, moved = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    worst = std::max(worst, (got[i] - by_hand[i]).abs().max().item<double>());
    moved = std::max(moved, (got[i] - last[i]).abs().max().item<double>());
  }
  EXPECT_LE(worst, 1e-6);
  EXPECT_GT(moved, 1e-3) << "the average is not the last weights";
}
