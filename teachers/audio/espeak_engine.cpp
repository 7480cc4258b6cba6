// espeak-ng through libespeak-ng. espeak-ng keeps global state and is not
// thread-safe: one engine per process (one per MPI rank in the audio stage),
// each post synthesised in a forked child (see speak()).
#include <espeak-ng/speak_lib.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
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

  // Each post is synthesised in a forked child: espeak-ng keeps synthesis
  // state between utterances (a function-static pitch-flutter phase in
  // wavegen.c that nothing resets), so in one process the audio of a post
  // would depend on every post spoken before it, i.e. on the rank, the world
  // size and where a resumed job restarted. The parent never synthesises, so
  // every child starts from the same state and a post always sounds the same.
  // The child only runs espeak-ng and writes 16-bit samples to a pipe; it
  // never touches MPI or LibTorch and leaves with _exit.
  Speech speak(int64_t, const std::string& post_id, const std::string& text) override {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error(std::string("espeak-ng: pipe: ") + std::strerror(errno));
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error(std::string("espeak-ng: fork: ") + std::strerror(errno));
    if (pid == 0) {
      close(fds[0]);
      _exit(synthesise_to(fds[1], text) ? 0 : 1);
    }
    close(fds[1]);
    std::vector<short> pcm;
    short block[8192];
    for (;;) {
      ssize_t got = read(fds[0], block, sizeof block);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      pcm.insert(pcm.end(), block, block + got / static_cast<ssize_t>(sizeof(short)));
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      throw std::runtime_error("espeak-ng: synthesis failed for post " + post_id);
    std::vector<float> f(pcm.size());
    for (size_t i = 0; i < pcm.size(); ++i) f[i] = static_cast<float>(pcm[i]) / 32768.f;
    return {resample(f, rate_, kSampleRate)};
  }

 private:
  // In the child: the post's chunks joined by silence, written to `fd`.
  bool synthesise_to(int fd, const std::string& text) {
    std::vector<short> pcm;
    const size_t gap = static_cast<size_t>(o_.gap_seconds * rate_);
    for (const auto& chunk : chunks_of(text, o_.words_per_chunk)) {
      if (!pcm.empty()) pcm.insert(pcm.end(), gap, 0);
      // Always SSML, neutral or not, so that prosody is the only difference
      // (espeak-ng pauses slightly longer after an SSML utterance).
      const Prosody p = table_.empty() ? Prosody{} : sentence_prosody(table_, lexicon_, lower_words(chunk));
      const std::string input = prosody_ssml(chunk, p);
      g_sink = &pcm;
      espeak_ERROR err = espeak_Synth(input.c_str(), input.size() + 1, 0, POS_CHARACTER, 0,
                                      espeakCHARS_UTF8 | espeakSSML, nullptr, nullptr);
      g_sink = nullptr;
      if (err != EE_OK) return false;
      if (o_.max_seconds > 0 && static_cast<double>(pcm.size()) >= o_.max_seconds * rate_) break;
    }
    const char* p = reinterpret_cast<const char*>(pcm.data());
    size_t left = pcm.size() * sizeof(short);
    while (left > 0) {
      ssize_t n = write(fd, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      p += n;
      left -= static_cast<size_t>(n);
    }
    return true;
  }

  EngineOptions o_;
  int rate_ = 0;
  std::vector<ProsodyRule> table_;
  emotion::Lexicon lexicon_;
};

}  // namespace

std::unique_ptr<SpeechEngine> make_espeak_engine(const EngineOptions& o) { return std::make_unique<EspeakEngine>(o); }

}  // namespace mh::teachers::audio
