// A word-emotion lexicon: word -> set of emotion categories. Reads the NRC
// Word-Emotion Association Lexicon word-level file (`word<TAB>emotion<TAB>0|1`)
// or a generic CSV (`word,emotion[,weight]`, a weight at or above the
// threshold counts as an association; without a weight column every row does),
// so SenticNet or NRC-VAD with thresholds plug in the same way.
// Words are matched lower-cased, as the uncased tokenizer leaves them; with the
// affix fallback an unknown word is retried without a common English suffix
// (sadness -> sad, cried -> cry, stopped -> stop, happily -> happy; no -less or un-:
// they flip the meaning), see `lookup`.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mh::teachers::emotion {

enum class Fallback { none, affix };
Fallback parse_fallback(const std::string& s);  // std::invalid_argument on anything else

class Lexicon {
 public:
  // Format from the content: tab-separated 3-field lines are NRC, anything else CSV.
  // Errors name the file and line and say what was expected.
  static Lexicon load(const std::filesystem::path& path, double threshold = 0.5);
  // `categories` may name categories no word has (an NRC file lists every
  // word with every category, most with 0); they keep their column.
  static Lexicon from_entries(const std::vector<std::pair<std::string, std::string>>& word_emotion,
                              const std::vector<std::string>& categories = {});

  // Sorted category names; bit i of a mask is categories()[i].
  const std::vector<std::string>& categories() const { return categories_; }
  size_t words() const { return masks_.size(); }
  // Categories of `word` (0: none or unknown).
  uint32_t lookup(std::string_view word, Fallback fallback) const;
  // sha256 of the file it was read from (empty when built in memory).
  const std::string& sha256() const { return sha256_; }
  // Every word with its category mask, sorted by word.
  std::vector<std::pair<std::string, uint32_t>> entries() const;
  // Gives `word` (lower case) the categories of `mask` besides its own.
  void add_mask(const std::string& word, uint32_t mask) { masks_[word] |= mask; }

 private:
  void add(const std::string& word, const std::string& category);
  std::optional<uint32_t> exact(std::string_view word) const;
  std::vector<std::string> categories_;
  std::unordered_map<std::string, uint32_t> masks_;
  std::string sha256_;
};

// A document's emotion label: the union of its words' categories, multi-hot
// over categories() + a last "none" column set when no word matched.
std::vector<float> document_label(const Lexicon& lexicon, const std::vector<std::string>& words, Fallback fallback);

}  // namespace mh::teachers::emotion
