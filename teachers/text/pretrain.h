// `3mhealth pretrain RUN_DIR`: in-domain masked-LM pretraining of the text
// model, for users without pretrained weights. Texts: the run's training split
// (never validation or test) and any extra corpus files (one post per line,
// e.g. ../shared/data/pretrain/*/posts.txt), preprocessed and tokenized as the
// run's posts, cut into windows of the run's max length. 15% of the pieces are
// chosen; of those 80% become [MASK], 10% a random piece, 10% stay. Data
// parallel through the common trainer. Writes RUN_DIR/pretrain/ (config.json,
// model.safetensors, vocab.txt), which `teacher` and `distill` take with
// --init-from.
// With --objective skipgram only the word embeddings are pretrained: fastText
// skip-gram vectors of the same pieces (teachers/text/word_vectors.h), written
// into an otherwise freshly initialised checkpoint of the same form.
#pragma once

#include <filesystem>
#include <vector>

#include "dist/communicator.h"
#include "teachers/text/text_classifier.h"
#include "teachers/text/word_vectors.h"

namespace mh::teachers::text {

struct PretrainOptions {
  TextModelOptions model;
  train::TrainOptions train;
  std::vector<std::filesystem::path> corpus;
  int64_t max_corpus_posts = 0;  // per file; 0: all
  bool include_train_split = true;
  double mask_prob = 0.15;
  std::string objective = "mlm";  // or "skipgram"
  WordVectorOptions word_vectors;  // skipgram; dim is the model's hidden size
  bool force = false;
};

int run_pretrain(const std::filesystem::path& run_dir, PretrainOptions options, dist::Communicator& comm);

}  // namespace mh::teachers::text
