#include "teachers/emotion/wordnet.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "io/csv_reader.h"
#include "log/log.h"

namespace mh::teachers::emotion {
namespace {

const char* kPos[] = {"noun", "verb", "adj", "adv"};
constexpr size_t kAdj = 2;

struct Synset {
  std::vector<std::string> words;
  std::vector<long> similar;  // "&" pointers to adjective synsets
};

// A lemma as a lexicon word: lower case, without the adjective position
// marker "(a)", "(p)" or "(ip)"; empty for multi-word lemmas ("hot_under_the_collar").
std::string lexicon_word(std::string w) {
  auto paren = w.find('(');
  if (paren != std::string::npos) w.resize(paren);
  if (w.empty() || w.find('_') != std::string::npos) return "";
  std::transform(w.begin(), w.end(), w.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return w;
}

Synset read_synset(const std::filesystem::path& file, long offset) {
  std::ifstream in(file, std::ios::binary);
  in.seekg(offset);
  std::string line;
  if (!in || !std::getline(in, line))
    throw io::InputError(file.string() + ": no synset at byte " + std::to_string(offset) + " (a corrupt WordNet database?)");
  // offset lex_filenum ss_type w_cnt(hex) {word lex_id} p_cnt {symbol offset pos source/target} ... | gloss
  std::istringstream f(line.substr(0, line.find(" | ")));
  long own = -1;
  std::string lex_filenum, ss_type, count;
  f >> own >> lex_filenum >> ss_type >> count;
  auto bad = [&](const std::string& what) {
    return io::InputError(file.string() + ": byte " + std::to_string(offset) + ": expected " + what);
  };
  if (own != offset) throw bad("the synset whose offset is " + std::to_string(offset) + " (index and data disagree)");
  Synset s;
  long words = 0;
  try {
    words = std::stol(count, nullptr, 16);
  } catch (const std::exception&) {
    throw bad("a hexadecimal word count, got '" + count + "'");
  }
  for (long i = 0; i < words; ++i) {
    std::string w, lex_id;
    if (!(f >> w >> lex_id)) throw bad(std::to_string(words) + " words");
    s.words.push_back(w);
  }
  int pointers = 0;
  if (!(f >> pointers)) throw bad("a pointer count");
  for (int i = 0; i < pointers; ++i) {
    std::string symbol, target, pos, source_target;
    if (!(f >> symbol >> target >> pos >> source_target)) throw bad(std::to_string(pointers) + " pointers");
    if (symbol == "&") s.similar.push_back(std::stol(target));
  }
  return s;
}

}  // namespace

WordNet::WordNet(std::filesystem::path dir) : dir_(std::move(dir)) {
  for (const char* pos : kPos) {
    const auto file = dir_ / (std::string("index.") + pos);
    std::ifstream in(file);
    if (!in || !std::filesystem::exists(dir_ / (std::string("data.") + pos)))
      throw io::InputError(dir_.string() + ": no WordNet database (index." + pos + ", data." + pos +
                           "; Debian: apt install wordnet-base, then --wordnet /usr/share/wordnet)");
    auto& index = index_.emplace_back();
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      if (line.empty() || line[0] == ' ') continue;  // the license header
      // lemma pos synset_cnt p_cnt {ptr_symbol} sense_cnt tagsense_cnt {synset_offset}
      std::istringstream f(line);
      std::string lemma, p;
      int synsets = -1, symbols = -1;
      f >> lemma >> p >> synsets >> symbols;
      std::string skip;
      for (int i = 0; i < symbols + 2 && f; ++i) f >> skip;
      std::vector<long> offsets;
      for (long o; offsets.size() < static_cast<size_t>(std::max(synsets, 0)) && f >> o;) offsets.push_back(o);
      if (!f || synsets < 1 || symbols < 0 || offsets.size() != static_cast<size_t>(synsets))
        throw io::InputError(file.string() + ":" + std::to_string(n) +
                             ": expected 'lemma pos synset_cnt p_cnt [symbols] sense_cnt tagsense_cnt offsets...'");
      index.emplace(lemma, std::move(offsets));
    }
  }
}

std::vector<std::string> WordNet::synonyms(const std::string& word, int senses) const {
  std::set<std::string> out;
  auto add = [&](const Synset& s) {
    for (const auto& w : s.words)
      if (auto lw = lexicon_word(w); !lw.empty() && lw != word) out.insert(lw);
  };
  for (size_t pos = 0; pos < index_.size(); ++pos) {
    auto it = index_[pos].find(word);
    if (it == index_[pos].end()) continue;
    const auto data = dir_ / (std::string("data.") + kPos[pos]);
    for (size_t i = 0; i < it->second.size() && static_cast<int>(i) < senses; ++i) {
      Synset s = read_synset(data, it->second[i]);
      add(s);
      if (pos == kAdj)
        for (long o : s.similar) add(read_synset(data, o));
    }
  }
  return {out.begin(), out.end()};
}

Lexicon expand_lexicon(const Lexicon& lexicon, const WordNet& wordnet, int senses) {
  Lexicon out = lexicon;
  const auto seeds = lexicon.entries();
  size_t added = 0;
  for (const auto& [word, mask] : seeds)
    for (const auto& synonym : mask ? wordnet.synonyms(word, senses) : std::vector<std::string>{}) {
      if (lexicon.lookup(synonym, Fallback::none)) continue;  // a word with emotions of its own keeps them
      if (!out.lookup(synonym, Fallback::none)) ++added;
      out.add_mask(synonym, mask);
    }
  log::info("emotion: WordNet grew the lexicon from ", seeds.size(), " to ", seeds.size() + added, " words (",
            senses, " sense", senses == 1 ? "" : "s", " per word)");
  return out;
}

}  // namespace mh::teachers::emotion
