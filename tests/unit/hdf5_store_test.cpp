#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "io/hdf5_store.h"

namespace fs = std::filesystem;
using namespace mh::io;

namespace {
fs::path fresh_dir(const std::string& name) {
  auto d = fs::temp_directory_path() / ("mh_h5_" + name + "_" + std::to_string(getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

}  // namespace

TEST(Hdf5Store, RoundTripsEveryTypeShapeAndAttribute) {
  auto dir = fresh_dir("roundtrip");
  auto path = dir / "data.h5";
  std::vector<uint8_t> u8{0, 1, 2, 255};
  std::vector<int8_t> i8{-128, 0, 127, 5};
  std::vector<int32_t> i32{-2147483647 - 1, 0, 7, 2147483647, 1, 2};
  std::vector<int64_t> i64{-(int64_t(1) << 62), 3, int64_t(1) << 40};
  std::vector<float> f32{1.5f, -0.0f, 3.25e-20f, INFINITY, 1e30f, 2.f};
  std::vector<double> f64{M_PI, -1e300, 0.1};
  std::vector<float16_t> f16;
  for (float f : {0.0f, 1.0f, -2.5f, 65504.0f, 0.000061035156f, 5.96e-8f}) f16.push_back(float16_t::from_float(f));
  std::vector<std::string> strings{"post-1", "", "ünïcödé 🙂", std::string(1000, 'x')};
  {
    H5Writer w(path);
    w.write("u8", u8, {4});
    w.write("i8", i8, {2, 2});
    w.write("ids", i32, {2, 3});
    w.write("i64", i64, {3});
    w.write("group/deeper/f32", f32, {3, 2});
    w.write("f64", f64, {3});
    w.write("mel", f16, {1, 2, 3});
    w.write_strings("post_id", strings);
    w.set_attr("/", "dataset", "sdcnl");
    w.set_attr("/", "max_length", int64_t(128));
    w.set_attr("/", "temperature", 2.5);
    w.set_attr("/", "label_names", std::vector<std::string>{"depression", "suicide"});
    w.set_attr("ids", "note", "row-major");
    EXPECT_FALSE(fs::exists(path)) << "nothing at the final path before commit";
    w.commit();
  }
  ASSERT_TRUE(fs::exists(path));
  H5Reader r(path);
  Dims d;
  EXPECT_EQ(r.read<uint8_t>("u8"), u8);
  EXPECT_EQ(r.read<int8_t>("i8", &d), i8);
  EXPECT_EQ(d, (Dims{2, 2}));
  EXPECT_EQ(r.read<int32_t>("ids", &d), i32);
  EXPECT_EQ(d, (Dims{2, 3}));
  EXPECT_EQ(r.read<int64_t>("i64"), i64);
  auto f32_back = r.read<float>("group/deeper/f32", &d);
  EXPECT_EQ(d, (Dims{3, 2}));
  for (size_t i = 0; i < f32.size(); ++i) EXPECT_EQ(std::signbit(f32_back[i]), std::signbit(f32[i]));
  EXPECT_EQ(f32_back, f32);
  EXPECT_EQ(r.read<double>("f64"), f64);
  auto f16_back = r.read<float16_t>("mel", &d);
  EXPECT_EQ(d, (Dims{1, 2, 3}));
  std::vector<float> expect16{0.0f, 1.0f, -2.5f, 65504.0f, 0.000061035156f, 5.9604645e-8f};
  for (size_t i = 0; i < f16.size(); ++i) EXPECT_FLOAT_EQ(f16_back[i].to_float(), expect16[i]) << i;
  EXPECT_EQ(r.read_strings("post_id"), strings);
  EXPECT_EQ(r.dtype("mel"), DType::f16);
  EXPECT_EQ(r.dtype("post_id"), DType::str);
  EXPECT_EQ(r.attr_string("/", "dataset"), "sdcnl");
  EXPECT_EQ(r.attr_int("/", "max_length"), 128);
  EXPECT_DOUBLE_EQ(r.attr_double("/", "temperature"), 2.5);
  EXPECT_EQ(r.attr_strings("/", "label_names"), (std::vector<std::string>{"depression", "suicide"}));
  EXPECT_EQ(r.attr_string("ids", "note"), "row-major");
  EXPECT_TRUE(r.has("group/deeper/f32"));
  EXPECT_FALSE(r.has("group/nothing/here"));
  EXPECT_EQ(r.datasets(), (std::vector<std::string>{"f64", "group/deeper/f32", "i64", "i8", "ids", "mel",
                                                     "post_id", "u8"}));
  EXPECT_EQ(r.read_rows<int32_t>("ids", 1, 1), (std::vector<int32_t>{2147483647, 1, 2}));
  fs::remove_all(dir);
}

TEST(Hdf5Store, Float16ConversionRoundsToNearestEven) {
  EXPECT_EQ(float16_t::from_float(1.0f).bits, 0x3c00);
  EXPECT_EQ(float16_t::from_float(-2.0f).bits, 0xc000);
  EXPECT_EQ(float16_t::from_float(65504.0f).bits, 0x7bff);
  EXPECT_EQ(float16_t::from_float(1e6f).bits, 0x7c00);                   // overflow: inf
  EXPECT_EQ(float16_t::from_float(1.0f + 1.0f / 2048).bits, 0x3c00);     // tie, to even
  EXPECT_EQ(float16_t::from_float(1.0f + 3.0f / 2048).bits, 0x3c02);     // tie, to even (up)
  EXPECT_EQ(float16_t::from_float(5.9604645e-8f).bits, 0x0001);          // smallest subnormal
  EXPECT_TRUE(std::isnan(float16_t::from_float(NAN).to_float()));
}

TEST(Hdf5Store, LargeArraysAreChunkedCompressedAndWrittenRowByRow) {
  auto dir = fresh_dir("chunked");
  auto path = dir / "mel.h5";
  const uint64_t rows = 64, cols = 128 * 64;
  {
    H5Writer w(path);
    w.create("x", DType::f32, {rows, cols});
    std::vector<float> row(cols);
    for (uint64_t r = 0; r < rows; ++r) {
      for (uint64_t c = 0; c < cols; ++c) row[c] = static_cast<float>(r);  // compresses very well
      w.write_rows("x", r, row.data(), 1);
    }
    w.commit();
  }
  EXPECT_LT(fs::file_size(path), rows * cols * sizeof(float) / 10) << "deflate should shrink constant rows";
  H5Reader r(path);
  auto back = r.read_rows<float>("x", 10, 2);
  ASSERT_EQ(back.size(), 2 * cols);
  EXPECT_EQ(back.front(), 10.0f);
  EXPECT_EQ(back.back(), 11.0f);
  fs::remove_all(dir);
}

TEST(Hdf5Store, AWriteKilledMidwayLeavesNoFileAtTheFinalPath) {
  auto dir = fresh_dir("killed");
  auto path = dir / "soft_targets.h5";
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    H5Writer w(path);
    w.create("probs", DType::f32, {1000, 256});
    std::vector<float> row(256, 0.5f);
    for (uint64_t r = 0; r < 1000; ++r) {
      w.write_rows("probs", r, row.data(), 1);
      if (r == 500) raise(SIGKILL);  // dies with half the rows written, no destructor runs
    }
    w.commit();
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  EXPECT_FALSE(fs::exists(path));
  // The partial file is only ever at the temporary name.
  bool temp_found = false;
  for (auto& e : fs::directory_iterator(dir)) temp_found |= e.path().filename().string().find(".tmp.") != std::string::npos;
  EXPECT_TRUE(temp_found);
  fs::remove_all(dir);
}

TEST(Hdf5Store, AnAbandonedWriterRemovesItsTemporaryFile) {
  auto dir = fresh_dir("abandoned");
  {
    H5Writer w(dir / "x.h5");
    w.write("a", std::vector<int32_t>{1, 2}, {2});
  }
  EXPECT_TRUE(fs::is_empty(dir));
  fs::remove_all(dir);
}

TEST(Hdf5Store, MergeConcatenatesShardsInOrder) {
  auto dir = fresh_dir("merge");
  std::vector<fs::path> shards;
  for (int s = 0; s < 3; ++s) {
    shards.push_back(dir / ("shard-" + std::to_string(s) + ".h5"));
    H5Writer w(shards.back());
    int rows = s + 1;  // shards of different lengths, one of them...
    std::vector<float> probs;
    std::vector<std::string> ids;
    std::vector<float16_t> mel;
    for (int i = 0; i < rows; ++i) {
      probs.insert(probs.end(), {float(s), float(i)});
      ids.push_back("s" + std::to_string(s) + "-" + std::to_string(i));
      mel.push_back(float16_t::from_float(s + 0.5f));
    }
    w.write("probs", probs, {uint64_t(rows), 2});
    w.write("mel", mel, {uint64_t(rows), 1});
    w.write_strings("post_id", ids);
    w.set_attr("/", "temperature", 1.0 + s);
    w.set_attr("/", "label_names", std::vector<std::string>{"a", "b"});
    w.commit();
  }
  auto out = dir / "merged.h5";
  merge_shards(shards, out);
  H5Reader r(out);
  Dims d;
  auto probs = r.read<float>("probs", &d);
  EXPECT_EQ(d, (Dims{6, 2}));
  EXPECT_EQ(probs, (std::vector<float>{0, 0, 1, 0, 1, 1, 2, 0, 2, 1, 2, 2}));
  EXPECT_EQ(r.read_strings("post_id"),
            (std::vector<std::string>{"s0-0", "s1-0", "s1-1", "s2-0", "s2-1", "s2-2"}));
  auto mel = r.read<float16_t>("mel");
  EXPECT_EQ(mel[5].to_float(), 2.5f);
  EXPECT_DOUBLE_EQ(r.attr_double("/", "temperature"), 1.0);
  EXPECT_EQ(r.attr_strings("/", "label_names"), (std::vector<std::string>{"a", "b"}));
  fs::remove_all(dir);
}

TEST(Hdf5Store, MergeRejectsMismatchedShards) {
  auto dir = fresh_dir("mismatch");
  {
    H5Writer a(dir / "a.h5");
    a.write("x", std::vector<float>{1, 2}, {1, 2});
    a.commit();
    H5Writer b(dir / "b.h5");
    b.write("x", std::vector<float>{1, 2, 3}, {1, 3});
    b.commit();
  }
  try {
    merge_shards({dir / "a.h5", dir / "b.h5"}, dir / "out.h5");
    FAIL() << "expected an error";
  } catch (const H5Error& e) {
    EXPECT_NE(std::string(e.what()).find("b.h5: dataset 'x' has a different type or row shape"), std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(fs::exists(dir / "out.h5"));
  fs::remove_all(dir);
}

TEST(Hdf5Store, ErrorsNameTheFileAndTheProblem) {
  auto dir = fresh_dir("errors");
  EXPECT_THROW(H5Reader(dir / "missing.h5"), H5Error);
  std::ofstream(dir / "garbage.h5") << "not hdf5";
  try {
    H5Reader r(dir / "garbage.h5");
    FAIL();
  } catch (const H5Error& e) {
    EXPECT_NE(std::string(e.what()).find("garbage.h5: not a readable HDF5 file"), std::string::npos) << e.what();
  }
  {
    H5Writer w(dir / "ok.h5");
    w.write("x", std::vector<int32_t>{1}, {1});
    w.commit();
  }
  H5Reader r(dir / "ok.h5");
  try {
    r.read<float>("x");
    FAIL();
  } catch (const H5Error& e) {
    EXPECT_NE(std::string(e.what()).find("dataset 'x' holds int32, not float32"), std::string::npos) << e.what();
  }
  EXPECT_THROW(r.read<int32_t>("nope"), H5Error);
  EXPECT_THROW(r.read_rows<int32_t>("x", 0, 2), H5Error);
  fs::remove_all(dir);
}
