// Training throughput of the CPU-sized student (BERT: 4 layers, hidden 256,
// 4 heads, feed-forward 1024, 128 tokens, 32 posts per rank and step) with the
// real trainer pieces (GradientReducer, AdamW), and the GFLOP/s it reaches
// against a plain sgemm on the same core. Run with 1 thread per rank:
//   OMP_NUM_THREADS=1 build/bench/bench_train_throughput            (1 rank)
//   mpirun -np 2 build/bench/bench_train_throughput                 (2 ranks)
// bench/train_throughput.sh runs both and prints the speed-up.
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "dist/communicator.h"
#include "dist/gradient_reducer.h"
#include "dist/process.h"
#include "nn/bert.h"

namespace {
using Clock = std::chrono::steady_clock;

double sgemm_gflops(int64_t n) {
  auto a = torch::randn({n, n}), b = torch::randn({n, n});
  torch::mm(a, b);
  auto start = Clock::now();
  int reps = 0;
  double s = 0;
  do {
    torch::mm(a, b);
    ++reps;
    s = std::chrono::duration<double>(Clock::now() - start).count();
  } while (s < 1.0);
  return 2.0 * n * n * n * reps / s / 1e9;
}
}  // namespace

int main(int argc, char** argv) {
  mh::dist::Process process(&argc, &argv);
  auto comm = mh::dist::make_communicator(mh::dist::Backend::mpi);
  const int64_t B = 32, T = 128, steps = argc > 1 ? std::atoi(argv[1]) : 10;
  mh::nn::BertConfig c;
  c.vocab_size = 16000;
  c.max_position_embeddings = T;
  torch::manual_seed(0);
  mh::nn::BertForSequenceClassification model(c);
  mh::dist::ReducerOptions ro;
  ro.op = mh::dist::ReduceOp::sum;
  mh::dist::GradientReducer reducer(*model, *comm, ro);
  torch::optim::AdamW opt(model->parameters(), torch::optim::AdamWOptions(1e-4));
  auto ids = torch::randint(1, c.vocab_size, {B, T}, torch::kLong);
  auto mask = torch::ones({B, T}, torch::kLong);
  auto y = torch::randint(0, 2, {B}, torch::kLong);

  auto step = [&] {
    reducer.zero_grad();
    auto loss = torch::nn::functional::cross_entropy(
        model->forward(ids, mask), y, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
    (loss / static_cast<double>(B * comm->size())).backward();
    reducer.finish();
    opt.step();
  };
  // The machine's sgemm: the best of three sizes, measured before and after the
  // model, so a noisy neighbour during one measurement cannot flatter the ratio.
  auto best_sgemm = [] {
    double best = 0;
    for (int64_t n : {512, 1024, 2048}) best = std::max(best, sgemm_gflops(n));
    return best;
  };
  const double sgemm_before = best_sgemm();
  step();  // warm-up
  comm->barrier();
  auto start = Clock::now();
  for (int64_t i = 0; i < steps; ++i) step();
  comm->barrier();
  double s = std::chrono::duration<double>(Clock::now() - start).count();
  double samples_per_s = static_cast<double>(B * steps * comm->size()) / s;

  // Matmul FLOPs per post, forward + backward (3x forward): per layer the Q, K,
  // V and output projections, the two feed-forward matmuls and the two
  // attention products.
  const double H = c.hidden_size, I = c.intermediate_size, L = c.num_hidden_layers;
  const double fwd = L * (4 * 2 * T * H * H + 2 * 2 * T * H * I + 2 * 2 * T * T * H);
  const double gflops_per_rank = 3 * fwd * samples_per_s / comm->size() / 1e9;
  const double sgemm = std::max(sgemm_before, best_sgemm());
  if (comm->rank() == 0) {
    std::printf("ranks %d, threads per rank %d, batch %ld x %ld tokens, %ld steps\n", comm->size(),
                at::get_num_threads(), static_cast<long>(B), static_cast<long>(T), static_cast<long>(steps));
    std::printf("samples/s (all ranks): %.1f\n", samples_per_s);
    std::printf("model GFLOP/s per rank: %.1f, best sgemm GFLOP/s per rank: %.1f, ratio %.2f\n", gflops_per_rank, sgemm,
                gflops_per_rank / sgemm);
  }
  return 0;
}
