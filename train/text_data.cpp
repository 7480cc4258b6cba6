#include "train/text_data.h"

#include <ATen/ATen.h>

#include <algorithm>

#include "io/hdf5_store.h"

namespace mh::train {

TextData TextData::load(const std::filesystem::path& path) {
  io::H5Reader r(path);
  TextData d;
  io::Dims dims;
  d.ids = r.read<int32_t>("ids", &dims);
  if (dims.size() != 2) throw io::H5Error(path.string() + ": /ids must be [N, max_length]");
  d.max_length = static_cast<int64_t>(dims[1]);
  d.length = r.read<int32_t>("length");
  d.label = r.read<int32_t>("label");
  d.split = r.read<uint8_t>("split");
  d.post_id = r.read_strings("post_id");
  d.label_names = r.attr_strings("/", "label_names");
  d.dataset = r.attr_string("/", "dataset");
  d.vocab_sha256 = r.attr_string("/", "vocab_sha256");
  const size_t n = d.label.size();
  if (dims[0] != n || d.length.size() != n || d.split.size() != n || d.post_id.size() != n)
    throw io::H5Error(path.string() + ": datasets disagree on the number of posts");
  return d;
}

std::vector<int64_t> TextData::rows_of(uint8_t s) const {
  std::vector<int64_t> out;
  for (int64_t i = 0; i < size(); ++i)
    if (split[i] == s) out.push_back(i);
  return out;
}

std::vector<int64_t> TextData::all_rows() const {
  std::vector<int64_t> out(size());
  for (int64_t i = 0; i < size(); ++i) out[i] = i;
  return out;
}

TextBatch TextData::batch(const std::vector<int64_t>& rows) const {
  const int64_t B = static_cast<int64_t>(rows.size());
  int64_t T = 1;
  for (auto r : rows) T = std::max<int64_t>(T, length[r]);
  auto ids_t = at::zeros({B, T}, at::kLong), mask = at::zeros({B, T}, at::kLong), labels = at::empty({B}, at::kLong);
  auto* pi = ids_t.data_ptr<int64_t>();
  auto* pm = mask.data_ptr<int64_t>();
  auto* pl = labels.data_ptr<int64_t>();
  for (int64_t b = 0; b < B; ++b) {
    const int32_t* src = ids.data() + rows[b] * max_length;
    for (int64_t t = 0; t < length[rows[b]]; ++t) pi[b * T + t] = src[t], pm[b * T + t] = 1;
    pl[b] = label[rows[b]];
  }
  return {ids_t, mask, labels};
}

Metrics metrics_of_split(const at::Tensor& logits, const TextData& data, uint8_t split) {
  auto pred = logits.argmax(1).to(at::kInt).contiguous();
  const int32_t* p = pred.data_ptr<int32_t>();
  std::vector<int32_t> gold, predicted;
  for (int64_t r = 0; r < data.size(); ++r) {
    if (data.split[r] != split) continue;
    gold.push_back(data.label[r]);
    predicted.push_back(p[r]);
  }
  return compute_metrics(gold, predicted, data.num_labels());
}

std::function<at::Tensor(const at::Tensor&, const std::vector<int64_t>&)> label_cross_entropy(const TextData& data) {
  return [&data](const at::Tensor& logits, const std::vector<int64_t>& rows) {
    std::vector<int64_t> labels;
    for (auto r : rows) labels.push_back(data.label[r]);
    auto y = at::tensor(labels, at::kLong);
    return at::cross_entropy_loss(logits, y, {}, at::Reduction::None);
  };
}

}  // namespace mh::train
