// The one training loop for every teacher and the student. A modality supplies
// the model and how to get logits and per-sample losses for a list of rows;
// the trainer does the rest: length-bucketed, seeded data-parallel batches
// (DistributedSampler + GradientReducer, each rank's loss divided by the global
// batch size and gradients summed, exact for uneven last batches), AdamW with
// linear warm-up and decay, gradient clipping, early stopping on validation
// macro-F1 with patience, best-weights keeping, progress on rank 0 (samples/s,
// ETA), optionally a moving average of the weights, and checkpoints: at every
// epoch end and on SIGTERM/SIGUSR1 (model, optimizer, progress, the average,
// every rank's RNG state), from which `resume` continues
// to the same result as an uninterrupted run.
#pragma once

#include <torch/nn/module.h>

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "dist/communicator.h"

namespace mh::train {

struct TrainOptions {
  int epochs = 10;
  int64_t batch_size = 32;  // per rank
  double lr = 5e-5, weight_decay = 0.01;
  double warmup_fraction = 0.1;  // of all steps; then linear decay to 0 (schedule "linear")
  // "linear", or "plateau": after warm-up the rate stays, multiplied by
  // plateau_factor whenever validation macro-F1 has not improved for
  // plateau_patience more epochs (ReduceLROnPlateau, mode max).
  std::string schedule = "linear";
  double plateau_factor = 0.5;
  int plateau_patience = 1;
  double clip_norm = 1.0;        // <= 0: no clipping
  // > 0: keep an exponential moving average of the weights (after every
  // step: avg = d * avg + (1 - d) * weights, from the initial weights) and
  // validate, keep and return it instead of the weights themselves (Polyak
  // averaging: on small, noisy data the average of the last few hundred steps
  // generalises more steadily than any one of them). Training itself is unchanged.
  // Deliberately not bias-corrected: the initial weights keep a share d^n
  // (1.3% after 430 steps at d = 0.99), a pull towards the initialisation
  // (the pretrained word vectors); Adam-style bias correction scored 0.26 lower
  // on SDCNL, on 4 of 5 seeds (experiments/RESULTS.md, "the moving average's
  // decay and bias correction").
  double ema_decay = 0;
  int patience = 3;              // epochs without a better validation macro-F1
  uint64_t seed = 0;
  int64_t bucket_window = 50;    // global batches per length-sorting window; 0: no bucketing
  bool overlap = false;          // overlap gradient communication with backward
  std::filesystem::path checkpoint;  // written at epoch ends and on a stop signal
  bool resume = false;               // continue from `checkpoint` when it exists
  std::string name = "train";        // for log lines
  double log_interval_s = 10.0;
};

// The options that decide a trained model (for manifest configuration hashes).
nlohmann::json to_json(const TrainOptions& t);

struct TrainTask {
  torch::nn::Module* module = nullptr;
  // Logits [rows, C] for these rows (the module's train/eval mode is set by the trainer).
  std::function<at::Tensor(const std::vector<int64_t>& rows)> logits;
  // Per-sample training loss [rows] from those logits.
  std::function<at::Tensor(const at::Tensor& logits, const std::vector<int64_t>& rows)> sample_loss;
  std::vector<int32_t> labels;   // gold label of every row
  std::vector<int32_t> lengths;  // of every row, for bucketing (empty: none)
  int32_t num_classes = 2;
};

struct TrainResult {
  bool interrupted = false;  // stopped by a signal after writing the checkpoint
  int epochs_run = 0, best_epoch = -1;
  double best_val_macro_f1 = -1;
  int lr_reductions = 0;  // by the plateau schedule
};

// The checkpoint file of a training stage in `dir`. An existing one is kept
// only for `resume` and only when it was written for the same configuration
// (`config_hash`, remembered beside it): never resume another run's state.
// Collective over `comm`; rank 0 does the file work.
std::filesystem::path stage_checkpoint(const std::filesystem::path& dir, const std::string& config_hash, bool resume,
                                       dist::Communicator& comm);
// Once the stage is done: its checkpoint and the hash remembered beside it go.
void remove_stage_checkpoint(const std::filesystem::path& checkpoint);

class Trainer {
 public:
  Trainer(TrainTask task, dist::Communicator& comm, TrainOptions options);
  // Trains on train_rows, early-stops on val_rows (none: every epoch is "best"),
  // and leaves the best weights in the module.
  TrainResult fit(const std::vector<int64_t>& train_rows, const std::vector<int64_t>& val_rows);
  // Logits [rows, C] in row order, computed in shares across ranks, on every rank.
  at::Tensor predict(const std::vector<int64_t>& rows, int64_t batch_size = 64);
  // This rank's share of them: rows [first, last) of `rows` (contiguous,
  // ceil(n / world) each), logits [last - first, C]. Not collective.
  struct Share {
    int64_t first = 0, last = 0;
    at::Tensor logits;
  };
  // The [first, last) of n rows that predict_share gives `rank` of `world`.
  static std::pair<int64_t, int64_t> share_bounds(int64_t n, int rank, int world);
  Share predict_share(const std::vector<int64_t>& rows, int64_t batch_size = 64);

 private:
  TrainTask task_;
  dist::Communicator& comm_;
  TrainOptions o_;
};

}  // namespace mh::train
