#include "teachers/text/text_classifier.h"

#include <torch/torch.h>

#include <fstream>

#include "io/csv_reader.h"
#include "io/sha256.h"
#include "io/vocab.h"
#include "io/atomic_file.h"
#include "io/hdf5_store.h"
#include "io/run_manifest.h"
#include "io/safetensors.h"
#include "log/log.h"

namespace mh::teachers::text {

nn::BertForSequenceClassification make_text_classifier(const train::TextData& data, const std::filesystem::path& run_dir,
                                                       const TextModelOptions& o) {
  auto vocab = io::Vocab::load(run_dir / "vocab.txt");
  if (vocab.sha256() != data.vocab_sha256)
    throw io::InputError((run_dir / "vocab.txt").string() + ": does not match data.h5 (vocab_sha256); re-run prepare");
  nn::BertConfig c;
  if (!o.init_from.empty()) {
    c = nn::read_hf_config(o.init_from);
    auto theirs = o.init_from / "vocab.txt";
    if (std::filesystem::exists(theirs) && io::Vocab::load(theirs).sha256() != data.vocab_sha256)
      throw io::InputError(theirs.string() + ": the checkpoint's vocabulary differs from the run's; prepare the run with "
                           "--vocab " + theirs.string());
    if (o.keep_layers > 0) c.num_hidden_layers = std::min(c.num_hidden_layers, o.keep_layers);
    if (c.max_position_embeddings < data.max_length) {
      // Only trained position embeddings bind the length: a checkpoint without
      // them (pretrain --objective skipgram) serves runs of any max length.
      io::SafetensorsFile weights(o.init_from / "model.safetensors");
      if (weights.tensors().count("bert.embeddings.position_embeddings.weight"))
        throw io::InputError(o.init_from.string() + ": max_position_embeddings " + std::to_string(c.max_position_embeddings) +
                             " is shorter than the run's max length " + std::to_string(data.max_length));
      c.max_position_embeddings = data.max_length;
    }
  } else {
    c.hidden_size = o.hidden;
    c.num_hidden_layers = o.layers;
    c.num_attention_heads = o.heads;
    c.intermediate_size = o.intermediate;
    c.hidden_act = o.activation;
    c.max_position_embeddings = data.max_length;
  }
  c.vocab_size = vocab.size();
  c.num_labels = data.num_labels();
  c.hidden_dropout_prob = c.attention_probs_dropout_prob = o.dropout;
  c.classifier_pooling = o.pooling;
  nn::BertForSequenceClassification model(c);
  if (!o.init_from.empty()) {
    auto report = nn::load_hf_weights(model, o.init_from);
    log::info("text model: ", report.loaded.size(), " tensors from ", o.init_from.string(), ", ", report.missing.size(),
              " initialised fresh (classifier, pooler when absent), ", report.unused.size(), " unused");
  }
  if (o.freeze_embeddings) model->bert->embeddings->word_embeddings->weight.set_requires_grad(false);
  return model;
}

at::Tensor mask_pieces(const at::Tensor& ids, const at::Tensor& attention_mask, double p, int64_t mask_id,
                       const std::vector<int64_t>& keep) {
  auto candidate = attention_mask.to(torch::kBool);
  for (auto k : keep) candidate &= ids != k;
  return ids.masked_fill((torch::rand(ids.sizes()) < p) & candidate, mask_id);
}

train::TrainTask text_task(nn::BertForSequenceClassification model, const train::TextData& data,
                           const std::filesystem::path& run_dir, const TextModelOptions& o,
                           std::function<at::Tensor(const at::Tensor&, const std::vector<int64_t>&)> sample_loss) {
  train::TrainTask t;
  t.module = model.ptr().get();
  std::vector<int64_t> special;
  int64_t mask_id = 0;
  if (o.token_mask > 0) {
    auto vocab = io::Vocab::load(run_dir / "vocab.txt");
    for (int32_t id : vocab.special_ids()) special.push_back(id);
    mask_id = vocab.mask_id();
  }
  t.logits = [model, &data, p = o.token_mask, special, mask_id](const std::vector<int64_t>& rows) mutable {
    auto b = data.batch(rows);
    // torch's default generator: seeded by --seed and saved in checkpoints, so
    // the draws are the same after --resume.
    if (p > 0 && model->is_training()) b.ids = mask_pieces(b.ids, b.mask, p, mask_id, special);
    return model->forward(b.ids, b.mask);
  };
  t.sample_loss = std::move(sample_loss);
  t.labels = data.label;
  t.lengths = data.length;
  t.num_classes = data.num_labels();
  return t;
}

nlohmann::json training_config(const TextModelOptions& m, const train::TrainOptions& t) {
  nlohmann::json model = {{"hidden", m.hidden}, {"layers", m.layers}, {"heads", m.heads}, {"intermediate", m.intermediate},
                           {"dropout", m.dropout}, {"activation", m.activation}, {"init_from", m.init_from.string()},
                           {"keep_layers", m.keep_layers}};
  // Only when not the default, so runs trained before the option keep their configuration hash.
  if (m.pooling != "cls") model["pooling"] = m.pooling;
  if (m.token_mask > 0) model["token_mask"] = m.token_mask;
  if (m.freeze_embeddings) model["freeze_embeddings"] = true;
  return {{"model", model}, {"train", train::to_json(t)}};
}

std::string save_text_model(nn::BertForSequenceClassification& model, const std::filesystem::path& run_dir,
                            const std::filesystem::path& dir) {
  nn::save_hf_checkpoint(model, dir);
  std::filesystem::copy_file(run_dir / "vocab.txt", dir / "vocab.txt", std::filesystem::copy_options::overwrite_existing);
  // What `predict` needs to treat new posts exactly as the training posts were.
  io::H5Reader data(run_dir / "data.h5");
  io::RunManifest manifest(run_dir);
  const auto* prepared = manifest.stage("prepare");
  nlohmann::json inputs = {{"max_length", data.attr_int("/", "max_length")},
                           {"lowercase", data.attr_int("/", "lowercase") != 0},
                           {"label_names", data.attr_strings("/", "label_names")},
                           {"dataset", data.attr_string("/", "dataset")},
                           {"preprocess", prepared ? prepared->at("config").at("preprocess") : nlohmann::json::object()}};
  if (data.has_attr("/", "tail_pieces")) inputs["tail_pieces"] = data.attr_int("/", "tail_pieces");
  io::write_file_atomic(dir / "inputs.json", inputs.dump(2) + "\n");
  return io::sha256_file(dir / "model.safetensors");
}

}  // namespace mh::teachers::text
