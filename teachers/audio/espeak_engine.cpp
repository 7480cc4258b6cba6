// espeak-ng, in-process (libespeak-ng). espeak-ng keeps global state and is
// not thread-safe: one engine per process, which is how the audio stage runs
// it (one per MPI rank).
#include <espeak-ng/speak_lib.h>

#include <cctype>
#include <mutex>
#include <stdexcept>

#include "teachers/audio/prosody.h"
#include "teachers/audio/speech_engine.h"

namespace mh::teachers::audio {

namespace {

std::vector<short>* g_sink = nullptr;  // the buffer the synthesis callback fills

int collect(short* wav, int n, espeak_EVENT*) {
  if (wav && n > 0 && g_sink) g_sink->insert(g_sink->end(), wav, wav + n);
  return 0;  // continue
}

// Sentences (ending in . ! ? or a line break), each cut into chunks of at most
// `max_words` words.
std::vector<std::string> chunks_of(const std::string& text, int max_words) {
  std::vector<std::string> out;
  std::string sentence;
  auto flush_sentence = [&] {
    std::vector<std::string> words;
    std::string w;
    for (char c : sentence + " ") {
      if (std::isspace(static_cast<unsigned char>(c))) {
        if (!w.empty()) words.push_back(w), w.clear();
      } else {
        w += c;
      }
    }
    for (size_t i = 0; i < words.size(); i += static_cast<size_t>(max_words)) {
      std::string chunk;
      for (size_t j = i; j < std::min(words.size(), i + static_cast<size_t>(max_words)); ++j)
        chunk += (j > i ? " " : "") + words[j];
      out.push_back(chunk);
    }
    sentence.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') { flush_sentence(); continue; }
    sentence += c == '_' ? ' ' : c;  // preprocessing markers (_URL_) are read as words
    bool end = (c == '.' || c == '!' || c == '?') && (i + 1 == text.size() || std::isspace(static_cast<unsigned char>(text[i + 1])));
    if (end) flush_sentence();
  }
  flush_sentence();
  return out;
}

std::vector<std::string> lower_words(const std::string& s) {
  std::vector<std::string> words;
  std::string w;
  for (char c : s + " ") {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '\'') {
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!w.empty()) {
      words.push_back(w);
      w.clear();
    }
  }
  return words;
}

class EspeakEngine : public SpeechEngine {
 public:
  explicit EspeakEngine(const EngineOptions& o) : o_(o) {
    static std::once_flag once;
    static int rate = 0;
    std::call_once(once, [] { rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, 0); });
    if (rate <= 0) throw std::runtime_error("espeak-ng: initialisation failed (is espeak-ng-data installed?)");
    rate_ = rate;
    espeak_SetSynthCallback(collect);
    if (espeak_SetVoiceByName(o.voice.c_str()) != EE_OK)
      throw std::runtime_error("espeak-ng: unknown voice '" + o.voice + "' (espeak-ng --voices lists them)");
    if (!o.prosody.empty()) {
      if (o.lexicon.empty()) throw std::runtime_error("emotion-driven prosody needs the emotion lexicon (--lexicon)");
      table_ = load_prosody_table(o.prosody);
      lexicon_ = emotion::Lexicon::load(o.lexicon);
    }
  }

  std::string name() const override { return "espeak"; }

  Speech speak(int64_t, const std::string& post_id, const std::string& text) override {
    std::vector<short> pcm;
    const size_t gap = static_cast<size_t>(o_.gap_seconds * rate_);
    for (const auto& chunk : chunks_of(text, o_.words_per_chunk)) {
      if (!pcm.empty()) pcm.insert(pcm.end(), gap, 0);
      // Always SSML, neutral or not, so that prosody is the only difference
      // (espeak-ng pauses slightly longer after an SSML utterance).
      const Prosody p = table_.empty() ? Prosody{} : sentence_prosody(table_, lexicon_, lower_words(chunk));
      const std::string input = prosody_ssml(chunk, p);
      const unsigned flags = espeakCHARS_UTF8 | espeakSSML;
      g_sink = &pcm;
      espeak_ERROR err = espeak_Synth(input.c_str(), input.size() + 1, 0, POS_CHARACTER, 0, flags, nullptr, nullptr);
      g_sink = nullptr;
      if (err != EE_OK) throw std::runtime_error("espeak-ng: synthesis failed for post " + post_id);
      if (o_.max_seconds > 0 && static_cast<double>(pcm.size()) >= o_.max_seconds * rate_) break;
    }
    std::vector<float> f(pcm.size());
    for (size_t i = 0; i < pcm.size(); ++i) f[i] = static_cast<float>(pcm[i]) / 32768.f;
    return {resample(f, rate_, kSampleRate)};
  }

 private:
  EngineOptions o_;
  int rate_ = 0;
  std::vector<ProsodyRule> table_;
  emotion::Lexicon lexicon_;
};

}  // namespace

std::unique_ptr<SpeechEngine> make_espeak_engine(const EngineOptions& o) { return std::make_unique<EspeakEngine>(o); }

}  // namespace mh::teachers::audio
