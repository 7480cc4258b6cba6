// A WordPiece vocabulary: Hugging Face's vocab.txt, one token per line, id =
// line number - 1. Special tokens are looked up by name ([PAD], [UNK], [CLS],
// [SEP], [MASK]); [UNK] must exist.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mh::io {

class Vocab {
 public:
  Vocab() = default;
  explicit Vocab(std::vector<std::string> tokens);  // throws on duplicates
  // Errors name the file and line (empty line, duplicate token, invalid UTF-8).
  static Vocab load(const std::filesystem::path& path);
  void save(const std::filesystem::path& path) const;  // atomic: temp + rename

  int32_t size() const { return static_cast<int32_t>(tokens_.size()); }
  const std::string& token(int32_t id) const { return tokens_.at(id); }
  const std::vector<std::string>& tokens() const { return tokens_; }
  std::optional<int32_t> find(std::string_view token) const;
  int32_t id(std::string_view token) const;  // throws when missing
  bool contains(std::string_view token) const { return find(token).has_value(); }
  // Appends `token` when missing (as Hugging Face's add_tokens does); returns its id.
  int32_t add(const std::string& token);

  // [PAD] [UNK] [CLS] [SEP] [MASK]: what every vocabulary this project builds starts with.
  static const std::vector<std::string>& special_tokens();
  // Their ids here, in that order (throws when one is missing).
  std::vector<int32_t> special_ids() const;

  int32_t pad_id() const { return id("[PAD]"); }
  int32_t unk_id() const { return id("[UNK]"); }
  int32_t cls_id() const { return id("[CLS]"); }
  int32_t sep_id() const { return id("[SEP]"); }
  int32_t mask_id() const { return id("[MASK]"); }

  // sha256 of the vocab.txt this vocabulary saves as.
  std::string sha256() const;

 private:
  std::string text() const;
  std::vector<std::string> tokens_;
  std::unordered_map<std::string, int32_t> ids_;
};

}  // namespace mh::io
