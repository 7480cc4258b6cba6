// RUN_DIR/data.h5 in memory, and batches of it as tensors: ids and attention
// mask padded to the longest post of the batch (not to max_length), so short
// posts cost little.
#pragma once

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "train/metrics.h"

namespace mh::train {

struct TextBatch {
  at::Tensor ids, mask, labels;  // [B, T] int64, [B, T] int64, [B] int64
};

class TextData {
 public:
  static TextData load(const std::filesystem::path& data_h5);

  int64_t size() const { return static_cast<int64_t>(label.size()); }
  int32_t num_labels() const { return static_cast<int32_t>(label_names.size()); }
  std::vector<int64_t> rows_of(uint8_t split) const;
  std::vector<int64_t> all_rows() const;
  TextBatch batch(const std::vector<int64_t>& rows) const;

  int64_t max_length = 0;
  std::vector<int32_t> ids, length, label;
  std::vector<uint8_t> split;
  std::vector<std::string> post_id, label_names;
  std::string dataset, vocab_sha256;
};

// Metrics of the rows of one split (0 train, 1 validation, 2 test; io/splits.h) from logits of every row.
Metrics metrics_of_split(const at::Tensor& logits, const TextData& data, uint8_t split);

// Per-sample cross-entropy of logits [rows, C] against data's labels of those rows.
std::function<at::Tensor(const at::Tensor&, const std::vector<int64_t>&)> label_cross_entropy(const TextData& data);

}  // namespace mh::train
