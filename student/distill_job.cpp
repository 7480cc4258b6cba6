#include "student/distill_job.h"

#include <torch/torch.h>

#include <fstream>
#include <iomanip>
#include <set>
#include <sstream>

#include "io/atomic_file.h"
#include "io/csv_reader.h"
#include "io/run_manifest.h"
#include "io/sha256.h"
#include "io/soft_targets.h"
#include "io/splits.h"
#include "log/log.h"

namespace mh::student {

std::vector<std::string> parse_teachers(const std::string& list) {
  if (list == "none" || list.empty()) return {};
  static const std::set<std::string> known = {"text", "emotion", "audio", "bow"};
  std::vector<std::string> out;
  std::stringstream ss(list);
  std::string t;
  while (std::getline(ss, t, ',')) {
    if (!known.count(t)) throw std::invalid_argument("--teachers: unknown teacher '" + t + "' (expected text, emotion, audio, bow or none)");
    if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  }
  return out;
}

std::string combo_name(const std::vector<std::string>& teachers) {
  if (teachers.empty()) return "none";
  std::string s;
  for (const auto& t : teachers) s += (s.empty() ? "" : "+") + t;
  return s;
}

namespace {
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}
}  // namespace

std::vector<int32_t> pseudo_labelled(const train::TextData& data, const at::Tensor& teacher_probs) {
  auto labels = data.label;
  const auto argmax = teacher_probs.argmax(1).to(torch::kInt).contiguous();
  const int32_t* a = argmax.data_ptr<int32_t>();
  for (int64_t r = 0; r < data.size(); ++r)
    if (data.split[r] == io::kTransfer) labels[r] = a[r];
  return labels;
}

int run_distill(const std::filesystem::path& run_dir, DistillOptions o, dist::Communicator& comm) {
  const std::string combo = combo_name(o.teachers);
  log::set_role("student " + combo);
  io::RunManifest manifest(run_dir);
  const auto* prepared = manifest.stage("prepare");
  if (!prepared) throw io::InputError((run_dir / "manifest.json").string() + ": no prepare stage; run 3mhealth prepare first");
  auto data = train::TextData::load(run_dir / "data.h5");

  // Teachers: the mean of their probabilities at temperature T, for every post.
  std::vector<at::Tensor> teacher_logits;
  nlohmann::json teacher_hashes = nlohmann::json::object();
  for (const auto& t : o.teachers) {
    auto st = io::read_soft_targets(run_dir / "soft_targets" / (t + ".h5"), data.post_id);
    if (st.classes != data.num_labels())
      throw io::InputError((run_dir / "soft_targets" / (t + ".h5")).string() + ": " + std::to_string(st.classes) +
                           " classes, but the data has " + std::to_string(data.num_labels()));
    teacher_logits.push_back(torch::from_blob(st.logits.data(), {st.n, st.classes}, torch::kFloat).clone());
    teacher_hashes[t] = st.checkpoint_sha256;
  }
  at::Tensor teacher_probs;
  if (!teacher_logits.empty()) teacher_probs = mean_teacher_probs(teacher_logits, o.kd.temperature);

  auto train_rows = data.rows_of(io::kTrain);
  const auto transfer_rows = data.rows_of(io::kTransfer);
  const bool transfer = !transfer_rows.empty() && teacher_probs.defined() && o.transfer;
  const auto targets = transfer ? pseudo_labelled(data, teacher_probs) : data.label;
  if (transfer) train_rows.insert(train_rows.end(), transfer_rows.begin(), transfer_rows.end());

  nlohmann::json config = teachers::text::training_config(o.model, o.train);
  config["teachers"] = teacher_hashes;
  config["kd"] = {{"alpha", o.kd.alpha}, {"beta", o.kd.beta}, {"temperature", o.kd.temperature},
                  {"reduction", o.kd.reduction == KdReduction::batchmean ? "batchmean" : "mean"}};
  config["data"] = prepared->at("config_hash");
  config["world"] = comm.size();
  if (transfer) config["transfer_posts"] = transfer_rows.size();
  const std::string stage = "student." + combo, hash = io::RunManifest::hash(config);
  if (manifest.up_to_date(stage, hash, o.force, "student " + combo, comm.rank() == 0)) {
    return 0;
  }

  const auto dir = run_dir / "student" / combo;
  o.train.checkpoint = train::stage_checkpoint(dir, hash, o.train.resume, comm);
  o.train.name = "student " + combo;
  if (comm.rank() == 0 && !transfer_rows.empty())
    log::info("student ", combo, ": ", transfer ? "trains on" : "leaves out", " the ", transfer_rows.size(),
              " transfer posts", transfer ? " (their labels: the teachers' argmax)"
                                          : o.transfer ? " (no teacher to match there)" : " (--no-transfer)");

  torch::manual_seed(o.train.seed);
  auto model = teachers::text::make_text_classifier(data, run_dir, o.model);
  auto kd = o.kd;
  auto loss = [&targets, teacher_probs, kd](const at::Tensor& logits, const std::vector<int64_t>& rows) {
    std::vector<int64_t> labels;
    for (auto r : rows) labels.push_back(targets[r]);
    at::Tensor p;
    if (teacher_probs.defined()) p = teacher_probs.index_select(0, torch::tensor(rows, torch::kLong));
    return distillation_loss(logits, torch::tensor(labels, torch::kLong), p, kd);
  };
  train::Trainer trainer(teachers::text::text_task(model, data, run_dir, o.model, loss), comm, o.train);
  auto result = trainer.fit(train_rows, data.rows_of(io::kValidation));
  if (result.interrupted) return 0;

  auto logits = trainer.predict(data.all_rows());
  if (comm.rank() == 0) {
    teachers::text::save_text_model(model, run_dir, dir / "model");
    auto test = train::metrics_of_split(logits, data, 2), val = train::metrics_of_split(logits, data, 1);
    nlohmann::json metrics = {{"student", combo}, {"teachers", o.teachers}, {"dataset", data.dataset},
                              {"test", test.to_json(data.label_names)}, {"validation", val.to_json(data.label_names)},
                              {"best_epoch", result.best_epoch + 1}, {"epochs_run", result.epochs_run},
                              {"world", comm.size()}, {"kd", config["kd"]},
                              {"transfer_posts", transfer ? transfer_rows.size() : 0}};
    io::write_file_atomic(dir / "metrics.json", metrics.dump(2) + "\n");

    auto probs = torch::softmax(logits, 1).contiguous();
    auto pred = logits.argmax(1);
    std::ostringstream csv;
    csv << "post_id,split,gold,predicted";
    for (const auto& l : data.label_names) csv << "," << csv_field("p_" + l);
    csv << "\n" << std::setprecision(6);
    for (int64_t r = 0; r < data.size(); ++r) {
      const int32_t gold = data.label[r];  // -1: a transfer post, unlabeled
      csv << csv_field(data.post_id[r]) << "," << io::split_name(data.split[r]) << ","
          << (gold < 0 ? "" : csv_field(data.label_names[gold])) << ","
          << csv_field(data.label_names[pred[r].item<int64_t>()]);
      for (int64_t c = 0; c < data.num_labels(); ++c) csv << "," << probs[r][c].item<float>();
      csv << "\n";
    }
    io::write_file_atomic(dir / "predictions.csv", csv.str());
    manifest.record(stage, hash, config,
                    {{"model", "student/" + combo + "/model/model.safetensors"},
                     {"metrics", "student/" + combo + "/metrics.json"},
                     {"predictions", "student/" + combo + "/predictions.csv"}},
                    {{"test_macro_f1", test.macro_f1}, {"test_weighted_f1", test.weighted_f1},
                     {"test_accuracy", test.accuracy}, {"best_epoch", result.best_epoch + 1}});
    log::info("student ", combo, ": test macro-F1 ", test.macro_f1, ", weighted-F1 ", test.weighted_f1, ", accuracy ",
              test.accuracy, " (best epoch ", result.best_epoch + 1, ")");
    train::remove_stage_checkpoint(o.train.checkpoint);
  }
  comm.barrier();
  return 0;
}

}  // namespace mh::student
