#include "io/csv_reader.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "io/utf8.h"

namespace mh::io {

CsvReader::CsvReader(const std::filesystem::path& path) : path_(path) {
  if (!std::filesystem::exists(path)) throw InputError(path.string() + ": no such file");
  if (std::filesystem::is_directory(path)) throw InputError(path.string() + ": is a directory, expected a CSV file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  data_ = ss.str();
  if (data_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;
  for (size_t off = pos_; off < data_.size();) {
    size_t bad = utf8::first_invalid(std::string_view(data_).substr(off));
    if (bad == std::string_view::npos) break;
    invalid_.push_back(off + bad);
    off += bad + 1;
  }
  CsvRecord head;
  if (pos_ >= data_.size() || !parse(head))
    throw InputError(path.string() + ": empty file; expected a header line naming the columns");
  if (head.invalid_utf8_at >= 0) throw InputError(where(head.invalid_utf8_at) + ": invalid UTF-8 in the header");
  header_ = std::move(head.fields);
}

std::optional<size_t> CsvReader::find_column(const std::string& name) const {
  auto it = std::find(header_.begin(), header_.end(), name);
  if (it == header_.end()) return std::nullopt;
  return static_cast<size_t>(it - header_.begin());
}

size_t CsvReader::column(const std::string& name) const {
  if (auto c = find_column(name)) return *c;
  std::string found;
  for (const auto& h : header_) found += (found.empty() ? "" : ", ") + ("'" + h + "'");
  throw InputError(path_.string() + ":1: missing column '" + name + "'; the header has " + found);
}

std::string CsvReader::where(int64_t offset) const {
  int64_t line = 1 + std::count(data_.begin(), data_.begin() + offset, '\n');
  size_t line_start = data_.rfind('\n', offset == 0 ? 0 : offset - 1);
  line_start = line_start == std::string::npos || offset == 0 ? 0 : line_start + 1;
  return path_.string() + ":" + std::to_string(line) + ":" + std::to_string(offset - line_start + 1);
}

bool CsvReader::next(CsvRecord& record) { return parse(record); }

bool CsvReader::parse(CsvRecord& r) {
  if (pos_ >= data_.size()) return false;
  r.fields.clear();
  r.line = line_;
  size_t begin = pos_;
  std::string field;
  for (;;) {
    field.clear();
    if (pos_ < data_.size() && data_[pos_] == '"') {
      size_t quote_at = pos_;
      int64_t quote_line = line_;
      ++pos_;
      for (;;) {
        if (pos_ >= data_.size())
          throw InputError(where(quote_at) + ": quoted field starting here (line " + std::to_string(quote_line) +
                           ") is never closed; expected a closing '\"' (unbalanced quotes)");
        char c = data_[pos_++];
        if (c == '"') {
          if (pos_ < data_.size() && data_[pos_] == '"') {
            field += '"';
            ++pos_;
          } else {
            break;
          }
        } else {
          if (c == '\n') ++line_;
          field += c;
        }
      }
      if (pos_ < data_.size() && data_[pos_] != ',' && data_[pos_] != '\n' &&
          !(data_[pos_] == '\r' && pos_ + 1 < data_.size() && data_[pos_ + 1] == '\n'))
        throw InputError(where(pos_) + ": expected ',' or the end of the line after a closing quote, found '" +
                         std::string(1, data_[pos_]) + "' (a quote inside a field must be doubled)");
    } else {
      size_t start = pos_;
      while (pos_ < data_.size() && data_[pos_] != ',' && data_[pos_] != '\n') ++pos_;
      size_t end = pos_;
      if (end > start && data_[end - 1] == '\r' && (end == data_.size() || data_[end] == '\n')) --end;
      field.assign(data_, start, end - start);
    }
    r.fields.push_back(field);
    if (pos_ >= data_.size()) break;
    if (data_[pos_] == ',') {
      ++pos_;
      continue;
    }
    if (data_[pos_] == '\r') ++pos_;
    if (pos_ < data_.size() && data_[pos_] == '\n') {
      ++pos_;
      ++line_;
    }
    break;
  }
  auto bad = std::lower_bound(invalid_.begin(), invalid_.end(), begin);
  r.invalid_utf8_at = bad != invalid_.end() && *bad < pos_ ? static_cast<int64_t>(*bad) : -1;
  // A blank line is not a record.
  if (r.fields.size() == 1 && r.fields[0].empty()) return parse(r);
  return true;
}

}  // namespace mh::io
