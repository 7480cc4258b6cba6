#include "teachers/bow/tfidf.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "io/utf8.h"

namespace mh::teachers::bow {

namespace {

size_t code_points(std::string_view s) {
  size_t n = 0, pos = 0;
  char32_t cp;
  while (pos < s.size() && io::utf8::next(s, pos, cp)) ++n;
  return n;
}

// Every n-gram of 1..max_ngram words of `doc`, as scikit-learn builds them.
template <class Emit>
void ngrams(const Words& doc, int max_ngram, Emit&& emit) {
  std::string g;
  for (size_t i = 0; i < doc.size(); ++i) {
    g = doc[i];
    emit(g);
    for (size_t k = 1; k < static_cast<size_t>(max_ngram) && i + k < doc.size(); ++k) {
      g += ' ';
      g += doc[i + k];
      emit(g);
    }
  }
}

}  // namespace

Words bow_words(const io::WordPieceTokenizer& tokenizer, std::string_view text) {
  Words out;
  tokenizer.words(text, [&](std::string_view w, bool) {
    if (code_points(w) >= 2) out.emplace_back(w);
  });
  return out;
}

TfidfVectorizer TfidfVectorizer::fit(const std::vector<Words>& docs, TfidfOptions options) {
  if (options.max_ngram < 1 || options.min_df < 1) throw std::invalid_argument("tf-idf: max_ngram and min_df must be >= 1");
  std::map<std::string, int64_t> df;  // ordered: the terms come out sorted
  std::vector<std::string> seen;
  for (const auto& doc : docs) {
    seen.clear();
    ngrams(doc, options.max_ngram, [&](const std::string& g) { seen.push_back(g); });
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    for (auto& g : seen) ++df[g];
  }
  TfidfVectorizer v;
  v.options_ = options;
  const double n = static_cast<double>(docs.size());
  for (const auto& [g, d] : df) {
    if (d < options.min_df) continue;
    v.index_.emplace(g, static_cast<int64_t>(v.term_.size()));
    v.term_.push_back(g);
    v.idf_.push_back(std::log((1 + n) / (1 + static_cast<double>(d))) + 1);
  }
  if (v.term_.empty())
    throw std::invalid_argument("tf-idf: no n-gram occurs in " + std::to_string(options.min_df) + " or more of the " +
                                std::to_string(docs.size()) + " training posts");
  return v;
}

template <class Emit>
void TfidfVectorizer::terms_of(const Words& doc, Emit&& emit) const {
  ngrams(doc, options_.max_ngram, [&](const std::string& g) {
    auto it = index_.find(g);
    if (it != index_.end()) emit(it->second);
  });
}

at::Tensor TfidfVectorizer::transform(const std::vector<Words>& docs) const {
  std::vector<int64_t> rows, cols;
  std::vector<double> values;
  std::vector<int64_t> hits;
  for (size_t d = 0; d < docs.size(); ++d) {
    hits.clear();
    terms_of(docs[d], [&](int64_t t) { hits.push_back(t); });
    std::sort(hits.begin(), hits.end());
    const size_t first = values.size();
    double norm = 0;
    for (size_t i = 0; i < hits.size();) {
      size_t j = i;
      while (j < hits.size() && hits[j] == hits[i]) ++j;
      const double v = (1 + std::log(static_cast<double>(j - i))) * idf_[static_cast<size_t>(hits[i])];
      rows.push_back(static_cast<int64_t>(d));
      cols.push_back(hits[i]);
      values.push_back(v);
      norm += v * v;
      i = j;
    }
    // A post without any term keeps a zero row, as scikit-learn's normalize does.
    if (norm > 0)
      for (size_t i = first; i < values.size(); ++i) values[i] /= std::sqrt(norm);
  }
  const auto nnz = static_cast<int64_t>(values.size());
  auto index = torch::stack({torch::tensor(rows, torch::kLong), torch::tensor(cols, torch::kLong)}).view({2, nnz});
  auto vals = torch::tensor(values, torch::kDouble);
  // Rows come in order and columns sorted within each: already coalesced.
  const std::vector<int64_t> size = {static_cast<int64_t>(docs.size()), terms()};
  return torch::sparse_coo_tensor(index, vals, size,
                                  torch::TensorOptions().dtype(torch::kDouble))
      ._coalesced_(true);
}

nlohmann::json TfidfVectorizer::to_json() const {
  return {{"max_ngram", options_.max_ngram}, {"min_df", options_.min_df}, {"sublinear_tf", true},
          {"smooth_idf", true}, {"norm", "l2"}, {"terms", term_}, {"idf", idf_}};
}

}  // namespace mh::teachers::bow
