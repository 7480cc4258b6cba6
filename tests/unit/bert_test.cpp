#include <gtest/gtest.h>
#include <torch/torch.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "io/csv_reader.h"
#include "io/safetensors.h"
#include "nn/bert.h"
#include "tests/unit/source_dir.h"

namespace fs = std::filesystem;
using namespace mh::nn;

namespace {

BertConfig tiny(const std::string& act = "gelu", int64_t layers = 2, const std::string& pooling = "cls") {
  BertConfig c;
  c.vocab_size = 50;
  c.hidden_size = 32;
  c.num_hidden_layers = layers;
  c.num_attention_heads = 4;
  c.intermediate_size = 64;
  c.max_position_embeddings = 16;
  c.num_labels = 3;
  c.hidden_act = act;
  c.classifier_pooling = pooling;
  return c;
}

// Weights far from the tiny initialisation, so every part of the model moves the logits.
void randomise(BertForSequenceClassification& m, uint64_t seed) {
  torch::manual_seed(seed);
  torch::NoGradGuard g;
  for (auto& p : m->parameters()) p.normal_(0.0, 0.3);
}

fs::path temp_dir(const std::string& name) {
  auto d = fs::temp_directory_path() / ("mh_bert_" + name + "_" + std::to_string(getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::pair<torch::Tensor, torch::Tensor> inputs() {
  auto ids = torch::tensor({{2, 7, 9, 11, 3, 0, 0, 0}, {2, 40, 41, 42, 43, 44, 45, 3}, {2, 5, 3, 0, 0, 0, 0, 0}},
                           torch::kLong);
  return {ids, (ids != 0).to(torch::kLong)};
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST(Bert, ParameterNamesAreHuggingFaces) {
  BertForSequenceClassification m(tiny());
  auto params = m->named_parameters();
  for (const char* name :
       {"bert.embeddings.word_embeddings.weight", "bert.embeddings.position_embeddings.weight",
        "bert.embeddings.token_type_embeddings.weight", "bert.embeddings.LayerNorm.weight",
        "bert.encoder.layer.1.attention.self.query.bias", "bert.encoder.layer.0.attention.output.dense.weight",
        "bert.encoder.layer.0.attention.output.LayerNorm.bias", "bert.encoder.layer.1.intermediate.dense.weight",
        "bert.encoder.layer.1.output.dense.bias", "bert.encoder.layer.1.output.LayerNorm.weight",
        "bert.pooler.dense.weight", "classifier.weight", "classifier.bias"})
    EXPECT_TRUE(params.contains(name)) << name;
  EXPECT_EQ(params.size(), 5u + 16u * 2 + 2 + 2);
}

TEST(Bert, MaskedLmHeadHasHuggingFaceNamesAndTiedDecoder) {
  BertForMaskedLM m(tiny());
  auto params = m->named_parameters();
  for (const char* name : {"cls.predictions.transform.dense.weight", "cls.predictions.transform.LayerNorm.weight",
                           "cls.predictions.bias", "bert.encoder.layer.1.output.dense.weight"})
    EXPECT_TRUE(params.contains(name)) << name;
  EXPECT_FALSE(params.contains("cls.predictions.decoder.weight"));  // tied to the word embeddings
  auto ids = torch::tensor({{2, 7, 4, 3}}, torch::kLong);
  auto positions = torch::tensor({{0, 0, 1, 0}}, torch::kBool);
  auto logits = m->forward(ids, torch::ones_like(ids), positions);
  EXPECT_EQ(logits.sizes(), (std::vector<int64_t>{1, 50}));
  // Pretrained encoder weights go into a classifier: all but pooler and classifier... and the pooler came along.
  auto dir = temp_dir("mlm");
  save_hf_checkpoint(*m, m->config, "BertForMaskedLM", dir);
  BertForSequenceClassification clf(tiny());
  auto report = load_hf_weights(clf, dir);
  EXPECT_EQ(report.missing, (std::vector<std::string>{"classifier.weight", "classifier.bias"}));
  EXPECT_EQ(report.unused.size(), 5u);  // the MLM head
  fs::remove_all(dir);
}

// Logits against an independent PyTorch implementation of Hugging Face's BERT.
TEST(Bert, LogitsMatchAnIndependentPyTorchReference) {
  for (const auto& [act, pooling] : std::vector<std::pair<std::string, std::string>>{{"gelu", "cls"}, {"relu", "cls"}, {"gelu", "mean"}}) {
    BertForSequenceClassification m(tiny(act, 2, pooling));
    randomise(m, 11);
    m->eval();
    auto dir = temp_dir("parity_" + act + "_" + pooling);
    save_hf_checkpoint(m, dir);
    auto [ids, mask] = inputs();
    nlohmann::json in = {{"input_ids", nlohmann::json::array()}, {"attention_mask", nlohmann::json::array()}};
    for (int64_t b = 0; b < ids.size(0); ++b) {
      std::vector<int64_t> row(ids[b].data_ptr<int64_t>(), ids[b].data_ptr<int64_t>() + ids.size(1));
      std::vector<int64_t> mrow(mask[b].data_ptr<int64_t>(), mask[b].data_ptr<int64_t>() + ids.size(1));
      in["input_ids"].push_back(row);
      in["attention_mask"].push_back(mrow);
    }
    std::ofstream(dir / "inputs.json") << in.dump();
    auto script = mh::test::source_dir() / "tests" / "parity" / "bert_reference.py";
    // Debian's interpreter, where python3-torch is installed (not a pyenv or venv python).
    std::string cmd = "/usr/bin/python3 " + script.string() + " " + dir.string() + " > " + (dir / "ref.json").string();
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "reference failed (is python3-torch installed?): " << cmd;
    auto ref = nlohmann::json::parse(slurp(dir / "ref.json"))["logits"];
    torch::NoGradGuard g;
    auto logits = m->forward(ids, mask);
    ASSERT_EQ(ref.size(), 3u);
    double worst = 0;
    for (int64_t b = 0; b < 3; ++b)
      for (int64_t c = 0; c < 3; ++c) worst = std::max(worst, std::abs(logits[b][c].item<double>() - ref[b][c].get<double>()));
    EXPECT_LE(worst, 1e-4) << act << " " << pooling;
    EXPECT_GT(logits.abs().max().item<double>(), 0.1) << "logits too small to compare meaningfully";
    fs::remove_all(dir);
  }
}

TEST(Bert, PaddingDoesNotChangeTheLogitsOfAPost) {
  for (const std::string pooling : {"cls", "mean"}) {
    BertForSequenceClassification m(tiny("gelu", 2, pooling));
    randomise(m, 3);
    m->eval();
    torch::NoGradGuard g;
    auto short_ids = torch::tensor({{2, 7, 9, 3}}, torch::kLong);
    auto padded = torch::tensor({{2, 7, 9, 3, 0, 0, 0}}, torch::kLong);
    auto a = m->forward(short_ids, torch::ones_like(short_ids));
    auto b = m->forward(padded, (padded != 0).to(torch::kLong));
    EXPECT_TRUE(torch::allclose(a, b, 1e-5, 1e-5)) << pooling;
  }
}

TEST(Bert, MeanPoolingReadsEveryTokenAndTravelsInConfigJson) {
  // With cls pooling a post's logits depend on its later tokens only through attention;
  // with mean pooling the pooler reads their hidden states directly, so the two differ.
  BertForSequenceClassification cls(tiny("gelu", 2, "cls")), mean(tiny("gelu", 2, "mean"));
  randomise(cls, 9);
  randomise(mean, 9);
  cls->eval();
  mean->eval();
  torch::NoGradGuard g;
  auto [ids, mask] = inputs();
  EXPECT_FALSE(torch::allclose(cls->forward(ids, mask), mean->forward(ids, mask), 1e-3, 1e-3));
  auto dir = temp_dir("pooling");
  save_hf_checkpoint(mean, dir);
  EXPECT_EQ(read_hf_config(dir).classifier_pooling, "mean");
  nlohmann::json bad = nlohmann::json::parse(slurp(dir / "config.json"));
  bad["classifier_pooling"] = "max";
  std::ofstream(dir / "config.json") << bad.dump();
  try {
    read_hf_config(dir);
    FAIL() << "classifier_pooling max was accepted";
  } catch (const mh::io::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("classifier_pooling must be cls or mean, got 'max'"), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}

TEST(Bert, CheckpointRoundTripAndKeepingTheFirstLayers) {
  BertForSequenceClassification m(tiny("gelu", 2));
  randomise(m, 5);
  m->eval();
  auto dir = temp_dir("roundtrip");
  save_hf_checkpoint(m, dir);
  EXPECT_EQ(read_hf_config(dir).num_hidden_layers, 2);

  BertForSequenceClassification same(read_hf_config(dir));
  auto report = load_hf_weights(same, dir);
  EXPECT_TRUE(report.missing.empty());
  EXPECT_TRUE(report.unused.empty());
  same->eval();
  auto [ids, mask] = inputs();
  torch::NoGradGuard g;
  EXPECT_TRUE(torch::equal(m->forward(ids, mask), same->forward(ids, mask)));

  auto one = tiny("gelu", 1);
  BertForSequenceClassification first(one);
  report = load_hf_weights(first, dir);
  EXPECT_TRUE(report.missing.empty());
  EXPECT_EQ(report.unused.size(), 16u);  // every parameter of layer 1
  EXPECT_TRUE(torch::equal(first->bert->encoder->layer[0]->as<BertLayer>()->output->dense->weight,
                           m->bert->encoder->layer[0]->as<BertLayer>()->output->dense->weight));
  fs::remove_all(dir);
}

TEST(Bert, ShapeMismatchNamesTheTensor) {
  BertForSequenceClassification m(tiny());
  auto dir = temp_dir("mismatch");
  save_hf_checkpoint(m, dir);
  auto other = tiny();
  other.vocab_size = 60;
  BertForSequenceClassification wrong(other);
  try {
    load_hf_weights(wrong, dir);
    FAIL();
  } catch (const mh::io::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("tensor 'bert.embeddings.word_embeddings.weight' has shape [50, 32] but the "
                                         "model expects [60, 32]"),
              std::string::npos)
        << e.what();
  }
  fs::remove_all(dir);
}

TEST(Safetensors, TruncatedAndInconsistentFilesAreClearErrors) {
  auto dir = temp_dir("safetensors");
  std::vector<float> a(6, 1.5f);
  std::vector<int64_t> b{1, 2};
  mh::io::write_safetensors(dir / "ok.safetensors",
                            {{"a", "F32", {2, 3}, a.data(), 24}, {"b", "I64", {2}, b.data(), 16}}, {{"k", "v"}});
  mh::io::SafetensorsFile ok(dir / "ok.safetensors");
  EXPECT_EQ(ok.at("a").shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(reinterpret_cast<const float*>(ok.at("a").data)[5], 1.5f);
  EXPECT_EQ(reinterpret_cast<const int64_t*>(ok.at("b").data)[1], 2);
  EXPECT_EQ(ok.metadata().at("k"), "v");

  auto message = [&](const std::string& bytes) {
    std::ofstream(dir / "bad.safetensors", std::ios::binary) << bytes;
    try {
      mh::io::SafetensorsFile f(dir / "bad.safetensors");
    } catch (const mh::io::InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  std::string full = slurp(dir / "ok.safetensors");
  EXPECT_NE(message(full.substr(0, 5)).find("truncated"), std::string::npos);
  EXPECT_NE(message(full.substr(0, full.size() - 4)).find("lie outside"), std::string::npos);
  EXPECT_NE(message(full + "xxxx").find("bytes after the last tensor"), std::string::npos);

  auto with_header = [](const std::string& json, size_t data_bytes) {
    std::string out(8, '\0');
    uint64_t n = json.size();
    for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xff);
    return out + json + std::string(data_bytes, '\0');
  };
  EXPECT_NE(message(with_header(R"({"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}})", 20))
                .find("holds 20 bytes but dtype F32 and shape need 24"),
            std::string::npos);
  EXPECT_NE(message(with_header(R"({"a":{"dtype":"Q8","shape":[1],"data_offsets":[0,1]}})", 1)).find("unknown dtype"),
            std::string::npos);
  EXPECT_NE(message(with_header(R"({"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}})", 3))
                .find("overlap"),
            std::string::npos);
  EXPECT_NE(message(with_header("{not json", 0)).find("not valid JSON"), std::string::npos);
  fs::remove_all(dir);
}
