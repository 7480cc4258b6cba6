// soft_targets/<modality>.h5: a teacher's outputs for every post of data.h5, in
// the same order.
//   /logits  float32 [N, C]   raw teacher logits
//   /probs   float32 [N, C]   softmax(logits / temperature)
//   /post_id string  [N]      must equal data.h5's /post_id
//   attributes: temperature, teacher_checkpoint_sha256, modality, label_names
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace mh::io {

struct SoftTargets {
  int64_t n = 0, classes = 0;
  std::vector<float> logits, probs;  // row-major [n, classes]
  std::vector<std::string> post_id, label_names;
  double temperature = 1.0;
  std::string modality, checkpoint_sha256;
};

void write_soft_targets(const std::filesystem::path& path, const SoftTargets& t);

// Checks that the file covers exactly `post_ids`, in order; errors name the file.
SoftTargets read_soft_targets(const std::filesystem::path& path, const std::vector<std::string>& post_ids);

}  // namespace mh::io
