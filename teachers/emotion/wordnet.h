// WordNet (Princeton WordNet 3.0 database files, Debian's wordnet-base in
// /usr/share/wordnet) for growing a short seed lexicon: a word's synonyms are
// the single-word lemmas of its first `senses` synsets in each part of speech
// (WordNet lists senses most frequent first, so later senses, which drift in
// meaning, are left out) and, for adjectives, of the synsets "similar to"
// them (sad -> doleful, melancholy, mournful, ...). Format: wndb(5).
#pragma once

#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "teachers/emotion/lexicon.h"

namespace mh::teachers::emotion {

class WordNet {
 public:
  // Errors name the directory when a database file is missing, and file:line
  // (index) or file:byte offset (data) for a malformed entry.
  explicit WordNet(std::filesystem::path dir);
  // Lower-case single-word synonyms of `word` (not `word` itself), sorted.
  std::vector<std::string> synonyms(const std::string& word, int senses) const;

 private:
  std::filesystem::path dir_;
  // Per part of speech (noun, verb, adj, adv): lemma -> synset offsets in data.<pos>, sense order.
  std::vector<std::unordered_map<std::string, std::vector<long>>> index_;
};

// `lexicon` plus every WordNet synonym of its words that it lacks, each with
// the emotions of the words it is a synonym of. The lexicon's own words keep
// their emotions.
Lexicon expand_lexicon(const Lexicon& lexicon, const WordNet& wordnet, int senses);

}  // namespace mh::teachers::emotion
