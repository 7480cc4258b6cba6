// What every teacher writes once trained, the same way for each modality:
// soft_targets/<modality>.h5 (logits and probabilities of every post of
// data.h5), teachers/<modality>/metrics.json (test and validation) and the
// stage "teacher.<modality>" in manifest.json. Rank 0 calls it.
#pragma once

#include <ATen/core/Tensor.h>

#include <filesystem>
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

}  // namespace mh::teachers
