// UTF-8 decoding and validation (RFC 3629: no overlongs, no surrogates, at most
// U+10FFFF), used on every input text before anything else looks at it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mh::io::utf8 {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes the code point at s[pos] and advances pos; returns false (pos
// unchanged) when the bytes there are not valid UTF-8.
bool next(std::string_view s, size_t& pos, char32_t& cp);

// Byte offset of the first invalid sequence, or npos when `s` is valid.
size_t first_invalid(std::string_view s);

// Every invalid sequence replaced by U+FFFD (one per maximal invalid prefix).
std::string replace_invalid(std::string_view s);

void append(std::string& out, char32_t cp);

}  // namespace mh::io::utf8
