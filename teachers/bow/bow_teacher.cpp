#include "teachers/bow/bow_teacher.h"

#include <torch/torch.h>

#include <algorithm>
#include <iterator>
#include <stdexcept>

#include "io/atomic_file.h"
#include "io/csv_reader.h"
#include "io/hdf5_store.h"
#include "io/run_manifest.h"
#include "io/sha256.h"
#include "io/text_preprocess.h"
#include "io/vocab.h"
#include "log/log.h"
#include "teachers/bow/logistic_regression.h"
#include "teachers/teacher_output.h"
#include "teachers/text/text_teacher.h"
#include "train/text_data.h"

namespace mh::teachers::bow {

namespace {

std::vector<Words> words_of_posts(const std::filesystem::path& run_dir, const nlohmann::json& prepared,
                                  const train::TextData& data) {
  const auto data_h5 = run_dir / "data.h5";
  io::H5Reader r(data_h5);
  if (!r.has("text"))
    throw io::InputError(data_h5.string() + ": no /text (the posts' texts); prepare this run again with this version");
  auto texts = r.read_strings("text");
  if (static_cast<int64_t>(texts.size()) != data.size())
    throw io::InputError(data_h5.string() + ": /text has " + std::to_string(texts.size()) + " posts, /label " +
                         std::to_string(data.size()));
  auto vocab = io::Vocab::load(run_dir / "vocab.txt");
  io::TokenizerOptions topt;
  topt.lowercase = prepared.at("config").value("lowercase", true);
  io::WordPieceTokenizer tokenizer(
      vocab, io::never_split_tokens(io::preprocess_options_from_json(prepared.at("config").at("preprocess"))), topt);
  std::vector<Words> words;
  words.reserve(texts.size());
  for (const auto& t : texts) words.push_back(bow_words(tokenizer, t));
  return words;
}

template <class T>
std::vector<T> pick(const std::vector<T>& v, const std::vector<int64_t>& rows) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (auto r : rows) out.push_back(v[static_cast<size_t>(r)]);
  return out;
}

// A fold model: vectorizer and weights fitted on `fit_rows`.
struct Fitted {
  TfidfVectorizer tfidf;
  LogisticRegression lr;
  at::Tensor logits(const std::vector<Words>& docs) const { return lr.logits(tfidf.transform(docs)); }
};

Fitted fit_on(const std::vector<Words>& words, const train::TextData& data, const std::vector<int64_t>& fit_rows,
              const TfidfOptions& o, double C) {
  auto docs = pick(words, fit_rows);
  auto tfidf = TfidfVectorizer::fit(docs, o);
  auto lr = fit_logistic_regression(tfidf.transform(docs), pick(data.label, fit_rows), data.num_labels(), C);
  return {std::move(tfidf), std::move(lr)};
}

nlohmann::json to_json(const TfidfVectorizer& tfidf, const LogisticRegression& lr, double C,
                       const nlohmann::json& search) {
  auto w = lr.weight.contiguous(), b = lr.intercept.contiguous();
  nlohmann::json weight = nlohmann::json::array();
  for (int64_t c = 0; c < w.size(1); ++c) {
    auto col = w.select(1, c).contiguous();
    weight.push_back(std::vector<double>(col.data_ptr<double>(), col.data_ptr<double>() + col.numel()));
  }
  return {{"tfidf", tfidf.to_json()},
          {"C", C},
          {"validation_macro_f1_by_C", search},
          {"weight_by_class", weight},
          {"intercept", std::vector<double>(b.data_ptr<double>(), b.data_ptr<double>() + b.numel())}};
}

}  // namespace

int run_bow_teacher(const std::filesystem::path& run_dir, const BowTeacherOptions& o, dist::Communicator& comm) {
  log::set_role("bow");
  if (o.c_grid.empty()) throw std::invalid_argument("bow teacher: no C to try");
  if (o.cross_fit == 1 || o.cross_fit < 0) throw std::invalid_argument("bow teacher: cross_fit must be 0 or at least 2");
  io::RunManifest manifest(run_dir);
  const auto* prepared = manifest.stage("prepare");
  if (!prepared) throw io::InputError((run_dir / "manifest.json").string() + ": no prepare stage; run 3mhealth prepare first");
  nlohmann::json config = {{"tfidf", {{"max_ngram", o.tfidf.max_ngram}, {"min_df", o.tfidf.min_df}}},
                           {"c_grid", o.c_grid},
                           {"cross_fit", o.cross_fit},
                           {"seed", o.seed},
                           {"temperature", o.temperature},
                           {"data", prepared->at("config_hash")}};
  const std::string hash = io::RunManifest::hash(config);
  if (manifest.up_to_date("teacher.bow", hash, o.force, "bow teacher", comm.rank() == 0)) return 0;

  auto data = train::TextData::load(run_dir / "data.h5");
  const auto words = words_of_posts(run_dir, *prepared, data);
  const auto train_rows = data.rows_of(0), val_rows = data.rows_of(1);
  if (train_rows.empty() || val_rows.empty())
    throw io::InputError((run_dir / "data.h5").string() + ": the bow teacher needs training and validation posts");

  // The vectorizer does not depend on C: fitted once. C by validation
  // macro-F1, the first of equals, as the baseline script; its fit is the model.
  const auto train_docs = pick(words, train_rows);
  const auto tfidf = TfidfVectorizer::fit(train_docs, o.tfidf);
  const auto x_train = tfidf.transform(train_docs), x_all = tfidf.transform(words);
  const auto train_labels = pick(data.label, train_rows);
  LogisticRegression model;
  at::Tensor logits;
  double best_c = 0, best_f1 = -1;
  nlohmann::json search = nlohmann::json::object();
  for (double C : o.c_grid) {
    auto lr = fit_logistic_regression(x_train, train_labels, data.num_labels(), C);
    auto l = lr.logits(x_all);
    const double f1 = train::metrics_of_split(l, data, 1).macro_f1;
    search[nlohmann::json(C).dump()] = f1;
    if (comm.rank() == 0)
      log::info("bow teacher: C ", C, ": validation macro-F1 ", f1, " (", tfidf.terms(), " terms, ", lr.evaluations,
                " L-BFGS evaluations)");
    if (f1 > best_f1) best_f1 = f1, best_c = C, model = std::move(lr), logits = l;
  }

  TeacherOutput out;
  if (o.cross_fit > 0) {
    nlohmann::json folds = nlohmann::json::array();
    for (int k = 0; k < o.cross_fit; ++k) {
      const auto held = text::cross_fit_fold(train_rows, k, o.cross_fit, o.seed);
      std::vector<int64_t> fit_rows;
      std::set_difference(train_rows.begin(), train_rows.end(), held.begin(), held.end(), std::back_inserter(fit_rows));
      auto fold = fit_on(words, data, fit_rows, o.tfidf, best_c);
      logits.index_copy_(0, torch::tensor(held, torch::kLong), fold.logits(pick(words, held)));
      folds.push_back({{"held_out", held.size()}, {"terms", fold.tfidf.terms()}});
    }
    auto m = train::metrics_of_split(logits, data, 0);
    if (comm.rank() == 0)
      log::info("bow teacher: out-of-fold macro-F1 ", m.macro_f1, " on the ", train_rows.size(), " training posts");
    out.cross_fit = {{"folds", folds}, {"training_out_of_fold", m.to_json(data.label_names)}};
  }

  const auto float_logits = logits.to(torch::kFloat).contiguous();
  const auto dir = run_dir / "teachers" / "bow";
  out.modality = "bow";
  out.config_hash = hash;
  out.config = config;
  out.model_file = "teachers/bow/model.json";
  out.temperature = o.temperature;
  out.fit.epochs_run = 0;  // no epochs: metrics.json says best_epoch 0
  out.fit.best_val_macro_f1 = best_f1;
  out.model = {{"C", best_c}, {"terms", tfidf.terms()}, {"validation_macro_f1_by_C", search}};
  auto predict = [&](const std::vector<int64_t>& rows) {
    auto [first, last] = train::Trainer::share_bounds(static_cast<int64_t>(rows.size()), comm.rank(), comm.size());
    std::vector<int64_t> mine(rows.begin() + first, rows.begin() + last);
    return train::Trainer::Share{first, last, float_logits.index_select(0, torch::tensor(mine, torch::kLong))};
  };
  auto save = [&] {
    std::filesystem::create_directories(dir);
    io::write_file_atomic(dir / "model.json", to_json(tfidf, model, best_c, search).dump() + "\n");
    return io::sha256_file(dir / "model.json");
  };
  finish_teacher(run_dir, data, predict, std::move(out), {}, save, comm);
  return 0;
}

}  // namespace mh::teachers::bow
