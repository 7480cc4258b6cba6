// The text modality: a BERT classifier over data.h5's WordPiece ids. Used by
// the text teacher and, with another loss, by the student (the same model).
#pragma once

#include <filesystem>
#include <string>

#include "nn/bert.h"
#include "train/metrics.h"
#include "train/text_data.h"
#include "train/trainer.h"

namespace mh::teachers::text {

struct TextModelOptions {
  int64_t hidden = 256, layers = 4, heads = 4, intermediate = 1024;
  double dropout = 0.1;
  std::string activation = "gelu";
  std::string pooling = "cls";  // BertConfig::classifier_pooling, from scratch or over a checkpoint's
  // A Hugging Face directory (config.json, model.safetensors, vocab.txt) or a
  // `3mhealth pretrain` output to start from; its vocab.txt must be the run's.
  std::filesystem::path init_from;
  int64_t keep_layers = 0;  // with init_from: keep only the first N layers (0: all)
  // Training batches only: each piece of a post (not [CLS]/[SEP]/padding)
  // becomes [MASK] with this probability, a fresh draw every step.
  double token_mask = 0.0;
  // The word embeddings stay as initialised (e.g. skip-gram vectors from
  // `pretrain --objective skipgram`): pieces that no training post contains
  // keep a meaning consistent with the pieces that do.
  bool freeze_embeddings = false;
};

// A model sized for `data` (labels, max length) and the run's vocab.txt.
nn::BertForSequenceClassification make_text_classifier(const train::TextData& data,
                                                       const std::filesystem::path& run_dir,
                                                       const TextModelOptions& options);

// ids with each piece that is not padding and not in `keep` replaced by
// `mask_id` with probability p (torch's default generator).
at::Tensor mask_pieces(const at::Tensor& ids, const at::Tensor& attention_mask, double p, int64_t mask_id,
                       const std::vector<int64_t>& keep);

// The trainer's view of it; `sample_loss` turns logits and rows into per-sample losses.
// Masks training batches' pieces as options.token_mask asks ([MASK] from the run's vocab.txt).
train::TrainTask text_task(nn::BertForSequenceClassification model, const train::TextData& data,
                           const std::filesystem::path& run_dir, const TextModelOptions& options,
                           std::function<at::Tensor(const at::Tensor&, const std::vector<int64_t>&)> sample_loss);

// The options that decide a trained model, for the manifest's configuration hash.
nlohmann::json training_config(const TextModelOptions& model, const train::TrainOptions& train);

// Writes config.json, model.safetensors, vocab.txt and inputs.json (max length,
// lower-casing, preprocessing, label names: what `predict` needs) to `dir`;
// returns the weights' sha256.
std::string save_text_model(nn::BertForSequenceClassification& model, const std::filesystem::path& run_dir,
                            const std::filesystem::path& dir);

}  // namespace mh::teachers::text
