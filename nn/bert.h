// A BERT-style encoder classifier whose parameter names and math are those of
// Hugging Face BertForSequenceClassification: embeddings (word + position +
// token type, LayerNorm, dropout), post-LayerNorm transformer blocks, a pooler
// (dense + tanh on [CLS]) and a linear classifier. Used by the text teacher and
// the student. Loads a Hugging Face checkpoint directory (config.json +
// model.safetensors), optionally keeping only the first N layers.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include "nn/dropout.h"
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace mh::nn {

// Standard deviation of Hugging Face's initial weights (config initializer_range).
inline constexpr double kInitStd = 0.02;

struct BertConfig {
  int64_t vocab_size = 16000;
  int64_t hidden_size = 256;
  int64_t num_hidden_layers = 4;
  int64_t num_attention_heads = 4;
  int64_t intermediate_size = 1024;
  int64_t max_position_embeddings = 512;
  int64_t type_vocab_size = 2;
  int64_t num_labels = 2;
  double hidden_dropout_prob = 0.1;
  double attention_probs_dropout_prob = 0.1;
  double layer_norm_eps = 1e-12;
  std::string hidden_act = "gelu";  // gelu (exact, erf) or relu
  // What the pooler reads: "cls" (Hugging Face BERT: the first token) or "mean"
  // (the masked mean of the last hidden states; the key and values of Hugging
  // Face's ModernBERT). A small model trained from scratch on a few thousand
  // posts has little signal to learn to gather a post into [CLS]; the mean
  // needs none (on SDCNL: the same mean macro-F1 over 5 seeds, half the spread).
  std::string classifier_pooling = "cls";

  // Hugging Face config.json keys; unknown keys are ignored, wrong types are errors.
  static BertConfig from_json(const nlohmann::json& j, const std::string& where = "config.json");
  nlohmann::json to_json() const;
  void validate() const;
};

struct BertEmbeddingsImpl : torch::nn::Module {
  explicit BertEmbeddingsImpl(const BertConfig& c);
  torch::Tensor forward(const torch::Tensor& input_ids);
  torch::nn::Embedding word_embeddings{nullptr}, position_embeddings{nullptr}, token_type_embeddings{nullptr};
  torch::nn::LayerNorm LayerNorm{nullptr};
  Dropout dropout{nullptr};
};
TORCH_MODULE(BertEmbeddings);

struct BertSelfAttentionImpl : torch::nn::Module {
  explicit BertSelfAttentionImpl(const BertConfig& c);
  // mask_bias: [B, 1, 1, T], 0 for tokens, a large negative for padding.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask_bias);
  torch::nn::Linear query{nullptr}, key{nullptr}, value{nullptr};
  Dropout dropout{nullptr};
  int64_t heads, head_dim;
};
TORCH_MODULE(BertSelfAttention);

// dense + dropout + LayerNorm(x + residual): "attention.output" and "output".
struct BertResidualOutputImpl : torch::nn::Module {
  BertResidualOutputImpl(int64_t in, const BertConfig& c);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& residual);
  torch::nn::Linear dense{nullptr};
  torch::nn::LayerNorm LayerNorm{nullptr};
  Dropout dropout{nullptr};
};
TORCH_MODULE(BertResidualOutput);

struct BertAttentionImpl : torch::nn::Module {
  explicit BertAttentionImpl(const BertConfig& c);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask_bias);
  BertSelfAttention self{nullptr};
  BertResidualOutput output{nullptr};
};
TORCH_MODULE(BertAttention);

struct BertIntermediateImpl : torch::nn::Module {
  explicit BertIntermediateImpl(const BertConfig& c);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Linear dense{nullptr};
  bool relu;
};
TORCH_MODULE(BertIntermediate);

struct BertLayerImpl : torch::nn::Module {
  explicit BertLayerImpl(const BertConfig& c);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask_bias);
  BertAttention attention{nullptr};
  BertIntermediate intermediate{nullptr};
  BertResidualOutput output{nullptr};
};
TORCH_MODULE(BertLayer);

struct BertEncoderImpl : torch::nn::Module {
  explicit BertEncoderImpl(const BertConfig& c);
  torch::Tensor forward(torch::Tensor x, const torch::Tensor& mask_bias);
  torch::nn::ModuleList layer{nullptr};
};
TORCH_MODULE(BertEncoder);

struct BertPoolerImpl : torch::nn::Module {
  explicit BertPoolerImpl(const BertConfig& c);
  // tanh(dense(hidden[:, 0])), or of the masked mean over tokens when `mean`.
  torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& attention_mask, bool mean = false);
  torch::nn::Linear dense{nullptr};
};
TORCH_MODULE(BertPooler);

struct BertModelImpl : torch::nn::Module {
  explicit BertModelImpl(const BertConfig& c);
  // input_ids, attention_mask: [B, T] int64 (mask 1 for tokens, 0 for padding).
  // Returns the last hidden states [B, T, H].
  torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask);
  BertEmbeddings embeddings{nullptr};
  BertEncoder encoder{nullptr};
  BertPooler pooler{nullptr};
};
TORCH_MODULE(BertModel);

struct BertForSequenceClassificationImpl : torch::nn::Module {
  explicit BertForSequenceClassificationImpl(const BertConfig& c);
  torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask);  // logits [B, C]
  BertConfig config;
  BertModel bert{nullptr};
  Dropout dropout{nullptr};
  torch::nn::Linear classifier{nullptr};
};
TORCH_MODULE(BertForSequenceClassification);

// The masked-LM head of Hugging Face BertForMaskedLM ("cls.predictions.*"):
// dense + GELU + LayerNorm, then the word embeddings (tied) and a bias.
struct BertMlmHeadTransformImpl : torch::nn::Module {
  explicit BertMlmHeadTransformImpl(const BertConfig& c);
  torch::nn::Linear dense{nullptr};
  torch::nn::LayerNorm LayerNorm{nullptr};
};
TORCH_MODULE(BertMlmHeadTransform);

struct BertMlmPredictionsImpl : torch::nn::Module {
  explicit BertMlmPredictionsImpl(const BertConfig& c);
  BertMlmHeadTransform transform{nullptr};
  torch::Tensor bias;
};
TORCH_MODULE(BertMlmPredictions);

struct BertMlmHeadsImpl : torch::nn::Module {
  explicit BertMlmHeadsImpl(const BertConfig& c);
  BertMlmPredictions predictions{nullptr};
};
TORCH_MODULE(BertMlmHeads);

struct BertForMaskedLMImpl : torch::nn::Module {
  explicit BertForMaskedLMImpl(const BertConfig& c);
  // Vocabulary logits [M, V] at the positions where `positions` [B, T] is true.
  torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask, const torch::Tensor& positions);
  BertConfig config;
  BertModel bert{nullptr};
  BertMlmHeads cls{nullptr};
};
TORCH_MODULE(BertForMaskedLM);

// Writes config.json + model.safetensors (float32, Hugging Face names) of any
// of the models above.
void save_hf_checkpoint(torch::nn::Module& model, const BertConfig& config, const std::string& architecture,
                        const std::filesystem::path& dir);
void save_hf_checkpoint(BertForSequenceClassification& model, const std::filesystem::path& dir);
// The same form for some of a model's tensors (Hugging Face loaders initialise
// the rest fresh, as load_hf_weights below does).
void save_hf_checkpoint(const std::vector<std::pair<std::string, torch::Tensor>>& tensors, const BertConfig& config,
                        const std::string& architecture, const std::filesystem::path& dir);

struct LoadReport {
  std::vector<std::string> loaded, missing, unused;  // parameter names
};

// Loads weights from a Hugging Face directory into `model` (whose config must
// agree on sizes, except the number of layers: only the first
// model->config.num_hidden_layers are taken). Parameters the checkpoint lacks
// (e.g. a fresh classifier) stay as initialised and are reported as missing.
LoadReport load_hf_weights(BertForSequenceClassification& model, const std::filesystem::path& dir);

// config.json of a checkpoint directory.
BertConfig read_hf_config(const std::filesystem::path& dir);

}  // namespace mh::nn
