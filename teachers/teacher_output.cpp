#include "teachers/teacher_output.h"

#include <torch/torch.h>

#include "io/atomic_file.h"
#include "io/run_manifest.h"
#include "io/sha256.h"
#include "io/soft_targets.h"
#include "log/log.h"

namespace mh::teachers {

void write_teacher_outputs(const std::filesystem::path& run_dir, const train::TextData& data, const at::Tensor& logits,
                           const TeacherOutput& out) {
  io::SoftTargets st;
  st.n = data.size();
  st.classes = data.num_labels();
  auto l = logits.contiguous();
  auto probs = torch::softmax(l / out.temperature, 1).contiguous();
  st.logits.assign(l.data_ptr<float>(), l.data_ptr<float>() + l.numel());
  st.probs.assign(probs.data_ptr<float>(), probs.data_ptr<float>() + probs.numel());
  st.post_id = data.post_id;
  st.label_names = data.label_names;
  st.temperature = out.temperature;
  st.modality = out.modality;
  st.checkpoint_sha256 = out.checkpoint_sha256;
  const std::string soft = "soft_targets/" + out.modality + ".h5";
  io::write_soft_targets(run_dir / soft, st);

  auto test = train::metrics_of_split(logits, data, 2), val = train::metrics_of_split(logits, data, 1);
  const std::string metrics_file = "teachers/" + out.modality + "/metrics.json";
  nlohmann::json metrics = {{"modality", out.modality}, {"dataset", data.dataset},
                            {"test", test.to_json(data.label_names)}, {"validation", val.to_json(data.label_names)},
                            {"best_epoch", out.fit.best_epoch + 1}, {"epochs_run", out.fit.epochs_run},
                            {"world", out.world}};
  io::write_file_atomic(run_dir / metrics_file, metrics.dump(2) + "\n");
  io::RunManifest(run_dir).record("teacher." + out.modality, out.config_hash, out.config,
                                  {{"model", out.model_file}, {"metrics", metrics_file}, {"soft_targets", soft}},
                                  {{"test_macro_f1", test.macro_f1}, {"test_weighted_f1", test.weighted_f1},
                                   {"test_accuracy", test.accuracy}, {"best_epoch", out.fit.best_epoch + 1}});
  log::info(out.modality, " teacher: test macro-F1 ", test.macro_f1, ", weighted-F1 ", test.weighted_f1, ", accuracy ",
            test.accuracy, " (best epoch ", out.fit.best_epoch + 1, ")");
}

void finish_teacher(const std::filesystem::path& run_dir, const train::TextData& data, train::Trainer& trainer,
                    TeacherOutput out, const std::filesystem::path& checkpoint,
                    const std::function<std::string()>& save_model, dist::Communicator& comm, int64_t predict_batch) {
  auto logits = trainer.predict(data.all_rows(), predict_batch);
  if (comm.rank() == 0) {
    out.checkpoint_sha256 = save_model();
    out.world = comm.size();
    write_teacher_outputs(run_dir, data, logits, out);
    std::filesystem::remove(checkpoint);
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
