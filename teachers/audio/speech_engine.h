// Where a post's audio comes from. An engine turns one post into 16 kHz mono
// speech; adding one (another TTS, a cloud service's output) is one new file
// implementing `SpeechEngine` and a line in make_speech_engine().
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace mh::teachers::audio {

constexpr int kSampleRate = 16000;

struct Speech {
  std::vector<float> samples;  // 16 kHz mono, [-1, 1]
  double seconds() const { return static_cast<double>(samples.size()) / kSampleRate; }
};

class SpeechEngine {
 public:
  virtual ~SpeechEngine() = default;
  virtual std::string name() const = 0;
  // `row` is the post's index in data.h5 (file naming by position, as Bark's
  // Sample_<i>.wav); errors name the post and, for files, the file.
  virtual Speech speak(int64_t row, const std::string& post_id, const std::string& text) = 0;
};

struct EngineOptions {
  std::string engine = "espeak";  // espeak or wav
  // espeak
  std::string voice = "en-us";
  int words_per_chunk = 45;       // the paper cut posts at 45 words for Bark
  double gap_seconds = 0.25;      // silence between sentences and chunks
  double max_seconds = 0;         // stop after the chunk that reaches it (0: the whole post)
  std::filesystem::path prosody;  // emotion -> prosody table (INI); empty: neutral prosody
  std::filesystem::path lexicon;  // with prosody: the emotion lexicon
  // wav
  std::filesystem::path wav_dir;
};

std::unique_ptr<SpeechEngine> make_speech_engine(const EngineOptions& o);

// One audio file (any format libsndfile reads) as 16 kHz mono; errors name the
// file (missing, not audio, empty, truncated).
Speech read_audio_file(const std::filesystem::path& path);

// Resamples mono audio with libsamplerate's band-limited sinc converter.
std::vector<float> resample(const std::vector<float>& in, double from_rate, double to_rate);

}  // namespace mh::teachers::audio
