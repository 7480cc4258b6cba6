#include "io/vocab.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "io/atomic_file.h"
#include "io/sha256.h"
#include "io/utf8.h"

namespace mh::io {

Vocab::Vocab(std::vector<std::string> tokens) {
  for (auto& t : tokens) {
    if (ids_.count(t)) throw std::runtime_error("vocabulary: duplicate token '" + t + "'");
    ids_.emplace(t, static_cast<int32_t>(tokens_.size()));
    tokens_.push_back(std::move(t));
  }
}

Vocab Vocab::load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot open vocabulary file");
  Vocab v;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto where = path.string() + ":" + std::to_string(n) + ": ";
    if (line.empty()) throw std::runtime_error(where + "empty line; expected one token per line");
    if (utf8::first_invalid(line) != std::string::npos) throw std::runtime_error(where + "invalid UTF-8");
    if (v.ids_.count(line)) throw std::runtime_error(where + "duplicate token '" + line + "'");
    v.ids_.emplace(line, static_cast<int32_t>(v.tokens_.size()));
    v.tokens_.push_back(line);
  }
  if (v.tokens_.empty()) throw std::runtime_error(path.string() + ": empty vocabulary file");
  if (!v.contains("[UNK]")) throw std::runtime_error(path.string() + ": no [UNK] token");
  return v;
}

std::string Vocab::text() const {
  std::string out;
  for (const auto& t : tokens_) out += t + "\n";
  return out;
}

void Vocab::save(const std::filesystem::path& path) const { write_file_atomic(path, text()); }

std::string Vocab::sha256() const { return sha256_hex(text()); }

std::optional<int32_t> Vocab::find(std::string_view token) const {
  auto it = ids_.find(std::string(token));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

int32_t Vocab::id(std::string_view token) const {
  auto id = find(token);
  if (!id) throw std::runtime_error("vocabulary has no token '" + std::string(token) + "'");
  return *id;
}

const std::vector<std::string>& Vocab::special_tokens() {
  static const std::vector<std::string> s = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  return s;
}

std::vector<int32_t> Vocab::special_ids() const {
  std::vector<int32_t> out;
  for (const auto& t : special_tokens()) out.push_back(id(t));
  return out;
}

int32_t Vocab::add(const std::string& token) {
  if (auto id = find(token)) return *id;
  ids_.emplace(token, size());
  tokens_.push_back(token);
  return size() - 1;
}

}  // namespace mh::io
