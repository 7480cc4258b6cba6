// `3mhealth teacher --modality text RUN_DIR`: trains the text teacher on the
// training split (early stopping on validation), then writes
//   teachers/text/model/   config.json, model.safetensors, vocab.txt (best epoch)
//   teachers/text/metrics.json   test (and validation) metrics
//   soft_targets/text.h5   logits and probabilities for every post
// and records the stage in manifest.json. Data parallel over `comm`.
#pragma once

#include <filesystem>

#include "dist/communicator.h"
#include "teachers/text/text_classifier.h"

namespace mh::teachers::text {

struct TextTeacherOptions {
  TextModelOptions model;
  train::TrainOptions train;
  double temperature = 1.0;  // of the stored probabilities
  bool force = false;
};

// 0 when done (or stopped by a signal after checkpointing).
int run_text_teacher(const std::filesystem::path& run_dir, TextTeacherOptions options, dist::Communicator& comm);

}  // namespace mh::teachers::text
