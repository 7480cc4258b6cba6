// Audio made elsewhere (Bark on GPUs, recordings): one file per post in a
// directory, `<post_id>.wav` or, as the paper's Bark output, `Sample_<row>.wav`.
// Any format and rate libsndfile reads; channels are averaged, then resampled
// to 16 kHz.
#include <sndfile.h>

#include <sstream>
#include <stdexcept>

#include "io/csv_reader.h"
#include "teachers/audio/speech_engine.h"

namespace mh::teachers::audio {

namespace {

class WavEngine : public SpeechEngine {
 public:
  explicit WavEngine(const EngineOptions& o) : dir_(o.wav_dir) {
    if (!std::filesystem::is_directory(dir_)) throw io::InputError(dir_.string() + ": not a directory of audio files");
  }
  std::string name() const override { return "wav"; }

  Speech speak(int64_t row, const std::string& post_id, const std::string&) override {
    auto path = dir_ / (post_id + ".wav");
    if (!std::filesystem::exists(path)) path = dir_ / ("Sample_" + std::to_string(row) + ".wav");
    if (!std::filesystem::exists(path))
      throw io::InputError(dir_.string() + ": no audio for post " + post_id + " (expected " + post_id + ".wav or Sample_" +
                           std::to_string(row) + ".wav)");
    return read_audio_file(path);
  }

  static Speech read_audio_file(const std::filesystem::path& path) {
    SF_INFO info{};
    SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
    if (!f) throw io::InputError(path.string() + ": not readable audio (" + sf_strerror(nullptr) + ")");
    // libsndfile reads a file cut short as a shorter file; its log keeps the
    // header's claim ("data : 32000 (should be 15956)").
    char log[4096] = {0};
    sf_command(f, SFC_GET_LOG_INFO, log, sizeof log);
    std::istringstream lines(log);
    for (std::string line; std::getline(lines, line);)
      if (line.rfind("data", 0) == 0 && line.find("should be") != std::string::npos) {
        sf_close(f);
        throw io::InputError(path.string() + ": truncated audio (the header promises more data than the file holds: " +
                             line + ")");
      }
    std::vector<float> interleaved(static_cast<size_t>(info.frames) * static_cast<size_t>(info.channels));
    sf_count_t got = info.frames > 0 ? sf_readf_float(f, interleaved.data(), info.frames) : 0;
    sf_close(f);
    if (info.frames <= 0) throw io::InputError(path.string() + ": empty audio (no samples)");
    if (got < info.frames)
      throw io::InputError(path.string() + ": truncated audio (" + std::to_string(got) + " of " +
                           std::to_string(info.frames) + " frames readable)");
    std::vector<float> mono(static_cast<size_t>(got));
    for (sf_count_t i = 0; i < got; ++i) {
      float s = 0;
      for (int c = 0; c < info.channels; ++c) s += interleaved[static_cast<size_t>(i * info.channels + c)];
      mono[static_cast<size_t>(i)] = s / static_cast<float>(info.channels);
    }
    return {resample(mono, info.samplerate, kSampleRate)};
  }

 private:
  std::filesystem::path dir_;
};

}  // namespace

std::unique_ptr<SpeechEngine> make_wav_engine(const EngineOptions& o) { return std::make_unique<WavEngine>(o); }

Speech read_audio_file(const std::filesystem::path& path) { return WavEngine::read_audio_file(path); }

}  // namespace mh::teachers::audio
