#include "teachers/audio/audio_teacher.h"

#include <torch/torch.h>

#include "io/csv_reader.h"
#include "io/hdf5_store.h"
#include "io/run_manifest.h"
#include "io/sha256.h"
#include "log/log.h"
#include "teachers/teacher_output.h"
#include "train/text_data.h"

namespace mh::teachers::audio {

int run_audio_teacher(const std::filesystem::path& run_dir, AudioTeacherOptions o, dist::Communicator& comm) {
  log::set_role("audio");
  io::RunManifest manifest(run_dir);
  const auto* audio = manifest.stage("audio");
  if (!audio) throw io::InputError((run_dir / "manifest.json").string() + ": no audio stage; run 3mhealth audio first");
  const auto& a = o.ast;
  nlohmann::json config = {{"audio", audio->at("config_hash")},
                           {"ast", {{"hidden", a.hidden}, {"layers", a.layers}, {"heads", a.heads},
                                    {"intermediate", a.intermediate}, {"patch", a.patch}, {"fstride", a.fstride},
                                    {"tstride", a.tstride}, {"dropout", a.dropout}}},
                           {"train", train::to_json(o.train)},
                           {"temperature", o.temperature},
                           {"world", comm.size()}};
  const std::string hash = io::RunManifest::hash(config);
  if (manifest.up_to_date("teacher.audio", hash, o.force, "audio teacher", comm.rank() == 0)) {
    return 0;
  }

  auto data = train::TextData::load(run_dir / "data.h5");
  const auto mel_path = run_dir / "audio" / "mel.h5";
  io::H5Reader mel_file(mel_path);
  if (mel_file.read_strings("post_id") != data.post_id)
    throw io::InputError(mel_path.string() + ": its posts differ from data.h5's; re-run 3mhealth audio");
  io::Dims dims;
  auto bits = mel_file.read<io::float16_t>("mel", &dims);
  const int64_t N = static_cast<int64_t>(dims[0]), bins = static_cast<int64_t>(dims[1]), frames = static_cast<int64_t>(dims[2]);
  // Kept as half precision ([N, bins, frames] x 2 bytes): batches are widened when drawn.
  auto mel = torch::from_blob(bits.data(), {N, bins, frames}, torch::kHalf).clone();
  bits.clear();
  bits.shrink_to_fit();
  const double mean = mel_file.attr_double("/", "train_mean"), std = mel_file.attr_double("/", "train_std");
  log::info("audio teacher: ", N, " spectrograms of ", bins, " x ", frames, "; normalised with training mean ", mean,
            " and std ", std);

  const auto dir = run_dir / "teachers" / "audio";
  o.train.checkpoint = train::stage_checkpoint(dir, hash, o.train.resume, comm);
  o.train.name = "audio teacher";
  torch::manual_seed(o.train.seed);
  Ast model(bins, frames, data.num_labels(), o.ast);
  train::TrainTask task;
  task.module = model.ptr().get();
  task.logits = [model, mel, mean, std](const std::vector<int64_t>& rows) mutable {
    auto x = mel.index_select(0, torch::tensor(rows, torch::kLong)).to(torch::kFloat);
    return model->forward((x - mean) / (2 * std));
  };
  task.sample_loss = train::label_cross_entropy(data);
  task.labels = data.label;
  task.num_classes = data.num_labels();
  train::Trainer trainer(task, comm, o.train);
  auto result = trainer.fit(data.rows_of(0), data.rows_of(1));
  if (result.interrupted) return 0;

  TeacherOutput out;
  out.modality = "audio";
  out.config_hash = hash;
  out.config = config;
  out.model_file = "teachers/audio/model.pt";
  out.temperature = o.temperature;
  out.fit = result;
  finish_teacher(run_dir, data, trainer, out, o.train.checkpoint, [&] { return save_module(*model, dir / "model.pt"); },
                 comm, 32);
  return 0;
}

}  // namespace mh::teachers::audio
