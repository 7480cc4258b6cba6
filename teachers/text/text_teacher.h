// `3mhealth teacher --modality text RUN_DIR`: trains the text teacher on the
// training split (early stopping on validation), then writes
//   teachers/text/model/   config.json, model.safetensors, vocab.txt (best epoch)
//   teachers/text/metrics.json   test (and validation) metrics
//   soft_targets/text.h5   logits and probabilities for every post
// and records the stage in manifest.json. Data parallel over `comm`.
//
// With members = K > 1 the teacher is a seed ensemble: K models on the same
// data, member k seeded with seed + 1000 k (member 0 is the single model of
// the same options), each saved to teachers/text/member-<k>/model/; the soft
// targets and metrics are those of the members' mean probability (its log as
// the logits). Small training sets make one model's result hinge on its seed;
// the mean of several is steadier and better, and the student distilled from
// it is still one model.
#pragma once

#include <filesystem>

#include "dist/communicator.h"
#include "teachers/text/text_classifier.h"

namespace mh::teachers::text {

struct TextTeacherOptions {
  TextModelOptions model;
  train::TrainOptions train;
  double temperature = 1.0;  // of the stored probabilities
  int members = 1;           // seed ensemble size
  bool force = false;
};

// Seed of ensemble member k.
uint64_t member_seed(uint64_t seed, int k);

// log of the mean over members of softmax(logits): [rows, C] from K tensors [rows, C].
at::Tensor ensemble_logits(const std::vector<at::Tensor>& member_logits);

// 0 when done (or stopped by a signal after checkpointing).
int run_text_teacher(const std::filesystem::path& run_dir, TextTeacherOptions options, dist::Communicator& comm);

}  // namespace mh::teachers::text
