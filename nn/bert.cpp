#include "nn/bert.h"

#include <torch/torch.h>

#include <fstream>
#include <set>

#include "io/atomic_file.h"
#include "io/csv_reader.h"
#include "io/safetensors.h"

namespace mh::nn {

namespace {
void init_like_hf(torch::nn::Module& m);
}  // namespace

namespace {
template <typename T>
void read_key(const nlohmann::json& j, const char* key, T& out, const std::string& where) {
  if (!j.contains(key)) return;
  try {
    out = j.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw io::InputError(where + ": '" + key + "' has the wrong type: " + j.at(key).dump());
  }
}
}  // namespace

BertConfig BertConfig::from_json(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object()) throw io::InputError(where + ": expected a JSON object");
  BertConfig c;
  read_key(j, "vocab_size", c.vocab_size, where);
  read_key(j, "hidden_size", c.hidden_size, where);
  read_key(j, "num_hidden_layers", c.num_hidden_layers, where);
  read_key(j, "num_attention_heads", c.num_attention_heads, where);
  read_key(j, "intermediate_size", c.intermediate_size, where);
  read_key(j, "max_position_embeddings", c.max_position_embeddings, where);
  read_key(j, "type_vocab_size", c.type_vocab_size, where);
  read_key(j, "num_labels", c.num_labels, where);
  if (j.contains("id2label") && j["id2label"].is_object() && !j.contains("num_labels"))
    c.num_labels = static_cast<int64_t>(j["id2label"].size());
  read_key(j, "hidden_dropout_prob", c.hidden_dropout_prob, where);
  read_key(j, "attention_probs_dropout_prob", c.attention_probs_dropout_prob, where);
  read_key(j, "layer_norm_eps", c.layer_norm_eps, where);
  read_key(j, "hidden_act", c.hidden_act, where);
  read_key(j, "classifier_pooling", c.classifier_pooling, where);
  try {
    c.validate();
  } catch (const std::invalid_argument& e) {
    throw io::InputError(where + ": " + e.what());
  }
  return c;
}

nlohmann::json BertConfig::to_json() const {
  return {{"model_type", "bert"},
          {"architectures", {"BertForSequenceClassification"}},
          {"vocab_size", vocab_size},
          {"hidden_size", hidden_size},
          {"num_hidden_layers", num_hidden_layers},
          {"num_attention_heads", num_attention_heads},
          {"intermediate_size", intermediate_size},
          {"max_position_embeddings", max_position_embeddings},
          {"type_vocab_size", type_vocab_size},
          {"num_labels", num_labels},
          {"hidden_dropout_prob", hidden_dropout_prob},
          {"attention_probs_dropout_prob", attention_probs_dropout_prob},
          {"layer_norm_eps", layer_norm_eps},
          {"hidden_act", hidden_act},
          {"classifier_pooling", classifier_pooling}};
}

void BertConfig::validate() const {
  auto positive = [](int64_t v, const char* name) {
    if (v <= 0) throw std::invalid_argument(std::string(name) + " must be positive, got " + std::to_string(v));
  };
  positive(vocab_size, "vocab_size");
  positive(hidden_size, "hidden_size");
  positive(num_hidden_layers, "num_hidden_layers");
  positive(num_attention_heads, "num_attention_heads");
  positive(intermediate_size, "intermediate_size");
  positive(max_position_embeddings, "max_position_embeddings");
  positive(type_vocab_size, "type_vocab_size");
  positive(num_labels, "num_labels");
  if (hidden_size % num_attention_heads != 0)
    throw std::invalid_argument("hidden_size " + std::to_string(hidden_size) + " is not a multiple of num_attention_heads " +
                                std::to_string(num_attention_heads));
  if (hidden_act != "gelu" && hidden_act != "relu")
    throw std::invalid_argument("hidden_act must be gelu or relu, got '" + hidden_act + "'");
  if (classifier_pooling != "cls" && classifier_pooling != "mean")
    throw std::invalid_argument("classifier_pooling must be cls or mean, got '" + classifier_pooling + "'");
}

BertEmbeddingsImpl::BertEmbeddingsImpl(const BertConfig& c) {
  word_embeddings = register_module("word_embeddings", torch::nn::Embedding(c.vocab_size, c.hidden_size));
  position_embeddings = register_module("position_embeddings", torch::nn::Embedding(c.max_position_embeddings, c.hidden_size));
  token_type_embeddings = register_module("token_type_embeddings", torch::nn::Embedding(c.type_vocab_size, c.hidden_size));
  LayerNorm = register_module("LayerNorm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden_size}).eps(c.layer_norm_eps)));
  dropout = register_module("dropout", Dropout(c.hidden_dropout_prob));
}

torch::Tensor BertEmbeddingsImpl::forward(const torch::Tensor& ids) {
  const int64_t T = ids.size(1);
  if (T > position_embeddings->weight.size(0))
    throw std::invalid_argument("sequence of " + std::to_string(T) + " tokens exceeds max_position_embeddings " +
                                std::to_string(position_embeddings->weight.size(0)));
  auto positions = torch::arange(T, ids.options().dtype(torch::kLong));
  // A single segment: token type 0 everywhere.
  auto x = word_embeddings(ids) + position_embeddings(positions).unsqueeze(0) + token_type_embeddings->weight[0];
  return dropout(LayerNorm(x));
}

BertSelfAttentionImpl::BertSelfAttentionImpl(const BertConfig& c)
    : heads(c.num_attention_heads), head_dim(c.hidden_size / c.num_attention_heads) {
  query = register_module("query", torch::nn::Linear(c.hidden_size, c.hidden_size));
  key = register_module("key", torch::nn::Linear(c.hidden_size, c.hidden_size));
  value = register_module("value", torch::nn::Linear(c.hidden_size, c.hidden_size));
  dropout = register_module("dropout", Dropout(c.attention_probs_dropout_prob));
}

torch::Tensor BertSelfAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& mask_bias) {
  const int64_t B = x.size(0), T = x.size(1);
  auto split = [&](const torch::Tensor& t) { return t.view({B, T, heads, head_dim}).transpose(1, 2); };
  auto q = split(query(x)), k = split(key(x)), v = split(value(x));
  auto scores = torch::matmul(q, k.transpose(-1, -2)) / std::sqrt(static_cast<double>(head_dim)) + mask_bias;
  auto probs = dropout(torch::softmax(scores, -1));
  return torch::matmul(probs, v).transpose(1, 2).reshape({B, T, heads * head_dim});
}

BertResidualOutputImpl::BertResidualOutputImpl(int64_t in, const BertConfig& c) {
  dense = register_module("dense", torch::nn::Linear(in, c.hidden_size));
  LayerNorm = register_module("LayerNorm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden_size}).eps(c.layer_norm_eps)));
  dropout = register_module("dropout", Dropout(c.hidden_dropout_prob));
}

torch::Tensor BertResidualOutputImpl::forward(const torch::Tensor& x, const torch::Tensor& residual) {
  return LayerNorm(dropout(dense(x)) + residual);
}

BertAttentionImpl::BertAttentionImpl(const BertConfig& c) {
  self = register_module("self", BertSelfAttention(c));
  output = register_module("output", BertResidualOutput(c.hidden_size, c));
}

torch::Tensor BertAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& mask_bias) {
  return output(self(x, mask_bias), x);
}

BertIntermediateImpl::BertIntermediateImpl(const BertConfig& c) : relu(c.hidden_act == "relu") {
  dense = register_module("dense", torch::nn::Linear(c.hidden_size, c.intermediate_size));
}

torch::Tensor BertIntermediateImpl::forward(const torch::Tensor& x) {
  auto h = dense(x);
  return relu ? torch::relu(h) : torch::gelu(h);
}

BertLayerImpl::BertLayerImpl(const BertConfig& c) {
  attention = register_module("attention", BertAttention(c));
  intermediate = register_module("intermediate", BertIntermediate(c));
  output = register_module("output", BertResidualOutput(c.intermediate_size, c));
}

torch::Tensor BertLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& mask_bias) {
  auto a = attention(x, mask_bias);
  return output(intermediate(a), a);
}

BertEncoderImpl::BertEncoderImpl(const BertConfig& c) {
  layer = register_module("layer", torch::nn::ModuleList());
  for (int64_t i = 0; i < c.num_hidden_layers; ++i) layer->push_back(BertLayer(c));
}

torch::Tensor BertEncoderImpl::forward(torch::Tensor x, const torch::Tensor& mask_bias) {
  for (const auto& l : *layer) x = l->as<BertLayer>()->forward(x, mask_bias);
  return x;
}

BertPoolerImpl::BertPoolerImpl(const BertConfig& c) {
  dense = register_module("dense", torch::nn::Linear(c.hidden_size, c.hidden_size));
}

torch::Tensor BertPoolerImpl::forward(const torch::Tensor& hidden, const torch::Tensor& mask, bool mean) {
  if (!mean) return torch::tanh(dense(hidden.select(1, 0)));
  auto m = mask.to(hidden.scalar_type()).unsqueeze(2);
  return torch::tanh(dense((hidden * m).sum(1) / m.sum(1).clamp_min(1.0)));
}

BertModelImpl::BertModelImpl(const BertConfig& c) {
  embeddings = register_module("embeddings", BertEmbeddings(c));
  encoder = register_module("encoder", BertEncoder(c));
  pooler = register_module("pooler", BertPooler(c));
}

torch::Tensor BertModelImpl::forward(const torch::Tensor& ids, const torch::Tensor& mask) {
  // As Hugging Face: (1 - mask) * the smallest float, added to the attention scores.
  auto bias = (1.0 - mask.to(torch::kFloat)).mul(std::numeric_limits<float>::lowest()).unsqueeze(1).unsqueeze(2);
  return encoder(embeddings(ids), bias);
}

BertForSequenceClassificationImpl::BertForSequenceClassificationImpl(const BertConfig& c) : config(c) {
  config.validate();
  bert = register_module("bert", BertModel(c));
  dropout = register_module("dropout", Dropout(c.hidden_dropout_prob));
  classifier = register_module("classifier", torch::nn::Linear(c.hidden_size, c.num_labels));
  init_like_hf(*this);
}

torch::Tensor BertForSequenceClassificationImpl::forward(const torch::Tensor& ids, const torch::Tensor& mask) {
  return classifier(dropout(bert->pooler(bert(ids, mask), mask, config.classifier_pooling == "mean")));
}

namespace {
// Hugging Face's initialisation: N(0, 0.02) weights, zero biases, LayerNorm 1/0.
void init_like_hf(torch::nn::Module& m) {
  torch::NoGradGuard no_grad;
  for (auto& item : m.named_parameters()) {
    const std::string& name = item.key();
    auto& p = item.value();
    auto ends = [&](const char* suffix) {
      size_t n = std::char_traits<char>::length(suffix);
      return name.size() >= n && name.compare(name.size() - n, n, suffix) == 0;
    };
    if (name.find("LayerNorm") != std::string::npos) p.fill_(ends("weight") ? 1.0 : 0.0);
    else if (ends("bias")) p.zero_();
    else p.normal_(0.0, kInitStd);
  }
}
}  // namespace

BertMlmHeadTransformImpl::BertMlmHeadTransformImpl(const BertConfig& c) {
  dense = register_module("dense", torch::nn::Linear(c.hidden_size, c.hidden_size));
  LayerNorm = register_module("LayerNorm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden_size}).eps(c.layer_norm_eps)));
}

BertMlmPredictionsImpl::BertMlmPredictionsImpl(const BertConfig& c) {
  transform = register_module("transform", BertMlmHeadTransform(c));
  bias = register_parameter("bias", torch::zeros({c.vocab_size}));
}

BertMlmHeadsImpl::BertMlmHeadsImpl(const BertConfig& c) { predictions = register_module("predictions", BertMlmPredictions(c)); }

BertForMaskedLMImpl::BertForMaskedLMImpl(const BertConfig& c) : config(c) {
  config.validate();
  bert = register_module("bert", BertModel(c));
  cls = register_module("cls", BertMlmHeads(c));
  init_like_hf(*this);
}

torch::Tensor BertForMaskedLMImpl::forward(const torch::Tensor& ids, const torch::Tensor& mask, const torch::Tensor& positions) {
  auto hidden = bert(ids, mask);
  auto picked = hidden.index({positions.to(torch::kBool)});  // [M, H]: only masked positions pay for the vocabulary
  auto t = cls->predictions->transform;
  auto h = config.hidden_act == "relu" ? torch::relu(t->dense(picked)) : torch::gelu(t->dense(picked));
  h = t->LayerNorm(h);
  return torch::matmul(h, bert->embeddings->word_embeddings->weight.t()) + cls->predictions->bias;
}

void save_hf_checkpoint(const std::vector<std::pair<std::string, torch::Tensor>>& tensors, const BertConfig& config,
                        const std::string& architecture, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  std::vector<torch::Tensor> keep;
  std::vector<io::NamedBuffer> buffers;
  for (const auto& [name, tensor] : tensors) {
    auto t = tensor.detach().to(torch::kFloat).contiguous();
    keep.push_back(t);
    buffers.push_back({name, "F32", t.sizes().vec(), t.data_ptr(), static_cast<size_t>(t.numel()) * 4});
  }
  io::write_safetensors(dir / "model.safetensors", buffers, {{"format", "pt"}});
  auto json = config.to_json();
  json["architectures"] = {architecture};
  io::write_file_atomic(dir / "config.json", json.dump(2) + "\n");
}

void save_hf_checkpoint(torch::nn::Module& model, const BertConfig& config, const std::string& architecture,
                        const std::filesystem::path& dir) {
  std::vector<std::pair<std::string, torch::Tensor>> tensors;
  for (auto& item : model.named_parameters()) tensors.emplace_back(item.key(), item.value());
  save_hf_checkpoint(tensors, config, architecture, dir);
}

void save_hf_checkpoint(BertForSequenceClassification& model, const std::filesystem::path& dir) {
  save_hf_checkpoint(*model, model->config, "BertForSequenceClassification", dir);
}

BertConfig read_hf_config(const std::filesystem::path& dir) {
  auto path = dir / "config.json";
  std::ifstream in(path);
  if (!in) throw io::InputError(path.string() + ": cannot open");
  try {
    return BertConfig::from_json(nlohmann::json::parse(in), path.string());
  } catch (const nlohmann::json::parse_error& e) {
    throw io::InputError(path.string() + ": not valid JSON: " + e.what());
  }
}

namespace {
torch::Tensor to_tensor(const io::SafeTensor& t, const std::string& where) {
  torch::ScalarType type;
  if (t.dtype == "F32") type = torch::kFloat;
  else if (t.dtype == "F16") type = torch::kHalf;
  else if (t.dtype == "BF16") type = torch::kBFloat16;
  else if (t.dtype == "F64") type = torch::kDouble;
  else throw io::InputError(where + ": dtype " + t.dtype + " is not a floating-point weight");
  return torch::from_blob(const_cast<char*>(t.data), t.shape, torch::TensorOptions().dtype(type)).to(torch::kFloat);
}

// Older checkpoints (converted from TensorFlow) name LayerNorm parameters gamma/beta.
std::string canonical(std::string name) {
  auto replace_suffix = [&](const std::string& from, const std::string& to) {
    if (name.size() >= from.size() && name.compare(name.size() - from.size(), from.size(), from) == 0)
      name = name.substr(0, name.size() - from.size()) + to;
  };
  replace_suffix("LayerNorm.gamma", "LayerNorm.weight");
  replace_suffix("LayerNorm.beta", "LayerNorm.bias");
  return name;
}
}  // namespace

LoadReport load_hf_weights(BertForSequenceClassification& model, const std::filesystem::path& dir) {
  io::SafetensorsFile file(dir / "model.safetensors");
  const std::string where = (dir / "model.safetensors").string();
  auto params = model->named_parameters();
  LoadReport report;
  std::set<std::string> used;
  torch::NoGradGuard no_grad;
  for (const auto& [raw, st] : file.tensors()) {
    std::string name = canonical(raw);
    if (!params.contains(name) && params.contains("bert." + name)) name = "bert." + name;  // a bare BertModel
    if (!params.contains(name)) {
      report.unused.push_back(raw);  // deeper layers when truncating, MLM heads, position_ids, ...
      continue;
    }
    auto& p = params[name];
    auto t = to_tensor(st, where + ": tensor '" + raw + "'");
    if (t.sizes() != p.sizes())
      throw io::InputError(where + ": tensor '" + raw + "' has shape " + c10::str(t.sizes()) + " but the model expects " +
                           c10::str(p.sizes()) + " (does config.json match the weights?)");
    p.copy_(t);
    used.insert(name);
    report.loaded.push_back(name);
  }
  for (const auto& item : params)
    if (!used.count(item.key())) report.missing.push_back(item.key());
  return report;
}

}  // namespace mh::nn
