#include "teachers/emotion/emotion_embeddings.h"
#include "teachers/emotion/wordnet.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>

#include "io/csv_reader.h"
#include "io/hdf5_store.h"
#include "io/run_manifest.h"
#include "io/sha256.h"
#include "log/log.h"
#include "train/text_data.h"

namespace mh::teachers::emotion {

std::vector<std::string> words_of(const io::Vocab& vocab, const int32_t* ids, int64_t length) {
  std::vector<std::string> words;
  const auto& specials = io::Vocab::special_tokens();
  bool after_unk = false;
  for (int64_t i = 0; i < length; ++i) {
    const auto& piece = vocab.token(ids[i]);
    if (std::find(specials.begin(), specials.end(), piece) != specials.end()) {
      after_unk = piece == "[UNK]";
      continue;
    }
    if (piece.rfind("##", 0) == 0) {
      if (!words.empty() && !after_unk) words.back() += piece.substr(2);
      continue;
    }
    after_unk = false;
    words.push_back(piece);
  }
  return words;
}

nlohmann::json embedding_config(const EmbeddingOptions& o) {
  nlohmann::json c = {{"lexicon", o.lexicon.string()},
          {"lexicon_threshold", o.lexicon_threshold},
          {"fallback", o.fallback == Fallback::affix ? "affix" : "none"},
          {"min_word_freq", o.graph.min_word_freq},
          {"window", o.graph.window},
          {"jaccard_threshold", o.graph.jaccard_threshold},
          {"gcn", {{"hidden", o.gcn.hidden}, {"out", o.gcn.out}, {"dropout", o.gcn.dropout}, {"lr", o.gcn.lr},
                   {"weight_decay", o.gcn.weight_decay}, {"epochs", o.gcn.epochs}, {"patience", o.gcn.patience},
                   {"held_out", o.gcn.held_out}, {"seed", o.gcn.seed}}}};
  // Only when used, so configurations from before the option keep their hash.
  if (!o.wordnet.empty()) c["wordnet"] = {{"dir", o.wordnet.string()}, {"senses", o.wordnet_senses}};
  return c;
}

namespace {

void build_and_write(const std::filesystem::path& run_dir, const EmbeddingOptions& o, const nlohmann::json& config,
                     const std::string& hash) {
  auto started = std::chrono::steady_clock::now();
  auto data = train::TextData::load(run_dir / "data.h5");
  auto vocab = io::Vocab::load(run_dir / "vocab.txt");
  if (vocab.sha256() != data.vocab_sha256)
    throw io::InputError((run_dir / "vocab.txt").string() + ": does not match data.h5 (vocab_sha256); re-run prepare");
  auto lexicon = Lexicon::load(o.lexicon, o.lexicon_threshold);
  if (!o.wordnet.empty()) lexicon = expand_lexicon(lexicon, WordNet(o.wordnet), o.wordnet_senses);

  std::vector<std::vector<int32_t>> docs;
  std::vector<float> labels;
  std::vector<int64_t> per_category(lexicon.categories().size() + 1, 0);
  const int32_t pad = vocab.pad_id();
  const auto& specials = io::Vocab::special_tokens();
  for (auto r : data.rows_of(0)) {
    const int32_t* ids = data.ids.data() + r * data.max_length;
    std::vector<int32_t> doc;
    for (int64_t i = 0; i < data.length[r]; ++i)
      if (std::find(specials.begin(), specials.end(), vocab.token(ids[i])) == specials.end()) doc.push_back(ids[i]);
    docs.push_back(std::move(doc));
    auto label = document_label(lexicon, words_of(vocab, ids, data.length[r]), o.fallback);
    for (size_t k = 0; k < label.size(); ++k) per_category[k] += label[k] > 0;
    labels.insert(labels.end(), label.begin(), label.end());
  }
  auto names = lexicon.categories();
  names.push_back("none");
  std::string counts;
  for (size_t k = 0; k < names.size(); ++k) counts += (k ? ", " : "") + names[k] + " " + std::to_string(per_category[k]);
  log::info("emotion labels of ", docs.size(), " training posts (", lexicon.words(), " lexicon words): ", counts);

  auto graph = build_graph(docs, o.graph);
  log::info("emotion graph: ", graph.num_docs, " documents, ", graph.num_words, " words; edges: ", graph.tfidf_edges,
            " TF-IDF, ", graph.pmi_edges, " PMI, ", graph.jaccard_edges, " Jaccard");
  auto adjacency = normalized_adjacency(graph);
  auto y = torch::from_blob(labels.data(), {graph.num_docs, static_cast<int64_t>(names.size())}, torch::kFloat).clone();
  auto gcn = train_gcn(adjacency, y, o.gcn);
  log::info("emotion GCN: best held-out BCE ", gcn.best_held_out_loss, " at epoch ", gcn.best_epoch, " of ",
            gcn.epochs_run);

  // Every vocab token gets a row: graph words their GCN vector; the rest a
  // seeded random vector of the same scale, so unseen tokens are neither
  // zero (indistinguishable from padding) nor out of range.
  const int64_t V = vocab.size(), dim = o.gcn.out;
  auto word_rows = gcn.embeddings.slice(0, graph.num_docs);
  auto gen = at::detail::createCPUGenerator(o.gcn.seed + 1);
  auto table = torch::normal(0.0, word_rows.std().item<double>(), {V, dim}, gen);
  std::vector<uint8_t> in_graph(V, 0);
  auto token_index = torch::tensor(std::vector<int64_t>(graph.word_token.begin(), graph.word_token.end()), torch::kLong);
  table.index_copy_(0, token_index, word_rows);
  for (auto t : graph.word_token) in_graph[t] = 1;
  table[pad].zero_();
  int64_t random_tokens = V - graph.num_words - 1;
  log::info("emotion embeddings: ", graph.num_words, " of ", V, " tokens from the graph, ", random_tokens,
            " seeded random (rarer than ", o.graph.min_word_freq, " in the training split, or special), [PAD] zero");

  table = table.contiguous();
  const auto path = run_dir / "emotion" / "embeddings.h5";
  std::filesystem::create_directories(path.parent_path());
  io::H5Writer w(path);
  w.write("embeddings", std::vector<float>(table.data_ptr<float>(), table.data_ptr<float>() + table.numel()),
          {static_cast<uint64_t>(V), static_cast<uint64_t>(dim)});
  w.write("in_graph", in_graph, {static_cast<uint64_t>(V)});
  w.set_attr("/", "vocab_sha256", data.vocab_sha256);
  w.set_attr("/", "lexicon_sha256", lexicon.sha256());
  w.set_attr("/", "label_names", names);
  w.set_attr("/", "docs", graph.num_docs);
  w.set_attr("/", "words", graph.num_words);
  w.set_attr("/", "tfidf_edges", graph.tfidf_edges);
  w.set_attr("/", "pmi_edges", graph.pmi_edges);
  w.set_attr("/", "jaccard_edges", graph.jaccard_edges);
  w.set_attr("/", "random_tokens", random_tokens);
  w.set_attr("/", "gcn_best_epoch", static_cast<int64_t>(gcn.best_epoch));
  w.set_attr("/", "gcn_held_out_bce", gcn.best_held_out_loss);
  w.commit();

  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  io::RunManifest manifest(run_dir);
  manifest.record("emotion.embeddings", hash, config, {{"embeddings", "emotion/embeddings.h5"}},
                  {{"docs", graph.num_docs}, {"words", graph.num_words}, {"tfidf_edges", graph.tfidf_edges},
                   {"pmi_edges", graph.pmi_edges}, {"jaccard_edges", graph.jaccard_edges},
                   {"random_tokens", random_tokens}, {"gcn_best_epoch", gcn.best_epoch},
                   {"gcn_held_out_bce", gcn.best_held_out_loss}, {"seconds", seconds}});
  log::info("emotion embeddings: ", path.string(), " (", seconds, " s)");
}

}  // namespace

std::string run_emotion_embeddings(const std::filesystem::path& run_dir, const EmbeddingOptions& o,
                                   dist::Communicator& comm) {
  io::RunManifest manifest(run_dir);
  const auto* prepared = manifest.stage("prepare");
  if (!prepared) throw io::InputError((run_dir / "manifest.json").string() + ": no prepare stage; run 3mhealth prepare first");
  if (o.lexicon.empty()) throw io::InputError("the emotion teacher needs a lexicon (--lexicon FILE)");
  nlohmann::json config = embedding_config(o);
  config["data"] = prepared->at("config_hash");
  config["lexicon_sha256"] = std::filesystem::exists(o.lexicon) ? io::sha256_file(o.lexicon) : "";
  const std::string hash = io::RunManifest::hash(config);
  if (manifest.up_to_date("emotion.embeddings", hash, o.force, "emotion embeddings", comm.rank() == 0)) {
    return hash;
  }
  // Rank 0's failure must reach the others, not leave them in the barrier:
  // run_mpi_job turns an exception into MPI_Abort of the whole job.
  if (comm.rank() == 0) build_and_write(run_dir, o, config, hash);
  comm.barrier();
  return hash;
}

at::Tensor load_emotion_embeddings(const std::filesystem::path& path, const std::string& vocab_sha256) {
  if (!std::filesystem::exists(path)) throw io::InputError(path.string() + ": missing; the emotion embeddings stage did not run");
  io::H5Reader r(path);
  if (r.attr_string("/", "vocab_sha256") != vocab_sha256)
    throw io::InputError(path.string() + ": made for another vocabulary (vocab_sha256 differs from data.h5's)");
  io::Dims dims;
  auto v = r.read<float>("embeddings", &dims);
  if (dims.size() != 2) throw io::InputError(path.string() + ": /embeddings must be 2-d [vocab, dim]");
  return torch::from_blob(v.data(), {static_cast<int64_t>(dims[0]), static_cast<int64_t>(dims[1])}, torch::kFloat).clone();
}

}  // namespace mh::teachers::emotion
