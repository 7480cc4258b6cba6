#include <gtest/gtest.h>
#include <sndfile.h>
#include <torch/torch.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include "io/csv_reader.h"
#include "teachers/audio/fbank.h"
#include "teachers/audio/prosody.h"
#include "teachers/audio/speech_engine.h"
#include "tests/unit/source_dir.h"

using namespace mh::teachers::audio;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir(const std::string& name) {
  auto d = fs::temp_directory_path() / ("mh_audio_" + name + "_" + std::to_string(getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

double rms(const std::vector<float>& x) {
  double s = 0;
  for (float v : x) s += double(v) * v;
  return std::sqrt(s / std::max<size_t>(1, x.size()));
}

void write_sine(const fs::path& path, int rate, double seconds, double hz, int channels = 1) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr) << sf_strerror(nullptr);
  std::vector<float> x(static_cast<size_t>(rate * seconds) * channels);
  for (size_t i = 0; i < x.size() / channels; ++i)
    for (int c = 0; c < channels; ++c) x[i * channels + c] = 0.5f * std::sin(2 * M_PI * hz * i / rate);
  sf_writef_float(f, x.data(), static_cast<sf_count_t>(x.size() / channels));
  sf_close(f);
}

double dominant_hz(const std::vector<float>& x) {
  auto t = torch::from_blob(const_cast<float*>(x.data()), {static_cast<int64_t>(x.size())}, torch::kFloat);
  auto spectrum = torch::fft::rfft(t).abs();
  return spectrum.argmax().item<int64_t>() * double(kSampleRate) / x.size();
}

std::string error_of(const fs::path& p) {
  try {
    read_audio_file(p);
  } catch (const mh::io::InputError& e) {
    return e.what();
  }
  return "";
}

Speech espeak(const std::string& text, const fs::path& prosody = {}, const fs::path& lexicon = {}) {
  EngineOptions o;
  o.prosody = prosody;
  o.lexicon = lexicon;
  return make_speech_engine(o)->speak(0, "p0", text);
}

}  // namespace

TEST(Espeak, AKnownSentenceIsNonSilent16kHzSpeechOfPlausibleLength) {
  auto s = espeak("The quick brown fox jumps over the lazy dog.");
  // Nine words at espeak-ng's default 175 words per minute: about 3 s.
  EXPECT_GT(s.seconds(), 1.5);
  EXPECT_LT(s.seconds(), 5.0);
  EXPECT_GT(rms(s.samples), 0.01);
  // Two sentences are joined with 0.25 s of silence: longer than either alone.
  auto a = espeak("I could not sleep."), b = espeak("Nobody called me back."), ab = espeak("I could not sleep. Nobody called me back.");
  EXPECT_NEAR(ab.seconds(), a.seconds() + b.seconds() + 0.25, 0.05);
}

TEST(Espeak, APostSoundsTheSameWhateverWasSpokenBefore) {
  EngineOptions o;
  auto engine = make_speech_engine(o);
  const std::string a = "Today I felt alone and empty, maybe worthless.", b = "Honestly I am hopeless and lost.";
  auto first = engine->speak(0, "a", a).samples;
  engine->speak(1, "b", b);
  auto again = engine->speak(0, "a", a).samples;
  EXPECT_EQ(first, again) << "espeak-ng's state between utterances leaked into a post";
  EXPECT_EQ(make_speech_engine(o)->speak(0, "a", a).samples, first) << "a second engine in the same process";
}

TEST(Espeak, EmotionProsodyChangesDurationInTheExpectedDirection) {
  auto dir = temp_dir("prosody");
  std::ofstream(dir / "lexicon.csv") << "alone,sadness\nempty,sadness\nfurious,anger\nhate,anger\n";
  std::ofstream(dir / "prosody.ini") << "# emotion = rate pitch volume\nsadness = 70 85 100\nanger = 140 100 130\n";
  const std::string sad = "I feel so alone and empty tonight.", angry = "I hate this, I am furious with everyone.";
  const double sad_neutral = espeak(sad).seconds(), angry_neutral = espeak(angry).seconds();
  const double sad_slow = espeak(sad, dir / "prosody.ini", dir / "lexicon.csv").seconds();
  const double angry_fast = espeak(angry, dir / "prosody.ini", dir / "lexicon.csv").seconds();
  EXPECT_GT(sad_slow, 1.2 * sad_neutral) << "sadness: slower";
  EXPECT_LT(angry_fast, 0.85 * angry_neutral) << "anger: faster";
  // A sentence without any table emotion keeps neutral prosody.
  const std::string plain = "The bus leaves at nine.";
  EXPECT_NEAR(espeak(plain, dir / "prosody.ini", dir / "lexicon.csv").seconds(), espeak(plain).seconds(), 0.02);
  fs::remove_all(dir);
}

TEST(Prosody, TableErrorsNameFileAndLine) {
  auto dir = temp_dir("prosody_bad");
  std::ofstream(dir / "bad.ini") << "sadness = 70 85 100\nanger = fast\n";
  try {
    load_prosody_table(dir / "bad.ini");
    FAIL() << "accepted a malformed table";
  } catch (const mh::io::InputError& e) {
    EXPECT_NE(std::string(e.what()).find((dir / "bad.ini").string() + ":2: expected"), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}

TEST(WavImport, ReadsAnyRateAndResamplesTo16kHz) {
  auto dir = temp_dir("wav");
  for (int rate : {8000, 16000, 24000, 44100}) {
    auto p = dir / ("tone" + std::to_string(rate) + ".wav");
    write_sine(p, rate, 0.5, 440.0, rate == 44100 ? 2 : 1);
    auto s = read_audio_file(p);
    EXPECT_NEAR(static_cast<double>(s.samples.size()), 8000.0, 2.0) << rate;
    EXPECT_NEAR(dominant_hz(s.samples), 440.0, 2.5) << rate;
    EXPECT_NEAR(rms(s.samples), 0.5 / std::sqrt(2.0), 0.02) << rate;
  }
  fs::remove_all(dir);
}

TEST(WavImport, BadFilesAreClearErrorsNamingTheFile) {
  auto dir = temp_dir("wav_bad");
  std::ofstream(dir / "empty.wav").close();
  EXPECT_NE(error_of(dir / "empty.wav").find((dir / "empty.wav").string() + ": not readable audio"), std::string::npos);
  std::ofstream(dir / "text.wav") << "this is not audio at all, just some text in a file";
  EXPECT_NE(error_of(dir / "text.wav").find((dir / "text.wav").string() + ": not readable audio"), std::string::npos);
  write_sine(dir / "silent.wav", 16000, 0.0, 440.0);
  EXPECT_NE(error_of(dir / "silent.wav").find((dir / "silent.wav").string() + ": empty audio"), std::string::npos)
      << error_of(dir / "silent.wav");
  write_sine(dir / "cut.wav", 16000, 1.0, 440.0);
  fs::resize_file(dir / "cut.wav", fs::file_size(dir / "cut.wav") / 2);
  EXPECT_NE(error_of(dir / "cut.wav").find((dir / "cut.wav").string() + ": truncated audio"), std::string::npos)
      << error_of(dir / "cut.wav");
  EngineOptions o;
  o.engine = "wav";
  o.wav_dir = dir;
  try {
    make_speech_engine(o)->speak(7, "t3xyz", "");
    FAIL() << "a missing file was accepted";
  } catch (const mh::io::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("expected t3xyz.wav or Sample_7.wav"), std::string::npos) << e.what();
  }
  write_sine(dir / "Sample_7.wav", 16000, 0.25, 440.0);  // the paper's Bark naming, by row
  EXPECT_EQ(make_speech_engine(o)->speak(7, "t3xyz", "").samples.size(), 4000u);
  fs::remove_all(dir);
}

TEST(Fbank, MatchesTorchaudioKaldiFbank) {
  auto dir = temp_dir("fbank");
  std::vector<std::pair<std::string, std::vector<float>>> waves;
  waves.emplace_back("speech", espeak("I have not slept properly in weeks, and nothing helps.").samples);
  std::vector<float> chirp(12345);
  std::mt19937 rng(5);
  std::normal_distribution<float> noise(0.f, 0.01f);
  for (size_t i = 0; i < chirp.size(); ++i) {
    double t = double(i) / kSampleRate;
    chirp[i] = 0.3f * std::sin(2 * M_PI * (100 + 3000 * t) * t) + noise(rng);
  }
  waves.emplace_back("chirp", chirp);
  for (auto& [name, w] : waves) std::ofstream(dir / (name + ".f32"), std::ios::binary).write(reinterpret_cast<char*>(w.data()), w.size() * 4);
  for (std::string window : {"povey", "hanning"}) {
    auto script = mh::test::source_dir() / "tests" / "parity" / "fbank_reference.py";
    std::string cmd = "/usr/bin/python3 " + script.string() + " " + dir.string() + " " + window;
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "reference failed (is python3-torchaudio installed?): " << cmd;
    for (auto& [name, w] : waves) {
      FbankOptions o;
      o.window = window;
      auto ours = kaldi_fbank(torch::from_blob(w.data(), {static_cast<int64_t>(w.size())}, torch::kFloat), o);
      auto ref_path = dir / (name + "." + window + ".ref.f32");
      std::vector<float> ref(fs::file_size(ref_path) / 4);
      std::ifstream(ref_path, std::ios::binary).read(reinterpret_cast<char*>(ref.data()), ref.size() * 4);
      const int64_t frames = 1 + (static_cast<int64_t>(w.size()) - 400) / 160;
      ASSERT_EQ(ours.sizes(), (std::vector<int64_t>{frames, 128})) << name;
      ASSERT_EQ(ref.size(), static_cast<size_t>(frames * 128)) << name;
      auto theirs = torch::from_blob(ref.data(), {frames, 128}, torch::kFloat);
      EXPECT_LE((ours - theirs).abs().max().item<double>(), 1e-3) << name << " " << window;
      EXPECT_GT(ours.max().item<double>() - ours.min().item<double>(), 5.0) << "features too flat to compare";
    }
  }
  fs::remove_all(dir);
}
