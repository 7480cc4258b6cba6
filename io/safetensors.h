// The safetensors format (Hugging Face): an 8-byte little-endian header length
// N, N bytes of JSON {"name": {"dtype", "shape", "data_offsets": [begin, end]},
// "__metadata__": {...}}, then the raw little-endian buffer. Reading validates
// everything a truncated or inconsistent file could get wrong: header length,
// JSON, dtype, shape, offsets inside the buffer, size = numel * dtype size, no
// overlaps and no holes. Torch-free: nn/ turns the buffers into tensors.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace mh::io {

struct SafeTensor {
  std::string dtype;           // F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL
  std::vector<int64_t> shape;
  const char* data = nullptr;  // into the file's buffer, valid while the file object lives
  size_t bytes = 0;
};

size_t safetensors_dtype_size(const std::string& dtype);  // 0 when unknown

class SafetensorsFile {
 public:
  explicit SafetensorsFile(const std::filesystem::path& path);
  const std::map<std::string, SafeTensor>& tensors() const { return tensors_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  const SafeTensor& at(const std::string& name) const;

 private:
  std::filesystem::path path_;
  std::string buffer_;
  std::map<std::string, SafeTensor> tensors_;
  std::map<std::string, std::string> metadata_;
};

struct NamedBuffer {
  std::string name, dtype;
  std::vector<int64_t> shape;
  const void* data;
  size_t bytes;
};

// Writes atomically, tensors in the given order, 8-byte aligned header.
void write_safetensors(const std::filesystem::path& path, const std::vector<NamedBuffer>& tensors,
                       const std::map<std::string, std::string>& metadata = {});

}  // namespace mh::io
