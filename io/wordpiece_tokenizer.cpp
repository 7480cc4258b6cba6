#include "io/wordpiece_tokenizer.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <stdexcept>

#include "io/utf8.h"

namespace mh::io {
namespace {

// The character classes of BERT's BasicTokenizer (Python transformers and the
// Rust tokenizers agree on these).
bool is_whitespace(char32_t c) {
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return true;
  auto t = u_charType(c);
  return t == U_SPACE_SEPARATOR || t == U_LINE_SEPARATOR || t == U_PARAGRAPH_SEPARATOR;
}

bool is_control(char32_t c) {
  if (c == '\t' || c == '\n' || c == '\r') return false;
  auto t = u_charType(c);
  return t == U_CONTROL_CHAR || t == U_FORMAT_CHAR || t == U_UNASSIGNED || t == U_PRIVATE_USE_CHAR ||
         t == U_SURROGATE;
}

bool is_punctuation(char32_t c) {
  if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) return true;
  switch (u_charType(c)) {
    case U_CONNECTOR_PUNCTUATION: case U_DASH_PUNCTUATION: case U_START_PUNCTUATION: case U_END_PUNCTUATION:
    case U_INITIAL_PUNCTUATION: case U_FINAL_PUNCTUATION: case U_OTHER_PUNCTUATION:
      return true;
    default:
      return false;
  }
}

bool is_cjk(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF) ||
         (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

// ASCII classes, precomputed: 1 whitespace, 2 control (dropped), 3 punctuation, 0 other.
struct AsciiTable {
  unsigned char cls[128];
  AsciiTable() {
    for (char32_t c = 0; c < 128; ++c)
      cls[c] = c == 0 ? 2 : is_whitespace(c) ? 1 : is_control(c) ? 2 : is_punctuation(c) ? 3 : 0;
  }
};
const AsciiTable ascii;

const icu::Normalizer2& nfd() {
  static const icu::Normalizer2* n = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* p = icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU NFD unavailable: ") + u_errorName(status));
    return p;
  }();
  return *n;
}

}  // namespace

WordPieceTokenizer::WordPieceTokenizer(const Vocab& vocab, const std::vector<std::string>& added_tokens,
                                       TokenizerOptions options)
    : vocab_(vocab), options_(options), added_(added_tokens), unk_(vocab.unk_id()) {
  std::sort(added_.begin(), added_.end(),
            [](const std::string& a, const std::string& b) { return a.size() != b.size() ? a.size() > b.size() : a < b; });
  for (const auto& t : added_) {
    if (t.empty()) throw std::runtime_error("tokenizer: empty added token");
    if (!vocab.contains(t)) throw std::runtime_error("tokenizer: added token '" + t + "' is not in the vocabulary");
    added_first_byte_[static_cast<unsigned char>(t[0])] = true;
  }
  pieces_.reserve(vocab.size());
  for (int32_t id = 0; id < vocab.size(); ++id) {
    const std::string& t = vocab.token(id);
    bool tail = t.size() > 2 && t.compare(0, 2, "##") == 0;
    pieces_.push_back(tail ? t.substr(2) : t);
    (tail ? tail_ : head_).emplace(pieces_.back(), id);
    max_piece_bytes_ = std::max<int>(max_piece_bytes_, static_cast<int>(pieces_.back().size()));
  }
}

size_t WordPieceTokenizer::match_added(std::string_view text, size_t pos) const {
  if (!added_first_byte_[static_cast<unsigned char>(text[pos])]) return 0;
  for (const auto& t : added_)
    if (text.compare(pos, t.size(), t) == 0) return t.size();
  return 0;
}

void WordPieceTokenizer::words(std::string_view text,
                               const std::function<void(std::string_view, bool)>& emit) const {
  size_t start = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t n = added_.empty() ? 0 : match_added(text, pos);
    if (n == 0) {
      ++pos;
      continue;
    }
    basic(text.substr(start, pos - start), [&](std::string_view w) { emit(w, false); });
    emit(text.substr(pos, n), true);
    pos += n;
    start = pos;
  }
  basic(text.substr(start), [&](std::string_view w) { emit(w, false); });
}

void WordPieceTokenizer::basic(std::string_view s, const std::function<void(std::string_view)>& emit) const {
  std::string token;
  size_t pos = 0;
  while (pos < s.size()) {
    unsigned char b = static_cast<unsigned char>(s[pos]);
    if (b < 0x80) {  // ASCII fast path
      ++pos;
      switch (ascii.cls[b]) {
        case 1: normalize_and_split(token, emit); break;
        case 2: break;
        default: token += static_cast<char>(b);
      }
      continue;
    }
    char32_t cp;
    size_t start = pos;
    if (!utf8::next(s, pos, cp)) {  // invalid bytes count as U+FFFD, which BERT drops
      ++pos;
      continue;
    }
    if (cp == utf8::kReplacement || is_control(cp)) continue;
    if (is_whitespace(cp)) {
      normalize_and_split(token, emit);
    } else if (is_cjk(cp)) {
      normalize_and_split(token, emit);
      token.assign(s.data() + start, pos - start);
      normalize_and_split(token, emit);
    } else {
      token.append(s.data() + start, pos - start);
    }
  }
  normalize_and_split(token, emit);
}

void WordPieceTokenizer::normalize_and_split(std::string& token,
                                             const std::function<void(std::string_view)>& emit) const {
  if (token.empty()) return;
  bool is_ascii = std::all_of(token.begin(), token.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  std::string normalized;
  if (!options_.lowercase) {
    normalized.swap(token);
  } else if (is_ascii) {
    normalized.swap(token);
    for (auto& c : normalized)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  } else {
    // Full Unicode lower-casing of the whole token (final sigma depends on
    // context), then NFD without non-spacing marks.
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(token);
    u.toLower(icu::Locale::getRoot());
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString d = nfd().normalize(u, status);
    if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU normalisation failed: ") + u_errorName(status));
    for (int32_t i = 0; i < d.length(); i = d.moveIndex32(i, 1)) {
      UChar32 c = d.char32At(i);
      if (u_charType(c) != U_NON_SPACING_MARK) utf8::append(normalized, static_cast<char32_t>(c));
    }
  }
  token.clear();

  size_t word_start = 0, pos = 0;
  while (pos < normalized.size()) {
    size_t start = pos;
    char32_t cp;
    unsigned char b = static_cast<unsigned char>(normalized[pos]);
    bool punct;
    if (b < 0x80) {
      punct = ascii.cls[b] == 3;
      ++pos;
    } else {
      utf8::next(normalized, pos, cp);
      punct = is_punctuation(cp);
    }
    if (punct) {
      if (start > word_start) emit(std::string_view(normalized).substr(word_start, start - word_start));
      emit(std::string_view(normalized).substr(start, pos - start));
      word_start = pos;
    }
  }
  if (pos > word_start) emit(std::string_view(normalized).substr(word_start, pos - word_start));
}

void WordPieceTokenizer::wordpiece(std::string_view word, std::vector<int32_t>& out) const {
  // Byte offsets of the code points, so pieces are cut at character boundaries.
  size_t bounds[512];
  size_t n = 0;
  for (size_t pos = 0; pos < word.size();) {
    if (n > static_cast<size_t>(options_.max_chars_per_word) || n + 1 >= sizeof bounds / sizeof bounds[0]) {
      out.push_back(unk_);
      return;
    }
    bounds[n++] = pos;
    unsigned char b = static_cast<unsigned char>(word[pos]);
    pos += b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  }
  if (n > static_cast<size_t>(options_.max_chars_per_word)) {
    out.push_back(unk_);
    return;
  }
  bounds[n] = word.size();
  size_t first = out.size();
  for (size_t start = 0; start < n;) {
    const auto& map = start == 0 ? head_ : tail_;
    size_t end = n;
    while (end > start && bounds[end] - bounds[start] > static_cast<size_t>(max_piece_bytes_)) --end;
    int32_t found = -1;
    for (; end > start; --end) {
      auto it = map.find(word.substr(bounds[start], bounds[end] - bounds[start]));
      if (it != map.end()) {
        found = it->second;
        break;
      }
    }
    if (found < 0) {
      out.resize(first);
      out.push_back(unk_);
      return;
    }
    out.push_back(found);
    start = end;
  }
}

std::vector<int32_t> WordPieceTokenizer::encode(std::string_view text) const {
  std::vector<int32_t> ids;
  words(text, [&](std::string_view w, bool added) {
    if (added) ids.push_back(vocab_.id(w));
    else wordpiece(w, ids);
  });
  return ids;
}

std::vector<std::string> WordPieceTokenizer::tokenize(std::string_view text) const {
  std::vector<std::string> out;
  for (int32_t id : encode(text)) out.push_back(vocab_.token(id));
  return out;
}

std::vector<int32_t> fit_pieces(std::vector<int32_t> pieces, int64_t room, int64_t tail) {
  if (tail < 0 || tail > room)
    throw std::invalid_argument("tail pieces " + std::to_string(tail) + " must be between 0 and " + std::to_string(room));
  const auto n = static_cast<int64_t>(pieces.size());
  if (n <= room) return pieces;
  std::copy(pieces.end() - tail, pieces.end(), pieces.begin() + (room - tail));
  pieces.resize(room);
  return pieces;
}

}  // namespace mh::io
