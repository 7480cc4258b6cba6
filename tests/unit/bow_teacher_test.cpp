#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "io/vocab.h"
#include "io/wordpiece_tokenizer.h"
#include "source_dir.h"
#include "teachers/bow/logistic_regression.h"
#include "teachers/bow/tfidf.h"

namespace fs = std::filesystem;
using namespace mh::teachers::bow;

namespace {

// Synthetic posts: shared filler words and each class's own words, with a
// share of the other classes' words, punctuation, capitals and contractions.
std::vector<std::string> synthetic_posts(int n, int classes, uint32_t seed, std::vector<int32_t>& labels) {
  const std::vector<std::string> shared = {"I", "feel", "today", "really", "the", "and", "it's", "my", "life",
                                           "so", "a", "Nothing", "again,", "never.", "I'm", "can't"};
  const std::vector<std::vector<std::string>> own = {{"tired", "sad", "empty", "sleep", "alone", "numb"},
                                                     {"end", "pills", "goodbye", "plan", "die", "note"},
                                                     {"anxious", "panic", "heart", "racing", "worry", "breath"}};
  std::mt19937 rng(seed);
  std::vector<std::string> posts;
  for (int i = 0; i < n; ++i) {
    const int y = static_cast<int>(rng() % static_cast<uint32_t>(classes));
    labels.push_back(y);
    std::string p;
    const int words = 6 + static_cast<int>(rng() % 14);
    for (int w = 0; w < words; ++w) {
      const uint32_t r = rng() % 10;
      const auto& from = r < 6 ? shared : own[static_cast<size_t>(r < 9 ? y : (y + 1) % classes)];
      p += (p.empty() ? "" : " ") + from[rng() % from.size()];
    }
    posts.push_back(p);
  }
  return posts;
}


}  // namespace

TEST(Tfidf, TermsIdfAndSublinearL2RowsByHand) {
  // Three training posts; min_df 2 keeps the n-grams of at least two of them.
  std::vector<Words> docs = {{"i", "am", "sad"}, {"i", "am", "tired", "tired"}, {"sad", "and", "tired"}};
  auto v = TfidfVectorizer::fit(docs, {2, 2});
  EXPECT_EQ(v.term_names(), (std::vector<std::string>{"am", "i", "i am", "sad", "tired"}));
  // df 2 of n 3: ln(4 / 3) + 1.
  for (double idf : v.idf()) EXPECT_NEAR(idf, std::log(4.0 / 3.0) + 1, 1e-12);
  // Post 2: "i", "am", "i am" once and "tired" twice (1 + ln 2); one idf for all, so it cancels in the norm.
  auto x = v.transform({docs[1], {"unseen", "words"}}).to_dense();
  const double t = 1 + std::log(2.0), norm = std::sqrt(3 + t * t);
  EXPECT_NEAR(x[0][0].item<double>(), 1 / norm, 1e-12);
  EXPECT_NEAR(x[0][2].item<double>(), 1 / norm, 1e-12);
  EXPECT_NEAR(x[0][3].item<double>(), 0, 1e-12);
  EXPECT_NEAR(x[0][4].item<double>(), t / norm, 1e-12);
  EXPECT_EQ(x[1].abs().sum().item<double>(), 0) << "a post without any term is a zero row";
  EXPECT_THROW(TfidfVectorizer::fit({{"a", "b"}, {"c"}}, {2, 2}), std::invalid_argument);
}

TEST(Tfidf, WordsAreTheTokenizersLowerCasedWordsOfTwoOrMoreCharacters) {
  auto vocab = mh::io::Vocab::load(mh::test::source_dir() / "tests" / "tokenizer" / "vocab.txt");
  mh::io::WordPieceTokenizer tok(vocab, {});
  EXPECT_EQ(bow_words(tok, "I'm SO tired... of it, ok?"), (Words{"so", "tired", "of", "it", "ok"}));
}

TEST(BowTeacher, TfidfAndLogisticRegressionMatchScikitLearn) {
  auto dir = fs::temp_directory_path() / ("mh_bow_parity_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto vocab = mh::io::Vocab::load(mh::test::source_dir() / "tests" / "tokenizer" / "vocab.txt");
  mh::io::WordPieceTokenizer tok(vocab, {});
  for (int classes : {2, 3}) {
    std::vector<int32_t> labels;
    auto posts = synthetic_posts(150, classes, 11 + static_cast<uint32_t>(classes), labels);
    // The last 30 posts are not fitted on: the features and probabilities of unseen posts are compared too.
    std::ofstream(dir / "posts.txt") << [&] {
      std::string s;
      for (auto& p : posts) s += p + "\n";
      return s;
    }();
    {
      std::ofstream l(dir / "labels.txt");
      for (size_t i = 0; i < labels.size(); ++i) l << (i < 120 ? labels[i] : -1) << "\n";
    }
    auto script = mh::test::source_dir() / "tests" / "parity" / "bow_reference.py";
    std::string cmd = "/usr/bin/python3 " + script.string() + " " + dir.string() + " 0.3 10 > " + (dir / "ref.json").string();
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "reference failed (is python3-sklearn installed?): " << cmd;
    auto ref = nlohmann::json::parse(std::ifstream(dir / "ref.json"));

    std::vector<Words> docs;
    for (auto& p : posts) docs.push_back(bow_words(tok, p));
    std::vector<Words> fit_docs(docs.begin(), docs.begin() + 120);
    std::vector<int32_t> fit_labels(labels.begin(), labels.begin() + 120);
    auto v = TfidfVectorizer::fit(fit_docs, {2, 2});
    ASSERT_EQ(v.term_names(), ref["terms"].get<std::vector<std::string>>()) << classes << " classes";
    auto idf = ref["idf"].get<std::vector<double>>();
    for (size_t i = 0; i < idf.size(); ++i) EXPECT_NEAR(v.idf()[i], idf[i], 1e-12) << v.term_names()[i];
    auto x = v.transform(docs);
    auto dense = x.to_dense();
    auto theirs = torch::zeros_like(dense);
    for (size_t i = 0; i < posts.size(); ++i)
      for (auto& [j, val] : ref["features"][i].items()) theirs[static_cast<int64_t>(i)][std::stoll(j)] = val.get<double>();
    EXPECT_LE((dense - theirs).abs().max().item<double>(), 1e-12) << classes << " classes";
    auto x_fit = v.transform(fit_docs);
    for (std::string c : {"0.3", "10"}) {
      auto lr = fit_logistic_regression(x_fit, fit_labels, classes, std::stod(c));
      auto ours = torch::softmax(lr.logits(x), 1);
      auto p = ref["probs"][c].get<std::vector<std::vector<double>>>();
      ASSERT_EQ(ours.size(0), static_cast<int64_t>(p.size()));
      double worst = 0;
      for (size_t i = 0; i < p.size(); ++i)
        for (int k = 0; k < classes; ++k)
          worst = std::max(worst, std::abs(ours[static_cast<int64_t>(i)][k].item<double>() - p[i][static_cast<size_t>(k)]));
      // The fit reaches gradients below 1e-8; scikit-learn's lbfgs stops within about 3e-5 of that optimum.
      EXPECT_LE(worst, 1e-4) << classes << " classes, C " << c;
      // Not a trivial model: the probabilities vary across posts.
      EXPECT_GT((std::get<0>(ours.max(0)) - std::get<0>(ours.min(0))).min().item<double>(), 0.2) << classes << " classes, C " << c;
    }
  }
  fs::remove_all(dir);
}

TEST(BowTeacher, LogisticRegressionRefusesBadLabelsAndC) {
  auto x = torch::eye(3, torch::kDouble);
  EXPECT_THROW(fit_logistic_regression(x, {0, 1}, 2, 1.0), std::invalid_argument);
  EXPECT_THROW(fit_logistic_regression(x, {0, 1, 2}, 2, 1.0), std::invalid_argument);
  EXPECT_THROW(fit_logistic_regression(x, {0, 1, 0}, 2, 0.0), std::invalid_argument);
}
