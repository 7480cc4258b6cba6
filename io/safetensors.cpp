#include "io/safetensors.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/atomic_file.h"
#include "io/csv_reader.h"

namespace mh::io {

size_t safetensors_dtype_size(const std::string& d) {
  if (d == "F64" || d == "I64" || d == "U64") return 8;
  if (d == "F32" || d == "I32" || d == "U32") return 4;
  if (d == "F16" || d == "BF16" || d == "I16" || d == "U16") return 2;
  if (d == "I8" || d == "U8" || d == "BOOL") return 1;
  return 0;
}

SafetensorsFile::SafetensorsFile(const std::filesystem::path& path) : path_(path) {
  const std::string p = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(p + ": cannot open safetensors file");
  std::ostringstream ss;
  ss << in.rdbuf();
  buffer_ = ss.str();
  if (buffer_.size() < 8) throw InputError(p + ": truncated: " + std::to_string(buffer_.size()) + " bytes, expected at least the 8-byte header length");
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(buffer_[i]);
  if (n > buffer_.size() - 8)
    throw InputError(p + ": header length " + std::to_string(n) + " exceeds the file (" + std::to_string(buffer_.size()) + " bytes): truncated or not safetensors");
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(buffer_.begin() + 8, buffer_.begin() + 8 + static_cast<std::ptrdiff_t>(n));
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(p + ": header is not valid JSON: " + e.what());
  }
  if (!header.is_object()) throw InputError(p + ": header is not a JSON object");
  const size_t data_start = 8 + n, data_size = buffer_.size() - data_start;
  std::vector<std::pair<size_t, size_t>> ranges;
  for (const auto& [name, entry] : header.items()) {
    if (name == "__metadata__") {
      if (!entry.is_object()) throw InputError(p + ": __metadata__ must be an object of strings");
      for (const auto& [k, v] : entry.items()) {
        if (!v.is_string()) throw InputError(p + ": __metadata__ value '" + k + "' is not a string");
        metadata_[k] = v.get<std::string>();
      }
      continue;
    }
    auto bad = [&](const std::string& what) { return InputError(p + ": tensor '" + name + "': " + what); };
    if (!entry.is_object() || !entry.contains("dtype") || !entry.contains("shape") || !entry.contains("data_offsets"))
      throw bad("expected an object with dtype, shape and data_offsets");
    SafeTensor t;
    t.dtype = entry["dtype"].is_string() ? entry["dtype"].get<std::string>() : "";
    size_t item = safetensors_dtype_size(t.dtype);
    if (!item) throw bad("unknown dtype '" + entry["dtype"].dump() + "'");
    uint64_t numel = 1;
    if (!entry["shape"].is_array()) throw bad("shape is not an array");
    for (const auto& d : entry["shape"]) {
      if (!d.is_number_integer() || d.get<int64_t>() < 0) throw bad("shape holds " + d.dump() + ", expected sizes >= 0");
      t.shape.push_back(d.get<int64_t>());
      numel *= static_cast<uint64_t>(d.get<int64_t>());
    }
    const auto& off = entry["data_offsets"];
    if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() || !off[1].is_number_unsigned())
      throw bad("data_offsets must be [begin, end]");
    uint64_t begin = off[0], end = off[1];
    if (begin > end || end > data_size)
      throw bad("data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) + "] lie outside the " +
                std::to_string(data_size) + "-byte buffer (truncated file?)");
    if (end - begin != numel * item)
      throw bad("holds " + std::to_string(end - begin) + " bytes but dtype " + t.dtype + " and shape need " +
                std::to_string(numel * item));
    t.data = buffer_.data() + data_start + begin;
    t.bytes = end - begin;
    ranges.push_back({begin, end});
    tensors_.emplace(name, std::move(t));
  }
  std::sort(ranges.begin(), ranges.end());
  size_t at = 0;
  for (const auto& [b, e] : ranges) {
    if (b != at) throw InputError(p + ": tensor buffers " + (b < at ? "overlap" : "leave a hole") + " at byte " + std::to_string(std::min(b, at)));
    at = e;
  }
  if (at != data_size) throw InputError(p + ": " + std::to_string(data_size - at) + " bytes after the last tensor");
}

const SafeTensor& SafetensorsFile::at(const std::string& name) const {
  auto it = tensors_.find(name);
  if (it == tensors_.end()) throw InputError(path_.string() + ": no tensor '" + name + "'");
  return it->second;
}

void write_safetensors(const std::filesystem::path& path, const std::vector<NamedBuffer>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  nlohmann::json header = nlohmann::json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  size_t offset = 0;
  for (const auto& t : tensors) {
    header[t.name] = {{"dtype", t.dtype}, {"shape", t.shape}, {"data_offsets", {offset, offset + t.bytes}}};
    offset += t.bytes;
  }
  std::string h = header.dump();
  h.append((8 - h.size() % 8) % 8, ' ');  // the format allows trailing spaces; keeps the buffer aligned
  std::string out(8, '\0');
  uint64_t n = h.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  out += h;
  for (const auto& t : tensors) out.append(static_cast<const char*>(t.data), t.bytes);
  write_file_atomic(path, out);
}

}  // namespace mh::io
