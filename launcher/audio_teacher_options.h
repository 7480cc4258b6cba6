// Options of the audio teacher (`teacher --modality audio`): the AST's size
// and patching, and its training defaults where the text model's were left
// (an AST from scratch wants a larger learning rate and more patience).
#pragma once

#include "launcher/cli.h"
#include "teachers/audio/audio_teacher.h"

namespace mh::launcher {

void add_audio_teacher_options(po::options_description& d);
teachers::audio::AudioTeacherOptions read_audio_teacher_options(const po::variables_map& vm);

}  // namespace mh::launcher
