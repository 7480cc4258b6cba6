#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "io/csv_reader.h"
#include "teachers/emotion/lexicon.h"

using namespace mh::teachers::emotion;

namespace {

std::filesystem::path write_temp(const std::string& name, const std::string& text) {
  auto p = std::filesystem::temp_directory_path() / ("mh_lexicon_" + std::to_string(getpid()) + "_" + name);
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

std::string error_of(const std::filesystem::path& p) {
  try {
    Lexicon::load(p);
  } catch (const mh::io::InputError& e) {
    return e.what();
  }
  return "";
}

uint32_t mask_of(const Lexicon& lex, std::initializer_list<const char*> cats) {
  uint32_t m = 0;
  for (auto c : cats) {
    auto it = std::find(lex.categories().begin(), lex.categories().end(), c);
    EXPECT_NE(it, lex.categories().end()) << c;
    m |= 1u << (it - lex.categories().begin());
  }
  return m;
}

}  // namespace

TEST(EmotionLexicon, ReadsNrcWordLevelWithCrlfAndKeepsCategoriesNoWordHas) {
  auto p = write_temp("nrc.txt",
                      "abandon\tfear\t1\r\nabandon\tjoy\t0\r\nabandon\tsadness\t1\r\nabacus\tfear\t0\r\n"
                      "abacus\tjoy\t0\r\nabacus\tsadness\t0\r\nabacus\tsurprise\t0\r\nhappy\tjoy\t1\r\n");
  auto lex = Lexicon::load(p);
  EXPECT_EQ(lex.categories(), (std::vector<std::string>{"fear", "joy", "sadness", "surprise"}));
  EXPECT_EQ(lex.words(), 2u);  // abacus has no emotion
  EXPECT_EQ(lex.lookup("abandon", Fallback::none), mask_of(lex, {"fear", "sadness"}));
  EXPECT_EQ(lex.lookup("Happy", Fallback::none), 0u);  // callers pass tokenizer words, already lower-cased
  EXPECT_EQ(lex.lookup("abacus", Fallback::none), 0u);
  EXPECT_EQ(lex.sha256().size(), 64u);
  std::filesystem::remove(p);
}

TEST(EmotionLexicon, MalformedNrcLineIsAnErrorWithItsLineNumber) {
  auto p = write_temp("bad.txt", "abandon\tfear\t1\nabandon\tjoy\t0\nabandon\tsadness\t2\n");
  auto msg = error_of(p);
  EXPECT_NE(msg.find(p.string() + ":3: expected word<TAB>emotion<TAB>0|1"), std::string::npos) << msg;
  std::filesystem::remove(p);
  p = write_temp("short.txt", "abandon\tfear\t1\nabandon\tjoy\n");
  msg = error_of(p);
  EXPECT_NE(msg.find(p.string() + ":2:"), std::string::npos) << msg;
  std::filesystem::remove(p);
}

TEST(EmotionLexicon, GenericCsvWithWeightsAppliesTheThreshold) {
  auto p = write_temp("vad.csv", "word,emotion,weight\nthrilled,arousal,0.9\ncalm,arousal,0.1\ncalm,valence,0.7\n");
  auto lex = Lexicon::load(p, 0.5);
  EXPECT_EQ(lex.categories(), (std::vector<std::string>{"arousal", "valence"}));
  EXPECT_EQ(lex.lookup("thrilled", Fallback::none), 1u);
  EXPECT_EQ(lex.lookup("calm", Fallback::none), 2u);
  std::filesystem::remove(p);
  p = write_temp("noweight.csv", "lonely,sadness\nfurious,anger\n");
  EXPECT_EQ(Lexicon::load(p).words(), 2u);
  std::filesystem::remove(p);
}

TEST(EmotionLexicon, CsvErrorsNameFileAndLine) {
  auto p = write_temp("badw.csv", "word,emotion,weight\nthrilled,arousal,high\n");
  auto msg = error_of(p);
  EXPECT_NE(msg.find(p.string() + ":2: expected a number as the weight, got 'high'"), std::string::npos) << msg;
  std::filesystem::remove(p);
  p = write_temp("badf.csv", "lonely,sadness\njustaword\n");
  msg = error_of(p);
  EXPECT_NE(msg.find(p.string() + ":2: expected word,emotion[,weight]"), std::string::npos) << msg;
  std::filesystem::remove(p);
  EXPECT_NE(error_of("/nonexistent/lexicon.txt").find("cannot open"), std::string::npos);
  p = write_temp("empty.txt", "\n\n");
  EXPECT_NE(error_of(p).find("no word with an emotion"), std::string::npos);
  std::filesystem::remove(p);
}

TEST(EmotionLexicon, AffixFallbackFindsRegularInflectionsOnly) {
  auto lex = Lexicon::from_entries({{"sad", "sadness"}, {"cry", "sadness"}, {"stop", "anger"}, {"happy", "joy"},
                                    {"hope", "anticipation"}, {"kill", "fear"}, {"tear", "sadness"}});
  const uint32_t sad = mask_of(lex, {"sadness"}), joy = mask_of(lex, {"joy"});
  for (auto w : {"sadness", "sadly", "cried", "cries", "crying", "tears"}) EXPECT_EQ(lex.lookup(w, Fallback::affix), sad) << w;
  EXPECT_EQ(lex.lookup("happily", Fallback::affix), joy);
  EXPECT_EQ(lex.lookup("happiness", Fallback::affix), joy);
  EXPECT_EQ(lex.lookup("stopped", Fallback::affix), mask_of(lex, {"anger"}));
  EXPECT_EQ(lex.lookup("hoping", Fallback::affix), mask_of(lex, {"anticipation"}));
  EXPECT_EQ(lex.lookup("killed", Fallback::affix), mask_of(lex, {"fear"}));
  EXPECT_EQ(lex.lookup("hopeless", Fallback::affix), 0u);  // -less flips the meaning: not stripped
  EXPECT_EQ(lex.lookup("sadness", Fallback::none), 0u);
}

TEST(EmotionLexicon, DocumentLabelIsTheUnionOfItsWordsOrNone) {
  auto lex = Lexicon::from_entries({{"alone", "sadness"}, {"afraid", "fear"}, {"scream", "fear"}, {"scream", "anger"}});
  // categories: anger, fear, sadness; then "none".
  EXPECT_EQ(document_label(lex, {"i", "am", "alone", "and", "afraid"}, Fallback::none),
            (std::vector<float>{0, 1, 1, 0}));
  EXPECT_EQ(document_label(lex, {"we", "scream", "alone"}, Fallback::none), (std::vector<float>{1, 1, 1, 0}));
  EXPECT_EQ(document_label(lex, {"a", "quiet", "day"}, Fallback::none), (std::vector<float>{0, 0, 0, 1}));
  EXPECT_EQ(document_label(lex, {}, Fallback::affix), (std::vector<float>{0, 0, 0, 1}));
}
