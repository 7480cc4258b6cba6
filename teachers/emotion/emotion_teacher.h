// `3mhealth teacher --modality emotion RUN_DIR`: the emotion embeddings stage
// (lexicon -> graph -> GCN, emotion_embeddings.h) when not done for the same
// configuration, then the MLP over each post's frozen emotion embeddings,
// trained data-parallel by the common trainer. Writes emotion/embeddings.h5,
// teachers/emotion/model.pt, teachers/emotion/metrics.json and
// soft_targets/emotion.h5.
#pragma once

#include <filesystem>

#include "dist/communicator.h"
#include "teachers/emotion/emotion_embeddings.h"
#include "teachers/emotion/emotion_mlp.h"
#include "train/trainer.h"

namespace mh::teachers::emotion {

struct EmotionTeacherOptions {
  EmbeddingOptions embeddings;
  MlpOptions mlp;
  train::TrainOptions train;
  double temperature = 1.0;
  bool force = false;
};

int run_emotion_teacher(const std::filesystem::path& run_dir, EmotionTeacherOptions o, dist::Communicator& comm);

}  // namespace mh::teachers::emotion
