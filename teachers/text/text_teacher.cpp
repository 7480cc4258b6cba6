#include "teachers/text/text_teacher.h"

#include <torch/torch.h>

#include <fstream>
#include <memory>
#include <tuple>

#include "io/atomic_file.h"
#include "io/csv_reader.h"
#include "io/run_manifest.h"
#include "io/sha256.h"
#include "log/log.h"
#include "teachers/teacher_output.h"

namespace mh::teachers::text {

uint64_t member_seed(uint64_t seed, int k) { return seed + 1000 * static_cast<uint64_t>(k); }

at::Tensor ensemble_logits(const std::vector<at::Tensor>& member_logits) {
  if (member_logits.empty()) throw std::invalid_argument("ensemble_logits: no members");
  // log-mean-exp of the log-probabilities: the log of the mean probability, without underflow.
  std::vector<at::Tensor> logp;
  for (const auto& l : member_logits) logp.push_back(torch::log_softmax(l.to(torch::kFloat), 1));
  return torch::logsumexp(torch::stack(logp), 0) - std::log(static_cast<double>(member_logits.size()));
}

namespace {

// One trained member of the teacher: its model and the trainer that predicts with it.
struct Member {
  nn::BertForSequenceClassification model{nullptr};
  std::unique_ptr<train::Trainer> trainer;
  train::TrainResult fit;
  std::string sha256;  // of its saved weights (rank 0)
};

// A member finished by an earlier, interrupted run of the same configuration:
// its done.json names that configuration, so --resume loads it instead of retraining.
bool load_finished_member(const std::filesystem::path& dir, const std::string& hash, Member& m) {
  std::ifstream in(dir / "done.json");
  if (!in) return false;
  auto done = nlohmann::json::parse(in, nullptr, false);
  if (done.is_discarded() || done.value("config_hash", "") != hash) return false;
  auto report = nn::load_hf_weights(m.model, dir / "model");
  if (!report.missing.empty())
    throw io::InputError((dir / "model").string() + ": lacks " + report.missing.front() + "; delete the directory to retrain the member");
  m.fit.best_epoch = done.at("best_epoch").get<int>() - 1;
  m.fit.epochs_run = done.at("epochs_run").get<int>();
  m.fit.best_val_macro_f1 = done.at("best_val_macro_f1").get<double>();
  m.sha256 = done.at("sha256").get<std::string>();
  return true;
}

// A seed ensemble: each member trains as the single model would, with its own
// seed, checkpoint and directory; finished members survive an interruption.
int run_ensemble(const std::filesystem::path& run_dir, const TextTeacherOptions& o, const train::TextData& data,
                 TeacherOutput out, dist::Communicator& comm) {
  const auto dir = run_dir / "teachers" / "text";
  std::vector<Member> members(static_cast<size_t>(o.members));
  nlohmann::json member_results = nlohmann::json::array();
  std::vector<at::Tensor> all_logits;
  const auto all_rows = data.all_rows();
  for (int k = 0; k < o.members; ++k) {
    auto& m = members[static_cast<size_t>(k)];
    const auto mdir = dir / ("member-" + std::to_string(k));
    const std::string mhash = out.config_hash + "-member-" + std::to_string(k);
    auto t = o.train;
    t.seed = member_seed(o.train.seed, k);
    t.name = "text teacher member " + std::to_string(k + 1) + "/" + std::to_string(o.members);
    torch::manual_seed(t.seed);
    m.model = make_text_classifier(data, run_dir, o.model);
    const bool loaded = o.train.resume && load_finished_member(mdir, mhash, m);
    if (!loaded) t.checkpoint = train::stage_checkpoint(mdir, mhash, o.train.resume, comm);
    m.trainer = std::make_unique<train::Trainer>(
        text_task(m.model, data, run_dir, o.model, train::label_cross_entropy(data)), comm, t);
    if (loaded) {
      if (comm.rank() == 0) log::info(t.name, ": finished by an earlier run, loaded from ", (mdir / "model").string());
    } else {
      m.fit = m.trainer->fit(data.rows_of(0), data.rows_of(1));
      if (m.fit.interrupted) return 0;
      if (comm.rank() == 0) {
        std::filesystem::remove(mdir / "done.json");
        m.sha256 = save_text_model(m.model, run_dir, mdir / "model");
        nlohmann::json done = {{"config_hash", mhash}, {"sha256", m.sha256}, {"seed", t.seed},
                               {"best_epoch", m.fit.best_epoch + 1}, {"epochs_run", m.fit.epochs_run},
                               {"best_val_macro_f1", m.fit.best_val_macro_f1}};
        io::write_file_atomic(mdir / "done.json", done.dump(2) + "\n");
        train::remove_stage_checkpoint(t.checkpoint);
      }
    }
    all_logits.push_back(m.trainer->predict(all_rows));
    auto test = train::metrics_of_split(all_logits.back(), data, 2), val = train::metrics_of_split(all_logits.back(), data, 1);
    member_results.push_back({{"seed", t.seed}, {"model", "teachers/text/member-" + std::to_string(k) + "/model"},
                              {"best_epoch", m.fit.best_epoch + 1}, {"epochs_run", m.fit.epochs_run},
                              {"test_macro_f1", test.macro_f1}, {"test_weighted_f1", test.weighted_f1},
                              {"validation_macro_f1", val.macro_f1}});
    if (comm.rank() == 0)
      log::info(t.name, ": test macro-F1 ", test.macro_f1, ", validation macro-F1 ", val.macro_f1);
  }

  const auto ensemble = ensemble_logits(all_logits);
  out.fit = members.front().fit;
  out.members = member_results;
  out.model_file = "teachers/text/member-0/model/model.safetensors";
  auto share = [&](const std::vector<int64_t>& rows) {
    if (static_cast<int64_t>(rows.size()) != ensemble.size(0))
      throw std::logic_error("text teacher ensemble: predictions cover every row of data.h5");
    train::Trainer::Share s;
    std::tie(s.first, s.last) = train::Trainer::share_bounds(ensemble.size(0), comm.rank(), comm.size());
    s.logits = ensemble.narrow(0, s.first, s.last - s.first);
    return s;
  };
  // The ensemble's identity for the students' configuration hashes: every
  // member's weights (rank 0, which saved or loaded them, calls this).
  auto members_sha = [&] {
    std::string shas;
    for (const auto& m : members) shas += m.sha256;
    return io::sha256_hex(shas);
  };
  finish_teacher(run_dir, data, share, out, {}, members_sha, comm);
  return 0;
}

}  // namespace

int run_text_teacher(const std::filesystem::path& run_dir, TextTeacherOptions o, dist::Communicator& comm) {
  log::set_role("text");
  if (o.members < 1) throw std::invalid_argument("text teacher: members must be at least 1");
  io::RunManifest manifest(run_dir);
  const auto* prepared = manifest.stage("prepare");
  if (!prepared) throw io::InputError((run_dir / "manifest.json").string() + ": no prepare stage; run 3mhealth prepare first");
  nlohmann::json config = training_config(o.model, o.train);
  config["temperature"] = o.temperature;
  config["data"] = prepared->at("config_hash");
  config["world"] = comm.size();  // results are reproducible for a seed and world size
  if (o.members > 1) config["members"] = o.members;  // only then, so single-model hashes stay as they were
  const std::string hash = io::RunManifest::hash(config);
  if (manifest.up_to_date("teacher.text", hash, o.force, "text teacher", comm.rank() == 0)) {
    return 0;
  }

  auto data = train::TextData::load(run_dir / "data.h5");
  const auto dir = run_dir / "teachers" / "text";
  TeacherOutput out;
  out.modality = "text";
  out.config_hash = hash;
  out.config = config;
  out.temperature = o.temperature;

  if (o.members == 1) {
    o.train.checkpoint = train::stage_checkpoint(dir, hash, o.train.resume, comm);
    o.train.name = "text teacher";
    torch::manual_seed(o.train.seed);
    auto model = make_text_classifier(data, run_dir, o.model);
    train::Trainer trainer(text_task(model, data, run_dir, o.model, train::label_cross_entropy(data)), comm, o.train);
    out.fit = trainer.fit(data.rows_of(0), data.rows_of(1));
    if (out.fit.interrupted) return 0;
    out.model_file = "teachers/text/model/model.safetensors";
    finish_teacher(run_dir, data, trainer, out, o.train.checkpoint,
                   [&] { return save_text_model(model, run_dir, dir / "model"); }, comm);
    return 0;
  }

  return run_ensemble(run_dir, o, data, out, comm);
}

}  // namespace mh::teachers::text
