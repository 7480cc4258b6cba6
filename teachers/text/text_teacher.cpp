#include "teachers/text/text_teacher.h"

#include <torch/torch.h>

#include "io/csv_reader.h"
#include "io/run_manifest.h"
#include "log/log.h"
#include "teachers/teacher_output.h"

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
  train::Trainer trainer(text_task(model, data, run_dir, o.model, train::label_cross_entropy(data)), comm, o.train);
  auto result = trainer.fit(data.rows_of(0), data.rows_of(1));
  if (result.interrupted) return 0;

  TeacherOutput out;
  out.modality = "text";
  out.config_hash = hash;
  out.config = config;
  out.model_file = "teachers/text/model/model.safetensors";
  out.temperature = o.temperature;
  out.fit = result;
  finish_teacher(run_dir, data, trainer, out, o.train.checkpoint,
                 [&] { return save_text_model(model, run_dir, dir / "model"); }, comm);
  return 0;
}

}  // namespace mh::teachers::text
