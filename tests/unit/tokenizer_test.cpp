#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "io/wordpiece_tokenizer.h"
#include "tests/unit/source_dir.h"

using namespace mh::io;

namespace {
std::vector<std::string> never_split(const Vocab& v) {
  std::vector<std::string> out;
  for (const auto& t : v.tokens())
    if (t == "[PAD]" || t == "[UNK]" || t == "[CLS]" || t == "[SEP]" || t == "[MASK]" ||
        (t.size() > 2 && t.front() == '_' && t.back() == '_'))
      out.push_back(t);
  return out;
}
}  // namespace

// Expected ids come from Hugging Face tokenizers.js (tests/tokenizer/reference.mjs)
// on the same vocab.txt; the CTest test tokenizer_reference_is_current checks
// that expected.json is what the reference prints today.
TEST(WordPieceTokenizer, MatchesTheHuggingFaceReferenceOnTrickyStrings) {
  auto dir = mh::test::source_dir() / "tests" / "tokenizer";
  Vocab vocab = Vocab::load(dir / "vocab.txt");
  WordPieceTokenizer tok(vocab, never_split(vocab));
  std::ifstream in(dir / "expected.json");
  auto expected = nlohmann::json::parse(in);
  ASSERT_GE(expected.size(), 30u);
  for (const auto& c : expected) {
    std::string text = c["text"];
    auto want = c["ids"].get<std::vector<int32_t>>();
    auto got = tok.encode(text);
    std::string got_tokens, want_tokens;
    for (auto id : got) got_tokens += vocab.token(id) + " ";
    for (auto id : want) want_tokens += vocab.token(id) + " ";
    EXPECT_EQ(got, want) << "text: " << text << "\n  ours: " << got_tokens << "\n  reference: " << want_tokens;
  }
}

TEST(WordPieceTokenizer, GreedyLongestMatchAndUnknownWords) {
  Vocab v({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "##affable", "##ffable", "a", "##a"});
  WordPieceTokenizer tok(v, {});
  EXPECT_EQ(tok.tokenize("unaffable"), (std::vector<std::string>{"un", "##affable"}));  // longest piece first
  EXPECT_EQ(tok.tokenize("unaffables"), (std::vector<std::string>{"[UNK]"}));          // 's' has no piece
  EXPECT_EQ(tok.tokenize(std::string(100, 'a')).size(), 100u);
  EXPECT_EQ(tok.tokenize(std::string(101, 'a')), (std::vector<std::string>{"[UNK]"}));  // over 100 characters
}

TEST(WordPieceTokenizer, AddedTokensMustBeInTheVocabulary) {
  Vocab v({"[PAD]", "[UNK]"});
  EXPECT_THROW(WordPieceTokenizer(v, {"_URL_"}), std::runtime_error);
}

TEST(WordPieceTokenizer, CasedModeKeepsCaseAndAccents) {
  Vocab v({"[UNK]", "Café", "café"});
  TokenizerOptions o;
  o.lowercase = false;
  WordPieceTokenizer cased(v, {}, o);
  EXPECT_EQ(cased.tokenize("Café"), (std::vector<std::string>{"Café"}));
  WordPieceTokenizer uncased(v, {});
  EXPECT_EQ(uncased.tokenize("Café"), (std::vector<std::string>{"[UNK]"}));  // becomes "cafe"
}

TEST(Vocab, LoadErrorsNameTheLine) {
  auto path = std::filesystem::temp_directory_path() / "mh_vocab_test.txt";
  std::ofstream(path) << "[PAD]\n[UNK]\nhello\n\nworld\n";
  try {
    Vocab::load(path);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), path.string() + ":4: empty line; expected one token per line");
  }
  std::ofstream(path) << "[PAD]\n[UNK]\nhello\nhello\n";
  try {
    Vocab::load(path);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), path.string() + ":4: duplicate token 'hello'");
  }
  std::ofstream(path) << "[PAD]\r\n[UNK]\r\nhello\r\n";
  EXPECT_EQ(Vocab::load(path).id("hello"), 2);  // CRLF vocab files load the same
  std::filesystem::remove(path);
}

TEST(Vocab, SpecialIdsFollowTheTokensWhereverTheyStand) {
  Vocab v({"hello", "[MASK]", "[SEP]", "[PAD]", "world", "[CLS]", "[UNK]"});
  EXPECT_EQ(v.special_ids(), (std::vector<int32_t>{3, 6, 5, 2, 1}));  // [PAD] [UNK] [CLS] [SEP] [MASK]
  Vocab no_mask({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello"});
  EXPECT_THROW(no_mask.special_ids(), std::runtime_error);
}
