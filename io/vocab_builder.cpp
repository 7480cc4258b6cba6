#include "io/vocab_builder.h"

#include <algorithm>
#include <map>
#include <queue>
#include <set>
#include <unordered_set>

#include "io/utf8.h"

namespace mh::io {
namespace {

struct Word {
  std::vector<int32_t> symbols;
  int64_t count;
};

uint64_t key(int32_t a, int32_t b) { return (static_cast<uint64_t>(a) << 32) | static_cast<uint32_t>(b); }

}  // namespace

std::vector<std::string> build_wordpiece_vocab(const std::unordered_map<std::string, int64_t>& word_counts,
                                               const VocabBuildOptions& options) {
  std::vector<std::string> vocab;
  std::unordered_set<std::string> in_vocab;
  auto add = [&](const std::string& t) {
    if (in_vocab.insert(t).second) vocab.push_back(t);
  };
  for (const auto& t : options.special) add(t);
  for (const auto& t : options.added) add(t);

  // Symbols: every piece string gets an id; words are sequences of ids. Words
  // are visited in sorted order so ids, and so ties, never depend on hashing.
  std::vector<std::string> piece;
  std::map<std::string, int32_t> piece_id;
  auto intern = [&](const std::string& s) {
    auto [it, fresh] = piece_id.emplace(s, static_cast<int32_t>(piece.size()));
    if (fresh) piece.push_back(s);
    return it->second;
  };
  std::vector<std::pair<std::string, int64_t>> sorted(word_counts.begin(), word_counts.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<Word> words;
  std::set<std::string> alphabet;
  for (const auto& [w, count] : sorted) {
    Word word{{}, count};
    size_t pos = 0;
    char32_t cp;
    bool first = true;
    while (pos < w.size()) {
      size_t start = pos;
      if (!utf8::next(w, pos, cp)) pos = start + 1;
      std::string s = (first ? "" : "##") + w.substr(start, pos - start);
      alphabet.insert(s);
      word.symbols.push_back(intern(s));
      first = false;
    }
    if (!word.symbols.empty()) words.push_back(std::move(word));
  }
  for (const auto& a : alphabet) add(a);

  // Pair counts, the words each pair occurs in, and a max-heap keyed by
  // (count, then smaller strings first); stale heap entries are skipped.
  std::unordered_map<uint64_t, int64_t> pair_count;
  std::unordered_map<uint64_t, std::vector<int32_t>> pair_words;
  for (int32_t wi = 0; wi < static_cast<int32_t>(words.size()); ++wi) {
    const auto& s = words[wi].symbols;
    for (size_t k = 0; k + 1 < s.size(); ++k) {
      uint64_t p = key(s[k], s[k + 1]);
      pair_count[p] += words[wi].count;
      pair_words[p].push_back(wi);
    }
  }
  struct Entry {
    int64_t count;
    uint64_t pair;
  };
  auto less = [&](const Entry& a, const Entry& b) {
    if (a.count != b.count) return a.count < b.count;
    const auto& la = piece[a.pair >> 32];
    const auto& lb = piece[b.pair >> 32];
    if (la != lb) return la > lb;
    return piece[static_cast<int32_t>(a.pair)] > piece[static_cast<int32_t>(b.pair)];
  };
  std::priority_queue<Entry, std::vector<Entry>, decltype(less)> heap(less);
  for (const auto& [p, c] : pair_count) heap.push({c, p});

  while (vocab.size() < options.vocab_size && !heap.empty()) {
    Entry top = heap.top();
    heap.pop();
    auto it = pair_count.find(top.pair);
    if (it == pair_count.end() || it->second != top.count) continue;  // stale
    if (top.count < options.min_frequency) break;
    int32_t a = static_cast<int32_t>(top.pair >> 32), b = static_cast<int32_t>(top.pair & 0xffffffffu);
    const std::string& right = piece[b];
    std::string merged = piece[a] + (right.compare(0, 2, "##") == 0 ? right.substr(2) : right);
    int32_t m = intern(merged);
    add(merged);

    std::vector<int32_t> affected = std::move(pair_words[top.pair]);
    pair_words.erase(top.pair);
    std::sort(affected.begin(), affected.end());
    affected.erase(std::unique(affected.begin(), affected.end()), affected.end());
    std::unordered_map<uint64_t, int64_t> delta;
    for (int32_t wi : affected) {
      auto& s = words[wi].symbols;
      int64_t c = words[wi].count;
      bool found = false;
      for (size_t k = 0; k + 1 < s.size(); ++k)
        if (s[k] == a && s[k + 1] == b) found = true;
      if (!found) continue;
      for (size_t k = 0; k + 1 < s.size(); ++k) delta[key(s[k], s[k + 1])] -= c;
      std::vector<int32_t> next;
      next.reserve(s.size());
      for (size_t k = 0; k < s.size(); ++k) {
        if (k + 1 < s.size() && s[k] == a && s[k + 1] == b) {
          next.push_back(m);
          ++k;
        } else {
          next.push_back(s[k]);
        }
      }
      s.swap(next);
      for (size_t k = 0; k + 1 < s.size(); ++k) {
        uint64_t p = key(s[k], s[k + 1]);
        delta[p] += c;
        pair_words[p].push_back(wi);
      }
    }
    std::vector<std::pair<uint64_t, int64_t>> changes(delta.begin(), delta.end());
    std::sort(changes.begin(), changes.end());
    for (const auto& [p, d] : changes) {
      if (d == 0) continue;
      int64_t& c = pair_count[p];
      c += d;
      if (c <= 0) pair_count.erase(p);
      else heap.push({c, p});
    }
  }
  return vocab;
}

}  // namespace mh::io
