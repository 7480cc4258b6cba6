#include "teachers/emotion/emotion_teacher.h"

#include <torch/torch.h>

#include "io/csv_reader.h"
#include "io/run_manifest.h"
#include "io/sha256.h"
#include "log/log.h"
#include "teachers/teacher_output.h"
#include "train/text_data.h"

namespace mh::teachers::emotion {

int run_emotion_teacher(const std::filesystem::path& run_dir, EmotionTeacherOptions o, dist::Communicator& comm) {
  log::set_role("emotion");
  o.embeddings.force = o.embeddings.force || o.force;
  const std::string embeddings_hash = run_emotion_embeddings(run_dir, o.embeddings, comm);

  nlohmann::json config = {{"embeddings", embeddings_hash},
                           {"mlp", {{"pooling", o.mlp.pooling}, {"hidden", o.mlp.hidden}, {"layers", o.mlp.layers},
                                    {"dropout", o.mlp.dropout}}},
                           {"train", train::to_json(o.train)},
                           {"temperature", o.temperature},
                           {"world", comm.size()}};
  const std::string hash = io::RunManifest::hash(config);
  if (io::RunManifest(run_dir).up_to_date("teacher.emotion", hash, o.force, "emotion teacher", comm.rank() == 0)) {
    return 0;
  }

  auto data = train::TextData::load(run_dir / "data.h5");
  auto table = load_emotion_embeddings(run_dir / "emotion" / "embeddings.h5", data.vocab_sha256);
  const auto dir = run_dir / "teachers" / "emotion";
  o.train.checkpoint = train::stage_checkpoint(dir, hash, o.train.resume, comm);
  o.train.name = "emotion teacher";

  torch::manual_seed(o.train.seed);
  EmotionMlp model(table, data.max_length, data.num_labels(), o.mlp);
  train::TrainTask task;
  task.module = model.ptr().get();
  task.logits = [model, &data](const std::vector<int64_t>& rows) mutable {
    auto b = data.batch(rows);
    return model->forward(b.ids, b.mask);
  };
  task.sample_loss = train::label_cross_entropy(data);
  task.labels = data.label;
  task.lengths = data.length;
  task.num_classes = data.num_labels();
  train::Trainer trainer(task, comm, o.train);
  auto result = trainer.fit(data.rows_of(0), data.rows_of(1));
  if (result.interrupted) return 0;

  TeacherOutput out;
  out.modality = "emotion";
  out.config_hash = hash;
  out.config = config;
  out.model_file = "teachers/emotion/model.pt";
  out.temperature = o.temperature;
  out.fit = result;
  finish_teacher(run_dir, data, trainer, out, o.train.checkpoint, [&] { return save_module(*model, dir / "model.pt"); },
                 comm);
  return 0;
}

}  // namespace mh::teachers::emotion
