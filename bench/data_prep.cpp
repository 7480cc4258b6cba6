// Tokenizer throughput (MB/s of post text, one core) and the wall time of
// `prepare` on SDCNL, on the real data in ../shared/data. Run from the
// repository root:  build/bench/bench_data_prep
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>

#include "io/datasets.h"
#include "io/prepare.h"
#include "io/text_preprocess.h"
#include "io/vocab_builder.h"
#include "io/wordpiece_tokenizer.h"
#include "log/log.h"

namespace fs = std::filesystem;
using namespace mh::io;

namespace {

fs::path sdcnl() { return fs::current_path().parent_path() / "shared" / "data" / "sdcnl"; }

struct Corpus {
  std::vector<std::string> texts;
  int64_t bytes = 0;
  Vocab vocab;
  std::vector<std::string> never_split;
};

const Corpus& corpus() {
  static Corpus c = [] {
    Corpus c;
    auto d = read_dataset("sdcnl", sdcnl(), {});
    PreprocessOptions pre;
    for (auto& p : d.posts) {
      c.texts.push_back(preprocess(p.text, pre));
      c.bytes += static_cast<int64_t>(c.texts.back().size());
    }
    c.never_split = never_split_tokens(pre);
    auto markers = marker_tokens(pre);
    Vocab boot(c.never_split);
    WordPieceTokenizer splitter(boot, markers);
    std::unordered_map<std::string, int64_t> counts;
    for (const auto& t : c.texts)
      splitter.words(t, [&](std::string_view w, bool added) {
        if (!added) ++counts[std::string(w)];
      });
    VocabBuildOptions vo;
    vo.added = markers;
    c.vocab = Vocab(build_wordpiece_vocab(counts, vo));
    return c;
  }();
  return c;
}

void BM_TokenizerSdcnl(benchmark::State& state) {
  const auto& c = corpus();
  WordPieceTokenizer tok(c.vocab, c.never_split);
  int64_t pieces = 0;
  for (auto _ : state)
    for (const auto& t : c.texts) pieces += static_cast<int64_t>(tok.encode(t).size());
  state.SetBytesProcessed(state.iterations() * c.bytes);
  state.counters["pieces/s"] = benchmark::Counter(static_cast<double>(pieces), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_TokenizerSdcnl)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_PrepareSdcnl(benchmark::State& state) {
  auto run = fs::temp_directory_path() / ("mh_bench_prepare_" + std::to_string(getpid()));
  PrepareConfig c;
  c.dataset = "sdcnl";
  c.input = sdcnl();
  c.run_dir = run;
  c.force = true;
  mh::log::set_level(mh::log::Level::error);  // one summary per iteration is noise here
  for (auto _ : state) prepare(c);
  fs::remove_all(run);
}
BENCHMARK(BM_PrepareSdcnl)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace

BENCHMARK_MAIN();
