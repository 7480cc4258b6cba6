// What every teacher writes once trained, the same way for each modality:
// soft_targets/<modality>.h5 (logits and probabilities of every post of
// data.h5), teachers/<modality>/metrics.json (test and validation) and the
// stage "teacher.<modality>" in manifest.json.
#pragma once

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "train/text_data.h"
#include "train/trainer.h"

namespace mh::teachers {

struct TeacherOutput {
  std::string modality;
  std::string config_hash;
  nlohmann::json config;
  std::string model_file;         // relative to the run directory
  std::string checkpoint_sha256;  // of model_file
  double temperature = 1.0;
  train::TrainResult fit;
  int world = 1;
  nlohmann::json members;  // an ensemble's per-member results, copied into metrics.json (null: one model)
  nlohmann::json cross_fit;  // the fold models behind out-of-fold soft targets, the same (null: none)
  nlohmann::json model;      // what a model without epochs chose (the bow teacher's C), the same (null: none)
};

// This rank's share of the logits of `rows` (as Trainer::predict_share).
using PredictShare = std::function<train::Trainer::Share(const std::vector<int64_t>& rows)>;

// The end of every teacher's run, after fit() (collective): each rank writes
// the soft targets of its share of the posts (`predict`) to a shard; rank 0
// merges the shards (every post exactly once), calls `save_model` (writes the
// model, returns its sha256), writes the outputs above and removes the
// training checkpoint; a barrier last.
void finish_teacher(const std::filesystem::path& run_dir, const train::TextData& data, const PredictShare& predict,
                    TeacherOutput out, const std::filesystem::path& checkpoint,
                    const std::function<std::string()>& save_model, dist::Communicator& comm);
// The same for the one model `trainer` trained.
void finish_teacher(const std::filesystem::path& run_dir, const train::TextData& data, train::Trainer& trainer,
                    TeacherOutput out, const std::filesystem::path& checkpoint,
                    const std::function<std::string()>& save_model, dist::Communicator& comm,
                    int64_t predict_batch = 64);

// torch::save of a module to `path` through a temporary name; returns the file's sha256.
std::string save_module(torch::nn::Module& module, const std::filesystem::path& path);

}  // namespace mh::teachers
