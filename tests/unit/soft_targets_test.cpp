#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "io/csv_reader.h"
#include "io/soft_targets.h"

namespace fs = std::filesystem;
using namespace mh::io;

namespace {

fs::path fresh_dir(const std::string& name) {
  auto d = fs::temp_directory_path() / ("mh_soft_" + name + "_" + std::to_string(getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// A shard holding `ids`, post i's logits (i, -i) where i is its number in "p<i>".
fs::path write_shard(const fs::path& path, const std::vector<std::string>& ids) {
  SoftTargets s;
  s.n = static_cast<int64_t>(ids.size());
  s.classes = 2;
  s.post_id = ids;
  for (const auto& id : ids) {
    float i = std::stof(id.substr(1));
    s.logits.insert(s.logits.end(), {i, -i});
    s.probs.insert(s.probs.end(), {i / 10, 1 - i / 10});
  }
  s.label_names = {"a", "b"};
  s.modality = "text";
  write_soft_targets(path, s);
  return path;
}

std::string merge_error(const std::vector<fs::path>& shards, const std::vector<std::string>& ids) {
  try {
    merge_soft_target_shards(shards, ids);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(SoftTargetShards, MergePutsEveryPostInDataOrder) {
  auto dir = fresh_dir("order");
  auto merged = dir / "text.h5";
  EXPECT_EQ(soft_target_shard_path(merged, 1, 3), dir / "text.shard-1-of-3.h5");
  // Shards in another order than data.h5 and of different sizes.
  std::vector<fs::path> shards = {write_shard(dir / "s0.h5", {"p3", "p0"}), write_shard(dir / "s1.h5", {"p1"}),
                                  write_shard(dir / "s2.h5", {"p4", "p2"})};
  auto m = merge_soft_target_shards(shards, {"p0", "p1", "p2", "p3", "p4"});
  ASSERT_EQ(m.n, 5);
  EXPECT_EQ(m.post_id, (std::vector<std::string>{"p0", "p1", "p2", "p3", "p4"}));
  EXPECT_EQ(m.logits, (std::vector<float>{0, 0, 1, -1, 2, -2, 3, -3, 4, -4}));
  EXPECT_FLOAT_EQ(m.probs[2 * 3], 0.3f);
  EXPECT_FLOAT_EQ(m.probs[2 * 3 + 1], 0.7f);
  EXPECT_EQ(m.label_names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(m.modality, "text");
  fs::remove_all(dir);
}

TEST(SoftTargetShards, MergeRejectsAPostInTwoShardsNamingBoth) {
  auto dir = fresh_dir("twice");
  std::vector<fs::path> shards = {write_shard(dir / "s0.h5", {"p0", "p1"}), write_shard(dir / "s1.h5", {"p1", "p2"})};
  auto e = merge_error(shards, {"p0", "p1", "p2"});
  EXPECT_NE(e.find("s1.h5: post 'p1' appears twice (also in " + (dir / "s0.h5").string()), std::string::npos) << e;
  fs::remove_all(dir);
}

TEST(SoftTargetShards, MergeRejectsAMissingPost) {
  auto dir = fresh_dir("missing");
  std::vector<fs::path> shards = {write_shard(dir / "s0.h5", {"p0"}), write_shard(dir / "s1.h5", {"p2"})};
  auto e = merge_error(shards, {"p0", "p1", "p2"});
  EXPECT_NE(e.find("post 'p1' is in none of them"), std::string::npos) << e;
  fs::remove_all(dir);
}

TEST(SoftTargetShards, MergeRejectsAPostOutsideTheDataAndAMissingShardFile) {
  auto dir = fresh_dir("unknown");
  std::vector<fs::path> shards = {write_shard(dir / "s0.h5", {"p0", "p7"})};
  auto e = merge_error(shards, {"p0"});
  EXPECT_NE(e.find("s0.h5: post 'p7' is not in data.h5"), std::string::npos) << e;
  e = merge_error({dir / "s0.h5", dir / "absent.h5"}, {"p0", "p7"});
  EXPECT_NE(e.find("absent.h5: no soft targets"), std::string::npos) << e;
  fs::remove_all(dir);
}
