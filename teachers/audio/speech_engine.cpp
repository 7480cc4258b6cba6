#include "teachers/audio/speech_engine.h"

#include <stdexcept>

namespace mh::teachers::audio {

std::unique_ptr<SpeechEngine> make_espeak_engine(const EngineOptions& o);
std::unique_ptr<SpeechEngine> make_wav_engine(const EngineOptions& o);

std::unique_ptr<SpeechEngine> make_speech_engine(const EngineOptions& o) {
  if (o.engine == "espeak") return make_espeak_engine(o);
  if (o.engine == "wav") return make_wav_engine(o);
  throw std::invalid_argument("audio engine: expected espeak or wav, got '" + o.engine + "'");
}

}  // namespace mh::teachers::audio
