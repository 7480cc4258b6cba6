#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "io/vocab.h"
#include "teachers/emotion/emotion_embeddings.h"
#include "teachers/emotion/emotion_graph.h"
#include "teachers/emotion/emotion_mlp.h"
#include "teachers/emotion/gcn.h"

using namespace mh::teachers::emotion;

namespace {

// Tokens 1..5; window 3; every token is a node (min_word_freq 1).
// d0 = 1 2 3, d1 = 2 3 4 4, d2 = 1 5. Nodes: documents 0-2, token t is node 2 + t.
EmotionGraph hand_graph() {
  GraphOptions o;
  o.min_word_freq = 1;
  o.window = 3;
  o.jaccard_threshold = 0.2;
  return build_graph({{1, 2, 3}, {2, 3, 4, 4}, {1, 5}}, o);
}

}  // namespace

TEST(EmotionGraph, TfIdfEdgesAreCountTimesLogOfDocumentsOverDf) {
  auto g = hand_graph();
  ASSERT_EQ(g.num_docs, 3);
  ASSERT_EQ(g.word_token, (std::vector<int32_t>{1, 2, 3, 4, 5}));
  const float ln15 = std::log(1.5f), ln3 = std::log(3.f);
  EXPECT_NEAR(g.edge(0, 3), ln15, 1e-6);      // token 1 in d0, df 2
  EXPECT_NEAR(g.edge(1, 6), 2 * ln3, 1e-6);   // token 4 twice in d1, df 1
  EXPECT_NEAR(g.edge(7, 2), ln3, 1e-6);       // token 5 in d2, df 1 (either order)
  EXPECT_EQ(g.edge(1, 3), 0.f);               // token 1 not in d1
  EXPECT_EQ(g.tfidf_edges, 8);
}

TEST(EmotionGraph, PmiEdgesFromSlidingWindowsKeepOnlyPositiveValues) {
  auto g = hand_graph();
  // Windows: {1,2,3} | {2,3,4} {3,4} | {1,5}: W = 4, W(1) = 2, W(2) = 2, W(3) = 3, W(4) = 2, W(5) = 1.
  EXPECT_NEAR(g.edge(4, 5), std::log(2.0 * 4 / (2 * 3)), 1e-6);  // tokens 2,3 together twice
  EXPECT_NEAR(g.edge(5, 6), std::log(2.0 * 4 / (3 * 2)), 1e-6);  // tokens 3,4
  EXPECT_NEAR(g.edge(3, 7), std::log(4.0 / (2 * 1)), 1e-6);      // tokens 1,5
  EXPECT_EQ(g.edge(3, 4), 0.f);  // tokens 1,2: PMI exactly 0
  EXPECT_EQ(g.edge(3, 5), 0.f);  // tokens 1,3: negative
  EXPECT_EQ(g.pmi_edges, 3);
}

TEST(EmotionGraph, JaccardEdgesAboveTheThresholdOnly) {
  auto g = hand_graph();
  EXPECT_NEAR(g.edge(0, 1), 2.0 / 4, 1e-6);  // {1,2,3} vs {2,3,4}
  EXPECT_NEAR(g.edge(0, 2), 1.0 / 4, 1e-6);  // {1,2,3} vs {1,5}
  EXPECT_EQ(g.edge(1, 2), 0.f);
  EXPECT_EQ(g.jaccard_edges, 2);
}

TEST(EmotionGraph, RareTokensAreNotNodes) {
  GraphOptions o;
  o.min_word_freq = 2;
  auto g = build_graph({{1, 2, 3}, {2, 3, 4, 4}, {1, 5}}, o);
  EXPECT_EQ(g.word_token, (std::vector<int32_t>{1, 2, 3, 4}));  // 5 occurs once
}

TEST(EmotionGraph, AdjacencyIsSymmetricallyNormalisedWithSelfLoops) {
  auto g = hand_graph();
  auto a = normalized_adjacency(g).to_dense();
  ASSERT_EQ(a.size(0), 8);
  EXPECT_TRUE(torch::allclose(a, a.t()));
  const double ln15 = std::log(1.5), ln3 = std::log(3.0), ln2 = std::log(2.0);
  const double d2 = 1 + ln15 + ln3 + 0.25;   // node d2: token 1, token 5, Jaccard with d0, self-loop
  const double d7 = 1 + ln3 + ln2;           // node token 5: d2, PMI with token 1, self-loop
  EXPECT_NEAR(a[2][7].item<double>(), ln3 / std::sqrt(d2 * d7), 1e-6);
  EXPECT_NEAR(a[7][7].item<double>(), 1 / d7, 1e-6);
  EXPECT_NEAR(a[2][2].item<double>(), 1 / d2, 1e-6);
  EXPECT_EQ(a[1][7].item<double>(), 0.0);
}

TEST(EmotionGcn, GradientsReachEveryParameter) {
  auto g = hand_graph();
  auto adj = normalized_adjacency(g);
  GcnOptions o;
  o.hidden = 6;
  o.out = 4;
  torch::manual_seed(0);
  Gcn gcn(g.num_nodes(), 3, o);
  gcn->train();
  auto [e, logits] = gcn->forward(adj);
  EXPECT_EQ(e.sizes(), (std::vector<int64_t>{8, 4}));
  auto y = torch::tensor({1.f, 0.f, 1.f, 0.f, 1.f, 1.f, 0.f, 0.f, 1.f}).view({3, 3});
  torch::binary_cross_entropy_with_logits(logits.slice(0, 0, 3), y).backward();
  for (const auto& p : gcn->named_parameters()) {
    ASSERT_TRUE(p.value().grad().defined()) << p.key();
    EXPECT_TRUE(torch::isfinite(p.value().grad()).all().item<bool>()) << p.key();
    EXPECT_GT(p.value().grad().abs().sum().item<double>(), 0) << p.key();
  }
  // Word nodes get gradient only through the graph: their rows of w0 too.
  EXPECT_GT(gcn->w0.grad()[7].abs().sum().item<double>(), 0);
}

TEST(EmotionGcn, TrainingLowersTheLossAndKeepsTheBestEpoch) {
  auto g = hand_graph();
  auto adj = normalized_adjacency(g);
  GcnOptions o;
  o.hidden = 8;
  o.out = 4;
  o.dropout = 0;
  o.held_out = 0;  // 3 documents: all fit, the training loss judges
  o.epochs = 100;
  o.patience = 100;
  auto y = torch::tensor({1.f, 0.f, 0.f, 1.f, 1.f, 0.f}).view({3, 2});
  auto r = train_gcn(adj, y, o);
  EXPECT_EQ(r.embeddings.sizes(), (std::vector<int64_t>{8, 4}));
  EXPECT_LT(r.best_held_out_loss, 0.05);
  EXPECT_LE(r.best_epoch, r.epochs_run);
}

TEST(EmotionMlp, MeanMaxPoolingIgnoresPaddingAndFlattenIsPaddedToMaxLength) {
  torch::manual_seed(0);
  auto table = torch::randn({10, 3});
  MlpOptions o;
  o.pooling = "meanmax";
  o.hidden = 5;
  o.dropout = 0;
  EmotionMlp pooled(table, 6, 2, o);
  pooled->eval();
  auto ids = torch::tensor({4, 7, 2}, torch::kLong).view({1, 3});
  auto padded = torch::tensor({4, 7, 2, 0, 0}, torch::kLong).view({1, 5});
  auto l1 = pooled->forward(ids, torch::ones({1, 3}, torch::kLong));
  auto l2 = pooled->forward(padded, torch::tensor({1, 1, 1, 0, 0}, torch::kLong).view({1, 5}));
  EXPECT_TRUE(torch::allclose(l1, l2, 1e-6, 1e-6));
  o.pooling = "flatten";
  EmotionMlp flat(table, 6, 2, o);
  flat->eval();
  EXPECT_TRUE(torch::allclose(flat->forward(ids, torch::ones({1, 3}, torch::kLong)),
                              flat->forward(padded, torch::tensor({1, 1, 1, 0, 0}, torch::kLong).view({1, 5})), 1e-6, 1e-6));
  // The embeddings are frozen: a buffer, not a parameter.
  for (const auto& p : flat->named_parameters()) EXPECT_EQ(p.key().find("embeddings"), std::string::npos);
}

TEST(EmotionEmbeddings, WordsAreRebuiltFromPiecesWithoutSpecials) {
  mh::io::Vocab v({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "i", "feel", "hope", "##less", "."});
  std::vector<int32_t> ids{2, 5, 6, 7, 8, 1, 9, 3, 0};
  EXPECT_EQ(words_of(v, ids.data(), 8), (std::vector<std::string>{"i", "feel", "hopeless", "."}));
}
