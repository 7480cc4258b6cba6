// What every teacher writes once trained, the same way for each modality:
// soft_targets/<modality>.h5 (logits and probabilities of every post of
// data.h5), teachers/<modality>/metrics.json (test and validation) and the
// stage "teacher.<modality>" in manifest.json. Rank 0 calls it.
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
};

void write_teacher_outputs(const std::filesystem::path& run_dir, const train::TextData& data, const at::Tensor& logits,
                           const TeacherOutput& out);

// The end of every teacher's run, after fit(): logits of every post (collective),
// then on rank 0 `save_model` (writes the model, returns its sha256), the
// outputs above and the removal of the training checkpoint; a barrier last.
void finish_teacher(const std::filesystem::path& run_dir, const train::TextData& data, train::Trainer& trainer,
                    TeacherOutput out, const std::filesystem::path& checkpoint,
                    const std::function<std::string()>& save_model, dist::Communicator& comm,
                    int64_t predict_batch = 64);

// torch::save of a module to `path` through a temporary name; returns the file's sha256.
std::string save_module(torch::nn::Module& module, const std::filesystem::path& path);

}  // namespace mh::teachers
