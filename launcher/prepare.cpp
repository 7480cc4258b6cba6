// `3mhealth prepare` and `3mhealth inspect`: the data stage of a run directory.
#include <iostream>

#include "io/prepare.h"
#include "launcher/ini.h"
#include "launcher/cli.h"
#include "launcher/prepare_options.h"
#include "launcher/subcommands.h"

namespace mh::launcher {
namespace {

void one_of(const std::string& option, const std::string& value, const std::vector<std::string>& allowed) {
  for (const auto& a : allowed)
    if (a == value) return;
  throw UsageError("--" + option + ": '" + value + "' is not one of the accepted values");
}

}  // namespace

void add_prepare_options(po::options_description& d) {
  d.add_options()
      ("dataset", po::value<std::string>()->required(), "sdcnl, idendep, deptweet, twitsuicide, csv or jsonl")
      ("input", po::value<std::string>()->required(), "the dataset's file, or the folder holding its files")
      ("vocab", po::value<std::string>(), "a Hugging Face vocab.txt (default: build one from the training split)")
      ("vocab-size", po::value<size_t>()->default_value(16000), "size of a built vocabulary")
      ("vocab-corpus", po::value<std::vector<std::string>>()->composing(),
       "build the vocabulary from these unlabeled posts (one per line; repeatable) instead of the training split: "
       "every dataset prepared with the same files gets the same vocabulary, so one pretrain checkpoint serves them all")
      ("transfer-corpus", po::value<std::vector<std::string>>()->composing(),
       "unlabeled posts (one per line; repeatable) added as the student's transfer set (split 3): distill trains "
       "the student to match its teachers on them too; posts repeating a labeled post's text are dropped")
      ("transfer-posts", po::value<int64_t>()->default_value(0),
       "draw this many posts of the --transfer-corpus files (seeded by --seed); 0: all")
      ("max-length", po::value<int>()->default_value(128), "tokens per post, with [CLS] and [SEP]")
      ("tail-pieces", po::value<int>()->default_value(0),
       "of a post longer than --max-length, keep its last N pieces with the first ones (head+tail truncation); "
       "0: the first pieces only")
      ("val-fraction", po::value<double>()->default_value(0.1, "0.1"),
       "validation share: of all posts, or of the official training set when the dataset has a test split")
      ("test-fraction", po::value<double>()->default_value(0.1, "0.1"), "test share of all posts (datasets without a test split)")
      ("dedupe", "remove posts whose exact text is already in an earlier split (train < validation < test)")
      ("no-lowercase", "keep case and accents (a cased vocabulary)")
      ("no-urls", "keep URLs instead of _URL_")
      ("no-emails", "keep e-mail addresses instead of _EMAIL_")
      ("no-handles", "keep @handles instead of _USER_")
      ("no-emoticons", "keep emoticons as text instead of markers such as _SMILE_")
      ("no-emoji", "do not set emoji apart as words")
      ("on-bad-row", po::value<std::string>()->default_value("error"), "error: stop at the first bad row; skip: skip and count it")
      ("invalid-utf8", po::value<std::string>()->default_value("error"), "error, or replace invalid bytes by U+FFFD")
      ("text-col", po::value<std::string>()->default_value("text"), "csv/jsonl/twitsuicide: text column")
      ("label-col", po::value<std::string>()->default_value("label"), "csv/jsonl/twitsuicide: label column")
      ("id-col", po::value<std::string>(), "csv/jsonl/twitsuicide: id column (default: row number)")
      ("labels", po::value<std::string>(), "comma-separated label set in order (default: inferred, sorted)")
      ("text-file", po::value<std::string>(), "deptweet: CSV with tweet_id,text from the DEPTWEET authors");
}

io::PrepareConfig read_prepare_config(const po::variables_map& vm, const std::filesystem::path& run_dir) {
  io::PrepareConfig c;
  c.dataset = vm["dataset"].as<std::string>();
  one_of("dataset", c.dataset, io::dataset_kinds());
  c.input = vm["input"].as<std::string>();
  c.run_dir = run_dir;
  if (vm.count("vocab")) c.vocab = vm["vocab"].as<std::string>();
  c.vocab_size = vm["vocab-size"].as<size_t>();
  if (vm.count("vocab-corpus"))
    for (const auto& f : vm["vocab-corpus"].as<std::vector<std::string>>()) c.vocab_corpus.push_back(f);
  if (!c.vocab.empty() && !c.vocab_corpus.empty()) throw UsageError("--vocab and --vocab-corpus: give one of them");
  if (vm.count("transfer-corpus"))
    for (const auto& f : vm["transfer-corpus"].as<std::vector<std::string>>()) c.transfer_corpus.push_back(f);
  c.transfer_posts = vm["transfer-posts"].as<int64_t>();
  c.max_length = vm["max-length"].as<int>();
  c.tail_pieces = vm["tail-pieces"].as<int>();
  c.lowercase = !vm.count("no-lowercase");
  c.dedupe = vm.count("dedupe") > 0;
  c.force = vm.count("force") > 0;
  c.splits.seed = vm["seed"].as<uint64_t>();
  c.splits.val_fraction = vm["val-fraction"].as<double>();
  c.splits.test_fraction = vm["test-fraction"].as<double>();
  c.preprocess.urls = !vm.count("no-urls");
  c.preprocess.emails = !vm.count("no-emails");
  c.preprocess.handles = !vm.count("no-handles");
  c.preprocess.emoticons = !vm.count("no-emoticons");
  c.preprocess.emoji = !vm.count("no-emoji");
  auto bad_row = vm["on-bad-row"].as<std::string>();
  one_of("on-bad-row", bad_row, {"error", "skip"});
  c.read.skip_bad_rows = bad_row == "skip";
  auto utf8 = vm["invalid-utf8"].as<std::string>();
  one_of("invalid-utf8", utf8, {"error", "replace"});
  c.read.replace_invalid_utf8 = utf8 == "replace";
  c.read.text_col = vm["text-col"].as<std::string>();
  c.read.label_col = vm["label-col"].as<std::string>();
  if (vm.count("id-col")) c.read.id_col = vm["id-col"].as<std::string>();
  if (vm.count("labels")) c.read.labels = split_list(vm["labels"].as<std::string>());
  if (vm.count("text-file")) c.read.text_file = vm["text-file"].as<std::string>();
  if (c.vocab_size < 100) throw UsageError("--vocab-size must be at least 100");
  return c;
}

namespace {

int run_prepare(const po::variables_map& vm) {
  auto result = io::prepare(read_prepare_config(vm, vm["out"].as<std::string>()));
  std::cout << result.summary.dump(2) << "\n";
  return 0;
}

}  // namespace

Subcommand prepare_subcommand() {
  Subcommand s;
  s.name = "prepare";
  s.summary = "read a dataset, split it and tokenize it into RUN_DIR/data.h5 + vocab.txt";
  s.usage = "3mhealth prepare --dataset sdcnl|idendep|deptweet|twitsuicide|csv|jsonl --input PATH --out RUN_DIR [options]";
  s.needs_mpi = false;
  s.options = [](po::options_description& d) {
    d.add_options()
      ("out", po::value<std::string>()->required(), "run directory to write")
      ("seed", po::value<uint64_t>()->default_value(0), "seed of the stratified split")
      ("force", "run even when manifest.json says this configuration is done");
    add_prepare_options(d);
  };
  s.run = [](const po::variables_map& vm, const dist::Process*) { return run_prepare(vm); };
  return s;
}

Subcommand inspect_subcommand() {
  Subcommand s;
  s.name = "inspect";
  s.summary = "counts per label and split, length quantiles, truncation and duplicates of RUN_DIR";
  s.usage = "3mhealth inspect RUN_DIR";
  s.needs_mpi = false;
  s.options = [](po::options_description& d) {
    d.add_options()("run-dir", po::value<std::string>()->required(), "run directory written by prepare");
  };
  s.positional = [](po::positional_options_description& p) { p.add("run-dir", 1); };
  s.run = [](const po::variables_map& vm, const dist::Process*) {
    io::inspect(vm["run-dir"].as<std::string>(), std::cout);
    return 0;
  };
  return s;
}

}  // namespace mh::launcher
