// TF-IDF features of word n-grams, the bag-of-words teacher's input: as
// scikit-learn's TfidfVectorizer(ngram_range=(1, max_ngram), min_df,
// sublinear_tf=True) with its defaults otherwise (smooth idf, L2-normalised
// rows), over words given by the caller (bow_words): the n-grams of a document
// are its runs of 1..max_ngram consecutive words joined by one space, a term is
// an n-gram found in at least min_df training documents, its idf is
// ln((1 + n) / (1 + df)) + 1 and a document's value 1 + ln(count) times idf.
#pragma once

#include <ATen/core/Tensor.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "io/wordpiece_tokenizer.h"

namespace mh::teachers::bow {

using Words = std::vector<std::string>;

// The words of a post as scikit-learn's default token pattern (\b\w\w+\b after
// lower-casing) sees them, near enough: the tokenizer's words before WordPiece
// (lower-cased, split at punctuation and whitespace, markers whole), less
// those of a single code point.
Words bow_words(const io::WordPieceTokenizer& tokenizer, std::string_view text);

struct TfidfOptions {
  int max_ngram = 2;
  int min_df = 2;
};

class TfidfVectorizer {
 public:
  // Learns the terms and their idf from the training documents; terms in
  // lexicographic order (scikit-learn's column order). Throws when no term
  // reaches min_df.
  static TfidfVectorizer fit(const std::vector<Words>& docs, TfidfOptions options);

  // Sparse features [docs, terms], float64, coalesced.
  at::Tensor transform(const std::vector<Words>& docs) const;

  int64_t terms() const { return static_cast<int64_t>(term_.size()); }
  const std::vector<std::string>& term_names() const { return term_; }
  const std::vector<double>& idf() const { return idf_; }
  nlohmann::json to_json() const;

 private:
  // Calls emit(term index) for every n-gram occurrence of `doc` that is a term.
  template <class Emit>
  void terms_of(const Words& doc, Emit&& emit) const;

  TfidfOptions options_;
  std::vector<std::string> term_;
  std::vector<double> idf_;
  std::unordered_map<std::string, int64_t> index_;
};

}  // namespace mh::teachers::bow
