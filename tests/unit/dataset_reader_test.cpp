// Every kind of bad input the dataset readers meet: a clear error naming file,
// line and what was expected, or, with skip_bad_rows, a skipped and counted row.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "io/datasets.h"

namespace fs = std::filesystem;
using namespace mh::io;

namespace {

class DatasetReader : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mh_reader_" + std::to_string(getpid()) + "_" +
                                        testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path file(const std::string& name, const std::string& content) {
    auto p = dir_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
  // The error message read_dataset gives, or "" when it succeeds.
  std::string error(const std::string& kind, const fs::path& p, ReadOptions o = {}) {
    try {
      read_dataset(kind, p, o);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }
  fs::path dir_;
};

const char* kHeader = "id,text,label\n";

}  // namespace

TEST_F(DatasetReader, ReadsQuotedFieldsWithCommasQuotesAndNewlines) {
  auto p = file("d.csv", std::string(kHeader) +
                             "a1,\"Hello, \"\"world\"\"\nsecond line\",depression\n"
                             "a2,plain text,non_depression\n");
  auto d = read_dataset("idendep", p, {});
  ASSERT_EQ(d.posts.size(), 2u);
  EXPECT_EQ(d.posts[0].text, "Hello, \"world\"\nsecond line");
  EXPECT_EQ(d.posts[0].label, 1);
  EXPECT_EQ(d.posts[1].id, "a2");
  EXPECT_EQ(d.posts[1].label, 0);
  EXPECT_EQ(d.label_names, (std::vector<std::string>{"non_depression", "depression"}));
}

TEST_F(DatasetReader, UnbalancedQuotesNameTheLineWhereTheFieldStarts) {
  auto p = file("d.csv", std::string(kHeader) + "a1,fine,depression\na2,\"never closed,depression\na3,x,depression\n");
  auto e = error("idendep", p);
  EXPECT_NE(e.find(p.string() + ":3:4: quoted field starting here (line 3) is never closed"), std::string::npos) << e;
}

TEST_F(DatasetReader, TextAfterAClosingQuoteIsAnError) {
  auto p = file("d.csv", std::string(kHeader) + "a1,\"quoted\"tail,depression\n");
  auto e = error("idendep", p);
  EXPECT_NE(e.find(p.string() + ":2:12: expected ',' or the end of the line after a closing quote, found 't'"),
            std::string::npos)
      << e;
}

TEST_F(DatasetReader, TooFewFieldsIsAnErrorOrASkippedRow) {
  auto p = file("d.csv", std::string(kHeader) + "a1,ok,depression\na2,missing label\na3,ok too,non_depression\n");
  EXPECT_EQ(error("idendep", p), p.string() + ":3: expected 3 fields as in the header, found 2 (or pass --on-bad-row=skip)");
  ReadOptions skip;
  skip.skip_bad_rows = true;
  auto d = read_dataset("idendep", p, skip);
  EXPECT_EQ(d.posts.size(), 2u);
  EXPECT_EQ(d.summary.rows, 3);
  EXPECT_EQ(d.summary.skipped.at("too few fields"), 1);
}

TEST_F(DatasetReader, MissingColumnListsTheHeader) {
  auto p = file("d.csv", "id,body,label\na1,x,depression\n");
  EXPECT_EQ(error("idendep", p), p.string() + ":1: missing column 'text'; the header has 'id', 'body', 'label'");
}

TEST_F(DatasetReader, EmptyTextIsAnErrorOrASkippedRow) {
  auto p = file("d.csv", std::string(kHeader) + "a1,\"  \",depression\na2,fine,depression\n");
  EXPECT_EQ(error("idendep", p), p.string() + ":2: empty text (or pass --on-bad-row=skip)");
  ReadOptions skip;
  skip.skip_bad_rows = true;
  auto d = read_dataset("idendep", p, skip);
  EXPECT_EQ(d.posts.size(), 1u);
  EXPECT_EQ(d.summary.skipped.at("empty text"), 1);
}

TEST_F(DatasetReader, UnknownLabelSaysWhichLabelsAreExpected) {
  auto p = file("d.csv", std::string(kHeader) + "a1,text,sad\n");
  EXPECT_EQ(error("idendep", p), p.string() + ":2: unknown label 'sad' in column 'label'; expected one of "
                                              "'non_depression', 'depression' (or pass --on-bad-row=skip)");
}

TEST_F(DatasetReader, InvalidUtf8IsAnErrorWithLineAndColumnOrIsReplaced) {
  auto p = file("d.csv", std::string(kHeader) + "a1,good,depression\na2,bad \xff byte,depression\n");
  auto e = error("idendep", p);
  EXPECT_NE(e.find("invalid UTF-8 at " + p.string() + ":3:8"), std::string::npos) << e;
  ReadOptions replace;
  replace.replace_invalid_utf8 = true;
  auto d = read_dataset("idendep", p, replace);
  ASSERT_EQ(d.posts.size(), 2u);
  EXPECT_EQ(d.posts[1].text, "bad \xEF\xBF\xBD byte");
  EXPECT_EQ(d.summary.adjusted.at("invalid UTF-8 replaced by U+FFFD"), 1);
}

TEST_F(DatasetReader, CrlfFilesReadExactlyLikeLfFiles) {
  std::string lf = std::string(kHeader) + "a1,\"two\nlines\",depression\na2,one,non_depression\n";
  std::string crlf = "id,text,label\r\na1,\"two\nlines\",depression\r\na2,one,non_depression\r\n";
  auto a = read_dataset("idendep", file("lf.csv", lf), {});
  auto b = read_dataset("idendep", file("crlf.csv", crlf), {});
  ASSERT_EQ(a.posts.size(), b.posts.size());
  for (size_t i = 0; i < a.posts.size(); ++i) {
    EXPECT_EQ(a.posts[i].text, b.posts[i].text);
    EXPECT_EQ(a.posts[i].label, b.posts[i].label);
  }
  EXPECT_EQ(b.posts[1].text, "one");  // no stray '\r'
}

TEST_F(DatasetReader, EmptyAndMissingFiles) {
  auto p = file("empty.csv", "");
  EXPECT_EQ(error("idendep", p), p.string() + ": empty file; expected a header line naming the columns");
  EXPECT_EQ(error("idendep", dir_ / "nope.csv"), (dir_ / "nope.csv").string() + ": no such file or folder");
}

TEST_F(DatasetReader, LineNumbersCountNewlinesInsideQuotedFields) {
  auto p = file("d.csv", std::string(kHeader) + "a1,\"one\ntwo\nthree\",depression\na2,x,nolabel\n");
  EXPECT_NE(error("idendep", p).find(p.string() + ":5: unknown label 'nolabel'"), std::string::npos);
}

TEST_F(DatasetReader, GenericCsvInfersSortedLabelsAndUsesChosenColumns) {
  auto p = file("g.csv", "post,cls,key\nhello,b,k1\nworld,a,k2\nagain,b,k3\n");
  ReadOptions o;
  o.text_col = "post";
  o.label_col = "cls";
  o.id_col = "key";
  auto d = read_dataset("csv", p, o);
  EXPECT_EQ(d.label_names, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(d.posts.size(), 3u);
  EXPECT_EQ(d.posts[1].id, "k2");
  EXPECT_EQ(d.posts[1].label, 0);
}

TEST_F(DatasetReader, JsonLinesWithBadLines) {
  auto p = file("d.jsonl", "{\"text\": \"hi there\", \"label\": \"pos\"}\n\n{\"text\": 5, \"label\": \"neg\"}\nnot json\n"
                           "{\"text\": \"ok\", \"label\": \"neg\"}\n");
  auto e = error("jsonl", p);
  EXPECT_NE(e.find(p.string() + ":4: not a JSON object"), std::string::npos) << e;
  ReadOptions skip;
  skip.skip_bad_rows = true;
  auto d = read_dataset("jsonl", p, skip);
  EXPECT_EQ(d.posts.size(), 2u);
  EXPECT_EQ(d.summary.skipped.at("malformed line"), 1);
  EXPECT_EQ(d.summary.skipped.at("missing text"), 1);
}

TEST_F(DatasetReader, TwitSuicideUsesItsThreeLabels) {
  auto p = file("t.csv", "tweet,annotation\nsome text,possibly concerning\nmore,safe to ignore\n");
  ReadOptions o;
  o.text_col = "tweet";
  o.label_col = "annotation";
  auto d = read_dataset("twitsuicide", p, o);
  EXPECT_EQ(d.label_names, (std::vector<std::string>{"safe to ignore", "possibly concerning", "strongly concerning"}));
  EXPECT_EQ(d.posts[0].label, 1);
  EXPECT_EQ(d.posts[1].label, 0);
}

TEST_F(DatasetReader, DeptweetDropsConflictingDuplicateIdsAndCountsMissingText) {
  file("deptweet_dataset.csv",
       "tweet_id,replies_count,retweets_count,likes_count,target,label,confidence_score\n"
       "1,0,0,0,0,non-depressed,1\n2,0,0,0,1,mild,0.7\n2,0,0,0,1,mild,0.9\n3,0,0,0,1,mild,1\n3,0,0,0,3,severe,1\n"
       "4,0,0,0,2,moderate,1\n");
  auto texts = file("texts.csv", "tweet_id,text\n1,first tweet\n2,second tweet\n3,third tweet\n");
  ReadOptions o;
  o.text_file = texts;
  auto d = read_dataset("deptweet", dir_, o);
  ASSERT_EQ(d.posts.size(), 2u);  // 1 and 2; 3 conflicts, 4 has no text
  EXPECT_EQ(d.posts[0].id, "1");
  EXPECT_EQ(d.posts[1].label, 1);
  EXPECT_EQ(d.summary.skipped.at("tweet_id with conflicting labels (ids)"), 1);
  EXPECT_EQ(d.summary.skipped.at("tweet_id without text in texts.csv"), 1);
  EXPECT_NE(error("deptweet", dir_, {}).find("--text-file"), std::string::npos);
}
