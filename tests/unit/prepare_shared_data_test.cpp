// The real datasets in ../shared/data, prepared end to end; the counts are
// those of their PROVENANCE.md files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "io/hdf5_store.h"
#include "io/prepare.h"
#include "io/run_manifest.h"
#include "tests/unit/source_dir.h"

namespace fs = std::filesystem;
using namespace mh::io;

namespace {
fs::path data(const std::string& name) {
  auto p = mh::test::shared_data() / name;
  return p;
}
std::array<std::array<int, 2>, 3> counts(const fs::path& run) {
  H5Reader r(run / "data.h5");
  auto label = r.read<int32_t>("label");
  auto split = r.read<uint8_t>("split");
  std::array<std::array<int, 2>, 3> c{};
  for (size_t i = 0; i < label.size(); ++i) ++c[split[i]][label[i]];
  return c;
}
}  // namespace

TEST(PrepareSharedData, SdcnlKeepsTheOfficialSplitAndItsCounts) {
  if (!fs::exists(data("sdcnl"))) GTEST_SKIP() << "../shared/data/sdcnl not present";
  auto d = read_dataset("sdcnl", data("sdcnl"), {});
  int train = 0, test = 0, suicide_train = 0, suicide_test = 0;
  for (const auto& p : d.posts) {
    (p.split == OfficialSplit::train ? train : test)++;
    if (p.label == 1) (p.split == OfficialSplit::train ? suicide_train : suicide_test)++;
  }
  EXPECT_EQ(train, 1516);
  EXPECT_EQ(test, 379);
  EXPECT_EQ(suicide_train, 787);
  EXPECT_EQ(suicide_test, 193);
  EXPECT_EQ(d.summary.adjusted.at("emptypost placeholder stripped (title kept)"), 65);
  for (const auto& p : d.posts) EXPECT_EQ(p.text.find("emptypost"), std::string::npos);

  auto run = fs::temp_directory_path() / ("mh_prep_sdcnl_" + std::to_string(getpid()));
  PrepareConfig c;
  c.dataset = "sdcnl";
  c.input = data("sdcnl");
  c.run_dir = run;
  c.vocab_size = 4000;
  auto result = prepare(c);
  EXPECT_FALSE(result.skipped);
  auto n = counts(run);
  EXPECT_EQ(n[kTest][0] + n[kTest][1], 379);
  EXPECT_EQ(n[kTrain][0] + n[kTrain][1] + n[kValidation][0] + n[kValidation][1], 1516);
  EXPECT_EQ(n[kValidation][1], 79);  // round(0.1 * 787)
  H5Reader r(run / "data.h5");
  EXPECT_EQ(r.attr_strings("/", "label_names"), (std::vector<std::string>{"depression", "suicide"}));
  EXPECT_EQ(r.dims("ids"), (Dims{1895, 128}));
  auto ids = r.read_rows<int32_t>("ids", 0, 1);
  EXPECT_EQ(ids[0], 2);  // [CLS]
  EXPECT_TRUE(prepare(c).skipped) << "same configuration: the stage is skipped";
  c.splits.seed = 1;
  EXPECT_FALSE(prepare(c).skipped) << "another seed: the stage runs again";
  fs::remove_all(run);
}

TEST(PrepareSharedData, IdendepSplitsStratifiedEightyTenTen) {
  if (!fs::exists(data("idendep"))) GTEST_SKIP() << "../shared/data/idendep not present";
  auto run = fs::temp_directory_path() / ("mh_prep_idendep_" + std::to_string(getpid()));
  PrepareConfig c;
  c.dataset = "idendep";
  c.input = data("idendep");
  c.run_dir = run;
  c.vocab_size = 4000;
  prepare(c);
  auto n = counts(run);
  int dep = 0, non = 0;
  for (int s = 0; s < 3; ++s) non += n[s][0], dep += n[s][1];
  EXPECT_EQ(dep, 1293);
  EXPECT_EQ(non, 548);
  EXPECT_EQ(n[kTest][1], 129);  // round(0.1 * 1293)
  EXPECT_EQ(n[kTest][0], 55);   // round(0.1 * 548)
  EXPECT_EQ(n[kValidation][1], 129);
  RunManifest m(run);
  ASSERT_NE(m.stage("prepare"), nullptr);
  EXPECT_EQ(m.stage("prepare")->at("summary").at("posts"), 1841);
  fs::remove_all(run);
}

// The official DEPTWEET file has no text: join it with a synthetic text file
// (one made-up line per tweet_id) and check the duplicate handling against the
// counts in its PROVENANCE.md (40191 rows, 424 repeating an id, 47 ids with
// conflicting labels).
TEST(PrepareSharedData, DeptweetDropsTheConflictingIdsOfTheOfficialFile) {
  if (!fs::exists(data("deptweet"))) GTEST_SKIP() << "../shared/data/deptweet not present";
  auto dir = fs::temp_directory_path() / ("mh_deptweet_" + std::to_string(getpid()));
  fs::create_directories(dir);
  CsvReader official(data("deptweet") / "deptweet_dataset.csv");
  size_t id_col = official.column("tweet_id");
  CsvRecord rec;
  {
    std::ofstream texts(dir / "texts.csv");
    texts << "tweet_id,text\n";
    while (official.next(rec)) texts << rec.fields[id_col] << ",synthetic tweet " << rec.fields[id_col] << "\n";
  }
  ReadOptions o;
  o.text_file = dir / "texts.csv";
  auto d = read_dataset("deptweet", data("deptweet"), o);
  EXPECT_EQ(d.summary.skipped.at("tweet_id with conflicting labels (ids)"), 47);
  EXPECT_EQ(d.posts.size(), 40191u - 424u - 47u);
  ASSERT_FALSE(d.summary.notes.empty());
  EXPECT_EQ(d.summary.notes[0], "424 official rows repeat a tweet_id; 47 tweet_ids have conflicting labels and are dropped");
  fs::remove_all(dir);
}
