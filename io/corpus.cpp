#include "io/corpus.h"

#include <fstream>

#include "io/csv_reader.h"
#include "io/utf8.h"

namespace mh::io {

int64_t read_corpus(const std::filesystem::path& file, int64_t max_posts, const std::function<void(std::string&&)>& post) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file.string() + ": cannot open corpus file (expected one post per line)");
  std::string line;
  int64_t posts = 0;
  while ((max_posts == 0 || posts < max_posts) && std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (line.back() == '\r') line.pop_back();  // CRLF files
    ++posts;
    post(utf8::replace_invalid(line));
  }
  if (in.bad()) throw InputError(file.string() + ": read error after " + std::to_string(posts) + " posts");
  return posts;
}

}  // namespace mh::io
