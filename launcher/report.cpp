// `3mhealth report RUNS_DIR`: every RUNS_DIR/*/results.json (one per dataset
// and seed, written by `run`) aggregated into mean ± sample standard
// deviation of accuracy, macro-F1 and weighted-F1 per dataset and model, with
// the text-only baseline beside each, as RUNS_DIR/report.md and report.csv;
// each teacher's test macro-F1 by post length (words), from its soft targets;
// and both as PNG charts through gnuplot (launcher/report_plots).
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/atomic_file.h"
#include "io/csv_reader.h"
#include "io/hdf5_store.h"
#include "io/soft_targets.h"
#include "launcher/report_plots.h"
#include "launcher/subcommands.h"
#include "train/metrics.h"

namespace mh::launcher {
namespace {

struct Stat {
  std::vector<double> v;
  double mean() const {
    double s = 0;
    for (double x : v) s += x;
    return v.empty() ? 0 : s / v.size();
  }
  double sd() const {  // sample standard deviation, 0 for one value
    if (v.size() < 2) return 0;
    double m = mean(), s = 0;
    for (double x : v) s += (x - m) * (x - m);
    return std::sqrt(s / (v.size() - 1));
  }
  std::string text() const {
    std::ostringstream o;
    o << std::fixed << std::setprecision(2) << 100 * mean();
    if (v.size() > 1) o << " ± " << 100 * sd();
    return o.str();
  }
};

struct Row {
  Stat accuracy, macro_f1, weighted_f1;
  std::vector<uint64_t> seeds;
};

std::vector<int64_t> parse_edges(const std::string& spec) {
  std::vector<int64_t> edges;
  std::stringstream ss(spec);
  for (std::string t; std::getline(ss, t, ',');) {
    try {
      size_t used = 0;
      edges.push_back(std::stoll(t, &used));
      if (used != t.size() || edges.back() <= 0 || (edges.size() > 1 && edges.back() <= edges[edges.size() - 2]))
        throw std::invalid_argument(t);
    } catch (const std::exception&) {
      throw UsageError("--length-buckets: expected increasing positive word counts like 50,100,200, got '" + spec + "'");
    }
  }
  return edges;
}

std::vector<std::string> bucket_names(const std::vector<int64_t>& edges) {
  std::vector<std::string> names;
  int64_t low = 0;
  for (auto e : edges) {
    names.push_back(std::to_string(low + (low ? 1 : 0)) + "-" + std::to_string(e));
    low = e;
  }
  names.push_back(">" + std::to_string(low));
  return names;
}

// Test-split macro-F1 of `teacher`'s soft targets in `run` per length bucket
// (words of the post; bucket i holds edges[i-1] < words <= edges[i]). -1 for
// a bucket without test posts.
std::vector<double> length_bucket_f1(const std::filesystem::path& run, const std::string& teacher,
                                     const std::vector<int64_t>& edges) {
  io::H5Reader data(run / "data.h5");
  auto split = data.read<uint8_t>("split");
  auto label = data.read<int32_t>("label");
  auto words = data.read<int32_t>("word_count");
  auto st = io::read_soft_targets(run / "soft_targets" / (teacher + ".h5"), data.read_strings("post_id"));
  std::vector<std::vector<int32_t>> gold(edges.size() + 1), pred(edges.size() + 1);
  for (size_t i = 0; i < split.size(); ++i) {
    if (split[i] != 2) continue;
    size_t b = std::upper_bound(edges.begin(), edges.end(), words[i] - 1) - edges.begin();
    const float* row = st.logits.data() + i * st.classes;
    gold[b].push_back(label[i]);
    pred[b].push_back(static_cast<int32_t>(std::max_element(row, row + st.classes) - row));
  }
  std::vector<double> f1;
  for (size_t b = 0; b < gold.size(); ++b)
    f1.push_back(gold[b].empty() ? -1 : train::compute_metrics(gold[b], pred[b], static_cast<int32_t>(st.classes)).macro_f1);
  return f1;
}

int run_report(const po::variables_map& vm) {
  const std::filesystem::path runs = vm["runs-dir"].as<std::string>();
  if (!std::filesystem::is_directory(runs)) throw io::InputError(runs.string() + ": not a directory");
  std::map<std::string, std::map<std::string, Row>> table;  // dataset -> model -> stats
  const auto edges = parse_edges(vm["length-buckets"].as<std::string>());
  const auto buckets = bucket_names(edges);
  std::map<std::string, std::map<std::string, std::vector<Stat>>> by_length;  // dataset -> teacher -> bucket
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(runs)) {
    const auto path = entry.path() / "results.json";
    if (!std::filesystem::exists(path)) continue;
    nlohmann::json r;
    try {
      std::ifstream in(path);
      r = nlohmann::json::parse(in);
      for (const char* group : {"teachers", "students"})
        for (auto& [name, m] : r.at(group).items()) {
          auto& row = table[r.at("dataset").get<std::string>()][std::string(group) == "teachers" ? "teacher " + name : "student " + name];
          row.accuracy.v.push_back(m.at("accuracy").get<double>());
          row.macro_f1.v.push_back(m.at("macro_f1").get<double>());
          row.weighted_f1.v.push_back(m.at("weighted_f1").get<double>());
          row.seeds.push_back(r.at("seed").get<uint64_t>());
          if (std::string(group) == "teachers") {
            auto& stats = by_length[r.at("dataset").get<std::string>()][name];
            stats.resize(buckets.size());
            auto f1 = length_bucket_f1(entry.path(), name, edges);
            for (size_t b = 0; b < f1.size(); ++b)
              if (f1[b] >= 0) stats[b].v.push_back(f1[b]);
          }
        }
    } catch (const nlohmann::json::exception& e) {
      throw io::InputError(path.string() + ": not a results.json of `3mhealth run` (" + e.what() + ")");
    }
    ++files;
  }
  if (!files) throw io::InputError(runs.string() + ": no */results.json (run `3mhealth run` first)");

  std::ostringstream md, csv;
  md << "| dataset | model | seeds | accuracy | macro-F1 | weighted-F1 | text-only macro-F1 |\n"
     << "|---|---|---|---|---|---|---|\n";
  csv << "dataset,model,n,accuracy_mean,accuracy_sd,macro_f1_mean,macro_f1_sd,weighted_f1_mean,weighted_f1_sd\n";
  for (const auto& [dataset, models] : table) {
    // The text-only baseline: the `none` student when it was trained for every
    // seed the text teacher was, else the text teacher (the same model, loss and
    // seed: identical to it), so a baseline never rests on fewer seeds.
    const Row* none = models.count("student none") ? &models.at("student none") : nullptr;
    const Row* text = models.count("teacher text") ? &models.at("teacher text") : nullptr;
    const Row* base = none && (!text || none->seeds.size() >= text->seeds.size()) ? none : text;
    for (const auto& [model, row] : models) {
      md << "| " << dataset << " | " << model << " | " << row.seeds.size() << " | " << row.accuracy.text() << " | "
         << row.macro_f1.text() << " | " << row.weighted_f1.text() << " | "
         << (base && model.rfind("student", 0) == 0 ? base->macro_f1.text() : "") << " |\n";
      csv << dataset << "," << model << "," << row.seeds.size() << std::setprecision(6);
      for (const Stat* s : {&row.accuracy, &row.macro_f1, &row.weighted_f1}) csv << "," << s->mean() << "," << s->sd();
      csv << "\n";
    }
  }
  md << "\nTeachers' test macro-F1 by post length (words):\n\n| dataset | teacher |";
  for (const auto& b : buckets) md << " " << b << " |";
  md << "\n|---|---|";
  for (size_t b = 0; b < buckets.size(); ++b) md << "---|";
  md << "\n";
  for (const auto& [dataset, teachers] : by_length)
    for (const auto& [teacher, stats] : teachers) {
      md << "| " << dataset << " | " << teacher << " |";
      for (const auto& st : stats) md << " " << (st.v.empty() ? "" : st.text()) << " |";
      md << "\n";
    }
  io::write_file_atomic(runs / "report.md", md.str());
  io::write_file_atomic(runs / "report.csv", csv.str());
  std::cout << md.str();
  std::cerr << "report: " << files << " runs -> " << (runs / "report.md").string() << ", " << (runs / "report.csv").string()
            << "\n";

  if (vm.count("no-plots")) return 0;
  for (const auto& [dataset, models] : table) {
    std::vector<PlotBar> bars;
    for (const auto& [model, row] : models) bars.push_back({model, 100 * row.macro_f1.mean(), 100 * row.macro_f1.sd()});
    plot_bars(runs / ("report-" + dataset + ".png"), dataset + ": test macro-F1 (mean ± std over seeds)", bars);
    if (!by_length.count(dataset)) continue;
    std::vector<PlotSeries> series;
    for (const auto& [teacher, stats] : by_length.at(dataset)) {
      PlotSeries s{teacher, {}};
      for (const auto& st : stats) s.values.push_back(st.v.empty() ? std::nan("") : 100 * st.mean());
      series.push_back(s);
    }
    plot_series(runs / ("report-" + dataset + "-length.png"), dataset + ": teachers' test macro-F1 by post length",
                "words per post", buckets, series);
  }
  return 0;
}

}  // namespace

Subcommand report_subcommand() {
  Subcommand s;
  s.name = "report";
  s.summary = "mean ± std of every teacher and student over the runs in RUNS_DIR (report.md, report.csv, PNG charts)";
  s.usage = "3mhealth report RUNS_DIR";
  s.needs_mpi = false;
  s.options = [](po::options_description& d) {
    d.add_options()("runs-dir", po::value<std::string>()->required(), "directory whose subdirectories are `run` outputs")(
        "length-buckets", po::value<std::string>()->default_value("50,100,200,400"),
        "edges (words) of the post-length buckets of the teachers' macro-F1")(
        "no-plots", "tables only (the charts need gnuplot)");
  };
  s.positional = [](po::positional_options_description& p) { p.add("runs-dir", 1); };
  s.run = [](const po::variables_map& vm, const dist::Process*) { return run_report(vm); };
  return s;
}

}  // namespace mh::launcher
