#include "teachers/emotion/lexicon.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "io/csv_reader.h"
#include "io/sha256.h"

namespace mh::teachers::emotion {

Fallback parse_fallback(const std::string& s) {
  if (s == "none") return Fallback::none;
  if (s == "affix") return Fallback::affix;
  throw std::invalid_argument("lexicon fallback: expected none or affix, got '" + s + "'");
}

namespace {

std::string lower_ascii(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r"), e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string f;
  while (std::getline(ss, f, sep)) out.push_back(trim(f));
  if (!line.empty() && line.back() == sep) out.emplace_back();
  return out;
}

double parse_weight(const std::string& s, const std::string& where) {
  try {
    size_t used = 0;
    double w = std::stod(s, &used);
    if (used == s.size()) return w;
  } catch (const std::exception&) {
  }
  throw io::InputError(where + ": expected a number as the weight, got '" + s + "'");
}

}  // namespace

Lexicon Lexicon::from_entries(const std::vector<std::pair<std::string, std::string>>& word_emotion,
                              const std::vector<std::string>& categories) {
  Lexicon lex;
  std::set<std::string> cats(categories.begin(), categories.end());
  for (const auto& [w, c] : word_emotion) cats.insert(c);
  if (cats.size() > 32) throw io::InputError("lexicon: more than 32 emotion categories");
  lex.categories_.assign(cats.begin(), cats.end());
  for (const auto& [w, c] : word_emotion) lex.add(w, c);
  return lex;
}

std::vector<std::pair<std::string, uint32_t>> Lexicon::entries() const {
  std::vector<std::pair<std::string, uint32_t>> out(masks_.begin(), masks_.end());
  std::sort(out.begin(), out.end());
  return out;
}

void Lexicon::add(const std::string& word, const std::string& category) {
  auto it = std::lower_bound(categories_.begin(), categories_.end(), category);
  masks_[lower_ascii(word)] |= 1u << (it - categories_.begin());
}

Lexicon Lexicon::load(const std::filesystem::path& path, double threshold) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw io::InputError(path.string() + ": cannot open the lexicon");
  std::vector<std::pair<std::string, std::string>> entries;
  std::set<std::string> categories;
  std::string line;
  int64_t n = 0;
  bool nrc = false, decided = false, header_checked = false;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (n == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    if (trim(line).empty()) continue;
    const std::string where = path.string() + ":" + std::to_string(n);
    if (!decided) {
      nrc = split(line, '\t').size() == 3;
      decided = true;
    }
    if (nrc) {
      auto f = split(line, '\t');
      if (f.size() != 3 || f[0].empty() || f[1].empty() || (f[2] != "0" && f[2] != "1"))
        throw io::InputError(where + ": expected word<TAB>emotion<TAB>0|1 (NRC word-level format), got '" + line + "'");
      categories.insert(f[1]);
      if (f[2] == "1") entries.emplace_back(f[0], f[1]);
      continue;
    }
    auto f = split(line, ',');
    if (!header_checked) {
      header_checked = true;
      if (lower_ascii(f[0]) == "word") continue;  // optional header row
    }
    if (f.size() < 2 || f.size() > 3 || f[0].empty() || f[1].empty())
      throw io::InputError(where + ": expected word,emotion[,weight], got '" + line + "'");
    categories.insert(f[1]);
    if (f.size() == 3 && parse_weight(f[2], where) < threshold) continue;
    entries.emplace_back(f[0], f[1]);
  }
  if (in.bad()) throw io::InputError(path.string() + ": read error");
  if (entries.empty()) throw io::InputError(path.string() + ": no word with an emotion (empty lexicon?)");
  Lexicon lex = from_entries(entries, {categories.begin(), categories.end()});
  lex.sha256_ = io::sha256_file(path);
  return lex;
}

std::optional<uint32_t> Lexicon::exact(std::string_view word) const {
  auto it = masks_.find(std::string(word));
  if (it == masks_.end()) return std::nullopt;
  return it->second;
}

uint32_t Lexicon::lookup(std::string_view word, Fallback fallback) const {
  if (auto m = exact(word)) return *m;
  if (fallback == Fallback::none || word.size() < 4) return 0;
  auto ends = [&](std::string_view s) { return word.size() >= s.size() + 2 && word.substr(word.size() - s.size()) == s; };
  auto stem = [&](size_t cut) { return std::string(word.substr(0, word.size() - cut)); };
  auto try_ = [&](const std::string& base) { return exact(base); };
  // Longest, most specific suffixes first; each yields the candidate bases a
  // regular English inflection or derivation comes from.
  std::vector<std::string> bases;
  if (ends("iness")) bases = {stem(5) + "y"};
  else if (ends("ness")) bases = {stem(4)};
  else if (ends("ment")) bases = {stem(4)};
  else if (ends("ily")) bases = {stem(3) + "y"};
  else if (ends("ly")) bases = {stem(2)};
  else if (ends("ies") || ends("ied")) bases = {stem(3) + "y"};
  else if (ends("ing") || ends("ed")) {
    size_t cut = ends("ing") ? 3 : 2;
    std::string b = stem(cut);
    bases = {b, b + "e"};
    if (b.size() >= 2 && b[b.size() - 1] == b[b.size() - 2]) bases.push_back(b.substr(0, b.size() - 1));  // stopped
  } else if (ends("es")) bases = {stem(2), stem(1)};
  else if (ends("s") && !ends("ss")) bases = {stem(1)};
  for (const auto& b : bases)
    if (auto m = try_(b)) return *m;
  return 0;
}

std::vector<float> document_label(const Lexicon& lexicon, const std::vector<std::string>& words, Fallback fallback) {
  uint32_t mask = 0;
  for (const auto& w : words) mask |= lexicon.lookup(w, fallback);
  const size_t k = lexicon.categories().size();
  std::vector<float> label(k + 1, 0.f);
  for (size_t i = 0; i < k; ++i) label[i] = (mask >> i) & 1u ? 1.f : 0.f;
  if (mask == 0) label[k] = 1.f;
  return label;
}

}  // namespace mh::teachers::emotion
