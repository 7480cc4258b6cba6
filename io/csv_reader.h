// RFC 4180 CSV: comma-separated, '"'-quoted fields that may hold commas,
// doubled quotes and newlines; LF or CRLF line ends; an optional UTF-8 BOM.
// The first record is the header. Every error names the file and the line
// (and column where it helps) and says what was expected.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mh::io {

struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct CsvRecord {
  int64_t line = 0;                 // line where the record starts (header = 1)
  std::vector<std::string> fields;  // unquoted, unescaped
  int64_t invalid_utf8_at = -1;     // byte offset in the file of the first invalid UTF-8, or -1
};

class CsvReader {
 public:
  explicit CsvReader(const std::filesystem::path& path);

  const std::vector<std::string>& header() const { return header_; }
  std::optional<size_t> find_column(const std::string& name) const;
  size_t column(const std::string& name) const;  // InputError listing the columns found

  // False at the end of the file. Structural errors (a quote never closed,
  // text after a closing quote) throw InputError: the rest of the file cannot
  // be trusted after them.
  bool next(CsvRecord& record);

  // "file:line:col" of a byte offset, for messages.
  std::string where(int64_t offset) const;
  std::string where_line(int64_t line) const { return path_.string() + ":" + std::to_string(line); }
  const std::filesystem::path& path() const { return path_; }

 private:
  bool parse(CsvRecord& record);
  std::filesystem::path path_;
  std::string data_;
  size_t pos_ = 0;
  int64_t line_ = 1;
  std::vector<std::string> header_;
  std::vector<size_t> invalid_;  // offsets of invalid UTF-8 sequences, ascending
};

}  // namespace mh::io
