// Options of the audio stage, shared by `audio` and `run`.
#pragma once

#include "launcher/cli.h"
#include "teachers/audio/audio_stage.h"

namespace mh::launcher {

// Everything but the run directory, --lexicon, --backend and --force.
void add_audio_options(po::options_description& d);
// Reads those options, --lexicon (with --prosody) and --force.
teachers::audio::AudioOptions read_audio_options(const po::variables_map& vm);

}  // namespace mh::launcher
