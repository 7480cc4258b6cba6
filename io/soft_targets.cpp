#include "io/soft_targets.h"

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

SoftTargets read_soft_targets(const std::filesystem::path& path, const std::vector<std::string>& post_ids) {
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
  t.temperature = r.attr_double("/", "temperature");
  t.modality = r.attr_string("/", "modality");
  t.checkpoint_sha256 = r.attr_string("/", "teacher_checkpoint_sha256");
  t.label_names = r.attr_strings("/", "label_names");
  if (t.post_id != post_ids)
    throw InputError(path.string() + ": its posts are not those of data.h5 (" + std::to_string(t.post_id.size()) +
                     " vs " + std::to_string(post_ids.size()) + " ids, or another order): re-run the teacher");
  return t;
}

}  // namespace mh::io
