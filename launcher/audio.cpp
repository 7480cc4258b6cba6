// `3mhealth audio`: speech and log-mel features for every post, across all ranks.
#include "launcher/audio_options.h"
#include "launcher/subcommands.h"
#include "launcher/train_options.h"
#include "teachers/audio/audio_stage.h"
#include "train/stop_signal.h"

namespace mh::launcher {

void add_audio_options(po::options_description& d) {
  d.add_options()(
        "engine", po::value<std::string>()->default_value("espeak"), "espeak (synthesis in-process) or wav (--wav-dir)")(
        "voice", po::value<std::string>()->default_value("en-us"), "espeak: voice")(
        "words-per-chunk", po::value<int>()->default_value(45), "espeak: longest piece spoken at once (the paper cut at 45 words)")(
        "gap", po::value<double>()->default_value(0.25, "0.25"), "espeak: seconds of silence between sentences and chunks")(
        "prosody", po::value<std::string>(), "espeak: emotion -> prosody table (e.g. experiments/prosody.ini); needs --lexicon")(
        "wav-dir", po::value<std::string>(), "wav: directory of <post_id>.wav or Sample_<row>.wav (any rate, any format libsndfile reads)")(
        "frames", po::value<int64_t>()->default_value(512), "log-mel frames per post (10 ms each; padded or truncated)")(
        "num-mel-bins", po::value<int64_t>()->default_value(128), "mel bins")(
        "window", po::value<std::string>()->default_value("povey"), "analysis window: povey (Kaldi) or hanning (AST's recipe)")(
        "shard-size", po::value<int64_t>()->default_value(64), "posts per shard (the unit of work and of resumption)")(
        "full-audio", "synthesise whole posts (default: only the seconds the frames use)")(
        "keep-wav", "keep audio/wav/<post_id>.wav (16 kHz PCM); implies --full-audio");
}

teachers::audio::AudioOptions read_audio_options(const po::variables_map& vm) {
    teachers::audio::AudioOptions o;
    auto& e = o.engine;
    e.engine = vm["engine"].as<std::string>();
    if (e.engine != "espeak" && e.engine != "wav") throw UsageError("--engine: expected espeak or wav");
    e.voice = vm["voice"].as<std::string>();
    e.words_per_chunk = vm["words-per-chunk"].as<int>();
    e.gap_seconds = vm["gap"].as<double>();
    if (vm.count("prosody")) {
      if (!vm.count("lexicon")) throw UsageError("--prosody needs --lexicon (the emotions of the words)");
      e.prosody = vm["prosody"].as<std::string>();
      e.lexicon = vm["lexicon"].as<std::string>();
    }
    if (e.engine == "wav") {
      if (!vm.count("wav-dir")) throw UsageError("--engine wav needs --wav-dir");
      e.wav_dir = vm["wav-dir"].as<std::string>();
    }
    o.frames = vm["frames"].as<int64_t>();
    o.fbank.num_mel_bins = vm["num-mel-bins"].as<int64_t>();
    o.fbank.window = vm["window"].as<std::string>();
    if (o.fbank.window != "povey" && o.fbank.window != "hanning") throw UsageError("--window: expected povey or hanning");
    o.shard_size = vm["shard-size"].as<int64_t>();
    if (o.frames < 1 || o.fbank.num_mel_bins < 1 || o.shard_size < 1 || e.words_per_chunk < 1 || e.gap_seconds < 0)
      throw UsageError("--frames, --num-mel-bins, --shard-size and --words-per-chunk must be positive, --gap >= 0");
    o.full_audio = vm.count("full-audio") > 0;
    o.keep_wav = vm.count("keep-wav") > 0;
    o.force = vm.count("force") > 0;
  return o;
}

Subcommand audio_subcommand() {
  Subcommand s;
  s.name = "audio";
  s.summary = "turn every post into speech (espeak-ng, or imported WAVs) and log-mel features, across all ranks";
  s.usage = "mpirun -np N 3mhealth audio RUN_DIR [--engine espeak|wav] [options]";
  s.options = [](po::options_description& d) {
    d.add_options()("run-dir", po::value<std::string>()->required(), "run directory (after prepare)")(
        "lexicon", po::value<std::string>(), "espeak with --prosody: the emotion lexicon (NRC word-level or CSV)")(
        "backend", po::value<std::string>()->default_value("auto"), "communicator: auto, mpi or nccl")(
        "force", "redo even when manifest.json says this configuration is done");
    add_audio_options(d);
  };
  s.positional = [](po::positional_options_description& p) { p.add("run-dir", 1); };
  s.run = [](const po::variables_map& vm, const dist::Process*) {
    auto o = read_audio_options(vm);
    auto comm = dist::make_communicator(read_backend(vm));
    train::install_stop_handlers();
    return teachers::audio::run_audio(vm["run-dir"].as<std::string>(), o, *comm);
  };
  return s;
}

}  // namespace mh::launcher
