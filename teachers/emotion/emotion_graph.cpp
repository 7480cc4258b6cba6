#include "teachers/emotion/emotion_graph.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace mh::teachers::emotion {

float EmotionGraph::edge(int64_t a, int64_t b) const {
  if (a > b) std::swap(a, b);
  for (size_t e = 0; e < row.size(); ++e)
    if (row[e] == a && col[e] == b) return weight[e];
  return 0.f;
}

namespace {

uint64_t pair_key(int32_t a, int32_t b) { return (static_cast<uint64_t>(a) << 32) | static_cast<uint32_t>(b); }

}  // namespace

EmotionGraph build_graph(const std::vector<std::vector<int32_t>>& docs, const GraphOptions& o) {
  EmotionGraph g;
  g.num_docs = static_cast<int64_t>(docs.size());
  const int64_t D = g.num_docs;

  std::unordered_map<int32_t, int64_t> freq;
  for (const auto& d : docs)
    for (auto t : d) ++freq[t];
  for (const auto& [t, f] : freq)
    if (f >= o.min_word_freq) g.word_token.push_back(t);
  std::sort(g.word_token.begin(), g.word_token.end());
  g.num_words = static_cast<int64_t>(g.word_token.size());
  std::unordered_map<int32_t, int32_t> node_of;  // token -> word index
  for (int32_t i = 0; i < static_cast<int32_t>(g.word_token.size()); ++i) node_of[g.word_token[i]] = i;

  // Documents as word indices, rare tokens dropped; and their sorted word sets.
  std::vector<std::vector<int32_t>> words(D), sets(D);
  for (int64_t d = 0; d < D; ++d) {
    for (auto t : docs[d]) {
      auto it = node_of.find(t);
      if (it != node_of.end()) words[d].push_back(it->second);
    }
    sets[d] = words[d];
    std::sort(sets[d].begin(), sets[d].end());
    sets[d].erase(std::unique(sets[d].begin(), sets[d].end()), sets[d].end());
  }
  auto add = [&](int64_t a, int64_t b, double w) {
    g.row.push_back(std::min(a, b));
    g.col.push_back(std::max(a, b));
    g.weight.push_back(static_cast<float>(w));
  };

  // Document-word TF-IDF.
  std::vector<int64_t> df(g.num_words, 0);
  for (const auto& s : sets)
    for (auto w : s) ++df[w];
  for (int64_t d = 0; d < D; ++d) {
    std::unordered_map<int32_t, int64_t> tf;
    for (auto w : words[d]) ++tf[w];
    for (auto w : sets[d]) {
      double idf = std::log(static_cast<double>(D) / static_cast<double>(df[w]));
      if (idf <= 0) continue;  // in every document: carries nothing
      add(d, D + w, static_cast<double>(tf[w]) * idf);
      ++g.tfidf_edges;
    }
  }

  // Word-word PPMI from window counts.
  std::vector<int64_t> window_freq(g.num_words, 0);
  std::unordered_map<uint64_t, int64_t> pair_freq;
  int64_t windows = 0;
  std::vector<int32_t> in_window;
  for (const auto& doc : words) {
    const int64_t n = static_cast<int64_t>(doc.size());
    if (n == 0) continue;
    const int64_t span = std::min<int64_t>(n, o.window);
    for (int64_t start = 0; start + span <= n; ++start) {
      in_window.assign(doc.begin() + start, doc.begin() + start + span);
      std::sort(in_window.begin(), in_window.end());
      in_window.erase(std::unique(in_window.begin(), in_window.end()), in_window.end());
      ++windows;
      for (size_t i = 0; i < in_window.size(); ++i) {
        ++window_freq[in_window[i]];
        for (size_t j = i + 1; j < in_window.size(); ++j) ++pair_freq[pair_key(in_window[i], in_window[j])];
      }
    }
  }
  for (const auto& [key, count] : pair_freq) {
    int32_t a = static_cast<int32_t>(key >> 32), b = static_cast<int32_t>(key & 0xffffffffu);
    double pmi = std::log(static_cast<double>(count) * static_cast<double>(windows) /
                          (static_cast<double>(window_freq[a]) * static_cast<double>(window_freq[b])));
    if (pmi <= 0) continue;
    add(D + a, D + b, pmi);
    ++g.pmi_edges;
  }

  // Document-document Jaccard. J(a, b) >= t needs |small| >= t |large|, so
  // with documents ordered by set size the inner loop stops early.
  std::vector<int64_t> order(D);
  for (int64_t d = 0; d < D; ++d) order[d] = d;
  std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return sets[a].size() < sets[b].size(); });
  for (int64_t i = 0; i < D; ++i) {
    const auto& a = sets[order[i]];
    if (a.empty()) continue;
    for (int64_t j = i + 1; j < D; ++j) {
      const auto& b = sets[order[j]];
      if (static_cast<double>(a.size()) < o.jaccard_threshold * static_cast<double>(b.size())) break;
      size_t inter = 0;
      for (size_t x = 0, y = 0; x < a.size() && y < b.size();) {
        if (a[x] < b[y]) ++x;
        else if (b[y] < a[x]) ++y;
        else { ++inter; ++x; ++y; }
      }
      double jac = static_cast<double>(inter) / static_cast<double>(a.size() + b.size() - inter);
      if (jac > o.jaccard_threshold) {
        add(order[i], order[j], jac);
        ++g.jaccard_edges;
      }
    }
  }
  return g;
}

at::Tensor normalized_adjacency(const EmotionGraph& g) {
  const int64_t n = g.num_nodes(), e = static_cast<int64_t>(g.row.size());
  std::vector<double> degree(n, 1.0);  // the self-loop
  for (int64_t k = 0; k < e; ++k) {
    degree[g.row[k]] += g.weight[k];
    degree[g.col[k]] += g.weight[k];
  }
  auto idx = torch::empty({2, 2 * e + n}, torch::kLong);
  auto val = torch::empty({2 * e + n}, torch::kFloat);
  auto I = idx.accessor<int64_t, 2>();
  auto V = val.accessor<float, 1>();
  int64_t p = 0;
  auto put = [&](int64_t r, int64_t c, double w) {
    I[0][p] = r;
    I[1][p] = c;
    V[p] = static_cast<float>(w / std::sqrt(degree[r] * degree[c]));
    ++p;
  };
  for (int64_t k = 0; k < e; ++k) {
    put(g.row[k], g.col[k], g.weight[k]);
    put(g.col[k], g.row[k], g.weight[k]);
  }
  for (int64_t i = 0; i < n; ++i) put(i, i, 1.0);
  return torch::sparse_coo_tensor(idx, val, {n, n}).coalesce();
}

}  // namespace mh::teachers::emotion
