#include "teachers/text/text_teacher.h"

#include <torch/torch.h>

#include "io/atomic_file.h"
#include "io/csv_reader.h"
#include "io/run_manifest.h"
#include "io/sha256.h"
#include "io/soft_targets.h"
#include "log/log.h"

namespace mh::teachers::text {

int run_text_teacher(const std::filesystem::path& run_dir, TextTeacherOptions o, dist::Communicator& comm) {
  log::set_role("text");
  io::RunManifest manifest(run_dir);
  const auto* prepared = manifest.stage("prepare");
  if (!prepared) throw io::InputError((run_dir / "manifest.json").string() + ": no prepare stage; run 3mhealth prepare first");
  nlohmann::json config = training_config(o.model, o.train);
  config["temperature"] = o.temperature;
  config["data"] = prepared->at("config_hash");
  config["world"] = comm.size();  // results are reproducible for a seed and world size
  const std::string hash = io::RunManifest::hash(config);
  if (!o.force && manifest.finished("teacher.text", hash)) {
    if (comm.rank() == 0) log::info("text teacher: up to date (same configuration); --force retrains it");
    return 0;
  }

  auto data = train::TextData::load(run_dir / "data.h5");
  const auto dir = run_dir / "teachers" / "text";
  o.train.checkpoint = train::stage_checkpoint(dir, hash, o.train.resume, comm);
  o.train.name = "text teacher";

  torch::manual_seed(o.train.seed);
  auto model = make_text_classifier(data, run_dir, o.model);
  train::Trainer trainer(text_task(model, data, cross_entropy(data)), comm, o.train);
  auto result = trainer.fit(data.rows_of(0), data.rows_of(1));
  if (result.interrupted) return 0;

  auto logits = trainer.predict(data.all_rows());
  if (comm.rank() == 0) {
    std::string sha = save_text_model(model, run_dir, dir / "model");
    io::SoftTargets st;
    st.n = data.size();
    st.classes = data.num_labels();
    auto l = logits.contiguous();
    auto probs = torch::softmax(l / o.temperature, 1).contiguous();
    st.logits.assign(l.data_ptr<float>(), l.data_ptr<float>() + l.numel());
    st.probs.assign(probs.data_ptr<float>(), probs.data_ptr<float>() + probs.numel());
    st.post_id = data.post_id;
    st.label_names = data.label_names;
    st.temperature = o.temperature;
    st.modality = "text";
    st.checkpoint_sha256 = sha;
    write_soft_targets(run_dir / "soft_targets" / "text.h5", st);

    auto test = metrics_on(logits, data, 2), val = metrics_on(logits, data, 1);
    nlohmann::json metrics = {{"modality", "text"}, {"dataset", data.dataset}, {"test", test.to_json(data.label_names)},
                              {"validation", val.to_json(data.label_names)}, {"best_epoch", result.best_epoch + 1},
                              {"epochs_run", result.epochs_run}, {"world", comm.size()}};
    io::write_file_atomic(dir / "metrics.json", metrics.dump(2) + "\n");
    manifest.record("teacher.text", hash, config,
                    {{"model", "teachers/text/model/model.safetensors"}, {"metrics", "teachers/text/metrics.json"},
                     {"soft_targets", "soft_targets/text.h5"}},
                    {{"test_macro_f1", test.macro_f1}, {"test_weighted_f1", test.weighted_f1},
                     {"test_accuracy", test.accuracy}, {"best_epoch", result.best_epoch + 1}});
    log::info("text teacher: test macro-F1 ", test.macro_f1, ", weighted-F1 ", test.weighted_f1, ", accuracy ",
              test.accuracy, " (best epoch ", result.best_epoch + 1, ")");
    std::filesystem::remove(o.train.checkpoint);
  }
  comm.barrier();
  return 0;
}

}  // namespace mh::teachers::text
