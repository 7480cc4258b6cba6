// HDF5 files the way every stage writes them: typed n-d datasets (row-major, rows
// along axis 0), variable-length UTF-8 string datasets, attributes on the file or
// on a dataset, chunking + compression for large arrays, and atomic creation: a
// writer works on "<path>.tmp.<pid>" and commit() renames it into place, so a
// killed writer never leaves a file at the final path. Shards written by
// several ranks are concatenated along axis 0 by merge_shards().
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace mh::io {

struct H5Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// IEEE half precision, stored as its bits (h5py reads it as numpy float16).
struct float16_t {
  uint16_t bits = 0;
  static float16_t from_float(float f);
  float to_float() const;
};

enum class DType { u8, i8, i32, i64, f16, f32, f64, str };
std::string dtype_name(DType t);

template <typename T> struct DTypeOf;
template <> struct DTypeOf<uint8_t> { static constexpr DType value = DType::u8; };
template <> struct DTypeOf<int8_t> { static constexpr DType value = DType::i8; };
template <> struct DTypeOf<int32_t> { static constexpr DType value = DType::i32; };
template <> struct DTypeOf<int64_t> { static constexpr DType value = DType::i64; };
template <> struct DTypeOf<float16_t> { static constexpr DType value = DType::f16; };
template <> struct DTypeOf<float> { static constexpr DType value = DType::f32; };
template <> struct DTypeOf<double> { static constexpr DType value = DType::f64; };

using Dims = std::vector<uint64_t>;

struct WriteOptions {
  // Datasets of at least this many bytes are chunked (about chunk_bytes per
  // chunk, whole rows) and deflate-compressed with the shuffle filter.
  uint64_t chunk_threshold_bytes = 1 << 20;
  uint64_t chunk_bytes = 1 << 20;
  int deflate_level = 1;  // 0: chunk only
};

// An open HDF5 object id, closed when it goes out of scope.
class Handle {
 public:
  Handle() = default;
  Handle(int64_t id, int (*close)(int64_t)) : id_(id), close_(close) {}
  Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
  Handle& operator=(Handle&& o) noexcept;
  ~Handle();
  int64_t get() const { return id_; }

 private:
  int64_t id_ = -1;
  int (*close_)(int64_t) = nullptr;
};

class H5Writer {
 public:
  explicit H5Writer(std::filesystem::path final_path, WriteOptions options = {});
  ~H5Writer();  // not committed: the temporary file is removed
  H5Writer(const H5Writer&) = delete;
  H5Writer& operator=(const H5Writer&) = delete;

  // A dataset to fill row by row with write_rows (names may contain '/': groups
  // are created as needed).
  void create(const std::string& name, DType type, const Dims& dims);
  template <typename T>
  void write_rows(const std::string& name, uint64_t first_row, const T* data, uint64_t rows) {
    write_rows_raw(name, DTypeOf<T>::value, first_row, data, rows);
  }
  template <typename T>
  void write(const std::string& name, const std::vector<T>& data, const Dims& dims) {
    create(name, DTypeOf<T>::value, dims);
    write_rows(name, 0, data.data(), dims.empty() ? 1 : dims[0]);
  }
  void write_strings(const std::string& name, const std::vector<std::string>& values);

  // Attributes on the file ("/") or on a dataset.
  void set_attr(const std::string& object, const std::string& name, int64_t value);
  void set_attr(const std::string& object, const std::string& name, double value);
  void set_attr(const std::string& object, const std::string& name, const std::string& value);
  void set_attr(const std::string& object, const std::string& name, const char* value) {
    set_attr(object, name, std::string(value));
  }
  void set_attr(const std::string& object, const std::string& name, const std::vector<std::string>& value);

  // Flushes, closes, fsyncs and renames the file into place.
  void commit();
  const std::filesystem::path& temp_path() const { return temp_; }
  int64_t file_id() const { return file_.get(); }

 private:
  void write_rows_raw(const std::string& name, DType type, uint64_t first_row, const void* data, uint64_t rows);
  std::filesystem::path final_, temp_;
  WriteOptions options_;
  Handle file_;
  bool committed_ = false;
};

class H5Reader {
 public:
  explicit H5Reader(const std::filesystem::path& path);

  bool has(const std::string& name) const;
  Dims dims(const std::string& name) const;
  DType dtype(const std::string& name) const;
  // Every dataset in the file, as full paths without the leading '/', sorted.
  std::vector<std::string> datasets() const;

  template <typename T>
  std::vector<T> read(const std::string& name, Dims* dims_out = nullptr) const {
    Dims d = dims(name);
    uint64_t rows = d.empty() ? 1 : d[0];
    std::vector<T> out(element_count(d));
    read_rows_raw(name, DTypeOf<T>::value, 0, rows, out.data());
    if (dims_out) *dims_out = d;
    return out;
  }
  // Rows [first, first + count) along axis 0.
  template <typename T>
  std::vector<T> read_rows(const std::string& name, uint64_t first, uint64_t count) const {
    Dims d = dims(name);
    d[0] = count;
    std::vector<T> out(element_count(d));
    read_rows_raw(name, DTypeOf<T>::value, first, count, out.data());
    return out;
  }
  std::vector<std::string> read_strings(const std::string& name) const;

  bool has_attr(const std::string& object, const std::string& name) const;
  int64_t attr_int(const std::string& object, const std::string& name) const;
  double attr_double(const std::string& object, const std::string& name) const;
  std::string attr_string(const std::string& object, const std::string& name) const;
  std::vector<std::string> attr_strings(const std::string& object, const std::string& name) const;

  const std::filesystem::path& path() const { return path_; }
  static uint64_t element_count(const Dims& d);

 private:
  void read_rows_raw(const std::string& name, DType type, uint64_t first, uint64_t count, void* out) const;
  std::filesystem::path path_;
  Handle file_;
};

// Concatenates every dataset of the shards along axis 0, in shard order, into
// `out` (atomically); file attributes come from the first shard. All shards must
// hold the same datasets with the same types and trailing dimensions.
void merge_shards(const std::vector<std::filesystem::path>& shards, const std::filesystem::path& out,
                  WriteOptions options = {});

}  // namespace mh::io
