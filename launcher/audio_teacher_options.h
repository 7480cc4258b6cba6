// Options of the audio teacher (`teacher --modality audio`, `run`): the AST's
// size and patching, and its training recipe (an AST from scratch wants a
// larger learning rate, more patience and a plateau schedule).
#pragma once

#include "launcher/cli.h"
#include "launcher/train_options.h"
#include "teachers/audio/audio_teacher.h"

namespace mh::launcher {

TrainRecipe audio_train_recipe();
void add_audio_teacher_options(po::options_description& d);
teachers::audio::AudioTeacherOptions read_audio_teacher_options(const po::variables_map& vm);

}  // namespace mh::launcher
