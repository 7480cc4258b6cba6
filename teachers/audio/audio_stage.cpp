#include "teachers/audio/audio_stage.h"

#include <sndfile.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <iomanip>
#include <optional>
#include <sstream>

#include "io/csv_reader.h"
#include "io/hdf5_store.h"
#include "io/run_manifest.h"
#include "io/sha256.h"
#include "log/log.h"
#include "train/stop_signal.h"

namespace mh::teachers::audio {

nlohmann::json audio_config(const AudioOptions& o) {
  const auto& e = o.engine;
  nlohmann::json engine = {{"engine", e.engine}};
  if (e.engine == "espeak") {
    engine["voice"] = e.voice;
    engine["words_per_chunk"] = e.words_per_chunk;
    engine["gap_seconds"] = e.gap_seconds;
    engine["prosody_sha256"] = e.prosody.empty() ? "" : io::sha256_file(e.prosody);
    engine["lexicon_sha256"] = e.prosody.empty() || e.lexicon.empty() ? "" : io::sha256_file(e.lexicon);
  } else {
    engine["wav_dir"] = e.wav_dir.string();
  }
  const auto& f = o.fbank;
  return {{"engine", engine},
          {"fbank", {{"frame_length_ms", f.frame_length_ms}, {"frame_shift_ms", f.frame_shift_ms},
                     {"num_mel_bins", f.num_mel_bins}, {"preemphasis", f.preemphasis}, {"window", f.window},
                     {"low_freq", f.low_freq}, {"high_freq", f.high_freq}}},
          {"frames", o.frames},
          {"shard_size", o.shard_size},
          {"full_audio", o.full_audio}};
}

namespace {

struct Shard {
  int64_t first = 0, rows = 0;
  std::vector<io::float16_t> mel;  // [rows, bins, frames]
  std::vector<int32_t> frames;
  std::vector<float> duration;
};

std::string checksum(const Shard& s) {
  std::string bytes(reinterpret_cast<const char*>(s.mel.data()), s.mel.size() * sizeof(io::float16_t));
  bytes.append(reinterpret_cast<const char*>(s.frames.data()), s.frames.size() * sizeof(int32_t));
  bytes.append(reinterpret_cast<const char*>(s.duration.data()), s.duration.size() * sizeof(float));
  return io::sha256_hex(bytes);
}

std::filesystem::path shard_path(const std::filesystem::path& run_dir, int64_t k) {
  return run_dir / "audio" / ("shard-" + std::to_string(k) + ".h5");
}

// The shard read back when it is complete and made with this configuration.
std::optional<Shard> read_complete_shard(const std::filesystem::path& path, const std::string& hash, int64_t first,
                                         int64_t rows) {
  if (!std::filesystem::exists(path)) return std::nullopt;
  try {
    io::H5Reader r(path);
    if (r.attr_string("/", "config_hash") != hash || r.attr_int("/", "first_row") != first ||
        r.attr_int("/", "rows") != rows)
      return std::nullopt;
    Shard s;
    s.first = first;
    s.rows = rows;
    s.mel = r.read<io::float16_t>("mel");
    s.frames = r.read<int32_t>("frames");
    s.duration = r.read<float>("duration");
    if (checksum(s) != r.attr_string("/", "checksum")) {
      log::warn("audio: ", path.string(), " fails its checksum; redoing it");
      return std::nullopt;
    }
    return s;
  } catch (const std::exception& e) {
    log::warn("audio: ", path.string(), " is unreadable (", e.what(), "); redoing it");
    return std::nullopt;
  }
}

void write_wav(const std::filesystem::path& path, const std::vector<float>& samples) {
  SF_INFO info{};
  info.samplerate = kSampleRate;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  auto tmp = path;
  tmp += ".tmp";
  SNDFILE* f = sf_open(tmp.c_str(), SFM_WRITE, &info);
  if (!f) throw std::runtime_error(tmp.string() + ": cannot write (" + sf_strerror(nullptr) + ")");
  sf_count_t n = sf_writef_float(f, samples.data(), static_cast<sf_count_t>(samples.size()));
  sf_close(f);
  if (n != static_cast<sf_count_t>(samples.size())) throw std::runtime_error(tmp.string() + ": short write");
  std::filesystem::rename(tmp, path);
}

std::string file_safe(std::string id) {
  for (auto& c : id)
    if (c == '/' || c == '\\' || c == '\0') c = '_';
  return id;
}

}  // namespace

int run_audio(const std::filesystem::path& run_dir, AudioOptions o, dist::Communicator& comm) {
  log::set_role("audio");
  io::RunManifest manifest(run_dir);
  const auto* prepared = manifest.stage("prepare");
  if (!prepared) throw io::InputError((run_dir / "manifest.json").string() + ": no prepare stage; run 3mhealth prepare first");
  nlohmann::json config = audio_config(o);
  config["data"] = prepared->at("config_hash");
  const std::string hash = io::RunManifest::hash(config);
  if (manifest.up_to_date("audio", hash, o.force, "audio", comm.rank() == 0)) {
    return 0;
  }
  io::H5Reader data(run_dir / "data.h5");
  if (!data.has("text"))
    throw io::InputError((run_dir / "data.h5").string() + ": no /text (prepared by an older 3mhealth); re-run prepare with --force");
  const auto texts = data.read_strings("text"), post_ids = data.read_strings("post_id");
  const auto split = data.read<uint8_t>("split");
  const int64_t N = static_cast<int64_t>(texts.size()), F = o.frames, B = o.fbank.num_mel_bins;
  const int64_t K = (N + o.shard_size - 1) / o.shard_size, world = comm.size();
  // Only the first `frames` frames become features: synthesising the rest of
  // a long post would cost time and change nothing (unless WAVs are kept).
  if (!o.full_audio && !o.keep_wav)
    o.engine.max_seconds = (static_cast<double>(F - 1) * o.fbank.frame_shift_ms + o.fbank.frame_length_ms) / 1000.0;
  std::filesystem::create_directories(run_dir / "audio" / (o.keep_wav ? "wav" : ""));
  comm.barrier();
  auto engine = make_speech_engine(o.engine);  // one per process: espeak-ng is not thread-safe
  if (comm.rank() == 0) {
    std::ostringstream length;
    if (o.full_audio || o.keep_wav) length << ", whole posts";
    else length << ", up to " << o.engine.max_seconds << " s per post";
    log::info("audio: ", N, " posts in ", K, " shards of ", o.shard_size, " over ", world, " ranks, engine ", engine->name(),
              length.str());
  }

  const auto started = std::chrono::steady_clock::now();
  double seconds_done = 0, shards_skipped = 0;
  std::optional<log::Progress> progress;
  if (comm.rank() == 0) progress.emplace("audio:", N, "posts");
  const int64_t rounds = (K + world - 1) / world;
  for (int64_t round = 0; round < rounds; ++round) {
    const int64_t k = round * world + comm.rank();
    double mine[3] = {0, 0, 0};  // posts, audio seconds, skipped shards
    if (k < K) {
      const int64_t first = k * o.shard_size, rows = std::min(o.shard_size, N - first);
      const auto path = shard_path(run_dir, k);
      if (auto done = read_complete_shard(path, hash, first, rows)) {
        mine[0] = static_cast<double>(rows);
        for (float d : done->duration) mine[1] += d;
        mine[2] = 1;
      } else {
        Shard s;
        s.first = first;
        s.rows = rows;
        s.mel.assign(static_cast<size_t>(rows * B * F), io::float16_t::from_float(0.f));
        for (int64_t i = 0; i < rows; ++i) {
          const int64_t r = first + i;
          Speech speech = engine->speak(r, post_ids[r], texts[r]);
          if (o.keep_wav) write_wav(run_dir / "audio" / "wav" / (file_safe(post_ids[r]) + ".wav"), speech.samples);
          auto wave = torch::from_blob(speech.samples.data(), {static_cast<int64_t>(speech.samples.size())}, torch::kFloat);
          auto fb = kaldi_fbank(wave, o.fbank);  // [frames, B]
          const int64_t used = std::min<int64_t>(fb.size(0), F);
          auto t = fb.slice(0, 0, used).t().contiguous();  // [B, used]
          const float* src = t.data_ptr<float>();
          for (int64_t b = 0; b < B; ++b)
            for (int64_t f = 0; f < used; ++f)
              s.mel[static_cast<size_t>((i * B + b) * F + f)] = io::float16_t::from_float(src[b * used + f]);
          s.frames.push_back(static_cast<int32_t>(used));
          s.duration.push_back(static_cast<float>(speech.seconds()));
          mine[1] += speech.seconds();
        }
        mine[0] = static_cast<double>(rows);
        io::H5Writer w(path);
        w.write("mel", s.mel, {static_cast<uint64_t>(rows), static_cast<uint64_t>(B), static_cast<uint64_t>(F)});
        w.write("frames", s.frames, {static_cast<uint64_t>(rows)});
        w.write("duration", s.duration, {static_cast<uint64_t>(rows)});
        w.set_attr("/", "config_hash", hash);
        w.set_attr("/", "first_row", first);
        w.set_attr("/", "rows", rows);
        w.set_attr("/", "checksum", checksum(s));
        w.commit();
      }
    }
    // The stop request (SIGTERM, Slurm preemption) rides on the same allreduce,
    // so every rank stops after the same round, each with its shard written.
    auto totals = torch::tensor({mine[0], mine[1], mine[2], train::stop_requested() ? 1.0 : 0.0}, torch::kDouble);
    comm.allreduce(totals, dist::ReduceOp::sum);
    seconds_done += totals[1].item<double>();
    shards_skipped += totals[2].item<double>();
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::ostringstream extra;
    extra << std::fixed << std::setprecision(1) << seconds_done / std::max(elapsed, 1e-9) << " audio-s/s (real-time factor "
          << std::setprecision(4) << elapsed / std::max(seconds_done, 1e-9) << "), "
          << static_cast<int64_t>(shards_skipped) << " shards already done";
    if (progress) {
      progress->advance(static_cast<int64_t>(totals[0].item<double>()), extra.str());
      if (round + 1 == rounds) progress->finish(extra.str());
    }
    if (totals[3].item<double>() > 0 && round + 1 < rounds) {
      if (comm.rank() == 0)
        log::info("audio: stop requested; finished shards are kept, a re-run continues from them");
      return 0;
    }
  }
  comm.barrier();

  if (comm.rank() == 0) {
    const auto out = run_dir / "audio" / "mel.h5";
    io::H5Writer w(out);
    w.create("mel", io::DType::f16, {static_cast<uint64_t>(N), static_cast<uint64_t>(B), static_cast<uint64_t>(F)});
    std::vector<int32_t> frames;
    std::vector<float> duration;
    double sum = 0, sumsq = 0, count = 0;
    for (int64_t k = 0; k < K; ++k) {
      const int64_t first = k * o.shard_size, rows = std::min(o.shard_size, N - first);
      auto s = read_complete_shard(shard_path(run_dir, k), hash, first, rows);
      if (!s) throw std::runtime_error(shard_path(run_dir, k).string() + ": missing or incomplete after every rank finished");
      w.write_rows("mel", static_cast<uint64_t>(first), s->mel.data(), static_cast<uint64_t>(rows));
      frames.insert(frames.end(), s->frames.begin(), s->frames.end());
      duration.insert(duration.end(), s->duration.begin(), s->duration.end());
      for (int64_t i = 0; i < rows; ++i) {
        if (split[first + i] != 0) continue;
        for (int64_t b = 0; b < B; ++b)
          for (int64_t f = 0; f < s->frames[i]; ++f) {
            double v = s->mel[static_cast<size_t>((i * B + b) * F + f)].to_float();
            sum += v;
            sumsq += v * v;
            count += 1;
          }
      }
    }
    const double mean = count ? sum / count : 0, std = count ? std::sqrt(std::max(0.0, sumsq / count - mean * mean)) : 1;
    w.write("frames", frames, {static_cast<uint64_t>(N)});
    w.write("duration", duration, {static_cast<uint64_t>(N)});
    w.write_strings("post_id", post_ids);
    w.set_attr("/", "train_mean", mean);
    w.set_attr("/", "train_std", std);
    w.set_attr("/", "frames", F);
    w.set_attr("/", "num_mel_bins", B);
    w.set_attr("/", "engine", engine->name());
    w.set_attr("/", "sample_rate", static_cast<int64_t>(kSampleRate));
    w.commit();
    // Shards are merged; temporary files of writers killed midway go too.
    for (const auto& f : std::filesystem::directory_iterator(run_dir / "audio"))
      if (f.path().filename().string().rfind("shard-", 0) == 0) std::filesystem::remove(f.path());
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    double total_audio = 0;
    for (float d : duration) total_audio += d;
    io::RunManifest(run_dir).record("audio", hash, config, {{"mel", "audio/mel.h5"}},
                                    {{"posts", N}, {"audio_seconds", total_audio}, {"seconds", elapsed},
                                     {"posts_per_second", N / std::max(elapsed, 1e-9)},
                                     {"shards_skipped", shards_skipped}, {"world", world},
                                     {"train_mean", mean}, {"train_std", std}});
    log::info("audio: ", out.string(), ": ", N, " posts, ", total_audio, " s of speech in ", elapsed, " s (",
              world, " ranks); training-split log-mel mean ", mean, ", std ", std);
  }
  comm.barrier();
  return 0;
}

}  // namespace mh::teachers::audio
