// Post preprocessing, as the paper's code does it, each step switchable: URLs ->
// _URL_, e-mail addresses -> _EMAIL_, @handles -> _USER_, emoticons -> a named
// marker each (":)" -> _SMILE_), emoji sequences set apart as words of their own.
// Lower-casing is the tokenizer's job (TokenizerOptions::lowercase). The
// markers are added tokens: the tokenizer never splits them.
#pragma once

#include <nlohmann/json.hpp>
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

// The tokens the tokenizer must never split: BERT's special tokens, then the markers.
std::vector<std::string> never_split_tokens(const PreprocessOptions& options);

// As recorded in manifest.json and a model's inputs.json.
nlohmann::json to_json(const PreprocessOptions& options);
PreprocessOptions preprocess_options_from_json(const nlohmann::json& j);

}  // namespace mh::io
