// Options of the emotion teacher (`teacher --modality emotion`): lexicon,
// graph, GCN and MLP; and its training defaults, which differ from the text
// model's where those were left at their defaults (an MLP wants a larger
// learning rate and more patience than a transformer).
#pragma once

#include "launcher/cli.h"
#include "teachers/emotion/emotion_teacher.h"

namespace mh::launcher {

void add_emotion_options(po::options_description& d);
teachers::emotion::EmotionTeacherOptions read_emotion_options(const po::variables_map& vm);

}  // namespace mh::launcher
