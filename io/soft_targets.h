// soft_targets/<modality>.h5: a teacher's outputs for every post of data.h5, in
// the same order.
//   /logits  float32 [N, C]   raw teacher logits
//   /probs   float32 [N, C]   softmax(logits / temperature)
//   /post_id string  [N]      must equal data.h5's /post_id
//   attributes: temperature, teacher_checkpoint_sha256, modality, label_names
// Each rank of the teacher's group writes the posts it computed to a shard,
// soft_targets/<modality>.shard-<r>-of-<n>.h5 (same layout, its posts only);
// the group's rank 0 merges the shards into the file above.
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

std::filesystem::path soft_target_shard_path(const std::filesystem::path& merged, int rank, int world);

// The shards' rows in the order of `post_ids`. Every post must appear exactly
// once across the shards, and the shards must agree on classes, labels,
// modality and temperature; otherwise an error names the post and the files.
SoftTargets merge_soft_target_shards(const std::vector<std::filesystem::path>& shards,
                                     const std::vector<std::string>& post_ids);

}  // namespace mh::io
