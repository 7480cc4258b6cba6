#include "io/prepare.h"

#include <algorithm>
#include <chrono>
#include <iomanip>
#include <numeric>
#include <ostream>
#include <random>
#include <unordered_map>
#include <unordered_set>

#include "io/corpus.h"
#include "io/hdf5_store.h"
#include "io/run_manifest.h"
#include "io/sha256.h"
#include "io/vocab_builder.h"
#include "io/wordpiece_tokenizer.h"
#include "log/log.h"

namespace mh::io {
namespace fs = std::filesystem;

namespace {

nlohmann::json config_json(const PrepareConfig& c) {
  // Inputs enter the hash by content, so an edited file makes the stage run again.
  nlohmann::json inputs = nlohmann::json::object();
  auto add_input = [&](const fs::path& p) {
    if (p.empty()) return;
    if (fs::is_directory(p)) {
      std::vector<fs::path> files;
      for (auto& e : fs::directory_iterator(p))
        if (e.is_regular_file() && e.path().extension() == ".csv") files.push_back(e.path());
      std::sort(files.begin(), files.end());
      for (auto& f : files) inputs[f.string()] = sha256_file(f);
    } else if (fs::exists(p)) {
      inputs[p.string()] = sha256_file(p);
    }
  };
  add_input(c.input);
  add_input(c.vocab);
  add_input(c.read.text_file);
  for (const auto& f : c.vocab_corpus) {
    if (!fs::exists(f)) throw InputError(f.string() + ": no such corpus file (--vocab-corpus)");
    add_input(f);
  }
  for (const auto& f : c.transfer_corpus) {
    if (!fs::exists(f)) throw InputError(f.string() + ": no such corpus file (--transfer-corpus)");
    add_input(f);
  }
  nlohmann::json config = {{"dataset", c.dataset},
          {"inputs", inputs},
          {"vocab", !c.vocab.empty() ? c.vocab.string() : c.vocab_corpus.empty() ? "built" : "built from corpus"},
          {"vocab_size", c.vocab_size},
          {"max_length", c.max_length},
          {"lowercase", c.lowercase},
          {"dedupe", c.dedupe},
          {"seed", c.splits.seed},
          {"val_fraction", c.splits.val_fraction},
          {"test_fraction", c.splits.test_fraction},
          {"preprocess", to_json(c.preprocess)},
          {"on_bad_row", c.read.skip_bad_rows ? "skip" : "error"},
          {"invalid_utf8", c.read.replace_invalid_utf8 ? "replace" : "error"},
          {"text_col", c.read.text_col}, {"label_col", c.read.label_col}, {"id_col", c.read.id_col},
          {"labels", c.read.labels}};
  // Only when set, so that the runs prepared before the option keep their hash.
  if (c.tail_pieces) config["tail_pieces"] = c.tail_pieces;
  if (!c.transfer_corpus.empty()) {
    std::vector<std::string> files;
    for (const auto& f : c.transfer_corpus) files.push_back(f.string());
    config["transfer_corpus"] = files;
    config["transfer_posts"] = c.transfer_posts;
  }
  return config;
}

// The transfer set: the corpus posts, preprocessed as the dataset's, without any
// whose text repeats a labeled post's or an earlier transfer post's, then (with
// transfer_posts) a seeded draw of that many, kept in file order. Ids name the
// file's folder and the post's number in it ("cams_reddit/posts.txt:17").
std::vector<Post> read_transfer_posts(const PrepareConfig& c, const std::vector<Post>& labeled, int64_t& repeats,
                                      int64_t& available) {
  std::unordered_set<std::string> seen;
  for (const auto& p : labeled) seen.insert(p.text);
  std::vector<Post> out;
  for (const auto& f : c.transfer_corpus) {
    const std::string name = (f.parent_path().filename() / f.filename()).string();
    int64_t number = 0;
    read_corpus(f, 0, [&](std::string&& text) {
      ++number;
      Post p;
      p.text = preprocess(text, c.preprocess);
      if (p.text.empty() || !seen.insert(p.text).second) {
        ++repeats;
        return;
      }
      p.id = name + ":" + std::to_string(number);
      out.push_back(std::move(p));
    });
  }
  available = static_cast<int64_t>(out.size());
  if (c.transfer_posts > 0 && available > c.transfer_posts) {
    std::vector<size_t> order(out.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::mt19937_64 rng(c.splits.seed + 0x7472616e73ULL);  // its own stream: the splits' draws stay as they were
    std::shuffle(order.begin(), order.end(), rng);
    order.resize(static_cast<size_t>(c.transfer_posts));
    std::sort(order.begin(), order.end());
    std::vector<Post> drawn;
    for (size_t i : order) drawn.push_back(std::move(out[i]));
    out = std::move(drawn);
  }
  return out;
}

int32_t count_words(const std::string& s) {
  int32_t n = 0;
  bool in = false;
  for (char c : s) {
    bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (!space && !in) ++n;
    in = !space;
  }
  return n;
}

}  // namespace

PrepareResult prepare(const PrepareConfig& c) {
  if (c.max_length < 3) throw std::invalid_argument("--max-length must be at least 3 ([CLS], one piece, [SEP])");
  if (c.tail_pieces < 0 || c.tail_pieces > c.max_length - 3)
    throw std::invalid_argument("--tail-pieces must be between 0 and --max-length - 3 (" + std::to_string(c.max_length - 3) +
                                "): a truncated post keeps at least its first piece");
  if (c.transfer_posts < 0) throw std::invalid_argument("--transfer-posts must be at least 0 (0: every post of the files)");
  auto start = std::chrono::steady_clock::now();
  fs::create_directories(c.run_dir);
  RunManifest manifest(c.run_dir);
  nlohmann::json config = config_json(c);
  std::string hash = RunManifest::hash(config);
  if (manifest.up_to_date("prepare", hash, c.force, "prepare: " + (c.run_dir / "data.h5").string(), true)) {
    return {true, manifest.stage("prepare")->at("summary")};
  }

  Dataset ds = read_dataset(c.dataset, c.input, c.read);
  if (ds.posts.empty()) throw InputError(c.input.string() + ": no usable posts");
  for (auto& p : ds.posts) p.text = preprocess(p.text, c.preprocess);

  auto split = assign_splits(ds.posts, static_cast<int32_t>(ds.label_names.size()), c.splits);
  std::vector<size_t> keep(ds.posts.size());
  for (size_t i = 0; i < keep.size(); ++i) keep[i] = i;
  DuplicateReport dups = find_duplicates(ds.posts, split, c.dedupe, keep);
  int64_t transfer_repeats = 0, transfer_available = 0, transfer_count = 0;
  if (!c.transfer_corpus.empty()) {
    auto transfer = read_transfer_posts(c, ds.posts, transfer_repeats, transfer_available);
    transfer_count = static_cast<int64_t>(transfer.size());
    for (auto& p : transfer) {
      keep.push_back(ds.posts.size());
      split.push_back(kTransfer);
      ds.posts.push_back(std::move(p));
    }
    log::info("prepare: transfer set: ", transfer_count, " unlabeled posts of ", transfer_available, " (",
              transfer_repeats, " more dropped: they repeat a labeled or an earlier post)");
  }

  // Vocabulary: markers are added tokens, so they stay whole.
  std::vector<std::string> added = marker_tokens(c.preprocess);
  const auto& special = Vocab::special_tokens();
  Vocab vocab;
  if (!c.vocab.empty()) {
    vocab = Vocab::load(c.vocab);
    for (const auto& s : special)
      if (!vocab.contains(s)) throw InputError(c.vocab.string() + ": no " + s + " token");
    for (const auto& a : added) vocab.add(a);
  } else {
    Vocab bootstrap(special);
    for (const auto& a : added) bootstrap.add(a);
    TokenizerOptions topt;
    topt.lowercase = c.lowercase;
    WordPieceTokenizer splitter(bootstrap, added, topt);
    std::unordered_map<std::string, int64_t> counts;
    auto count = [&](const std::string& text) {
      splitter.words(text, [&](std::string_view w, bool is_added) {
        if (!is_added) ++counts[std::string(w)];
      });
    };
    if (c.vocab_corpus.empty()) {
      for (size_t i : keep)
        if (split[i] == kTrain) count(ds.posts[i].text);
    } else {
      for (const auto& f : c.vocab_corpus) {
        int64_t posts = read_corpus(f, 0, [&](std::string&& post) { count(preprocess(post, c.preprocess)); });
        log::info("prepare: vocabulary from ", f.string(), " (", posts, " posts)");
      }
    }
    VocabBuildOptions vopt;
    vopt.vocab_size = c.vocab_size;
    vopt.added = added;
    vocab = Vocab(build_wordpiece_vocab(counts, vopt));
  }
  TokenizerOptions topt;
  topt.lowercase = c.lowercase;
  WordPieceTokenizer tokenizer(vocab, never_split_tokens(c.preprocess), topt);

  const int64_t n = static_cast<int64_t>(keep.size()), T = c.max_length;
  std::vector<int32_t> ids(n * T, vocab.pad_id()), length(n), label(n), words(n), tokens(n);
  std::vector<uint8_t> splits(n);
  std::vector<std::string> post_ids(n), texts(n);
  int64_t truncated = 0, unk = 0, pieces = 0;
  const int32_t unk_id = vocab.unk_id();
  for (int64_t r = 0; r < n; ++r) {
    const Post& p = ds.posts[keep[r]];
    auto enc = tokenizer.encode(p.text);
    const auto all = static_cast<int64_t>(enc.size());
    pieces += all;
    unk += std::count(enc.begin(), enc.end(), unk_id);
    truncated += all > T - 2;
    enc = fit_pieces(std::move(enc), T - 2, c.tail_pieces);
    const auto used = static_cast<int64_t>(enc.size());
    int32_t* row = ids.data() + r * T;
    row[0] = vocab.cls_id();
    std::copy(enc.begin(), enc.end(), row + 1);
    row[used + 1] = vocab.sep_id();
    length[r] = static_cast<int32_t>(used + 2);
    tokens[r] = static_cast<int32_t>(all + 2);
    words[r] = count_words(p.text);
    label[r] = p.label;
    splits[r] = split[keep[r]];
    post_ids[r] = p.id;
    texts[r] = p.text;
  }

  vocab.save(c.run_dir / "vocab.txt");
  H5Writer w(c.run_dir / "data.h5");
  const uint64_t un = static_cast<uint64_t>(n);
  w.write("ids", ids, {un, static_cast<uint64_t>(T)});
  w.write("length", length, {un});
  w.write("label", label, {un});
  w.write("split", splits, {un});
  w.write_strings("post_id", post_ids);
  w.write_strings("text", texts);
  w.write("word_count", words, {un});
  w.write("token_count", tokens, {un});
  w.set_attr("/", "label_names", ds.label_names);
  w.set_attr("/", "dataset", ds.name);
  w.set_attr("/", "vocab_sha256", vocab.sha256());
  w.set_attr("/", "max_length", static_cast<int64_t>(T));
  w.set_attr("/", "tail_pieces", static_cast<int64_t>(c.tail_pieces));
  w.set_attr("/", "seed", static_cast<int64_t>(c.splits.seed));
  w.set_attr("/", "lowercase", static_cast<int64_t>(c.lowercase));
  w.commit();

  nlohmann::json per_split = nlohmann::json::object();
  for (int64_t r = 0; r < n; ++r) {
    auto& cell = per_split[split_name(splits[r])][label[r] < 0 ? "unlabeled" : ds.label_names[label[r]]];
    cell = cell.is_null() ? 1 : cell.get<int64_t>() + 1;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  nlohmann::json summary = {
      {"dataset", ds.name},
      {"rows_read", ds.summary.rows},
      {"posts", n},
      {"skipped_rows", ds.summary.skipped},
      {"adjusted_rows", ds.summary.adjusted},
      {"notes", ds.summary.notes},
      {"duplicates", {{"groups_within_a_split", dups.groups_within},
                      {"posts_duplicating_an_earlier_split", dups.across},
                      {"removed", c.dedupe ? dups.across : 0}}},
      {"per_split", per_split},
      {"transfer", {{"posts", transfer_count}, {"available", transfer_available}, {"dropped_repeats", transfer_repeats}}},
      {"vocab_size", vocab.size()},
      {"unk_rate", pieces ? static_cast<double>(unk) / pieces : 0.0},
      {"truncated", truncated},
      {"seconds", seconds}};
  manifest.record("prepare", hash, config, {{"data", "data.h5"}, {"vocab", "vocab.txt"}}, summary);

  log::info("prepare: ", ds.name, ": ", n, " posts (", ds.summary.rows, " rows read) -> ",
            (c.run_dir / "data.h5").string(), " in ", std::fixed, std::setprecision(2), seconds, " s");
  for (const auto& [why, count] : ds.summary.skipped) log::warn("prepare: skipped ", count, " rows: ", why);
  for (const auto& [what, count] : ds.summary.adjusted) log::info("prepare: ", count, " rows: ", what);
  for (const auto& note : ds.summary.notes) log::info("prepare: ", note);
  if (dups.across)
    log::warn("prepare: ", dups.across, " posts repeat the exact text of a post in an earlier split",
              c.dedupe ? " (removed)" : " (kept; --dedupe removes them)");
  return {false, summary};
}

namespace {
double quantile(std::vector<int32_t> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  double pos = q * (v.size() - 1);
  size_t lo = static_cast<size_t>(pos);
  size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - lo) * (v[hi] - v[lo]);
}
}  // namespace

void inspect(const fs::path& run_dir, std::ostream& out) {
  H5Reader r(run_dir / "data.h5");
  auto labels = r.attr_strings("/", "label_names");
  auto label = r.read<int32_t>("label");
  auto split = r.read<uint8_t>("split");
  auto words = r.read<int32_t>("word_count");
  auto tokens = r.read<int32_t>("token_count");
  int64_t T = r.attr_int("/", "max_length");
  out << "run " << run_dir.string() << ": dataset " << r.attr_string("/", "dataset") << ", " << label.size()
      << " posts, max length " << T << ", vocab sha256 " << r.attr_string("/", "vocab_sha256").substr(0, 12) << "\n\n";

  out << std::left << std::setw(22) << "label";
  for (int s = 0; s < 3; ++s) out << std::right << std::setw(12) << split_name(s);
  out << std::setw(12) << "total" << "\n";
  const auto transfer = std::count(split.begin(), split.end(), uint8_t(kTransfer));
  for (size_t l = 0; l <= labels.size(); ++l) {
    out << std::left << std::setw(22) << (l < labels.size() ? labels[l] : "all");
    int64_t total = 0;
    for (int s = 0; s < 3; ++s) {
      int64_t c = 0;
      for (size_t i = 0; i < label.size(); ++i) c += split[i] == s && (l == labels.size() || label[i] == int32_t(l));
      total += c;
      out << std::right << std::setw(12) << c;
    }
    out << std::setw(12) << total << "\n";
  }
  if (transfer) {
    out << "transfer set (unlabeled, for the student): " << transfer << " posts\n";
    // The lengths below describe the dataset's posts, which come first.
    words.resize(words.size() - transfer);
    tokens.resize(tokens.size() - transfer);
  }

  out << "\nlength quantiles     min      25%      50%      75%      90%      99%      max\n";
  for (auto [name, v] : {std::pair{"words", &words}, {"tokens", &tokens}}) {
    out << std::left << std::setw(17) << name << std::right << std::fixed << std::setprecision(0);
    for (double q : {0.0, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0}) out << std::setw(9) << quantile(*v, q);
    out << "\n";
  }
  int64_t cut = std::count_if(tokens.begin(), tokens.end(), [&](int32_t t) { return t > T; });
  out << std::setprecision(1) << "\ntruncated at max length " << T << ": " << cut << " posts ("
      << (tokens.empty() ? 0.0 : 100.0 * cut / tokens.size()) << "%)\n";

  RunManifest manifest(run_dir);
  if (const auto* s = manifest.stage("prepare")) {
    const auto& sum = s->at("summary");
    const auto& d = sum.at("duplicates");
    out << "duplicates: " << d.value("groups_within_a_split", 0) << " repeated texts within a split, "
        << d.value("posts_duplicating_an_earlier_split", 0) << " posts repeating an earlier split ("
        << d.value("removed", 0) << " removed)\n";
    for (const auto& [why, n] : sum.at("skipped_rows").items()) out << "skipped rows: " << n << " " << why << "\n";
    for (const auto& [what, n] : sum.at("adjusted_rows").items()) out << "adjusted rows: " << n << " " << what << "\n";
    for (const auto& note : sum.at("notes")) out << "note: " << note.get<std::string>() << "\n";
    out << std::setprecision(3) << "unknown-piece rate: " << sum.value("unk_rate", 0.0) * 100 << "%\n";
  }
}

}  // namespace mh::io
