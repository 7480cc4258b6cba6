// `3mhealth distill RUN_DIR --teachers text[,emotion][,audio]|none`: trains the
// text-only student (the text teacher's model family) with
// alpha * CE + beta * T^2 * KL(mean of the teachers' probabilities || student),
// data parallel, and writes student/<combo>/: model/ (config.json,
// model.safetensors, vocab.txt), metrics.json (test and validation) and
// predictions.csv (post_id, split, gold, predicted, one probability per label).
// <combo> is the teachers joined by '+', or "none" for the text-only baseline.
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
  bool force = false;
};

std::vector<std::string> parse_teachers(const std::string& list);  // "text,audio" or "none"
std::string combo_name(const std::vector<std::string>& teachers);

int run_distill(const std::filesystem::path& run_dir, DistillOptions options, dist::Communicator& comm);

}  // namespace mh::student
