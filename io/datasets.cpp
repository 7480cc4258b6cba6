#include "io/datasets.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "io/utf8.h"

namespace mh::io {
namespace {

namespace fs = std::filesystem;

// A problem confined to one row: fatal, or skipped and counted.
struct RowError {
  std::string reason;  // short, for the summary ("unknown label")
  std::string detail;  // for the error message
};

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "'" : ", '") + s + "'";
  return out;
}

fs::path file_in(const fs::path& input, const std::string& name) {
  if (fs::is_directory(input)) return input / name;
  return input;
}

class Builder {
 public:
  Builder(std::string name, std::vector<std::string> labels, const ReadOptions& o) : o_(o) {
    ds_.name = std::move(name);
    set_labels(std::move(labels));
  }
  void set_labels(std::vector<std::string> labels) {
    ds_.label_names = std::move(labels);
    index_.clear();
    for (size_t i = 0; i < ds_.label_names.size(); ++i) index_[ds_.label_names[i]] = static_cast<int32_t>(i);
  }

  int32_t label(const std::string& name, const std::string& column) const {
    auto it = index_.find(name);
    if (it == index_.end())
      throw RowError{"unknown label", "unknown label '" + name + "' in column '" + column + "'; expected one of " +
                                          join(ds_.label_names)};
    return it->second;
  }

  // Checks a text field's UTF-8 (the record-level flag says whether any byte
  // of the row is invalid) and emptiness; returns the text to keep.
  std::string text(std::string value, const CsvRecord& rec, const CsvReader& csv) {
    if (rec.invalid_utf8_at >= 0 && utf8::first_invalid(value) != std::string::npos) {
      if (!o_.replace_invalid_utf8)
        throw RowError{"invalid UTF-8", "invalid UTF-8 at " + csv.where(rec.invalid_utf8_at) +
                                            "; fix the file or pass --invalid-utf8=replace"};
      value = utf8::replace_invalid(value);
      ++ds_.summary.adjusted["invalid UTF-8 replaced by U+FFFD"];
    }
    bool blank = std::all_of(value.begin(), value.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
    if (blank) throw RowError{"empty text", "empty text"};
    return value;
  }

  // Runs `row` for one record; a RowError is fatal or counted.
  template <typename F>
  void row(const std::string& where, F&& f) {
    ++ds_.summary.rows;
    try {
      f();
    } catch (const RowError& e) {
      if (!o_.skip_bad_rows) throw InputError(where + ": " + e.detail + " (or pass --on-bad-row=skip)");
      ++ds_.summary.skipped[e.reason];
    }
  }

  void fields(const CsvRecord& rec, const CsvReader& csv) const {
    if (rec.fields.size() != csv.header().size())
      throw RowError{rec.fields.size() < csv.header().size() ? "too few fields" : "too many fields",
                     "expected " + std::to_string(csv.header().size()) + " fields as in the header, found " +
                         std::to_string(rec.fields.size())};
  }

  void add(Post p) { ds_.posts.push_back(std::move(p)); }
  ReadSummary& summary() { return ds_.summary; }
  Dataset take() { return std::move(ds_); }
  const std::vector<std::string>& labels() const { return ds_.label_names; }

 private:
  const ReadOptions& o_;
  Dataset ds_;
  std::unordered_map<std::string, int32_t> index_;
};

// SDCNL: official train/test files; text = title + selftext; the placeholder
// body "emptypost" (65 title-only posts, 64 of them labelled suicide: a label
// shortcut) is stripped so only the title remains. The author column is never
// copied out of the parsed record.
Dataset read_sdcnl(const fs::path& input, const ReadOptions& o) {
  Builder b("sdcnl", {"depression", "suicide"}, o);
  if (!fs::is_directory(input)) throw InputError(input.string() + ": expected the SDCNL folder holding training-set.csv and testing-set.csv");
  for (auto [file, split] : {std::pair{"training-set.csv", OfficialSplit::train}, {"testing-set.csv", OfficialSplit::test}}) {
    CsvReader csv(input / file);
    size_t id_col = csv.column(""), title = csv.column("title"), body = csv.column("selftext"),
           label = csv.column("is_suicide");
    CsvRecord rec;
    while (csv.next(rec)) {
      b.row(csv.where_line(rec.line), [&] {
        b.fields(rec, csv);
        const std::string& l = rec.fields[label];
        if (l != "0" && l != "1")
          throw RowError{"unknown label", "unknown label '" + l + "' in column 'is_suicide'; expected 0 or 1"};
        std::string t = rec.fields[title], s = rec.fields[body];
        if (s == "emptypost") {
          s.clear();
          ++b.summary().adjusted["emptypost placeholder stripped (title kept)"];
        }
        std::string text = t.empty() ? s : s.empty() ? t : t + "\n" + s;
        Post p{"sdcnl-" + rec.fields[id_col], b.text(text, rec, csv), l == "1" ? 1 : 0, split};
        b.add(std::move(p));
      });
    }
  }
  return b.take();
}

// A CSV with id/text/label columns (IdenDep, TwitSuicide, generic).
Dataset read_labelled_csv(const std::string& name, const fs::path& file, std::vector<std::string> labels,
                          const ReadOptions& o, const std::string& text_col, const std::string& label_col,
                          const std::string& id_col) {
  CsvReader csv(file);
  size_t tc = csv.column(text_col), lc = csv.column(label_col);
  std::optional<size_t> ic;
  if (!id_col.empty()) ic = csv.column(id_col);
  if (labels.empty()) {  // inferred: every distinct label, sorted
    std::set<std::string> seen;
    CsvReader scan(file);
    CsvRecord r;
    while (scan.next(r))
      if (r.fields.size() == scan.header().size() && !r.fields[lc].empty()) seen.insert(r.fields[lc]);
    labels.assign(seen.begin(), seen.end());
    if (labels.size() < 2) throw InputError(file.string() + ": column '" + label_col + "' holds fewer than 2 labels");
  }
  Builder b(name, labels, o);
  CsvRecord rec;
  int64_t row = 0;
  while (csv.next(rec)) {
    ++row;
    b.row(csv.where_line(rec.line), [&] {
      b.fields(rec, csv);
      int32_t label = b.label(rec.fields[lc], label_col);
      std::string id = ic ? rec.fields[*ic] : name + "-" + std::to_string(row);
      if (id.empty()) throw RowError{"empty id", "empty id in column '" + id_col + "'"};
      b.add(Post{id, b.text(rec.fields[tc], rec, csv), label, OfficialSplit::none});
    });
  }
  return b.take();
}

Dataset read_jsonl(const fs::path& file, const ReadOptions& o) {
  if (!fs::exists(file)) throw InputError(file.string() + ": no such file");
  std::ifstream in(file, std::ios::binary);
  std::vector<std::pair<int64_t, nlohmann::json>> rows;
  std::string line;
  std::set<std::string> seen;
  auto as_label = [](const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
  std::vector<std::pair<int64_t, std::string>> bad;
  for (int64_t n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (utf8::first_invalid(line) != std::string::npos && !o.replace_invalid_utf8) {
      bad.push_back({n, "invalid UTF-8; fix the file or pass --invalid-utf8=replace"});
      continue;
    }
    if (o.replace_invalid_utf8) line = utf8::replace_invalid(line);
    try {
      auto j = nlohmann::json::parse(line);
      if (!j.is_object()) throw std::runtime_error("expected a JSON object");
      if (j.contains(o.label_col)) seen.insert(as_label(j[o.label_col]));
      rows.push_back({n, std::move(j)});
    } catch (const std::exception& e) {
      bad.push_back({n, std::string("not a JSON object: ") + e.what()});
    }
  }
  if (rows.empty() && bad.empty()) throw InputError(file.string() + ": empty file; expected one JSON object per line");
  std::vector<std::string> labels = o.labels.empty() ? std::vector<std::string>(seen.begin(), seen.end()) : o.labels;
  Builder b("jsonl", labels, o);
  for (const auto& [n, why] : bad)
    b.row(file.string() + ":" + std::to_string(n), [&] { throw RowError{"malformed line", why}; });
  for (auto& [n, j] : rows) {
    b.row(file.string() + ":" + std::to_string(n), [&] {
      if (!j.contains(o.text_col) || !j[o.text_col].is_string())
        throw RowError{"missing text", "expected a string field '" + o.text_col + "'"};
      if (!j.contains(o.label_col)) throw RowError{"missing label", "expected a field '" + o.label_col + "'"};
      int32_t label = b.label(as_label(j[o.label_col]), o.label_col);
      std::string id = "jsonl-" + std::to_string(n);
      if (!o.id_col.empty()) {
        if (!j.contains(o.id_col)) throw RowError{"missing id", "expected a field '" + o.id_col + "'"};
        id = as_label(j[o.id_col]);
      }
      std::string text = j[o.text_col].get<std::string>();
      if (text.find_first_not_of(" \t\r\n") == std::string::npos) throw RowError{"empty text", "empty text"};
      b.add(Post{id, text, label, OfficialSplit::none});
    });
  }
  return b.take();
}

// DEPTWEET: the official IDs + labels joined on tweet_id with the user's text
// file. IDs listed more than once with conflicting labels are dropped (all
// copies); repeated IDs with one label are kept once. Both are counted.
Dataset read_deptweet(const fs::path& input, const ReadOptions& o) {
  if (o.text_file.empty())
    throw InputError("deptweet: the tweet text is not public; pass --text-file with a 'tweet_id,text' CSV "
                     "obtained from the DEPTWEET authors");
  const std::vector<std::string> labels = {"non-depressed", "mild", "moderate", "severe"};
  Builder b("deptweet", labels, o);
  CsvReader official(file_in(input, "deptweet_dataset.csv"));
  size_t idc = official.column("tweet_id"), lc = official.column("label");
  std::map<std::string, std::set<int32_t>> label_of;
  std::vector<std::string> order;
  CsvRecord rec;
  while (official.next(rec)) {
    b.row(official.where_line(rec.line), [&] {
      b.fields(rec, official);
      int32_t l = b.label(rec.fields[lc], "label");
      auto& s = label_of[rec.fields[idc]];
      if (s.empty()) order.push_back(rec.fields[idc]);
      s.insert(l);
    });
  }
  int64_t conflicting = 0;
  for (const auto& [id, s] : label_of) conflicting += s.size() > 1;
  int64_t repeated_rows = b.summary().rows - static_cast<int64_t>(label_of.size());
  b.summary().notes.push_back(std::to_string(repeated_rows) + " official rows repeat a tweet_id; " +
                              std::to_string(conflicting) + " tweet_ids have conflicting labels and are dropped");
  if (conflicting) b.summary().skipped["tweet_id with conflicting labels (ids)"] = conflicting;

  CsvReader texts(o.text_file);
  size_t tid = texts.column("tweet_id"), ttext = texts.column("text");
  std::unordered_map<std::string, std::string> text_of;
  while (texts.next(rec)) {
    b.row(texts.where_line(rec.line), [&] {
      b.fields(rec, texts);
      text_of[rec.fields[tid]] = b.text(rec.fields[ttext], rec, texts);
    });
  }
  int64_t missing = 0;
  for (const auto& id : order) {
    const auto& s = label_of[id];
    if (s.size() > 1) continue;
    auto it = text_of.find(id);
    if (it == text_of.end()) {
      ++missing;
      continue;
    }
    b.add(Post{id, it->second, *s.begin(), OfficialSplit::none});
  }
  if (missing) b.summary().skipped["tweet_id without text in " + o.text_file.filename().string()] = missing;
  return b.take();
}

}  // namespace

const std::vector<std::string>& dataset_kinds() {
  static const std::vector<std::string> k = {"sdcnl", "idendep", "deptweet", "twitsuicide", "csv", "jsonl"};
  return k;
}

Dataset read_dataset(const std::string& kind, const fs::path& input, const ReadOptions& o) {
  if (!fs::exists(input)) throw InputError(input.string() + ": no such file or folder");
  if (kind == "sdcnl") return read_sdcnl(input, o);
  if (kind == "idendep") {
    auto d = read_labelled_csv("idendep", file_in(input, "idendep_reddit.csv"), {"non_depression", "depression"}, o,
                               "text", "label", "id");
    return d;
  }
  if (kind == "deptweet") return read_deptweet(input, o);
  if (kind == "twitsuicide") {
    auto labels = o.labels.empty() ? std::vector<std::string>{"safe to ignore", "possibly concerning", "strongly concerning"}
                                   : o.labels;
    auto d = read_labelled_csv("twitsuicide", input, labels, o, o.text_col, o.label_col, o.id_col);
    return d;
  }
  if (kind == "csv") {
    auto d = read_labelled_csv("csv", input, o.labels, o, o.text_col, o.label_col, o.id_col);
    return d;
  }
  if (kind == "jsonl") return read_jsonl(input, o);
  throw InputError("unknown dataset '" + kind + "'; expected one of " + join(dataset_kinds()));
}

}  // namespace mh::io
