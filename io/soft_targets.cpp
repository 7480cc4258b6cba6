#include "io/soft_targets.h"

#include <algorithm>
#include <unordered_map>

#include "io/csv_reader.h"
#include "io/hdf5_store.h"

namespace mh::io {

void write_soft_targets(const std::filesystem::path& path, const SoftTargets& t) {
  const uint64_t n = static_cast<uint64_t>(t.n), c = static_cast<uint64_t>(t.classes);
  H5Writer w(path);
  w.write("logits", t.logits, {n, c});
  w.write("probs", t.probs, {n, c});
  w.write_strings("post_id", t.post_id);
  w.set_attr("/", "temperature", t.temperature);
  w.set_attr("/", "teacher_checkpoint_sha256", t.checkpoint_sha256);
  w.set_attr("/", "modality", t.modality);
  w.set_attr("/", "label_names", t.label_names);
  w.commit();
}

namespace {

SoftTargets read_file(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path))
    throw InputError(path.string() + ": no soft targets; train that teacher first (3mhealth teacher --modality ...)");
  H5Reader r(path);
  SoftTargets t;
  Dims d;
  t.logits = r.read<float>("logits", &d);
  if (d.size() != 2) throw InputError(path.string() + ": /logits must be [N, C]");
  t.n = static_cast<int64_t>(d[0]);
  t.classes = static_cast<int64_t>(d[1]);
  t.probs = r.read<float>("probs");
  t.post_id = r.read_strings("post_id");
  if (t.probs.size() != t.logits.size() || t.post_id.size() != static_cast<size_t>(t.n))
    throw InputError(path.string() + ": /probs and /post_id must have the rows of /logits");
  t.temperature = r.attr_double("/", "temperature");
  t.modality = r.attr_string("/", "modality");
  t.checkpoint_sha256 = r.attr_string("/", "teacher_checkpoint_sha256");
  t.label_names = r.attr_strings("/", "label_names");
  return t;
}

}  // namespace

SoftTargets read_soft_targets(const std::filesystem::path& path, const std::vector<std::string>& post_ids) {
  SoftTargets t = read_file(path);
  if (t.post_id != post_ids)
    throw InputError(path.string() + ": its posts are not those of data.h5 (" + std::to_string(t.post_id.size()) +
                     " vs " + std::to_string(post_ids.size()) + " ids, or another order): re-run the teacher");
  return t;
}

std::filesystem::path soft_target_shard_path(const std::filesystem::path& merged, int rank, int world) {
  auto p = merged;
  p.replace_extension(".shard-" + std::to_string(rank) + "-of-" + std::to_string(world) + ".h5");
  return p;
}

SoftTargets merge_soft_target_shards(const std::vector<std::filesystem::path>& shards,
                                     const std::vector<std::string>& post_ids) {
  if (shards.empty()) throw InputError("merge of soft targets: no shards");
  std::unordered_map<std::string, size_t> row_of;
  for (size_t i = 0; i < post_ids.size(); ++i) row_of.emplace(post_ids[i], i);
  std::vector<int> shard_of(post_ids.size(), -1);
  SoftTargets out;
  for (size_t k = 0; k < shards.size(); ++k) {
    SoftTargets s = read_file(shards[k]);
    const std::string where = shards[k].string() + ": ";
    if (k == 0) {
      out.classes = s.classes;
      out.label_names = s.label_names;
      out.modality = s.modality;
      out.temperature = s.temperature;
      out.checkpoint_sha256 = s.checkpoint_sha256;
      out.n = static_cast<int64_t>(post_ids.size());
      out.logits.assign(post_ids.size() * s.classes, 0.f);
      out.probs.assign(post_ids.size() * s.classes, 0.f);
    } else if (s.classes != out.classes || s.label_names != out.label_names || s.modality != out.modality ||
               s.temperature != out.temperature) {
      throw InputError(where + "classes, labels, modality or temperature differ from " + shards[0].string());
    }
    for (int64_t i = 0; i < s.n; ++i) {
      auto it = row_of.find(s.post_id[i]);
      if (it == row_of.end()) throw InputError(where + "post '" + s.post_id[i] + "' is not in data.h5");
      int& seen = shard_of[it->second];
      if (seen >= 0)
        throw InputError(where + "post '" + s.post_id[i] + "' appears twice (also in " + shards[seen].string() + ")");
      seen = static_cast<int>(k);
      std::copy_n(s.logits.begin() + i * s.classes, s.classes, out.logits.begin() + it->second * s.classes);
      std::copy_n(s.probs.begin() + i * s.classes, s.classes, out.probs.begin() + it->second * s.classes);
    }
  }
  for (size_t i = 0; i < post_ids.size(); ++i)
    if (shard_of[i] < 0)
      throw InputError("merge of " + std::to_string(shards.size()) + " soft-target shards (" + shards[0].string() +
                       ", ...): post '" + post_ids[i] + "' is in none of them");
  out.post_id = post_ids;
  return out;
}

}  // namespace mh::io
