#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "io/csv_reader.h"
#include "teachers/emotion/wordnet.h"

namespace fs = std::filesystem;
using namespace mh::teachers::emotion;

namespace {

// A WordNet database of a few synsets in the real wndb(5) layout: data lines
// start with their own byte offset, which the index lines point to.
struct TinyWordNet {
  fs::path dir = fs::temp_directory_path() / ("mh_wordnet_" + std::to_string(getpid()));
  TinyWordNet() {
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string header = "  1 This is a license header line, as in the real files.\n";
    // adj: "sad" sense 1 {sad} similar to {doleful, hot_under_the_collar(p)}; sense 2 {deplorable, sad}.
    std::vector<std::string> adj_lines = {
        "{SAD1} 00 a 01 sad 0 001 & {DOLE} a 0000 | experiencing sorrow",
        "{DOLE} 00 s 02 doleful 0 hot_under_the_collar(p) 0 001 & {SAD1} a 0000 | filled with grief",
        "{SAD2} 00 a 02 deplorable 0 sad 1 000 | bad; unfortunate"};
    write_data("adj", header, adj_lines, "sad a 2 1 & 2 1 {SAD1} {SAD2}\n");
    // noun: "grief" {grief, heartache, Heartbreak}.
    write_data("noun", header, {"{GRIEF} 00 n 03 grief 0 heartache 0 Heartbreak 0 000 | intense sorrow"},
               "grief n 1 0 1 0 {GRIEF}\n");
    write_data("verb", header, {}, "");
    write_data("adv", header, {}, "");
  }
  ~TinyWordNet() { fs::remove_all(dir); }

  // Replaces each {NAME} by the 8-digit byte offset of the line that defines it.
  void write_data(const std::string& pos, const std::string& header, std::vector<std::string> lines, std::string index) {
    std::map<std::string, std::string> offset;
    size_t at = header.size();
    for (const auto& l : lines) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%08zu", at);
      offset[l.substr(0, l.find(' '))] = buf;
      at += l.size() + 1 + 2 * std::count(l.begin(), l.end(), '{');  // "{NAME}" (6 chars) becomes 8 digits
    }
    auto resolve = [&](std::string s) {
      for (const auto& [name, off] : offset)
        for (size_t p; (p = s.find(name)) != std::string::npos;) s.replace(p, name.size(), off);
      return s;
    };
    std::ofstream data(dir / ("data." + pos), std::ios::binary);
    data << header;
    for (const auto& l : lines) data << resolve(l) << "\n";
    std::ofstream(dir / ("index." + pos), std::ios::binary) << header << resolve(index);
  }
};

}  // namespace

TEST(WordNet, SynonymsAreSingleWordLemmasOfTheFirstSensesAndSimilarAdjectives) {
  TinyWordNet db;
  WordNet wn(db.dir);
  // Sense 1 of "sad" and its "similar to" synset; the multi-word lemma and
  // the position marker are dropped; sense 2 ("deplorable") only with 2 senses.
  EXPECT_EQ(wn.synonyms("sad", 1), (std::vector<std::string>{"doleful"}));
  EXPECT_EQ(wn.synonyms("sad", 2), (std::vector<std::string>{"deplorable", "doleful"}));
  EXPECT_EQ(wn.synonyms("grief", 1), (std::vector<std::string>{"heartache", "heartbreak"}));
  EXPECT_TRUE(wn.synonyms("unknown", 3).empty());
}

TEST(WordNet, ExpansionGivesSynonymsTheirSeedsEmotionsAndKeepsTheSeeds) {
  TinyWordNet db;
  auto seeds = Lexicon::from_entries({{"sad", "sadness"}, {"grief", "sadness"}, {"heartache", "anger"}});
  auto grown = expand_lexicon(seeds, WordNet(db.dir), 1);
  const uint32_t anger = 1, sadness = 2;  // categories sorted: anger, sadness
  EXPECT_EQ(grown.words(), 5u);           // + doleful, heartbreak
  EXPECT_EQ(grown.lookup("doleful", Fallback::none), sadness);
  EXPECT_EQ(grown.lookup("heartbreak", Fallback::none), sadness);
  EXPECT_EQ(grown.lookup("heartache", Fallback::none), anger);  // a seed keeps its own emotions
  EXPECT_EQ(grown.lookup("deplorable", Fallback::none), 0u);    // sense 2 only
}

TEST(WordNet, AMissingDatabaseOrMalformedIndexLineIsAClearError) {
  TinyWordNet db;
  try {
    WordNet wn(db.dir / "nowhere");
    FAIL() << "no error";
  } catch (const mh::io::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no WordNet database (index.noun"), std::string::npos) << e.what();
  }
  std::ofstream(db.dir / "index.adv", std::ios::app) << "quickly r 2 0 2 0 123\n";  // 2 synsets, 1 offset
  try {
    WordNet wn(db.dir);
    FAIL() << "no error";
  } catch (const mh::io::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("index.adv:2: expected 'lemma pos synset_cnt"), std::string::npos) << e.what();
  }
}

TEST(WordNet, TheDebianDatabaseGrowsEmotionSeeds) {
  if (!fs::exists("/usr/share/wordnet/index.adj")) GTEST_SKIP() << "wordnet-base not installed";
  WordNet wn("/usr/share/wordnet");
  auto sad = wn.synonyms("sad", 1);
  for (const char* w : {"doleful", "melancholy", "mournful"})
    EXPECT_NE(std::find(sad.begin(), sad.end(), w), sad.end()) << w;
  auto angry = wn.synonyms("angry", 1);
  EXPECT_NE(std::find(angry.begin(), angry.end(), "furious"), angry.end());
}
