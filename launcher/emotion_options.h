// Options of the emotion teacher (`teacher --modality emotion`, `run`): lexicon,
// graph, GCN and MLP; and its training recipe, which differs from the text
// model's (an MLP wants a larger learning rate and more patience).
#pragma once

#include "launcher/cli.h"
#include "launcher/train_options.h"
#include "teachers/emotion/emotion_teacher.h"

namespace mh::launcher {

TrainRecipe emotion_train_recipe();
void add_emotion_options(po::options_description& d);
teachers::emotion::EmotionTeacherOptions read_emotion_options(const po::variables_map& vm);

}  // namespace mh::launcher
