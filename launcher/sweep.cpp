// `3mhealth sweep SWEEP.ini`: every dataset x seed of a sweep file, each one
// `run` (whose student combinations are the sweep's), then `report` over them.
// Locally the runs go one after another in this MPI job; `--submit` hands them
// to Slurm as a job array of slurm/sweep.sbatch (one task per dataset x seed,
// each calling `sweep --index I`) and a report job that waits for the array.
// Combinations are not array tasks of their own: they share the teachers, so
// one task per combination would train every teacher once per combination.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "launcher/ini.h"
#include "launcher/subcommands.h"
#include "log/log.h"

namespace mh::launcher {
namespace {

struct SweepRun {
  std::string dataset, config, run_dir;
  uint64_t seed;
};

struct Sweep {
  std::string runs;
  std::optional<std::string> students;  // absent: `run`'s default; empty: teachers only
  std::vector<std::string> options;  // more `run` options for every run (they win over the configs)
  std::vector<SweepRun> runs_list;  // dataset-major, seeds in the file's order
};

Sweep read_sweep(const std::string& path) {
  std::map<std::string, IniEntry> keys;
  std::map<std::string, std::string> configs;
  for (const auto& e : read_ini(path)) {
    const std::string where = path + ":" + std::to_string(e.line) + ": ";
    if (e.section != "sweep") throw UsageError(where + "expected the entries in a [sweep] section");
    if (e.key.rfind("config.", 0) == 0) configs[e.key.substr(7)] = e.value;
    else if (e.key == "runs" || e.key == "datasets" || e.key == "seeds" || e.key == "students" || e.key == "options")
      keys[e.key] = e;
    else
      throw UsageError(where + "unknown key '" + e.key + "' (expected runs, datasets, seeds, students, options, config.<dataset>)");
  }
  for (const char* k : {"runs", "datasets", "seeds"})
    if (!keys.count(k)) throw UsageError(path + ": [sweep] needs '" + k + " = ...'");
  Sweep s;
  s.runs = keys["runs"].value;
  if (keys.count("students")) s.students = keys["students"].value;
  if (keys.count("options")) {
    std::istringstream words(keys["options"].value);
    for (std::string w; words >> w;) s.options.push_back(w);
  }
  std::vector<uint64_t> seeds;
  for (const auto& t : split_list(keys["seeds"].value)) {
    try {
      size_t used = 0;
      seeds.push_back(std::stoull(t, &used));
      if (used != t.size()) throw std::invalid_argument(t);
    } catch (const std::exception&) {
      throw UsageError(path + ":" + std::to_string(keys["seeds"].line) + ": seeds: expected non-negative integers, got '" + t + "'");
    }
  }
  for (const auto& d : split_list(keys["datasets"].value)) {
    if (!configs.count(d))
      throw UsageError(path + ":" + std::to_string(keys["datasets"].line) + ": dataset '" + d +
                       "' has no 'config." + d + " = FILE.ini' (its `run` options)");
    for (auto seed : seeds)
      s.runs_list.push_back({d, configs[d], s.runs + "/" + d + "-s" + std::to_string(seed), seed});
  }
  if (s.runs_list.empty()) throw UsageError(path + ": no dataset x seed to run");
  return s;
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs a command through the shell and returns its standard output; throws
// when it fails (sbatch prints its own reason on stderr).
std::string capture(const std::string& command) {
  log::info("sweep: ", command);
  FILE* p = popen(command.c_str(), "r");
  if (!p) throw std::runtime_error("cannot start: " + command);
  std::string out;
  char buf[256];
  while (fgets(buf, sizeof buf, p)) out += buf;
  int status = pclose(p);
  if (status != 0) throw std::runtime_error("failed (status " + std::to_string(status) + "): " + command);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

std::string self_exe() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("3mhealth") : p.string();
}

int submit(const Sweep& s, const po::variables_map& vm, const std::string& file) {
  const std::string script = vm["sbatch-script"].as<std::string>();
  if (!std::filesystem::exists(script)) throw UsageError("--sbatch-script: " + script + ": no such file");
  const std::string extra = vm.count("sbatch-args") ? vm["sbatch-args"].as<std::string>() + " " : "";
  // sbatch passes the environment on: the array tasks run this very binary
  // (slurm/launch.sh reads MH_BIN) unless the caller chose another.
  setenv("MH_BIN", self_exe().c_str(), /*overwrite=*/0);
  std::string array = capture("sbatch --parsable " + extra + "--array=0-" + std::to_string(s.runs_list.size() - 1) + " " +
                              shell_quote(script) + " " + shell_quote(file));
  array = array.substr(0, array.find(';'));  // "jobid[;cluster]"
  std::string report = capture("sbatch --parsable " + extra + "--dependency=afterany:" + array +
                               " --ntasks=1 --job-name=3mh-report --wrap=" +
                               shell_quote(shell_quote(self_exe()) + " report " + shell_quote(s.runs)));
  std::cout << "sweep: job array " << array << " (" << s.runs_list.size() << " runs: dataset x seed), report job "
            << report.substr(0, report.find(';')) << " -> " << s.runs << "/report.md\n";
  return 0;
}

// The `run` command line of one run of the sweep (beside its --config file).
std::vector<std::string> run_args(const Sweep& s, const SweepRun& r, bool resume) {
  std::vector<std::string> args = {"--run-dir", r.run_dir, "--seed", std::to_string(r.seed)};
  if (s.students) args.insert(args.end(), {"--students", *s.students});
  args.insert(args.end(), s.options.begin(), s.options.end());
  if (resume) args.push_back("--resume");
  return args;
}

int run_sweep(const po::variables_map& vm, const dist::Process* process) {
  const std::string file = vm["sweep-file"].as<std::string>();
  const Sweep s = read_sweep(file);
  const bool root = !process || process->rank() == 0;
  if (vm.count("dry-run")) {
    if (root)
      for (size_t i = 0; i < s.runs_list.size(); ++i) {
        std::cout << i << "\t" << s.runs_list[i].dataset << "\tseed " << s.runs_list[i].seed << "\trun --config "
                  << s.runs_list[i].config;
        for (const auto& a : run_args(s, s.runs_list[i], vm.count("resume") > 0))
          std::cout << " " << (!a.empty() && a.find_first_of(" \t") == std::string::npos ? a : "'" + a + "'");
        std::cout << "\n";
      }
    return 0;
  }
  if (vm.count("submit")) return root ? submit(s, vm, file) : 0;

  std::vector<size_t> todo;
  if (vm.count("index")) {
    auto i = vm["index"].as<size_t>();
    if (i >= s.runs_list.size())
      throw UsageError("--index " + std::to_string(i) + ": the sweep has " + std::to_string(s.runs_list.size()) + " runs");
    todo.push_back(i);
  } else {
    for (size_t i = 0; i < s.runs_list.size(); ++i) todo.push_back(i);
  }
  const Subcommand run = run_subcommand();
  for (size_t k = 0; k < todo.size(); ++k) {
    const auto& r = s.runs_list[todo[k]];
    if (root) log::info("sweep: run ", k + 1, "/", todo.size(), ": ", r.dataset, " seed ", r.seed, " -> ", r.run_dir);
    int code = run.run(parse_subcommand(run, run_args(s, r, vm.count("resume") > 0), r.config), process);
    if (code != 0) return code;
  }
  if (!vm.count("index") && root) {
    const Subcommand report = report_subcommand();
    return report.run(parse_subcommand(report, {s.runs}, ""), nullptr);
  }
  return 0;
}

}  // namespace

Subcommand sweep_subcommand() {
  Subcommand s;
  s.name = "sweep";
  s.summary = "every dataset x seed of a sweep file: `run` each (locally, or as a Slurm job array), then `report`";
  s.usage =
      "mpirun -np N 3mhealth sweep SWEEP.ini [--index I]   (locally, one run after another)\n"
      "       3mhealth sweep SWEEP.ini --submit            (Slurm: job array of slurm/sweep.sbatch + report job)\n"
      "SWEEP.ini: [sweep] runs = DIR, datasets = a, b, seeds = 0, 1, 2, students = none, text, ... (empty: teachers only),\n"
      "           config.<dataset> = FILE.ini (that dataset's `run` options), options = --more --run options;\n"
      "           run i is dataset i / #seeds, seed i % #seeds, in RUNS/<dataset>-s<seed>";
  s.options = [](po::options_description& d) {
    d.add_options()("sweep-file", po::value<std::string>()->required(), "the sweep file")(
        "index", po::value<size_t>(), "only run number I (a job-array task)")(
        "dry-run", "list the runs (index, dataset, seed, the `run` options each gets) and exit")(
        "submit", "submit to Slurm instead of running here")(
        "sbatch-script", po::value<std::string>()->default_value("slurm/sweep.sbatch"), "with --submit: the array job script")(
        "sbatch-args", po::value<std::string>(), "with --submit: more sbatch options, e.g. \"--partition=gpu --time=8:00:00\"")(
        "resume", "continue the stages' checkpoints (after a preemption)");
  };
  s.positional = [](po::positional_options_description& p) { p.add("sweep-file", 1); };
  s.run = [](const po::variables_map& vm, const dist::Process* process) { return run_sweep(vm, process); };
  return s;
}

}  // namespace mh::launcher
