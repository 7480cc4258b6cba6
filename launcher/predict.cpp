// `3mhealth predict --model DIR`: classifies new posts with a saved teacher or
// student (config.json, model.safetensors, vocab.txt, inputs.json), applying
// the preprocessing and tokenization the model was trained with, or with an
// ensemble teacher (DIR holds member-<k>/model: the mean probability of its
// members, as its soft targets). Reads one post per line, or a CSV; prints
// label and probabilities as TSV. Post text is never echoed.
#include <torch/torch.h>

#include <fstream>
#include <iostream>

#include "io/csv_reader.h"
#include "io/sha256.h"
#include "io/text_preprocess.h"
#include "io/utf8.h"
#include "io/wordpiece_tokenizer.h"
#include "launcher/subcommands.h"
#include "nn/bert.h"

namespace mh::launcher {
namespace {

nlohmann::json read_inputs(const std::filesystem::path& dir) {
  std::ifstream in(dir / "inputs.json");
  if (!in)
    throw io::InputError((dir / "inputs.json").string() +
                         ": missing; expected a model directory written by teacher or distill, or an ensemble "
                         "teacher's directory (teachers/text with member-<k>/model)");
  return nlohmann::json::parse(in);
}

// The model directories behind --model: itself, or the members of an ensemble teacher.
std::vector<std::filesystem::path> model_dirs(const std::filesystem::path& dir) {
  if (std::filesystem::exists(dir / "inputs.json") || !std::filesystem::exists(dir / "member-0" / "model")) return {dir};
  std::vector<std::filesystem::path> dirs;
  for (int k = 0; std::filesystem::exists(dir / ("member-" + std::to_string(k)) / "model"); ++k)
    dirs.push_back(dir / ("member-" + std::to_string(k)) / "model");
  return dirs;
}

int run_predict(const po::variables_map& vm) {
  const auto dirs = model_dirs(vm["model"].as<std::string>());
  const std::filesystem::path& dir = dirs.front();
  auto inputs = read_inputs(dir);
  const auto vocab_sha = dirs.size() > 1 ? io::sha256_file(dir / "vocab.txt") : std::string();
  for (size_t k = 1; k < dirs.size(); ++k)
    if (const auto& d = dirs[k]; read_inputs(d) != inputs || io::sha256_file(d / "vocab.txt") != vocab_sha)
      throw io::InputError(d.string() + ": its inputs.json or vocab.txt differs from " + dir.string() +
                           "'s; the members of one ensemble read posts the same way");
  const auto labels = inputs.at("label_names").get<std::vector<std::string>>();
  const int64_t max_length = inputs.at("max_length").get<int64_t>();
  const int64_t tail_pieces = inputs.value("tail_pieces", int64_t{0});
  const auto pre = io::preprocess_options_from_json(inputs.at("preprocess"));

  auto vocab = io::Vocab::load(dir / "vocab.txt");
  io::TokenizerOptions topt;
  topt.lowercase = inputs.value("lowercase", true);
  io::WordPieceTokenizer tokenizer(vocab, io::never_split_tokens(pre), topt);

  std::vector<nn::BertForSequenceClassification> models;
  for (const auto& d : dirs) {
    nn::BertForSequenceClassification model(nn::read_hf_config(d));
    auto report = nn::load_hf_weights(model, d);
    if (!report.missing.empty())
      throw io::InputError((d / "model.safetensors").string() + ": lacks " + report.missing.front() + " (and " +
                           std::to_string(report.missing.size() - 1) + " more)");
    model->eval();
    models.push_back(model);
  }
  if (dirs.size() > 1) std::cerr << "predict: the mean probability of " << dirs.size() << " ensemble members\n";

  // The posts: lines of a file or stdin, or a CSV column.
  std::vector<std::string> ids, texts;
  const std::string input = vm["input"].as<std::string>();
  if (vm["format"].as<std::string>() == "csv") {
    if (input == "-") throw UsageError("--format csv needs --input FILE");
    io::CsvReader csv(input);
    size_t tc = csv.column(vm["text-col"].as<std::string>());
    std::optional<size_t> ic;
    if (vm.count("id-col")) ic = csv.column(vm["id-col"].as<std::string>());
    io::CsvRecord rec;
    while (csv.next(rec)) {
      if (rec.fields.size() != csv.header().size())
        throw io::InputError(csv.where_line(rec.line) + ": expected " + std::to_string(csv.header().size()) + " fields");
      texts.push_back(rec.fields[tc]);
      ids.push_back(ic ? rec.fields[*ic] : std::to_string(texts.size()));
    }
  } else {
    std::ifstream file;
    if (input != "-") {
      file.open(input);
      if (!file) throw io::InputError(input + ": cannot open");
    }
    std::istream& in = input == "-" ? std::cin : file;
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      texts.push_back(line);
      ids.push_back(std::to_string(texts.size()));
    }
  }

  std::cout << "id\tlabel";
  for (const auto& l : labels) std::cout << "\tp_" << l;
  std::cout << "\n";
  torch::NoGradGuard no_grad;
  const int64_t batch = vm["batch-size"].as<int64_t>();
  for (size_t start = 0; start < texts.size(); start += batch) {
    size_t end = std::min(texts.size(), start + batch);
    std::vector<std::vector<int32_t>> enc;
    int64_t T = 2;
    for (size_t i = start; i < end; ++i) {
      std::string text = io::utf8::replace_invalid(texts[i]);
      auto pieces = io::fit_pieces(tokenizer.encode(io::preprocess(text, pre)), max_length - 2, tail_pieces);
      pieces.insert(pieces.begin(), vocab.cls_id());
      pieces.push_back(vocab.sep_id());
      T = std::max<int64_t>(T, static_cast<int64_t>(pieces.size()));
      enc.push_back(std::move(pieces));
    }
    auto ids_t = torch::zeros({static_cast<int64_t>(enc.size()), T}, torch::kLong);
    auto mask = torch::zeros_like(ids_t);
    auto* pi = ids_t.data_ptr<int64_t>();
    auto* pm = mask.data_ptr<int64_t>();
    for (size_t b = 0; b < enc.size(); ++b)
      for (size_t t = 0; t < enc[b].size(); ++t) pi[b * T + t] = enc[b][t], pm[b * T + t] = 1;
    auto probs = torch::zeros({ids_t.size(0), static_cast<int64_t>(labels.size())});
    for (auto& model : models) probs += torch::softmax(model->forward(ids_t, mask), 1);
    probs /= static_cast<double>(models.size());
    for (size_t b = 0; b < enc.size(); ++b) {
      std::cout << ids[start + b] << "\t" << labels.at(probs[b].argmax().item<int64_t>());
      for (size_t c = 0; c < labels.size(); ++c) std::cout << "\t" << probs[b][c].item<float>();
      std::cout << "\n";
    }
  }
  return 0;
}

}  // namespace

Subcommand predict_subcommand() {
  Subcommand s;
  s.name = "predict";
  s.summary = "classify new posts with a trained teacher or student";
  s.usage = "3mhealth predict --model RUN_DIR/student/<combo>/model [--input posts.txt|-] [--format lines|csv]";
  s.needs_mpi = false;
  s.options = [](po::options_description& d) {
    d.add_options()("model", po::value<std::string>()->required(),
                 "model directory written by teacher or distill, or an ensemble teacher's directory (teachers/text "
                 "with member-<k>/model: their mean probability)")(
        "input", po::value<std::string>()->default_value("-"), "posts: a file, or - for standard input")(
        "format", po::value<std::string>()->default_value("lines"), "lines (one post per line) or csv")(
        "text-col", po::value<std::string>()->default_value("text"), "csv: the text column")(
        "id-col", po::value<std::string>(), "csv: an id column to print (default: row number)")(
        "batch-size", po::value<int64_t>()->default_value(64), "posts per forward pass");
  };
  s.run = [](const po::variables_map& vm, const dist::Process*) {
    auto f = vm["format"].as<std::string>();
    if (f != "lines" && f != "csv") throw UsageError("--format: expected lines or csv");
    return run_predict(vm);
  };
  return s;
}

}  // namespace mh::launcher
