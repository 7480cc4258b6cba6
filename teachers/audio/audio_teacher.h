// `3mhealth teacher --modality audio RUN_DIR`: the AST (ast.h) on
// audio/mel.h5, normalised as AST does ((x - mean) / (2 std), with the
// training split's mean and std), trained data-parallel by the common
// trainer. Writes teachers/audio/model.pt, teachers/audio/metrics.json and
// soft_targets/audio.h5.
#pragma once

#include <filesystem>

#include "dist/communicator.h"
#include "teachers/audio/ast.h"
#include "train/trainer.h"

namespace mh::teachers::audio {

struct AudioTeacherOptions {
  AstOptions ast;
  train::TrainOptions train;
  double temperature = 1.0;
  bool force = false;
};

int run_audio_teacher(const std::filesystem::path& run_dir, AudioTeacherOptions o, dist::Communicator& comm);

}  // namespace mh::teachers::audio
