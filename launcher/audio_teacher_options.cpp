#include "launcher/audio_teacher_options.h"

#include "launcher/train_options.h"

namespace mh::launcher {

void add_audio_teacher_options(po::options_description& d) {
  d.add_options()
    ("ast-hidden", po::value<int64_t>()->default_value(192), "audio: AST hidden size")
    ("ast-layers", po::value<int64_t>()->default_value(4), "audio: AST transformer layers")
    ("ast-heads", po::value<int64_t>()->default_value(4), "audio: AST attention heads")
    ("ast-intermediate", po::value<int64_t>()->default_value(768), "audio: AST feed-forward size")
    ("ast-dropout", po::value<double>()->default_value(0.1, "0.1"), "audio: AST dropout")
    ("patch", po::value<int64_t>()->default_value(16), "audio: patch size (square)")
    ("fstride", po::value<int64_t>()->default_value(10), "audio: patch stride along frequency (the paper: 10)")
    ("tstride", po::value<int64_t>()->default_value(10), "audio: patch stride along time (the paper: 10)");
}

// AST's own recipe: ReduceLROnPlateau-style schedule.
TrainRecipe audio_train_recipe() { return {30, 32, 2.5e-4, 5, "plateau"}; }

teachers::audio::AudioTeacherOptions read_audio_teacher_options(const po::variables_map& vm) {
  teachers::audio::AudioTeacherOptions o;
  auto& a = o.ast;
  a.hidden = vm["ast-hidden"].as<int64_t>();
  a.layers = vm["ast-layers"].as<int64_t>();
  a.heads = vm["ast-heads"].as<int64_t>();
  a.intermediate = vm["ast-intermediate"].as<int64_t>();
  a.dropout = vm["ast-dropout"].as<double>();
  a.patch = vm["patch"].as<int64_t>();
  a.fstride = vm["fstride"].as<int64_t>();
  a.tstride = vm["tstride"].as<int64_t>();
  if (a.hidden < 1 || a.layers < 1 || a.heads < 1 || a.hidden % a.heads || a.patch < 1 || a.fstride < 1 || a.tstride < 1)
    throw UsageError("--ast-hidden must be a positive multiple of --ast-heads; sizes and strides must be positive");
  o.train = read_recipe_train_options(vm, "audio", audio_train_recipe());
  return o;
}

}  // namespace mh::launcher
