// Head+tail truncation (prepare --tail-pieces): which pieces of a long post
// reach the model, in prepare and, through the same fit_pieces, in predict.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "io/hdf5_store.h"
#include "io/prepare.h"
#include "io/vocab.h"
#include "io/wordpiece_tokenizer.h"

namespace fs = std::filesystem;
using namespace mh::io;

TEST(FitPieces, KeepsAPostThatFitsWhole) {
  EXPECT_EQ(fit_pieces({1, 2, 3}, 6, 2), (std::vector<int32_t>{1, 2, 3}));
  EXPECT_EQ(fit_pieces({1, 2, 3, 4, 5, 6}, 6, 2), (std::vector<int32_t>{1, 2, 3, 4, 5, 6}));
}

TEST(FitPieces, KeepsTheFirstAndTheLastPiecesOfALongPost) {
  const std::vector<int32_t> post = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_EQ(fit_pieces(post, 6, 0), (std::vector<int32_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(fit_pieces(post, 6, 2), (std::vector<int32_t>{1, 2, 3, 4, 9, 10}));
  EXPECT_EQ(fit_pieces(post, 6, 6), (std::vector<int32_t>{5, 6, 7, 8, 9, 10}));
}

TEST(FitPieces, ATailLongerThanTheRoomIsRefused) {
  EXPECT_THROW(fit_pieces({1, 2, 3}, 2, 3), std::invalid_argument);
  EXPECT_THROW(fit_pieces({1, 2, 3}, 2, -1), std::invalid_argument);
}

TEST(PrepareTruncation, TailPiecesKeepTheEndOfLongPostsInDataH5AndMakeANewStage) {
  auto dir = fs::temp_directory_path() / ("mh_truncation_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::vector<std::string> words = {"alpha", "beta", "gamma", "delta", "epsilon",
                                          "zeta",  "eta",  "theta", "iota",  "kappa"};
  std::string text;
  for (const auto& w : words) text += (text.empty() ? "" : " ") + w;
  {
    std::ofstream csv(dir / "posts.csv");
    csv << "id,text,label\n";
    for (int i = 0; i < 40; ++i) csv << "p" << i << "," << text << ",l" << i % 2 << "\n";
  }
  PrepareConfig c;
  c.dataset = "csv";
  c.input = dir / "posts.csv";
  c.run_dir = dir / "run";
  c.vocab_size = 200;
  c.max_length = 8;  // [CLS], 6 pieces, [SEP]
  auto first_row = [&] {
    H5Reader r(c.run_dir / "data.h5");
    auto vocab = Vocab::load(c.run_dir / "vocab.txt");
    std::vector<std::string> out;
    for (int32_t id : r.read_rows<int32_t>("ids", 0, 1)) out.push_back(vocab.token(id));
    EXPECT_EQ(r.read_rows<int32_t>("token_count", 0, 1)[0], 12) << "the count before truncation";
    return std::make_pair(out, r.attr_int("/", "tail_pieces"));
  };
  prepare(c);
  auto [head, head_attr] = first_row();
  EXPECT_EQ(head, (std::vector<std::string>{"[CLS]", "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "[SEP]"}));
  EXPECT_EQ(head_attr, 0);

  c.tail_pieces = 2;
  EXPECT_FALSE(prepare(c).skipped) << "another truncation is another data.h5";
  auto [both, both_attr] = first_row();
  EXPECT_EQ(both, (std::vector<std::string>{"[CLS]", "alpha", "beta", "gamma", "delta", "iota", "kappa", "[SEP]"}));
  EXPECT_EQ(both_attr, 2);

  c.tail_pieces = 6;  // would leave no first piece
  EXPECT_THROW(prepare(c), std::invalid_argument);
  fs::remove_all(dir);
}
