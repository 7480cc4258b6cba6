// `3mhealth distill RUN_DIR --teachers text[,emotion][,audio]|none`: trains the
// text-only student (the text teacher's model family) with
// alpha * CE + beta * T^2 * KL(mean of the teachers' probabilities || student),
// data parallel, and writes student/<combo>/: model/ (config.json,
// model.safetensors, vocab.txt), metrics.json (test and validation) and
// predictions.csv (post_id, split, gold, predicted, one probability per label).
// <combo> is the teachers joined by '+', or "none" for the text-only baseline.
// A run prepared with a transfer set (prepare --transfer-corpus, split 3) adds
// those unlabeled posts to the student's training posts, with the teachers'
// probabilities as the distillation target and their argmax as the label: the
// student learns the teachers' function on more posts than are labeled (Hinton
// et al.'s transfer set). Teachers never train on them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "dist/communicator.h"
#include "student/distill_loss.h"
#include "teachers/text/text_classifier.h"

namespace mh::student {

struct DistillOptions {
  std::vector<std::string> teachers;  // empty: none
  KdOptions kd;
  teachers::text::TextModelOptions model;
  train::TrainOptions train;
  bool transfer = true;  // train on the run's transfer posts, if it has any and a teacher
  bool force = false;
};

std::vector<std::string> parse_teachers(const std::string& list);  // "text,audio" or "none"
std::string combo_name(const std::vector<std::string>& teachers);

// The labels of data's posts, with each transfer post's set to the argmax of
// teacher_probs [posts, classes].
std::vector<int32_t> pseudo_labelled(const train::TextData& data, const at::Tensor& teacher_probs);

int run_distill(const std::filesystem::path& run_dir, DistillOptions options, dist::Communicator& comm);

}  // namespace mh::student
