#include <gtest/gtest.h>
#include <torch/torch.h>

#include <fstream>
#include <random>

#include "io/csv_reader.h"
#include "teachers/text/word_vectors.h"

using mh::teachers::text::train_piece_vectors;
using mh::teachers::text::WordVectorOptions;

namespace {

std::filesystem::path temp_file(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("mh_word_vectors_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

WordVectorOptions small() {
  WordVectorOptions o;
  o.dim = 16;
  o.epochs = 5;
  o.threads = 1;
  o.seed = 3;
  return o;
}

double cosine(const at::Tensor& a, const at::Tensor& b) {
  return (a.dot(b) / (a.norm() * b.norm())).item<double>();
}

}  // namespace

TEST(WordVectors, PiecesThatShareContextsGetCloserVectorsThanPiecesThatDoNot) {
  // Two topics: posts draw only from ids 5..14 or only from ids 15..24; ids
  // 0..4 (the special pieces) and 25..29 never occur.
  auto path = temp_file("topics.txt");
  {
    std::ofstream out(path);
    std::mt19937 rng(11);
    for (int post = 0; post < 3000; ++post) {
      const int base = post % 2 ? 15 : 5;
      for (int i = 0; i < 12; ++i) out << (i ? " " : "") << base + static_cast<int>(rng() % 10);
      out << '\n';
    }
  }
  torch::manual_seed(0);
  auto v = train_piece_vectors(path, 30, small(), 0.02).value();
  ASSERT_EQ(v.sizes(), (at::IntArrayRef{30, 16}));
  // Centred: skip-gram vectors share a common direction (every piece is a
  // context of every frequent piece), which says nothing about topics.
  auto trained = v.narrow(0, 5, 20);
  auto centred = trained - trained.mean(0);
  double same = 0, other = 0;
  int n_same = 0, n_other = 0;
  for (int a = 5; a < 25; ++a)
    for (int b = a + 1; b < 25; ++b) {
      const bool together = (a < 15) == (b < 15);
      (together ? same : other) += cosine(centred[a - 5], centred[b - 5]);
      ++(together ? n_same : n_other);
    }
  same /= n_same, other /= n_other;
  EXPECT_GT(same - other, 0.5) << "same topic " << same << ", across topics " << other;
  // The trained rows are put on the encoder's initial scale.
  EXPECT_NEAR(trained.std().item<double>(), 0.02, 1e-4);
}

TEST(WordVectors, PiecesTheCorpusLacksKeepAFreshInitialisation) {
  auto path = temp_file("few.txt");
  {
    std::ofstream out(path);
    for (int post = 0; post < 200; ++post) out << "7 8 9 7 8\n";
  }
  torch::manual_seed(0);
  auto v = train_piece_vectors(path, 2000, small(), 0.02).value();
  auto absent = torch::cat({v.narrow(0, 0, 7), v.narrow(0, 10, 1990)});
  // 1997 x 16 draws of N(0, 0.02^2): the sample sd within 5%.
  EXPECT_NEAR(absent.std().item<double>(), 0.02, 0.001);
  EXPECT_NEAR(absent.mean().item<double>(), 0.0, 0.001);
}

TEST(WordVectors, AnIdOutsideTheVocabularyIsAnErrorNamingTheFile) {
  auto path = temp_file("bad.txt");
  {
    std::ofstream out(path);
    for (int post = 0; post < 50; ++post) out << "1 2 3 42\n";
  }
  try {
    train_piece_vectors(path, 10, small(), 0.02);
    FAIL() << "id 42 of a 10-piece vocabulary was accepted";
  } catch (const mh::io::InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path.string() + ": '42' is not a piece id of a vocabulary of 10"), std::string::npos)
        << e.what();
  }
}

TEST(WordVectors, AStopRequestAbortsTrainingAndReturnsNothing) {
  auto path = temp_file("long.txt");
  {
    std::ofstream out(path);
    for (int post = 0; post < 20000; ++post) out << "5 6 7 8 9 10 11 12\n";
  }
  auto o = small();
  o.epochs = 200;  // minutes without the stop
  int polls = 0;
  o.stop = [&] { return ++polls >= 3; };
  EXPECT_FALSE(train_piece_vectors(path, 20, o, 0.02).has_value());
  // Polled every 64 posts: a run of 200 epochs would poll 62,500 times.
  EXPECT_GE(polls, 3);
  EXPECT_LE(polls, 10) << "fastText ran on after the stop";
  o.epochs = 1;
  o.stop = [] { return false; };
  EXPECT_TRUE(train_piece_vectors(path, 20, o, 0.02).has_value());
}
