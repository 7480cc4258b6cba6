// `3mhealth report RUNS_DIR`: every RUNS_DIR/*/results.json (one per dataset
// and seed, written by `run`) aggregated into mean ± sample standard
// deviation of accuracy, macro-F1 and weighted-F1 per dataset and model, with
// the text-only baseline beside each, as RUNS_DIR/report.md and report.csv.
#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/atomic_file.h"
#include "io/csv_reader.h"
#include "launcher/subcommands.h"

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

int run_report(const po::variables_map& vm) {
  const std::filesystem::path runs = vm["runs-dir"].as<std::string>();
  if (!std::filesystem::is_directory(runs)) throw io::InputError(runs.string() + ": not a directory");
  std::map<std::string, std::map<std::string, Row>> table;  // dataset -> model -> stats
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
    // The text-only baseline: the `none` student when it was trained, else the
    // text teacher (the same model, loss and seed: identical to it).
    const Row* base = models.count("student none") ? &models.at("student none")
                      : models.count("teacher text") ? &models.at("teacher text") : nullptr;
    for (const auto& [model, row] : models) {
      md << "| " << dataset << " | " << model << " | " << row.seeds.size() << " | " << row.accuracy.text() << " | "
         << row.macro_f1.text() << " | " << row.weighted_f1.text() << " | "
         << (base && model.rfind("student", 0) == 0 ? base->macro_f1.text() : "") << " |\n";
      csv << dataset << "," << model << "," << row.seeds.size() << std::setprecision(6);
      for (const Stat* s : {&row.accuracy, &row.macro_f1, &row.weighted_f1}) csv << "," << s->mean() << "," << s->sd();
      csv << "\n";
    }
  }
  io::write_file_atomic(runs / "report.md", md.str());
  io::write_file_atomic(runs / "report.csv", csv.str());
  std::cout << md.str();
  std::cerr << "report: " << files << " runs -> " << (runs / "report.md").string() << ", " << (runs / "report.csv").string()
            << "\n";
  return 0;
}

}  // namespace

Subcommand report_subcommand() {
  Subcommand s;
  s.name = "report";
  s.summary = "mean ± std of every teacher and student over the runs in RUNS_DIR (report.md, report.csv)";
  s.usage = "3mhealth report RUNS_DIR";
  s.needs_mpi = false;
  s.options = [](po::options_description& d) {
    d.add_options()("runs-dir", po::value<std::string>()->required(), "directory whose subdirectories are `run` outputs");
  };
  s.positional = [](po::positional_options_description& p) { p.add("runs-dir", 1); };
  s.run = [](const po::variables_map& vm, const dist::Process*) { return run_report(vm); };
  return s;
}

}  // namespace mh::launcher
