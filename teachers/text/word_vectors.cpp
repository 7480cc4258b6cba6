#include "teachers/text/word_vectors.h"

#include <fasttext/fasttext.h>
#include <sched.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <string>

#include "io/csv_reader.h"
#include "log/log.h"

namespace mh::teachers::text {

int usable_cpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return 1;
  return std::max(1, CPU_COUNT(&set));
}

std::optional<at::Tensor> train_piece_vectors(const std::filesystem::path& posts, int32_t vocab_size, const WordVectorOptions& o,
                               double init_std) {
  fasttext::Args a;
  a.input = posts.string();
  a.model = fasttext::model_name::sg;
  a.loss = fasttext::loss_name::ns;
  a.dim = static_cast<int>(o.dim);
  a.epoch = o.epochs;
  a.ws = o.window;
  a.neg = o.negatives;
  a.lr = o.lr;
  a.thread = o.threads;
  a.seed = o.seed;
  a.minCount = 1;  // every piece of the vocabulary that occurs gets a vector
  // Pieces are the units: no character n-grams, so no hashed n-gram table either.
  a.minn = a.maxn = 0;
  a.bucket = 0;
  a.verbose = 0;

  fasttext::FastText ft;
  const auto start = std::chrono::steady_clock::now();
  auto last = start;
  std::atomic<bool> aborted{false};
  try {
    // The loss argument is unused: fastText tracks it only when it prints progress itself (verbose > 1).
    ft.train(a, [&](float progress, float, double words_per_thread_s, double, int64_t eta_s) {
      if (o.stop && o.stop() && !aborted.exchange(true)) ft.abort();
      auto now = std::chrono::steady_clock::now();
      if (now - last < std::chrono::seconds(10)) return;
      last = now;
      log::info("word vectors: ", static_cast<int>(progress * 100), "%, ",
                static_cast<int64_t>(words_per_thread_s * o.threads), " pieces/s, ETA ", eta_s, " s");
    });
  } catch (const fasttext::FastText::AbortError&) {
    if (aborted) return std::nullopt;
    throw;
  } catch (const std::exception& e) {
    throw io::InputError(posts.string() + ": fastText: " + e.what());
  }

  // fastText's dictionary holds the ids as words (plus its end-of-line "</s>").
  auto dict = ft.getDictionary();
  auto out = at::empty({vocab_size, a.dim}, at::kFloat).normal_(0.0, init_std);
  auto found = at::zeros({vocab_size}, at::kBool);
  bool* is_found = found.data_ptr<bool>();
  fasttext::Vector v(a.dim);
  int32_t trained = 0;
  for (int32_t w = 0; w < dict->nwords(); ++w) {
    const std::string word = dict->getWord(w);
    if (word == fasttext::Dictionary::EOS) continue;
    int64_t id = -1;
    const char* end = word.data() + word.size();
    if (std::from_chars(word.data(), end, id).ptr != end) id = -1;
    if (id < 0 || id >= vocab_size)
      throw io::InputError(posts.string() + ": '" + word + "' is not a piece id of a vocabulary of " +
                           std::to_string(vocab_size));
    ft.getWordVector(v, word);
    std::copy(v.data(), v.data() + a.dim, out[id].data_ptr<float>());
    is_found[id] = true;
    ++trained;
  }
  if (trained == 0) throw io::InputError(posts.string() + ": no pieces to train word vectors on");
  auto rows = out.index({found});
  const double std = rows.std().item<double>();
  if (std > 0) out.index_put_({found}, rows * (init_std / std));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  log::info("word vectors: ", trained, " of ", vocab_size, " pieces in ", seconds, " s (", o.epochs, " epochs, ",
            o.threads, " threads)");
  return out;
}

}  // namespace mh::teachers::text
