#include "teachers/text/text_teacher.h"

#include <torch/torch.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
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

std::vector<int64_t> cross_fit_fold(const std::vector<int64_t>& train_rows, int k, int K, uint64_t seed) {
  if (K < 2 || k < 0 || k >= K) throw std::invalid_argument("cross_fit_fold: need 0 <= k < K, K >= 2");
  // Fisher-Yates over a fixed engine: the same folds on every platform and rank.
  std::vector<int64_t> perm = train_rows;
  std::mt19937_64 rng(seed);
  for (size_t i = perm.size(); i > 1; --i) std::swap(perm[i - 1], perm[rng() % i]);
  std::vector<int64_t> fold;
  for (size_t i = static_cast<size_t>(k); i < perm.size(); i += static_cast<size_t>(K)) fold.push_back(perm[i]);
  std::sort(fold.begin(), fold.end());
  return fold;
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

// Trains one model of the teacher on `train_rows` (early stopping on the
// validation split) and saves it to `dir`/model with a done.json naming
// `hash` (plus `extra`, an object or null); with --resume, loads it instead
// when an earlier, interrupted run of the same configuration finished it.
// False when stopped by a signal (after checkpointing).
bool train_member(const std::filesystem::path& run_dir, const TextTeacherOptions& o, const train::TextData& data,
                  const std::filesystem::path& dir, const std::string& hash, train::TrainOptions t,
                  const std::vector<int64_t>& train_rows, const nlohmann::json& extra, Member& m,
                  dist::Communicator& comm) {
  torch::manual_seed(t.seed);
  m.model = make_text_classifier(data, run_dir, o.model);
  const bool loaded = t.resume && load_finished_member(dir, hash, m);
  if (!loaded) t.checkpoint = train::stage_checkpoint(dir, hash, t.resume, comm);
  m.trainer = std::make_unique<train::Trainer>(
      text_task(m.model, data, run_dir, o.model, train::label_cross_entropy(data)), comm, t);
  if (loaded) {
    if (comm.rank() == 0) log::info(t.name, ": finished by an earlier run, loaded from ", (dir / "model").string());
    return true;
  }
  m.fit = m.trainer->fit(train_rows, data.rows_of(1));
  if (m.fit.interrupted) return false;
  if (comm.rank() == 0) {
    std::filesystem::remove(dir / "done.json");
    m.sha256 = save_text_model(m.model, run_dir, dir / "model");
    nlohmann::json done = {{"config_hash", hash}, {"sha256", m.sha256}, {"seed", t.seed},
                           {"best_epoch", m.fit.best_epoch + 1}, {"epochs_run", m.fit.epochs_run},
                           {"best_val_macro_f1", m.fit.best_val_macro_f1}};
    if (!extra.is_null()) done.update(extra);
    io::write_file_atomic(dir / "done.json", done.dump(2) + "\n");
    train::remove_stage_checkpoint(t.checkpoint);
  }
  return true;
}

// The out-of-fold soft targets of the training posts (TextTeacherOptions::cross_fit).
struct CrossFit {
  at::Tensor logits;             // [rows of data.h5, C]; training rows filled
  std::vector<bool> held;        // which rows those are
  std::string identity;          // sha256 over the fold models' weights (rank 0, as Member::sha256)
  nlohmann::json report;         // for metrics.json
};

// Trains (or loads) the K fold models and predicts each one's held-out posts. False when interrupted.
bool run_cross_fit(const std::filesystem::path& run_dir, const TextTeacherOptions& o, const train::TextData& data,
                   const std::string& hash, CrossFit& cf, dist::Communicator& comm) {
  const int K = o.cross_fit;
  const auto train_rows = data.rows_of(0);
  auto t = o.train;
  t.epochs = (o.train.epochs * K + K - 2) / (K - 1);
  t.patience = t.epochs;
  cf.logits = torch::zeros({data.size(), data.num_labels()});
  cf.held.assign(static_cast<size_t>(data.size()), false);
  nlohmann::json folds = nlohmann::json::array();
  std::string shas;
  for (int k = 0; k < K; ++k) {
    const auto held = cross_fit_fold(train_rows, k, K, o.train.seed);
    std::vector<int64_t> fit_rows;
    std::set_difference(train_rows.begin(), train_rows.end(), held.begin(), held.end(), std::back_inserter(fit_rows));
    nlohmann::json held_ids = nlohmann::json::array();
    for (auto r : held) held_ids.push_back(data.post_id[r]);
    t.name = "text teacher fold " + std::to_string(k + 1) + "/" + std::to_string(K);
    const auto dir = run_dir / "teachers" / "text" / ("fold-" + std::to_string(k));
    Member m;
    if (!train_member(run_dir, o, data, dir, hash + "-fold-" + std::to_string(k), t, fit_rows,
                      {{"held_out_posts", held_ids}}, m, comm))
      return false;
    const auto index = torch::tensor(held, torch::kLong);
    cf.logits.index_copy_(0, index, m.trainer->predict(held).to(torch::kFloat));
    for (auto r : held) cf.held[static_cast<size_t>(r)] = true;
    shas += m.sha256;
    folds.push_back({{"model", "teachers/text/fold-" + std::to_string(k) + "/model"}, {"held_out", held.size()},
                     {"best_epoch", m.fit.best_epoch + 1}, {"validation_macro_f1", m.fit.best_val_macro_f1}});
  }
  const auto oof = train::metrics_of_split(cf.logits, data, 0);
  if (comm.rank() == 0)
    log::info("text teacher: out-of-fold macro-F1 ", oof.macro_f1, " on the ", train_rows.size(), " training posts");
  cf.identity = io::sha256_hex(shas);
  cf.report = {{"folds", folds}, {"training_out_of_fold", oof.to_json(data.label_names)}};
  return true;
}

// The teacher's soft targets with every training post's replaced by its out-of-fold one.
PredictShare out_of_fold(PredictShare teacher, const CrossFit& cf) {
  return [teacher = std::move(teacher), &cf](const std::vector<int64_t>& rows) {
    auto s = teacher(rows);
    s.logits = s.logits.to(torch::kFloat).clone();
    for (int64_t i = s.first; i < s.last; ++i)
      if (cf.held[static_cast<size_t>(rows[i])]) s.logits[i - s.first].copy_(cf.logits[rows[i]]);
    return s;
  };
}

// The end of the teacher's run: its soft targets (out of fold on the
// training posts with a cross-fit), metrics and stage, as finish_teacher.
void finish(const std::filesystem::path& run_dir, const train::TextData& data, PredictShare share, TeacherOutput out,
            const std::filesystem::path& checkpoint, const std::function<std::string()>& save_model,
            const CrossFit* cf, dist::Communicator& comm) {
  if (!cf) return finish_teacher(run_dir, data, share, std::move(out), checkpoint, save_model, comm);
  out.cross_fit = cf->report;
  // The students' configuration names the soft targets by this: the fold models count too.
  finish_teacher(run_dir, data, out_of_fold(std::move(share), *cf), std::move(out), checkpoint,
                 [&] { return io::sha256_hex(save_model() + cf->identity); }, comm);
}

// A seed ensemble: each member trains as the single model would, with its own
// seed, checkpoint and directory; finished members survive an interruption.
int run_ensemble(const std::filesystem::path& run_dir, const TextTeacherOptions& o, const train::TextData& data,
                 TeacherOutput out, const CrossFit* cf, dist::Communicator& comm) {
  const auto dir = run_dir / "teachers" / "text";
  std::vector<Member> members(static_cast<size_t>(o.members));
  nlohmann::json member_results = nlohmann::json::array();
  std::vector<at::Tensor> all_logits;
  const auto all_rows = data.all_rows();
  for (int k = 0; k < o.members; ++k) {
    auto& m = members[static_cast<size_t>(k)];
    auto t = o.train;
    t.seed = member_seed(o.train.seed, k);
    t.name = "text teacher member " + std::to_string(k + 1) + "/" + std::to_string(o.members);
    if (!train_member(run_dir, o, data, dir / ("member-" + std::to_string(k)),
                      out.config_hash + "-member-" + std::to_string(k), t, data.rows_of(0), {}, m, comm))
      return 0;
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
  finish(run_dir, data, share, out, {}, members_sha, cf, comm);
  return 0;
}

}  // namespace

int run_text_teacher(const std::filesystem::path& run_dir, TextTeacherOptions o, dist::Communicator& comm) {
  log::set_role("text");
  if (o.members < 1) throw std::invalid_argument("text teacher: members must be at least 1");
  if (o.cross_fit == 1 || o.cross_fit < 0) throw std::invalid_argument("text teacher: cross_fit must be 0 or at least 2");
  io::RunManifest manifest(run_dir);
  const auto* prepared = manifest.stage("prepare");
  if (!prepared) throw io::InputError((run_dir / "manifest.json").string() + ": no prepare stage; run 3mhealth prepare first");
  nlohmann::json config = training_config(o.model, o.train);
  config["temperature"] = o.temperature;
  config["data"] = prepared->at("config_hash");
  config["world"] = comm.size();  // results are reproducible for a seed and world size
  // Only when set, so the hashes of runs without them stay as they were.
  if (o.members > 1) config["members"] = o.members;
  if (o.cross_fit > 0) config["cross_fit"] = o.cross_fit;
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

  CrossFit cross_fit;
  if (o.cross_fit > 0 && !run_cross_fit(run_dir, o, data, hash, cross_fit, comm)) return 0;
  const CrossFit* cf = o.cross_fit > 0 ? &cross_fit : nullptr;

  if (o.members == 1) {
    o.train.checkpoint = train::stage_checkpoint(dir, hash, o.train.resume, comm);
    o.train.name = "text teacher";
    torch::manual_seed(o.train.seed);
    auto model = make_text_classifier(data, run_dir, o.model);
    train::Trainer trainer(text_task(model, data, run_dir, o.model, train::label_cross_entropy(data)), comm, o.train);
    out.fit = trainer.fit(data.rows_of(0), data.rows_of(1));
    if (out.fit.interrupted) return 0;
    out.model_file = "teachers/text/model/model.safetensors";
    finish(run_dir, data, [&](const std::vector<int64_t>& rows) { return trainer.predict_share(rows); }, out,
           o.train.checkpoint, [&] { return save_text_model(model, run_dir, dir / "model"); }, cf, comm);
    return 0;
  }

  return run_ensemble(run_dir, o, data, out, cf, comm);
}

}  // namespace mh::teachers::text
