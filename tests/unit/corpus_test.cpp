// Unlabeled corpus files: what read_corpus yields, vocabularies built from them
// by prepare --vocab-corpus (one vocabulary for every dataset), and the
// student's transfer set from prepare --transfer-corpus.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "io/corpus.h"
#include "io/csv_reader.h"
#include "io/hdf5_store.h"
#include "io/prepare.h"
#include "io/vocab.h"

namespace fs = std::filesystem;
using namespace mh::io;

namespace {
fs::path temp(const std::string& name) {
  auto dir = fs::temp_directory_path() / ("mh_corpus_" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir / name;
}
fs::path file(const std::string& name, const std::string& content) {
  auto p = temp(name);
  std::ofstream(p, std::ios::binary) << content;
  return p;
}
std::vector<std::string> read_all(const fs::path& p, int64_t max_posts) {
  std::vector<std::string> out;
  read_corpus(p, max_posts, [&](std::string&& s) { out.push_back(s); });
  return out;
}
// A labeled csv whose posts never use the corpus words.
fs::path dataset(const std::string& name, const std::string& word) {
  std::string csv = "id,text,label\n";
  for (int i = 0; i < 40; ++i) csv += "p" + std::to_string(i) + "," + word + " " + word + " post,l" + std::to_string(i % 2) + "\n";
  return file(name, csv);
}
}  // namespace

TEST(Corpus, YieldsNonBlankLinesUpToTheLimitWithoutCrAndWithInvalidBytesReplaced) {
  auto p = file("c.txt", "first post\n\n   \r\nsecond \xff post\r\nthird\n");
  EXPECT_EQ(read_all(p, 0), (std::vector<std::string>{"first post", "second \xEF\xBF\xBD post", "third"}));
  EXPECT_EQ(read_all(p, 2).size(), 2u);
  EXPECT_EQ(read_corpus(p, 0, [](std::string&&) {}), 3);
}

TEST(Corpus, MissingFileIsAnErrorNamingIt) {
  try {
    read_all(temp("absent.txt"), 0);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("absent.txt: cannot open corpus file"), std::string::npos) << e.what();
  }
}

TEST(Corpus, VocabCorpusGivesTwoDatasetsOneVocabularyFromTheCorpusWords) {
  std::string corpus_text;
  for (int i = 0; i < 30; ++i) corpus_text += "feeling hopeless tonight again\nanxiety keeps me awake\n";
  auto corpus = file("corpus.txt", corpus_text);
  auto prep = [&](const std::string& name, const std::string& word) {
    PrepareConfig c;
    c.dataset = "csv";
    c.input = dataset(name + ".csv", word);
    c.run_dir = temp(name);
    c.vocab_size = 200;
    c.vocab_corpus = {corpus};
    prepare(c);
    return Vocab::load(c.run_dir / "vocab.txt");
  };
  auto a = prep("a", "zebra"), b = prep("b", "quokka");
  EXPECT_EQ(a.sha256(), b.sha256());
  EXPECT_TRUE(a.contains("hopeless"));
  EXPECT_TRUE(a.contains("anxiety"));
  EXPECT_FALSE(a.contains("zebra"));  // the training split did not count
  fs::remove_all(temp("").parent_path());
}

TEST(Corpus, TransferCorpusAppendsUnlabeledSplit3PostsWithoutRepeatsAndLeavesTheDatasetAsItWas) {
  std::string csv = "id,text,label\n";
  for (int i = 0; i < 40; ++i) csv += "p" + std::to_string(i) + ",post number " + std::to_string(i) + " about zebras,l" + std::to_string(i % 2) + "\n";
  auto input = file("labeled.csv", csv);
  // Posts 1 and 3 repeat a labeled post and post 2; the blank line is not a post.
  auto corpus = file("transfer.txt", "post number 7 about zebras\nsomething new\nsomething new\n\nanother post\nthird new one\n");
  auto prep = [&](const std::string& name, std::vector<fs::path> transfer, int64_t draw) {
    PrepareConfig c;
    c.dataset = "csv";
    c.input = input;
    c.run_dir = temp(name);
    c.vocab_size = 200;
    c.transfer_corpus = std::move(transfer);
    c.transfer_posts = draw;
    auto summary = prepare(c).summary;
    return std::pair{H5Reader(c.run_dir / "data.h5"), summary};
  };
  auto [plain, s0] = prep("plain", {}, 0);
  auto [all, s1] = prep("all", {corpus}, 0);
  const std::string dir = corpus.parent_path().filename().string();
  auto ids = all.read_strings("post_id");
  auto split = all.read<uint8_t>("split");
  auto label = all.read<int32_t>("label");
  ASSERT_EQ(ids.size(), 43u);
  EXPECT_EQ(std::vector<std::string>(ids.begin() + 40, ids.end()),
            (std::vector<std::string>{dir + "/transfer.txt:2", dir + "/transfer.txt:4", dir + "/transfer.txt:5"}));
  EXPECT_EQ(std::vector<uint8_t>(split.begin() + 40, split.end()), (std::vector<uint8_t>{kTransfer, kTransfer, kTransfer}));
  EXPECT_EQ(std::vector<int32_t>(label.begin() + 40, label.end()), (std::vector<int32_t>{-1, -1, -1}));
  EXPECT_EQ(s1["transfer"]["posts"], 3);
  EXPECT_EQ(s1["transfer"]["dropped_repeats"], 2);
  EXPECT_EQ(s1["transfer"]["available"], 3);
  // The dataset's posts, splits and pieces are those of the run without a transfer set.
  EXPECT_EQ(std::vector<uint8_t>(split.begin(), split.begin() + 40), plain.read<uint8_t>("split"));
  auto pieces = all.read<int32_t>("ids"), plain_pieces = plain.read<int32_t>("ids");
  EXPECT_EQ(std::vector<int32_t>(pieces.begin(), pieces.begin() + plain_pieces.size()), plain_pieces);
  // A draw of 2 is 2 of those 3, in file order, the same every time for a seed.
  auto [two, s2] = prep("two", {corpus}, 2);
  auto [again, s3] = prep("again", {corpus}, 2);
  auto drawn = two.read_strings("post_id");
  ASSERT_EQ(drawn.size(), 42u);
  EXPECT_EQ(s2["transfer"]["posts"], 2);
  EXPECT_EQ(s2["transfer"]["available"], 3);
  EXPECT_EQ(drawn, again.read_strings("post_id"));
  EXPECT_LT(std::find(ids.begin(), ids.end(), drawn[40]), std::find(ids.begin(), ids.end(), drawn[41]));
  EXPECT_NE(std::find(ids.begin() + 40, ids.end(), drawn[41]), ids.end());
  fs::remove_all(temp("").parent_path());
}
