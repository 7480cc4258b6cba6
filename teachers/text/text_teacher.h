// `3mhealth teacher --modality text RUN_DIR`: trains the text teacher on the
// training split (early stopping on validation), then writes
//   teachers/text/model/   config.json, model.safetensors, vocab.txt (best epoch)
//   teachers/text/metrics.json   test (and validation) metrics
//   soft_targets/text.h5   logits and probabilities for every post
// and records the stage in manifest.json. Data parallel over `comm`.
//
// With members = K > 1 the teacher is a seed ensemble: K models on the same
// data, member k seeded with seed + 1000 k (member 0 is the single model of
// the same options), each saved to teachers/text/member-<k>/model/; the soft
// targets and metrics are those of the members' mean probability (its log as
// the logits). Small training sets make one model's result hinge on its seed;
// the mean of several is steadier and better, and the student distilled from
// it is still one model.
//
// With cross_fit = K >= 2 the training posts' soft targets are out of fold:
// K more models, fold model k trained on the training posts outside fold k
// (teachers/text/fold-<k>/, its done.json lists the posts it held out), give
// each training post the soft target of the model that did not see it; the
// validation and test posts keep the teacher's own, and the teacher is the
// model (or ensemble) it is without the option. A fold model takes as many
// optimizer steps as the teacher (epochs K / (K - 1), rounded up) and keeps its
// best epoch on validation without stopping early: on less data the first
// epochs stay flat longer, and patience 3 stopped SDCNL fold models before
// they had learned anything. The teacher fits its own training posts far
// better than unseen ones (SDCNL, 5 seeds: macro-F1 89.4 on its own training
// posts against 70.0 out of fold), so its soft targets there say little the
// gold labels do not; out of fold they carry how hard each post is for a
// model that did not see it (experiments/RESULTS.md, "out-of-fold").
#pragma once

#include <filesystem>

#include "dist/communicator.h"
#include "teachers/text/text_classifier.h"

namespace mh::teachers::text {

struct TextTeacherOptions {
  TextModelOptions model;
  train::TrainOptions train;
  double temperature = 1.0;  // of the stored probabilities
  int members = 1;           // seed ensemble size
  int cross_fit = 0;         // folds for out-of-fold training soft targets (0: off)
  bool force = false;
};

// Seed of ensemble member k.
uint64_t member_seed(uint64_t seed, int k);

// log of the mean over members of softmax(logits): [rows, C] from K tensors [rows, C].
at::Tensor ensemble_logits(const std::vector<at::Tensor>& member_logits);

// The training rows that fold model k of K does not see: every K-th of a
// permutation of `train_rows` seeded by `seed`, sorted. The K folds partition
// `train_rows`, their sizes differing by at most one.
std::vector<int64_t> cross_fit_fold(const std::vector<int64_t>& train_rows, int k, int K, uint64_t seed);

// 0 when done (or stopped by a signal after checkpointing).
int run_text_teacher(const std::filesystem::path& run_dir, TextTeacherOptions options, dist::Communicator& comm);

}  // namespace mh::teachers::text
