// The first stage of the emotion teacher: lexicon emotions of the training
// posts -> TextGCN-style graph -> GCN -> one emotion-enriched vector per token
// of the run's vocab.txt, written to RUN_DIR/emotion/embeddings.h5:
//   /embeddings float32 [V, dim]  row i is the vector of vocab.txt token i
//   /in_graph   uint8   [V]       1: from the GCN; 0: seeded random (tokens
//                                 rarer than min_word_freq, specials), [PAD] 0s
//   attributes: vocab_sha256, lexicon_sha256, label_names (categories + none),
//               docs, words, tfidf_edges, pmi_edges, jaccard_edges,
//               random_tokens, gcn_best_epoch, gcn_held_out_bce
// Only the training split is in the graph; the posts' words are rebuilt from
// data.h5's pieces (a word = a piece and its ## continuations), so they are
// the tokenizer's lower-cased words and, like the models, see only the first
// max_length pieces of a post.
#pragma once

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dist/communicator.h"
#include "io/vocab.h"
#include "teachers/emotion/emotion_graph.h"
#include "teachers/emotion/gcn.h"
#include "teachers/emotion/lexicon.h"

namespace mh::teachers::emotion {

struct EmbeddingOptions {
  std::filesystem::path lexicon;
  double lexicon_threshold = 0.5;  // generic CSV lexicons: weight that counts as an association
  Fallback fallback = Fallback::affix;
  std::filesystem::path wordnet;  // non-empty: expand the lexicon with WordNet synonyms (wordnet.h)
  int wordnet_senses = 1;
  GraphOptions graph;
  GcnOptions gcn;
  bool force = false;
};

// The configuration (for the manifest hash of this stage and of those after it).
nlohmann::json embedding_config(const EmbeddingOptions& o);

// Runs the stage unless manifest.json has it for the same configuration.
// Collective: rank 0 builds and trains (the graph is small next to the
// teachers), the others wait. Returns the stage's configuration hash.
std::string run_emotion_embeddings(const std::filesystem::path& run_dir, const EmbeddingOptions& o,
                                   dist::Communicator& comm);

// [V, dim] from embeddings.h5; an error names the file when it was made for another vocabulary.
at::Tensor load_emotion_embeddings(const std::filesystem::path& path, const std::string& vocab_sha256);

// Whole words of a piece sequence ([CLS], [SEP], [PAD] and [UNK] left out).
std::vector<std::string> words_of(const io::Vocab& vocab, const int32_t* ids, int64_t length);

}  // namespace mh::teachers::emotion
