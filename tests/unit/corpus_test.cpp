// Unlabeled corpus files: what read_corpus yields, and vocabularies built from
// them by prepare --vocab-corpus (one vocabulary for every dataset).
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "io/corpus.h"
#include "io/csv_reader.h"
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
