// The TextGCN-style graph of the emotion teacher: training documents and
// vocabulary words as nodes, and
//   document-word  TF-IDF: count of the word in the document * ln(D / df(word)),
//   word-word      positive PMI over sliding windows (TextGCN's definition:
//                  PMI(i,j) = ln(W(i,j) * W / (W(i) * W(j))) with W the number
//                  of windows, W(i) those holding word i, W(i,j) those holding
//                  both; a document no longer than the window is one window),
//   document-doc   Jaccard similarity of their word sets, when above a threshold,
// all symmetric. Words are token ids (vocab.txt pieces), so the embeddings the
// graph gives are indexed like data.h5's /ids. Tokens seen fewer than
// min_word_freq times in the documents are not nodes and are dropped from the
// documents before windows are counted.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace mh::teachers::emotion {

struct GraphOptions {
  int64_t min_word_freq = 5;
  int64_t window = 20;
  double jaccard_threshold = 0.2;
};

struct EmotionGraph {
  int64_t num_docs = 0, num_words = 0;  // nodes: documents [0, D), words [D, D + W)
  std::vector<int32_t> word_token;      // token id of word node D + i
  // Upper-triangle edges (row < col), each once; the adjacency is symmetric.
  std::vector<int64_t> row, col;
  std::vector<float> weight;
  int64_t tfidf_edges = 0, pmi_edges = 0, jaccard_edges = 0;

  int64_t num_nodes() const { return num_docs + num_words; }
  // Weight of the edge between two nodes (0 when none); for tests and reports.
  float edge(int64_t a, int64_t b) const;
};

// Documents are token id sequences. Word-pair counts are kept in one hash map
// keyed by the pair, filled in a single pass over the windows: memory grows
// with the number of distinct co-occurring pairs (the PMI edges), not W^2.
EmotionGraph build_graph(const std::vector<std::vector<int32_t>>& docs, const GraphOptions& options);

// D^-1/2 (A + I) D^-1/2 as a coalesced sparse COO float tensor [N, N].
at::Tensor normalized_adjacency(const EmotionGraph& graph);

}  // namespace mh::teachers::emotion
