#include "teachers/teacher_output.h"

#include <torch/torch.h>

#include "io/atomic_file.h"
#include "io/run_manifest.h"
#include "io/sha256.h"
#include "io/soft_targets.h"
#include "log/log.h"

namespace mh::teachers {

namespace {

io::SoftTargets soft_targets_of(const train::TextData& data, const std::vector<int64_t>& rows, const at::Tensor& logits,
                                const TeacherOutput& out) {
  io::SoftTargets st;
  st.n = static_cast<int64_t>(rows.size());
  st.classes = data.num_labels();
  auto l = logits.contiguous();
  auto probs = torch::softmax(l / out.temperature, 1).contiguous();
  st.logits.assign(l.data_ptr<float>(), l.data_ptr<float>() + l.numel());
  st.probs.assign(probs.data_ptr<float>(), probs.data_ptr<float>() + probs.numel());
  for (auto r : rows) st.post_id.push_back(data.post_id[r]);
  st.label_names = data.label_names;
  st.temperature = out.temperature;
  st.modality = out.modality;
  st.checkpoint_sha256 = out.checkpoint_sha256;
  return st;
}

void write_teacher_metrics(const std::filesystem::path& run_dir, const train::TextData& data, const at::Tensor& logits,
                           const TeacherOutput& out) {
  const std::string soft = "soft_targets/" + out.modality + ".h5";
  auto test = train::metrics_of_split(logits, data, 2), val = train::metrics_of_split(logits, data, 1);
  const std::string metrics_file = "teachers/" + out.modality + "/metrics.json";
  nlohmann::json metrics = {{"modality", out.modality}, {"dataset", data.dataset},
                            {"test", test.to_json(data.label_names)}, {"validation", val.to_json(data.label_names)},
                            {"best_epoch", out.fit.best_epoch + 1}, {"epochs_run", out.fit.epochs_run},
                            {"world", out.world}};
  if (!out.members.is_null()) metrics["members"] = out.members;
  if (!out.cross_fit.is_null()) metrics["cross_fit"] = out.cross_fit;
  if (!out.model.is_null()) metrics["model"] = out.model;
  io::write_file_atomic(run_dir / metrics_file, metrics.dump(2) + "\n");
  io::RunManifest(run_dir).record("teacher." + out.modality, out.config_hash, out.config,
                                  {{"model", out.model_file}, {"metrics", metrics_file}, {"soft_targets", soft}},
                                  {{"test_macro_f1", test.macro_f1}, {"test_weighted_f1", test.weighted_f1},
                                   {"test_accuracy", test.accuracy}, {"best_epoch", out.fit.best_epoch + 1}});
  log::info(out.modality, " teacher: test macro-F1 ", test.macro_f1, ", weighted-F1 ", test.weighted_f1, ", accuracy ",
            test.accuracy,
            out.fit.epochs_run > 0 ? " (best epoch " + std::to_string(out.fit.best_epoch + 1) + ")" : std::string());
}

}  // namespace

void finish_teacher(const std::filesystem::path& run_dir, const train::TextData& data, train::Trainer& trainer,
                    TeacherOutput out, const std::filesystem::path& checkpoint,
                    const std::function<std::string()>& save_model, dist::Communicator& comm, int64_t predict_batch) {
  finish_teacher(
      run_dir, data, [&](const std::vector<int64_t>& rows) { return trainer.predict_share(rows, predict_batch); },
      std::move(out), checkpoint, save_model, comm);
}

void finish_teacher(const std::filesystem::path& run_dir, const train::TextData& data, const PredictShare& predict,
                    TeacherOutput out, const std::filesystem::path& checkpoint,
                    const std::function<std::string()>& save_model, dist::Communicator& comm) {
  const auto rows = data.all_rows();
  const auto merged = run_dir / ("soft_targets/" + out.modality + ".h5");
  auto share = predict(rows);
  std::vector<int64_t> mine(rows.begin() + share.first, rows.begin() + share.last);
  io::write_soft_targets(io::soft_target_shard_path(merged, comm.rank(), comm.size()),
                         soft_targets_of(data, mine, share.logits, out));
  comm.barrier();
  if (comm.rank() == 0) {
    std::vector<std::filesystem::path> shards;
    for (int r = 0; r < comm.size(); ++r) shards.push_back(io::soft_target_shard_path(merged, r, comm.size()));
    auto st = io::merge_soft_target_shards(shards, data.post_id);
    out.checkpoint_sha256 = save_model();
    out.world = comm.size();
    st.checkpoint_sha256 = out.checkpoint_sha256;
    io::write_soft_targets(merged, st);
    for (const auto& f : shards) std::filesystem::remove(f);
    log::info(out.modality, " teacher: merged ", shards.size(), " soft-target shards (", st.n,
              " posts, each exactly once) into ", merged.string());
    auto logits = torch::from_blob(st.logits.data(), {st.n, st.classes}, torch::kFloat).clone();
    write_teacher_metrics(run_dir, data, logits, out);
    train::remove_stage_checkpoint(checkpoint);
  }
  comm.barrier();
}

std::string save_module(torch::nn::Module& module, const std::filesystem::path& path) {
  std::filesystem::create_directories(path.parent_path());
  auto tmp = path;
  tmp += ".tmp";
  torch::serialize::OutputArchive archive;
  module.save(archive);
  archive.save_to(tmp.string());
  std::filesystem::rename(tmp, path);
  return io::sha256_file(path);
}

}  // namespace mh::teachers
