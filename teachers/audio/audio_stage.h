// `3mhealth audio RUN_DIR`: every post of data.h5 turned into speech by an
// engine (speech_engine.h) and into a log-mel spectrogram (fbank.h), across
// all MPI ranks. Posts are cut into shards of `shard_size`; shard k goes to
// rank k mod world, in rounds, and is written as audio/shard-<k>.h5 (atomic,
// with the configuration hash and a checksum of its arrays). A shard already
// there, complete and for the same configuration, is skipped, so a killed job
// resumes where it was. Rank 0 then merges the shards into audio/mel.h5:
//   /mel      float16 [N, num_mel_bins, frames]  log-mel, zero after the post's frames
//   /frames   int32   [N]  frames holding speech (<= frames)
//   /duration float32 [N]  seconds of speech synthesised or read for the post
//   /post_id  string  [N]
//   attributes: train_mean, train_std (over the speech frames of the training
//   split, for normalisation), frames, num_mel_bins, engine, sample_rate
// and removes the shards. SIGTERM stops every rank after the current round of
// shards (each written whole) with exit 0; the next run skips them. With
// keep_wav, audio/wav/<post_id>.wav (16 kHz PCM)
// is kept too.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>

#include "dist/communicator.h"
#include "teachers/audio/fbank.h"
#include "teachers/audio/speech_engine.h"

namespace mh::teachers::audio {

struct AudioOptions {
  EngineOptions engine;
  FbankOptions fbank;
  int64_t frames = 512;      // padded / truncated to this many 10 ms frames
  int64_t shard_size = 64;   // posts per shard
  bool full_audio = false;   // synthesise whole posts, not just what `frames` uses
  bool keep_wav = false;
  bool force = false;
};

nlohmann::json audio_config(const AudioOptions& o);

// Collective. Returns 0; errors throw (run_mpi_job aborts the whole job).
int run_audio(const std::filesystem::path& run_dir, AudioOptions o, dist::Communicator& comm);

}  // namespace mh::teachers::audio
