#include "io/text_preprocess.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "io/utf8.h"
#include "io/vocab.h"

namespace mh::io {
namespace {

// Emoticons only count as such when they stand alone (whitespace or text edge on
// both sides), so "10:30" or "a:b" are never touched.
const std::vector<std::pair<std::string, std::string>>& emoticon_table() {
  static const std::vector<std::pair<std::string, std::string>> t = {
      {":)", "_SMILE_"},  {":-)", "_SMILE_"},   {"(:", "_SMILE_"},    {":]", "_SMILE_"},   {"=)", "_SMILE_"},
      {":(", "_FROWN_"},  {":-(", "_FROWN_"},   {"):", "_FROWN_"},    {":[", "_FROWN_"},   {"=(", "_FROWN_"},
      {":D", "_LAUGH_"},  {":-D", "_LAUGH_"},   {"xD", "_LAUGH_"},    {"XD", "_LAUGH_"},   {";)", "_WINK_"},
      {";-)", "_WINK_"},  {":P", "_TONGUE_"},   {":p", "_TONGUE_"},   {":-P", "_TONGUE_"}, {":'(", "_CRY_"},
      {"T_T", "_CRY_"},   {";_;", "_CRY_"},     {"<3", "_HEART_"},    {"</3", "_BROKEN_HEART_"},
      {":/", "_SKEPTIC_"}, {":-/", "_SKEPTIC_"}, {":|", "_NEUTRAL_"},  {":-|", "_NEUTRAL_"},
      {":o", "_SURPRISE_"}, {":O", "_SURPRISE_"}, {"-_-", "_ANNOYED_"}, {"^_^", "_HAPPY_"}, {"^^", "_HAPPY_"},
  };
  return t;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool is_emoji(char32_t c) {
  return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) || (c >= 0x2300 && c <= 0x23FF) ||
         (c >= 0x2B00 && c <= 0x2BFF) || c == 0x3030 || c == 0x303D || c == 0x3297 || c == 0x3299;
}

// Joins an emoji sequence: zero-width joiner, variation selectors, skin tones, tags.
bool is_emoji_continuation(char32_t c) {
  return c == 0x200D || c == 0xFE0F || c == 0xFE0E || (c >= 0x1F3FB && c <= 0x1F3FF) || (c >= 0xE0020 && c <= 0xE007F) ||
         c == 0x20E3;
}

bool url_start(std::string_view s, size_t i) {
  auto starts = [&](const char* p) {
    size_t n = std::char_traits<char>::length(p);
    if (s.size() - i < n) return false;
    for (size_t k = 0; k < n; ++k)
      if (std::tolower(static_cast<unsigned char>(s[i + k])) != p[k]) return false;
    return true;
  };
  return (starts("http://") || starts("https://") || starts("www.")) && s.size() - i > 7;
}

// Trailing characters that end a sentence rather than a URL or address.
size_t trim_trailing(std::string_view s, size_t begin, size_t end) {
  while (end > begin && std::string_view(".,;:!?)]}'\"").find(s[end - 1]) != std::string_view::npos) --end;
  return end;
}

bool email_at(std::string_view w) {
  size_t at = w.find('@');
  if (at == 0 || at == std::string_view::npos || w.find('@', at + 1) != std::string_view::npos) return false;
  for (size_t i = 0; i < at; ++i) {
    unsigned char c = w[i];
    if (!(std::isalnum(c) || std::string_view("._%+-").find(c) != std::string_view::npos)) return false;
  }
  size_t dot = w.rfind('.');
  if (dot == std::string_view::npos || dot < at + 2 || w.size() - dot < 3) return false;
  for (size_t i = at + 1; i < w.size(); ++i) {
    unsigned char c = w[i];
    if (!(std::isalnum(c) || c == '.' || c == '-')) return false;
  }
  for (size_t i = dot + 1; i < w.size(); ++i)
    if (!std::isalpha(static_cast<unsigned char>(w[i]))) return false;
  return true;
}

bool handle_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

std::vector<std::string> marker_tokens(const PreprocessOptions& o) {
  std::vector<std::string> out;
  if (o.urls) out.push_back("_URL_");
  if (o.emails) out.push_back("_EMAIL_");
  if (o.handles) out.push_back("_USER_");
  if (o.emoticons)
    for (const auto& e : emoticon_table())
      if (std::find(out.begin(), out.end(), e.second) == out.end()) out.push_back(e.second);
  return out;
}

std::vector<std::string> never_split_tokens(const PreprocessOptions& o) {
  std::vector<std::string> out = Vocab::special_tokens();
  for (auto& m : marker_tokens(o)) out.push_back(std::move(m));
  return out;
}

nlohmann::json to_json(const PreprocessOptions& o) {
  return {{"urls", o.urls}, {"emails", o.emails}, {"handles", o.handles}, {"emoticons", o.emoticons}, {"emoji", o.emoji}};
}

PreprocessOptions preprocess_options_from_json(const nlohmann::json& j) {
  PreprocessOptions o;
  o.urls = j.value("urls", true);
  o.emails = j.value("emails", true);
  o.handles = j.value("handles", true);
  o.emoticons = j.value("emoticons", true);
  o.emoji = j.value("emoji", true);
  return o;
}

std::string preprocess(std::string_view s, const PreprocessOptions& o) {
  std::string out;
  out.reserve(s.size() + 16);
  size_t i = 0;
  while (i < s.size()) {
    bool word_start = i == 0 || is_space(s[i - 1]) || std::string_view("([\"'").find(s[i - 1]) != std::string_view::npos;
    if (word_start) {
      size_t end = i;
      while (end < s.size() && !is_space(s[end])) ++end;
      std::string_view word = s.substr(i, end - i);
      if (o.urls && url_start(s, i)) {
        size_t stop = trim_trailing(s, i, end);
        out += "_URL_";
        i = stop;
        continue;
      }
      size_t trimmed = trim_trailing(s, i, end);
      if (o.emails && email_at(s.substr(i, trimmed - i))) {
        out += "_EMAIL_";
        i = trimmed;
        continue;
      }
      if (o.handles && s[i] == '@' && i + 1 < s.size() && handle_char(s[i + 1])) {
        size_t stop = i + 1;
        while (stop < s.size() && handle_char(s[stop])) ++stop;
        out += "_USER_";
        i = stop;
        continue;
      }
      if (o.emoticons && (i == 0 || is_space(s[i - 1]))) {
        bool matched = false;
        for (const auto& [face, marker] : emoticon_table()) {
          if (word == face) {
            out += marker;
            i = end;
            matched = true;
            break;
          }
        }
        if (matched) continue;
      }
    }
    unsigned char b = static_cast<unsigned char>(s[i]);
    if (b < 0x80 || !o.emoji) {
      out += s[i++];
      continue;
    }
    size_t start = i;
    char32_t cp;
    if (!utf8::next(s, i, cp)) {  // not expected (input is validated): copy the byte
      out += s[i++];
      continue;
    }
    if (!is_emoji(cp)) {
      out.append(s.data() + start, i - start);
      continue;
    }
    // One emoji sequence, set apart by spaces.
    size_t seq_end = i;
    for (size_t p = i; p < s.size();) {
      char32_t next;
      size_t q = p;
      if (!utf8::next(s, q, next)) break;
      bool joined = is_emoji_continuation(next) || (p > 0 && s.compare(p - 3, 3, "\xE2\x80\x8D") == 0 && is_emoji(next));
      if (!joined) break;
      p = seq_end = q;
    }
    if (!out.empty() && out.back() != ' ') out += ' ';
    out.append(s.data() + start, seq_end - start);
    out += ' ';
    i = seq_end;
  }
  return out;
}

}  // namespace mh::io
