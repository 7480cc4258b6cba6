#include "io/hdf5_store.h"

#include <fcntl.h>
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

namespace mh::io {
namespace {

// HDF5 prints its error stack to stderr by default; we turn that off once and
// put the innermost message into the exception instead.
struct QuietHdf5 {
  QuietHdf5() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }
};
const QuietHdf5 quiet_hdf5;

herr_t innermost(unsigned n, const H5E_error2_t* e, void* out) {
  if (n == 0 && e->desc) *static_cast<std::string*>(out) = e->desc;
  return 0;
}

[[noreturn]] void fail(const char* file, int line, const std::string& what) {
  std::string detail;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, innermost, &detail);
  H5Eclear2(H5E_DEFAULT);
  const char* base = std::strrchr(file, '/');
  throw H5Error(std::string(base ? base + 1 : file) + ":" + std::to_string(line) + ": " + what +
                (detail.empty() ? "" : " (HDF5: " + detail + ")"));
}

}  // namespace
}  // namespace mh::io

// Checks an HDF5 call returning herr_t or hid_t (negative means failure).
#define MH_H5_CHECK(call, what)                                           \
  ([&]() {                                                                \
    auto mh_r_ = (call);                                                  \
    if (mh_r_ < 0) ::mh::io::fail(__FILE__, __LINE__, std::string(what)); \
    return mh_r_;                                                         \
  }())

namespace mh::io {
namespace {

int close_file(int64_t id) { return H5Fclose(id); }
int close_dataset(int64_t id) { return H5Dclose(id); }
int close_space(int64_t id) { return H5Sclose(id); }
int close_type(int64_t id) { return H5Tclose(id); }
int close_plist(int64_t id) { return H5Pclose(id); }
int close_attr(int64_t id) { return H5Aclose(id); }
int close_object(int64_t id) { return H5Oclose(id); }

Handle half_type() {
  // IEEE binary16 built from single precision: what numpy/h5py call float16.
  Handle t(MH_H5_CHECK(H5Tcopy(H5T_IEEE_F32LE), "copy float type"), close_type);
  MH_H5_CHECK(H5Tset_fields(t.get(), 15, 10, 5, 0, 10), "set float16 fields");
  MH_H5_CHECK(H5Tset_size(t.get(), 2), "set float16 size");
  MH_H5_CHECK(H5Tset_ebias(t.get(), 15), "set float16 exponent bias");
  return t;
}

Handle string_type() {
  Handle t(MH_H5_CHECK(H5Tcopy(H5T_C_S1), "copy string type"), close_type);
  MH_H5_CHECK(H5Tset_size(t.get(), H5T_VARIABLE), "make string variable-length");
  MH_H5_CHECK(H5Tset_cset(t.get(), H5T_CSET_UTF8), "set UTF-8");
  return t;
}

// The in-memory type of a DType (the same type is used in the file).
Handle memory_type(DType t) {
  hid_t base = -1;
  switch (t) {
    case DType::u8: base = H5T_NATIVE_UINT8; break;
    case DType::i8: base = H5T_NATIVE_INT8; break;
    case DType::i32: base = H5T_NATIVE_INT32; break;
    case DType::i64: base = H5T_NATIVE_INT64; break;
    case DType::f32: base = H5T_NATIVE_FLOAT; break;
    case DType::f64: base = H5T_NATIVE_DOUBLE; break;
    case DType::f16: return half_type();
    case DType::str: return string_type();
  }
  return Handle(MH_H5_CHECK(H5Tcopy(base), "copy type"), close_type);
}

DType classify(hid_t type, const std::string& name) {
  H5T_class_t cls = H5Tget_class(type);
  size_t size = H5Tget_size(type);
  if (cls == H5T_STRING) return DType::str;
  if (cls == H5T_FLOAT) {
    if (size == 2) return DType::f16;
    if (size == 4) return DType::f32;
    if (size == 8) return DType::f64;
  }
  if (cls == H5T_INTEGER) {
    bool is_signed = H5Tget_sign(type) == H5T_SGN_2;
    if (size == 1) return is_signed ? DType::i8 : DType::u8;
    if (size == 4 && is_signed) return DType::i32;
    if (size == 8 && is_signed) return DType::i64;
  }
  throw H5Error("dataset '" + name + "': unsupported HDF5 type (class " + std::to_string(cls) + ", " +
                std::to_string(size) + " bytes)");
}

Handle open_dataset(hid_t file, const std::string& name, const std::filesystem::path& path) {
  hid_t d = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
  if (d < 0) {
    H5Eclear2(H5E_DEFAULT);
    throw H5Error(path.string() + ": no dataset '" + name + "'");
  }
  return Handle(d, close_dataset);
}

Dims dataset_dims(hid_t dataset) {
  Handle space(MH_H5_CHECK(H5Dget_space(dataset), "get dataspace"), close_space);
  int rank = MH_H5_CHECK(H5Sget_simple_extent_ndims(space.get()), "get rank");
  std::vector<hsize_t> d(rank);
  MH_H5_CHECK(H5Sget_simple_extent_dims(space.get(), d.data(), nullptr), "get dims");
  return Dims(d.begin(), d.end());
}

// The file and memory dataspaces of rows [first, first + count).
std::pair<Handle, Handle> row_spaces(hid_t dataset, const Dims& dims, uint64_t first, uint64_t count,
                                     const std::string& name) {
  Handle file_space(MH_H5_CHECK(H5Dget_space(dataset), "get dataspace"), close_space);
  if (dims.empty()) {
    if (first != 0 || count != 1) throw H5Error("dataset '" + name + "' is a scalar: only row 0 of 1 exists");
    return {std::move(file_space), Handle(MH_H5_CHECK(H5Screate(H5S_SCALAR), "scalar space"), close_space)};
  }
  if (first + count > dims[0])
    throw H5Error("dataset '" + name + "': rows " + std::to_string(first) + ".." + std::to_string(first + count) +
                  " exceed its " + std::to_string(dims[0]) + " rows");
  std::vector<hsize_t> start(dims.size(), 0), extent(dims.begin(), dims.end());
  start[0] = first;
  extent[0] = count;
  MH_H5_CHECK(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, extent.data(), nullptr),
              "select rows of '" + name + "'");
  Handle mem(MH_H5_CHECK(H5Screate_simple(static_cast<int>(extent.size()), extent.data(), nullptr), "memory space"),
             close_space);
  return {std::move(file_space), std::move(mem)};
}

Handle open_object(hid_t file, const std::string& object) {
  return Handle(MH_H5_CHECK(H5Oopen(file, object.c_str(), H5P_DEFAULT), "open object '" + object + "'"),
                close_object);
}

void write_attr(hid_t file, const std::string& object, const std::string& name, hid_t type, hid_t space,
                const void* data) {
  Handle obj = open_object(file, object);
  if (H5Aexists(obj.get(), name.c_str()) > 0) MH_H5_CHECK(H5Adelete(obj.get(), name.c_str()), "replace attribute");
  Handle attr(MH_H5_CHECK(H5Acreate2(obj.get(), name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT),
                          "create attribute '" + name + "'"),
              close_attr);
  MH_H5_CHECK(H5Awrite(attr.get(), type, data), "write attribute '" + name + "'");
}

void fsync_path(const std::filesystem::path& p, int flags) {
  int fd = ::open(p.c_str(), flags);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

float16_t float16_t::from_float(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  uint32_t sign = (x >> 16) & 0x8000u;
  int32_t exp = static_cast<int32_t>((x >> 23) & 0xff) - 127 + 15;
  uint32_t mant = x & 0x7fffffu;
  float16_t h;
  if (((x >> 23) & 0xff) == 0xff) {  // inf / nan
    h.bits = static_cast<uint16_t>(sign | 0x7c00u | (mant ? 0x200u : 0));
  } else if (exp >= 31) {
    h.bits = static_cast<uint16_t>(sign | 0x7c00u);
  } else if (exp <= 0) {  // subnormal or zero, round to nearest even
    if (exp < -10) { h.bits = static_cast<uint16_t>(sign); return h; }
    mant |= 0x800000u;
    uint32_t shift = static_cast<uint32_t>(14 - exp);
    uint32_t half = mant >> shift, rem = mant & ((1u << shift) - 1), mid = 1u << (shift - 1);
    if (rem > mid || (rem == mid && (half & 1))) ++half;
    h.bits = static_cast<uint16_t>(sign | half);
  } else {
    uint32_t half = (static_cast<uint32_t>(exp) << 10) | (mant >> 13), rem = mant & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (half & 1))) ++half;  // may carry into the exponent: correct
    h.bits = static_cast<uint16_t>(sign | half);
  }
  return h;
}

float float16_t::to_float() const {
  uint32_t sign = (bits & 0x8000u) << 16, exp = (bits >> 10) & 0x1f, mant = bits & 0x3ffu, x;
  if (exp == 0) {
    float f = std::ldexp(static_cast<float>(mant), -24);
    return sign ? -f : f;
  }
  if (exp == 31) x = sign | 0x7f800000u | (mant << 13);
  else x = sign | ((exp - 15 + 127) << 23) | (mant << 13);
  float f;
  std::memcpy(&f, &x, 4);
  return f;
}

std::string dtype_name(DType t) {
  switch (t) {
    case DType::u8: return "uint8";
    case DType::i8: return "int8";
    case DType::i32: return "int32";
    case DType::i64: return "int64";
    case DType::f16: return "float16";
    case DType::f32: return "float32";
    case DType::f64: return "float64";
    case DType::str: return "string";
  }
  return "?";
}

Handle& Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    if (id_ >= 0 && close_) close_(id_);
    id_ = o.id_;
    close_ = o.close_;
    o.id_ = -1;
  }
  return *this;
}

Handle::~Handle() {
  if (id_ >= 0 && close_) close_(id_);
}

// ---------------------------------------------------------------- writer

H5Writer::H5Writer(std::filesystem::path final_path, WriteOptions options)
    : final_(std::move(final_path)), options_(options) {
  temp_ = final_;
  temp_ += ".tmp." + std::to_string(::getpid());
  if (final_.has_parent_path()) std::filesystem::create_directories(final_.parent_path());
  hid_t f = H5Fcreate(temp_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (f < 0) fail(__FILE__, __LINE__, "cannot create " + temp_.string());
  file_ = Handle(f, close_file);
}

H5Writer::~H5Writer() {
  if (committed_) return;
  file_ = Handle();
  std::error_code ec;
  std::filesystem::remove(temp_, ec);
}

void H5Writer::create(const std::string& name, DType type, const Dims& dims) {
  std::vector<hsize_t> d(dims.begin(), dims.end());
  Handle space(MH_H5_CHECK(dims.empty() ? H5Screate(H5S_SCALAR)
                                        : H5Screate_simple(static_cast<int>(d.size()), d.data(), nullptr),
                           "create dataspace for '" + name + "'"),
               close_space);
  Handle mtype = memory_type(type);
  Handle lcpl(MH_H5_CHECK(H5Pcreate(H5P_LINK_CREATE), "link plist"), close_plist);
  MH_H5_CHECK(H5Pset_create_intermediate_group(lcpl.get(), 1), "intermediate groups");
  Handle dcpl(MH_H5_CHECK(H5Pcreate(H5P_DATASET_CREATE), "dataset plist"), close_plist);

  uint64_t row_elems = 1;
  for (size_t i = 1; i < dims.size(); ++i) row_elems *= dims[i];
  uint64_t elem_bytes = type == DType::str ? sizeof(char*) : H5Tget_size(mtype.get());
  uint64_t total = dims.empty() ? elem_bytes : row_elems * dims[0] * elem_bytes;
  if (!dims.empty() && dims[0] > 0 && row_elems > 0 && total >= options_.chunk_threshold_bytes) {
    std::vector<hsize_t> chunk(d);
    chunk[0] = std::clamp<hsize_t>(options_.chunk_bytes / std::max<uint64_t>(row_elems * elem_bytes, 1), 1, d[0]);
    MH_H5_CHECK(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), "set chunking");
    if (options_.deflate_level > 0 && type != DType::str) {
      MH_H5_CHECK(H5Pset_shuffle(dcpl.get()), "set shuffle");
      MH_H5_CHECK(H5Pset_deflate(dcpl.get(), options_.deflate_level), "set deflate");
    }
  }
  Handle ds(MH_H5_CHECK(H5Dcreate2(file_.get(), name.c_str(), mtype.get(), space.get(), lcpl.get(), dcpl.get(),
                                   H5P_DEFAULT),
                        "create dataset '" + name + "' in " + temp_.string()),
            close_dataset);
}

void H5Writer::write_rows_raw(const std::string& name, DType type, uint64_t first_row, const void* data,
                              uint64_t rows) {
  Handle ds = open_dataset(file_.get(), name, temp_);
  Handle file_type(MH_H5_CHECK(H5Dget_type(ds.get()), "get type"), close_type);
  DType have = classify(file_type.get(), name);
  if (have != type)
    throw H5Error("dataset '" + name + "' holds " + dtype_name(have) + ", not " + dtype_name(type));
  Dims dims = dataset_dims(ds.get());
  if (rows == 0) return;
  auto [file_space, mem_space] = row_spaces(ds.get(), dims, first_row, rows, name);
  Handle mtype = memory_type(type);
  MH_H5_CHECK(H5Dwrite(ds.get(), mtype.get(), mem_space.get(), file_space.get(), H5P_DEFAULT, data),
              "write rows of '" + name + "'");
}

void H5Writer::write_strings(const std::string& name, const std::vector<std::string>& values) {
  create(name, DType::str, {values.size()});
  std::vector<const char*> ptrs;
  ptrs.reserve(values.size());
  for (const auto& v : values) ptrs.push_back(v.c_str());
  write_rows_raw(name, DType::str, 0, ptrs.data(), values.size());
}

void H5Writer::set_attr(const std::string& object, const std::string& name, int64_t value) {
  Handle space(MH_H5_CHECK(H5Screate(H5S_SCALAR), "scalar space"), close_space);
  write_attr(file_.get(), object, name, H5T_NATIVE_INT64, space.get(), &value);
}

void H5Writer::set_attr(const std::string& object, const std::string& name, double value) {
  Handle space(MH_H5_CHECK(H5Screate(H5S_SCALAR), "scalar space"), close_space);
  write_attr(file_.get(), object, name, H5T_NATIVE_DOUBLE, space.get(), &value);
}

void H5Writer::set_attr(const std::string& object, const std::string& name, const std::string& value) {
  Handle space(MH_H5_CHECK(H5Screate(H5S_SCALAR), "scalar space"), close_space);
  Handle type = string_type();
  const char* p = value.c_str();
  write_attr(file_.get(), object, name, type.get(), space.get(), &p);
}

void H5Writer::set_attr(const std::string& object, const std::string& name, const std::vector<std::string>& value) {
  hsize_t n = value.size();
  Handle space(MH_H5_CHECK(H5Screate_simple(1, &n, nullptr), "attribute space"), close_space);
  Handle type = string_type();
  std::vector<const char*> ptrs;
  for (const auto& v : value) ptrs.push_back(v.c_str());
  write_attr(file_.get(), object, name, type.get(), space.get(), ptrs.data());
}

void H5Writer::commit() {
  if (committed_) throw H5Error(final_.string() + ": committed twice");
  MH_H5_CHECK(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), "flush " + temp_.string());
  file_ = Handle();  // close before the rename, so readers never see a half-closed file
  fsync_path(temp_, O_RDONLY);
  std::error_code ec;
  std::filesystem::rename(temp_, final_, ec);
  if (ec) throw H5Error("cannot rename " + temp_.string() + " to " + final_.string() + ": " + ec.message());
  fsync_path(final_.has_parent_path() ? final_.parent_path() : std::filesystem::path("."), O_RDONLY | O_DIRECTORY);
  committed_ = true;
}

// ---------------------------------------------------------------- reader

H5Reader::H5Reader(const std::filesystem::path& path) : path_(path) {
  if (!std::filesystem::exists(path)) throw H5Error(path.string() + ": no such file");
  hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) fail(__FILE__, __LINE__, path.string() + ": not a readable HDF5 file");
  file_ = Handle(f, close_file);
}

bool H5Reader::has(const std::string& name) const {
  // H5Lexists fails on a missing intermediate group: check each level.
  std::string partial;
  size_t pos = 0;
  while (pos != std::string::npos) {
    size_t next = name.find('/', pos);
    partial = name.substr(0, next);
    pos = next == std::string::npos ? next : next + 1;
    if (partial.empty()) continue;
    if (H5Lexists(file_.get(), partial.c_str(), H5P_DEFAULT) <= 0) {
      H5Eclear2(H5E_DEFAULT);
      return false;
    }
  }
  return true;
}

Dims H5Reader::dims(const std::string& name) const {
  Handle ds = open_dataset(file_.get(), name, path_);
  return dataset_dims(ds.get());
}

DType H5Reader::dtype(const std::string& name) const {
  Handle ds = open_dataset(file_.get(), name, path_);
  Handle type(MH_H5_CHECK(H5Dget_type(ds.get()), "get type"), close_type);
  return classify(type.get(), name);
}

uint64_t H5Reader::element_count(const Dims& d) {
  uint64_t n = 1;
  for (auto x : d) n *= x;
  return n;
}

namespace {
herr_t collect_dataset(hid_t, const char* name, const H5O_info_t* info, void* out) {
  if (info->type == H5O_TYPE_DATASET) static_cast<std::vector<std::string>*>(out)->push_back(name);
  return 0;
}
}  // namespace

std::vector<std::string> H5Reader::datasets() const {
  std::vector<std::string> out;
  MH_H5_CHECK(H5Ovisit2(file_.get(), H5_INDEX_NAME, H5_ITER_INC, collect_dataset, &out, H5O_INFO_BASIC),
              "list datasets of " + path_.string());
  std::sort(out.begin(), out.end());
  return out;
}

void H5Reader::read_rows_raw(const std::string& name, DType type, uint64_t first, uint64_t count, void* out) const {
  Handle ds = open_dataset(file_.get(), name, path_);
  Handle file_type(MH_H5_CHECK(H5Dget_type(ds.get()), "get type"), close_type);
  DType have = classify(file_type.get(), name);
  if (have != type)
    throw H5Error(path_.string() + ": dataset '" + name + "' holds " + dtype_name(have) + ", not " + dtype_name(type));
  Dims d = dataset_dims(ds.get());
  if (count == 0) return;
  auto [file_space, mem_space] = row_spaces(ds.get(), d, first, count, name);
  Handle mtype = memory_type(type);
  MH_H5_CHECK(H5Dread(ds.get(), mtype.get(), mem_space.get(), file_space.get(), H5P_DEFAULT, out),
              path_.string() + ": read '" + name + "'");
}

std::vector<std::string> H5Reader::read_strings(const std::string& name) const {
  Handle ds = open_dataset(file_.get(), name, path_);
  Dims d = dataset_dims(ds.get());
  std::vector<char*> ptrs(element_count(d), nullptr);
  read_rows_raw(name, DType::str, 0, d.empty() ? 1 : d[0], ptrs.data());
  std::vector<std::string> out;
  out.reserve(ptrs.size());
  for (char* p : ptrs) {
    out.emplace_back(p ? p : "");
    H5free_memory(p);
  }
  return out;
}

bool H5Reader::has_attr(const std::string& object, const std::string& name) const {
  Handle obj = open_object(file_.get(), object);
  return H5Aexists(obj.get(), name.c_str()) > 0;
}

namespace {
Handle open_attr(hid_t file, const std::string& object, const std::string& name, const std::filesystem::path& path) {
  Handle obj = open_object(file, object);
  if (H5Aexists(obj.get(), name.c_str()) <= 0)
    throw H5Error(path.string() + ": no attribute '" + name + "' on '" + object + "'");
  return Handle(MH_H5_CHECK(H5Aopen(obj.get(), name.c_str(), H5P_DEFAULT), "open attribute '" + name + "'"),
                close_attr);
}
}  // namespace

int64_t H5Reader::attr_int(const std::string& object, const std::string& name) const {
  Handle a = open_attr(file_.get(), object, name, path_);
  int64_t v = 0;
  MH_H5_CHECK(H5Aread(a.get(), H5T_NATIVE_INT64, &v), path_.string() + ": read attribute '" + name + "'");
  return v;
}

double H5Reader::attr_double(const std::string& object, const std::string& name) const {
  Handle a = open_attr(file_.get(), object, name, path_);
  double v = 0;
  MH_H5_CHECK(H5Aread(a.get(), H5T_NATIVE_DOUBLE, &v), path_.string() + ": read attribute '" + name + "'");
  return v;
}

std::vector<std::string> H5Reader::attr_strings(const std::string& object, const std::string& name) const {
  Handle a = open_attr(file_.get(), object, name, path_);
  Handle space(MH_H5_CHECK(H5Aget_space(a.get()), "attribute space"), close_space);
  hssize_t n = MH_H5_CHECK(H5Sget_simple_extent_npoints(space.get()), "attribute size");
  Handle type = string_type();
  std::vector<char*> ptrs(n, nullptr);
  MH_H5_CHECK(H5Aread(a.get(), type.get(), ptrs.data()), path_.string() + ": read attribute '" + name + "'");
  std::vector<std::string> out;
  for (char* p : ptrs) {
    out.emplace_back(p ? p : "");
    H5free_memory(p);
  }
  return out;
}

std::string H5Reader::attr_string(const std::string& object, const std::string& name) const {
  auto v = attr_strings(object, name);
  if (v.size() != 1) throw H5Error(path_.string() + ": attribute '" + name + "' is not a single string");
  return v[0];
}

// ---------------------------------------------------------------- merge

namespace {

// Copies every attribute of `from` onto `to`, whatever its type: read with the
// attribute's own type, written back with it (variable-length data included).
herr_t copy_attr(hid_t from, const char* name, const H5A_info_t*, void* to_ptr) {
  hid_t to = *static_cast<hid_t*>(to_ptr);
  Handle a(H5Aopen(from, name, H5P_DEFAULT), close_attr);
  if (a.get() < 0) return -1;
  Handle type(H5Aget_type(a.get()), close_type);
  Handle space(H5Aget_space(a.get()), close_space);
  hssize_t n = H5Sget_simple_extent_npoints(space.get());
  std::vector<char> buf(std::max<size_t>(1, n * H5Tget_size(type.get())));
  if (H5Aread(a.get(), type.get(), buf.data()) < 0) return -1;
  Handle out(H5Acreate2(to, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), close_attr);
  herr_t rc = out.get() < 0 ? -1 : H5Awrite(out.get(), type.get(), buf.data());
  H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, buf.data());
  return rc;
}

}  // namespace

void merge_shards(const std::vector<std::filesystem::path>& shards, const std::filesystem::path& out,
                  WriteOptions options) {
  if (shards.empty()) throw H5Error("merge into " + out.string() + ": no shards given");
  std::vector<std::unique_ptr<H5Reader>> readers;
  for (const auto& s : shards) readers.push_back(std::make_unique<H5Reader>(s));
  const auto names = readers[0]->datasets();

  H5Writer writer(out, options);
  for (const auto& name : names) {
    DType type = readers[0]->dtype(name);
    Dims first_dims = readers[0]->dims(name);
    if (first_dims.empty()) throw H5Error(shards[0].string() + ": dataset '" + name + "' is scalar; cannot concatenate");
    uint64_t rows = 0;
    for (size_t i = 0; i < readers.size(); ++i) {
      if (readers[i]->datasets() != names)
        throw H5Error(shards[i].string() + ": holds different datasets than " + shards[0].string());
      Dims d = readers[i]->dims(name);
      if (readers[i]->dtype(name) != type || d.size() != first_dims.size() ||
          !std::equal(d.begin() + 1, d.end(), first_dims.begin() + 1))
        throw H5Error(shards[i].string() + ": dataset '" + name + "' has a different type or row shape than in " +
                      shards[0].string());
      rows += d[0];
    }
    Dims total = first_dims;
    total[0] = rows;
    writer.create(name, type, total);

    Handle mtype = memory_type(type);
    size_t elem = H5Tget_size(mtype.get());
    Handle dst = open_dataset(writer.file_id(), name, writer.temp_path());
    uint64_t at = 0;
    for (size_t i = 0; i < readers.size(); ++i) {
      Dims d = readers[i]->dims(name);
      if (d[0] == 0) continue;
      std::vector<char> buf(H5Reader::element_count(d) * elem);
      Handle src(MH_H5_CHECK(H5Fopen(shards[i].c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open shard"), close_file);
      Handle src_ds = open_dataset(src.get(), name, shards[i]);
      MH_H5_CHECK(H5Dread(src_ds.get(), mtype.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()),
                  shards[i].string() + ": read '" + name + "'");
      auto [file_space, mem_space] = row_spaces(dst.get(), total, at, d[0], name);
      herr_t rc = H5Dwrite(dst.get(), mtype.get(), mem_space.get(), file_space.get(), H5P_DEFAULT, buf.data());
      if (type == DType::str) H5Dvlen_reclaim(mtype.get(), mem_space.get(), H5P_DEFAULT, buf.data());
      MH_H5_CHECK(rc, "write '" + name + "' into " + out.string());
      at += d[0];
    }
  }
  Handle src(MH_H5_CHECK(H5Fopen(shards[0].c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open shard"), close_file);
  Handle src_root = open_object(src.get(), "/"), dst_root = open_object(writer.file_id(), "/");
  hid_t dst_id = dst_root.get();
  MH_H5_CHECK(H5Aiterate2(src_root.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr, copy_attr, &dst_id),
              "copy attributes of " + shards[0].string());
  writer.commit();
}

}  // namespace mh::io
