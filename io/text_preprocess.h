// Post preprocessing, as the paper's code does it, each step switchable: URLs ->
// _URL_, e-mail addresses -> _EMAIL_, @handles -> _USER_, emoticons -> a named
// marker each (":)" -> _SMILE_), emoji sequences set apart as words of their own.
// Lower-casing is the tokenizer's job (TokenizerOptions::lowercase). The
// markers are added tokens: the tokenizer never splits them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mh::io {

struct PreprocessOptions {
  bool urls = true, emails = true, handles = true, emoticons = true, emoji = true;
};

// The text must be valid UTF-8.
std::string preprocess(std::string_view text, const PreprocessOptions& options);

// Every marker preprocess() can produce with these options.
std::vector<std::string> marker_tokens(const PreprocessOptions& options);

}  // namespace mh::io
