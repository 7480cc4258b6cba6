#include "teachers/text/pretrain.h"

#include <torch/torch.h>

#include <fstream>
#include <set>

#include "io/atomic_file.h"
#include "io/corpus.h"
#include "io/csv_reader.h"
#include "io/run_manifest.h"
#include "io/sha256.h"
#include "io/text_preprocess.h"
#include "io/wordpiece_tokenizer.h"
#include "log/log.h"
#include "train/stop_signal.h"
#include "teachers/text/word_vectors.h"

namespace mh::teachers::text {
namespace {

// Token windows ([CLS] pieces [SEP]) to pretrain on.
struct Sequences {
  std::vector<std::vector<int32_t>> ids;
  std::vector<int32_t> lengths;
  void add(std::vector<int32_t> s) {
    lengths.push_back(static_cast<int32_t>(s.size()));
    ids.push_back(std::move(s));
  }
};

}  // namespace

int run_pretrain(const std::filesystem::path& run_dir, PretrainOptions o, dist::Communicator& comm) {
  log::set_role("pretrain");
  io::RunManifest manifest(run_dir);
  const auto* prepared = manifest.stage("prepare");
  if (!prepared) throw io::InputError((run_dir / "manifest.json").string() + ": no prepare stage; run 3mhealth prepare first");
  auto data = train::TextData::load(run_dir / "data.h5");

  const bool skipgram = o.objective == "skipgram";
  nlohmann::json config = training_config(o.model, o.train);
  if (skipgram) {
    // The trainer's options do not decide skip-gram vectors; these do.
    config.erase("train");
    config["objective"] = o.objective;
    config["word_vectors"] = {{"epochs", o.word_vectors.epochs}, {"window", o.word_vectors.window},
                              {"negatives", o.word_vectors.negatives}, {"lr", o.word_vectors.lr},
                              {"seed", o.word_vectors.seed}};
  }
  nlohmann::json corpus = nlohmann::json::object();
  for (const auto& f : o.corpus) {
    if (!std::filesystem::exists(f)) throw io::InputError(f.string() + ": no such corpus file");
    corpus[f.string()] = io::sha256_file(f);
  }
  config["corpus"] = corpus;
  config["max_corpus_posts"] = o.max_corpus_posts;
  config["include_train_split"] = o.include_train_split;
  if (!skipgram) config["mask_prob"] = o.mask_prob;
  config["data"] = prepared->at("config_hash");
  if (!skipgram) config["world"] = comm.size();
  const std::string hash = io::RunManifest::hash(config);
  if (manifest.up_to_date("pretrain", hash, o.force, "pretrain", comm.rank() == 0)) {
    return 0;
  }

  const auto dir = run_dir / "pretrain";
  if (skipgram && comm.rank() != 0) {
    comm.barrier();  // rank 0 trains the vectors (fastText's own threads)
    return 0;
  }
  // Every rank builds the same sequences (tokenizing is cheap next to training).
  auto vocab = io::Vocab::load(run_dir / "vocab.txt");
  Sequences seq;
  if (o.include_train_split)
    for (int64_t r = 0; r < data.size(); ++r)
      if (data.split[r] == 0) {
        const int32_t* row = data.ids.data() + r * data.max_length;
        seq.add(std::vector<int32_t>(row, row + data.length[r]));
      }
  const int64_t train_sequences = static_cast<int64_t>(seq.ids.size());
  auto pre = io::preprocess_options_from_json(prepared->at("config").at("preprocess"));
  io::TokenizerOptions topt;
  topt.lowercase = prepared->at("config").value("lowercase", true);
  io::WordPieceTokenizer tokenizer(vocab, io::never_split_tokens(pre), topt);
  const int64_t window = data.max_length - 2;
  for (const auto& f : o.corpus)
    io::read_corpus(f, o.max_corpus_posts, [&](std::string&& post) {
      auto pieces = tokenizer.encode(io::preprocess(post, pre));
      for (size_t start = 0; start < pieces.size(); start += window) {
        size_t end = std::min(pieces.size(), start + static_cast<size_t>(window));
        std::vector<int32_t> s{vocab.cls_id()};
        s.insert(s.end(), pieces.begin() + start, pieces.begin() + end);
        s.push_back(vocab.sep_id());
        seq.add(std::move(s));
      }
    });
  if (seq.ids.empty()) throw io::InputError("pretrain: nothing to train on (no training split and no corpus)");
  if (comm.rank() == 0)
    log::info("pretrain: ", seq.ids.size(), " windows of up to ", data.max_length, " pieces (", train_sequences,
              " from the training split, the rest from ", o.corpus.size(), " corpus files)");

  nn::BertConfig c;
  c.vocab_size = vocab.size();
  c.hidden_size = o.model.hidden;
  c.num_hidden_layers = o.model.layers;
  c.num_attention_heads = o.model.heads;
  c.intermediate_size = o.model.intermediate;
  c.hidden_act = o.model.activation;
  c.max_position_embeddings = data.max_length;
  c.hidden_dropout_prob = c.attention_probs_dropout_prob = o.model.dropout;
  torch::manual_seed(o.train.seed);
  if (skipgram) {
    std::filesystem::create_directories(dir);
    const auto posts = dir / "word-vector-posts.tmp";
    {
      std::ofstream out(posts);
      const auto special = vocab.special_ids();
      const std::set<int32_t> skip(special.begin(), special.end());
      for (const auto& s : seq.ids) {
        bool first = true;
        for (int32_t id : s)
          if (!skip.count(id)) out << (first ? "" : " ") << id, first = false;
        out << '\n';
      }
      if (!out.flush()) throw io::InputError(posts.string() + ": cannot write");
    }
    auto wv = o.word_vectors;
    wv.dim = c.hidden_size;
    wv.stop = train::stop_requested;
    auto vectors = train_piece_vectors(posts, c.vocab_size, wv, nn::kInitStd);
    std::filesystem::remove(posts);
    if (!vectors) {
      log::warn("pretrain: stopped (SIGTERM or SIGUSR1) before the word vectors were done; fastText keeps no "
                "checkpoint, so nothing is saved and the same command starts them over");
      comm.barrier();
      return 0;
    }
    // Only the word embeddings: the encoder of a model that starts from them is
    // drawn from that run's own --seed.
    nn::save_hf_checkpoint({{"bert.embeddings.word_embeddings.weight", *vectors}}, c, "BertForMaskedLM", dir);
    std::filesystem::copy_file(run_dir / "vocab.txt", dir / "vocab.txt", std::filesystem::copy_options::overwrite_existing);
    manifest.record("pretrain", hash, config, {{"model", "pretrain/model.safetensors"}, {"config", "pretrain/config.json"}},
                    {{"windows", seq.ids.size()}, {"from_training_split", train_sequences}});
    log::info("pretrain: word vectors done; use --init-from ", dir.string(), " with teacher and distill");
    comm.barrier();
    return 0;
  }
  nn::BertForMaskedLM model(c);

  // logits() draws the masks and leaves the targets for sample_loss(), which
  // the trainer always calls right after it on the same rows.
  struct Masked {
    at::Tensor targets, sample;  // [M] original ids, [M] row of each masked position
    int64_t batch = 0;
  };
  auto masked = std::make_shared<Masked>();
  const int32_t first_normal = 0, mask_id = vocab.mask_id();
  const auto special = vocab.special_ids();
  train::TrainTask task;
  task.module = model.ptr().get();
  task.lengths = seq.lengths;
  task.logits = [&, masked, model](const std::vector<int64_t>& rows) mutable {
    const int64_t B = static_cast<int64_t>(rows.size());
    int64_t T = 0;
    for (auto r : rows) T = std::max<int64_t>(T, seq.lengths[r]);
    auto ids = torch::zeros({B, T}, torch::kLong), attn = torch::zeros({B, T}, torch::kLong);
    auto* pi = ids.data_ptr<int64_t>();
    auto* pa = attn.data_ptr<int64_t>();
    for (int64_t b = 0; b < B; ++b)
      for (int64_t t = 0; t < seq.lengths[rows[b]]; ++t) pi[b * T + t] = seq.ids[rows[b]][t], pa[b * T + t] = 1;
    auto candidate = attn.to(torch::kBool);
    for (int32_t s : special) candidate &= ids != s;
    auto chosen = (torch::rand({B, T}) < o.mask_prob) & candidate;
    auto roll = torch::rand({B, T});
    auto inputs = ids.clone();
    inputs.masked_fill_(chosen & (roll < 0.8), mask_id);
    auto random = chosen & (roll >= 0.8) & (roll < 0.9);
    inputs = torch::where(random, torch::randint(first_normal, c.vocab_size, {B, T}, torch::kLong), inputs);
    masked->targets = ids.index({chosen});
    masked->sample = chosen.nonzero().select(1, 0);
    masked->batch = B;
    return model->forward(inputs, attn, chosen);
  };
  task.sample_loss = [masked](const at::Tensor& logits, const std::vector<int64_t>&) {
    auto per_token = torch::nn::functional::cross_entropy(
        logits, masked->targets, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
    return torch::zeros({masked->batch}).index_add(0, masked->sample, per_token);
  };

  o.train.checkpoint = train::stage_checkpoint(dir, hash, o.train.resume, comm);
  o.train.name = "pretrain";

  std::vector<int64_t> rows(seq.ids.size());
  for (size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<int64_t>(i);
  train::Trainer trainer(task, comm, o.train);
  auto result = trainer.fit(rows, {});
  if (result.interrupted) return 0;
  if (comm.rank() == 0) {
    nn::save_hf_checkpoint(*model, c, "BertForMaskedLM", dir);
    std::filesystem::copy_file(run_dir / "vocab.txt", dir / "vocab.txt", std::filesystem::copy_options::overwrite_existing);
    manifest.record("pretrain", hash, config, {{"model", "pretrain/model.safetensors"}, {"config", "pretrain/config.json"}},
                    {{"windows", seq.ids.size()}, {"from_training_split", train_sequences}, {"epochs", result.epochs_run}});
    train::remove_stage_checkpoint(o.train.checkpoint);
    log::info("pretrain: done; use --init-from ", dir.string(), " with teacher and distill");
  }
  comm.barrier();
  return 0;
}

}  // namespace mh::teachers::text
