#include <gtest/gtest.h>
#include <torch/torch.h>

#include "teachers/text/text_classifier.h"

using mh::teachers::text::mask_pieces;

TEST(TokenMask, MasksOrdinaryPiecesAtTheRateAskedAndNeverSpecialsOrPadding) {
  // 2 = [CLS], 3 = [SEP], 0 = [PAD], 4 = [MASK]; ordinary pieces 10..19.
  const int64_t B = 400, T = 52;
  auto ids = torch::randint(10, 20, {B, T}, torch::kLong);
  ids.select(1, 0).fill_(2);
  ids.select(1, 40).fill_(3);
  ids.narrow(1, 41, T - 41).fill_(0);
  auto attn = (ids != 0).to(torch::kLong);
  torch::manual_seed(7);
  auto out = mask_pieces(ids, attn, 0.2, 4, {0, 1, 2, 3, 4});
  auto masked = out == 4;
  EXPECT_FALSE(masked.select(1, 0).any().item<bool>()) << "[CLS] masked";
  EXPECT_FALSE(masked.select(1, 40).any().item<bool>()) << "[SEP] masked";
  EXPECT_FALSE(masked.narrow(1, 41, T - 41).any().item<bool>()) << "padding masked";
  EXPECT_TRUE(torch::equal(out.masked_select(~masked), ids.masked_select(~masked))) << "unmasked pieces changed";
  // 400 x 39 ordinary pieces: 0.2 +- 4 standard deviations (0.0064 each).
  const double rate = masked.sum().item<double>() / (B * 39.0);
  EXPECT_NEAR(rate, 0.2, 0.026);
  torch::manual_seed(7);
  EXPECT_TRUE(torch::equal(mask_pieces(ids, attn, 0.2, 4, {0, 1, 2, 3, 4}), out)) << "not reproducible from the seed";
  EXPECT_TRUE(torch::equal(mask_pieces(ids, attn, 0.0, 4, {0, 1, 2, 3, 4}), ids)) << "p = 0 changed ids";
}
