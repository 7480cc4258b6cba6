// Skip-gram vectors for the pieces of the run's vocabulary, trained by
// fastText on the pretraining texts: the text model's word embeddings get
// in-domain meaning in minutes on a CPU, where masked-LM pretraining of the
// whole encoder takes hours and, at the budgets of experiments/RESULTS.md,
// left the text teacher worse than from scratch.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>

namespace mh::teachers::text {

struct WordVectorOptions {
  int64_t dim = 256;
  int epochs = 5;
  int window = 5;     // context pieces on each side
  int negatives = 5;  // negative samples per context piece
  double lr = 0.05;   // fastText's SGD rate, decayed linearly to 0
  int threads = 1;
  int seed = 0;  // fastText's seed; with more than one thread the result still varies (Hogwild updates)
  // Polled while fastText trains (train::stop_requested: SIGTERM, Slurm
  // preemption); true aborts it.
  std::function<bool()> stop;
};

// `posts`: one post per line, each line the piece ids of the post separated by
// spaces. Returns [vocab_size, dim] float vectors: pieces the file contains get
// their skip-gram vector, rescaled so that all of them together have standard
// deviation `init_std` (the encoder's other weights start at that scale); the
// rows of pieces it never contains are drawn from N(0, init_std^2) with torch's
// generator, as a model from scratch draws them. Throws io::InputError when the
// file has no pieces or an id outside the vocabulary. Returns nothing when
// `options.stop` aborted the training: fastText keeps no checkpoint to resume.
std::optional<at::Tensor> train_piece_vectors(const std::filesystem::path& posts, int32_t vocab_size, const WordVectorOptions& options,
                               double init_std);

// CPUs this process may run on (its affinity mask: what mpirun or srun bound it to).
int usable_cpus();

}  // namespace mh::teachers::text
