// Emotion-driven prosody for synthesised speech: a table (a config file, see
// experiments/prosody.ini) maps an emotion category of the lexicon to speaking
// rate, pitch and volume in percent of neutral; a sentence is spoken with the
// prosody of the table emotion most of its words carry (ties: the earlier
// line), or neutrally when none does.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "teachers/emotion/lexicon.h"

namespace mh::teachers::audio {

struct Prosody {
  int rate = 100, pitch = 100, volume = 100;  // percent of neutral
  bool neutral() const { return rate == 100 && pitch == 100 && volume == 100; }
};

struct ProsodyRule {
  std::string emotion;
  Prosody prosody;
};

// Lines `emotion = RATE PITCH VOLUME` (percent), '#' comments; errors name file:line.
std::vector<ProsodyRule> load_prosody_table(const std::filesystem::path& path);

Prosody sentence_prosody(const std::vector<ProsodyRule>& table, const emotion::Lexicon& lexicon,
                         const std::vector<std::string>& words);

// The sentence as SSML for espeak-ng (text XML-escaped), in <prosody> unless neutral.
std::string prosody_ssml(const std::string& text, const Prosody& p);

}  // namespace mh::teachers::audio
