// Builds a WordPiece vocabulary from word counts the way Hugging Face's
// WordPieceTrainer does (byte-pair merges over characters, "##" marking pieces
// that continue a word): special tokens first, then the alphabet, then merged
// pieces by frequency. Deterministic: ties go to the lexicographically smaller
// pair, and nothing depends on hash order.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace mh::io {

struct VocabBuildOptions {
  size_t vocab_size = 16000;    // including special and added tokens
  int64_t min_frequency = 2;    // a pair merged fewer times than this is never merged
  std::vector<std::string> special = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  std::vector<std::string> added;  // markers etc., placed right after the special tokens
};

std::vector<std::string> build_wordpiece_vocab(const std::unordered_map<std::string, int64_t>& word_counts,
                                               const VocabBuildOptions& options);

}  // namespace mh::io
