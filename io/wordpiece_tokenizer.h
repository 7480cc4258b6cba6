// BERT WordPiece tokenization, exactly as Hugging Face BertTokenizer with
// do_lower_case=True: added tokens (the _URL_-style markers, emoticons) are
// matched first, verbatim; the rest is cleaned (NUL, U+FFFD and control
// characters dropped, whitespace unified), CJK ideographs become single words,
// each whitespace-separated token is lower-cased and stripped of accents (NFD,
// drop Mn), split at punctuation, and every word is cut greedily into the
// longest vocabulary pieces ("##" marks a continuation); a word of over
// `max_chars_per_word` code points, or one that cannot be cut, is [UNK].
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "io/vocab.h"

namespace mh::io {

struct TokenizerOptions {
  bool lowercase = true;  // also strips accents, as BERT uncased does
  int max_chars_per_word = 100;
};

class WordPieceTokenizer {
 public:
  // Every added token must be in `vocab` (Vocab::add appends missing ones).
  WordPieceTokenizer(const Vocab& vocab, const std::vector<std::string>& added_tokens,
                     TokenizerOptions options = {});

  // Ids without [CLS]/[SEP]. The text must be valid UTF-8.
  std::vector<int32_t> encode(std::string_view text) const;
  std::vector<std::string> tokenize(std::string_view text) const;

  // The words before WordPiece (after cleaning, lower-casing and punctuation
  // splitting); added tokens are reported as they are. For vocabulary building.
  void words(std::string_view text, const std::function<void(std::string_view word, bool added)>& emit) const;

  const Vocab& vocab() const { return vocab_; }

 private:
  void basic(std::string_view segment, const std::function<void(std::string_view)>& emit) const;
  void normalize_and_split(std::string& token, const std::function<void(std::string_view)>& emit) const;
  void wordpiece(std::string_view word, std::vector<int32_t>& out) const;
  size_t match_added(std::string_view text, size_t pos) const;  // length of the added token at pos, or 0

  const Vocab& vocab_;
  TokenizerOptions options_;
  std::vector<std::string> added_;     // longest first
  bool added_first_byte_[256] = {};
  std::vector<std::string> pieces_;    // owns the keys below
  std::unordered_map<std::string_view, int32_t> head_, tail_;  // tail_: "##x" stored as "x"
  int32_t unk_;
  int max_piece_bytes_ = 0;
};

// The pieces of a post that fit `room` (max length less [CLS] and [SEP]): all
// of them when they fit, else the first room - tail and the last `tail`
// (head+tail truncation: a long post often says the most at its end, and the
// first and last pieces together classify better than the first alone; Sun et
// al. 2019, "How to Fine-Tune BERT for Text Classification"). 0 <= tail <= room.
std::vector<int32_t> fit_pieces(std::vector<int32_t> pieces, int64_t room, int64_t tail = 0);

}  // namespace mh::io
