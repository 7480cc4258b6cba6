// `3mhealth run`: the whole pipeline for one dataset and seed in one MPI job:
// prepare -> audio -> teachers (each on its own group of ranks, all at the
// same time) -> students (every rank, one combination after another) ->
// results.json. Every stage is skipped when manifest.json has it for the same
// configuration, so a re-run resumes after the last finished stage.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "dist/rank_groups.h"
#include "io/atomic_file.h"
#include "io/csv_reader.h"
#include "io/hdf5_store.h"
#include "launcher/audio_options.h"
#include "launcher/audio_teacher_options.h"
#include "launcher/bow_options.h"
#include "launcher/emotion_options.h"
#include "launcher/ini.h"
#include "launcher/prepare_options.h"
#include "launcher/rank_plan.h"
#include "launcher/subcommands.h"
#include "launcher/train_options.h"
#include "log/log.h"
#include "student/distill_job.h"
#include "teachers/bow/bow_teacher.h"
#include "teachers/text/text_teacher.h"
#include "train/stop_signal.h"

namespace mh::launcher {
namespace {

void run_teacher(const std::string& modality, const po::variables_map& vm, const std::filesystem::path& run_dir,
                 dist::Communicator& comm) {
  const bool force = vm.count("force") > 0;
  if (modality == "text") {
    teachers::text::run_text_teacher(run_dir, read_text_teacher_options(vm), comm);
  } else if (modality == "emotion") {
    auto o = read_emotion_options(vm);
    o.force = force;
    teachers::emotion::run_emotion_teacher(run_dir, o, comm);
  } else {
    auto o = read_audio_teacher_options(vm);
    o.force = force;
    teachers::audio::run_audio_teacher(run_dir, o, comm);
  }
}

nlohmann::json test_metrics(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw io::InputError(file.string() + ": missing");
  auto m = nlohmann::json::parse(in);
  const auto& t = m.at("test");
  return {{"accuracy", t.at("accuracy")}, {"macro_f1", t.at("macro_f1")}, {"weighted_f1", t.at("weighted_f1")}};
}

int run_pipeline(const po::variables_map& vm) {
  const std::filesystem::path run_dir = vm["run-dir"].as<std::string>();
  auto teachers = split_list(vm["teachers"].as<std::string>());
  for (const auto& t : teachers)
    if (t != "text" && t != "emotion" && t != "audio" && t != "bow") throw UsageError("--teachers: unknown teacher '" + t + "'");
  std::vector<std::string> grouped;  // all but bow
  std::copy_if(teachers.begin(), teachers.end(), std::back_inserter(grouped), [](const auto& t) { return t != "bow"; });
  if (grouped.empty()) throw UsageError("--teachers: at least one teacher besides bow");
  std::vector<std::vector<std::string>> students;
  for (const auto& combo : split_list(vm["students"].as<std::string>())) {
    try {
      students.push_back(student::parse_teachers(combo == "none" ? "none" : [&] {
        std::string c = combo;
        std::replace(c.begin(), c.end(), '+', ',');
        return c;
      }()));
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("--students: ") + e.what());
    }
    for (const auto& t : students.back())
      if (std::find(teachers.begin(), teachers.end(), t) == teachers.end())
        throw UsageError("--students: " + combo + " needs the " + t + " teacher, which --teachers leaves out");
  }
  if (std::find(teachers.begin(), teachers.end(), "emotion") != teachers.end() && !vm.count("lexicon"))
    throw UsageError("the emotion teacher needs --lexicon FILE");

  auto comm = dist::make_communicator(read_backend(vm));
  train::install_stop_handlers();
  const auto started = std::chrono::steady_clock::now();

  // 1. Data (rank 0; the others wait, and an error there aborts them all).
  if (comm->rank() == 0) {
    log::set_role("prepare");
    io::prepare(read_prepare_config(vm, run_dir));
  }
  comm->barrier();

  // 2. Audio, on every rank.
  if (std::find(teachers.begin(), teachers.end(), "audio") != teachers.end())
    teachers::audio::run_audio(run_dir, read_audio_options(vm), *comm);
  if (train::stop_requested()) return 0;

  // 3. Teachers: the bow teacher first on all ranks (seconds: a group of its
  //    own would idle); the others one group of ranks each, all at once, or one
  //    after another on all ranks when there are fewer ranks than teachers.
  if (grouped.size() < teachers.size()) teachers::bow::run_bow_teacher(run_dir, read_bow_options(vm), *comm);
  auto weights = parse_group_weights(grouped, vm["group-weights"].as<std::string>(),
                                     vm["text-members"].as<int>() + vm["cross-fit"].as<int>());
  auto plan = plan_rank_groups(weights, comm->size(), !vm.count("sequential-teachers"));
  log::set_role("run");
  if (comm->rank() == 0)
    log::info("run: teachers ", plan.parallel ? "in parallel: " : "one after another on all ranks: ", plan.describe());
  if (plan.parallel) {
    dist::RankGroups groups(*comm, plan.groups);
    run_teacher(groups.mine().name, vm, run_dir, groups.comm());
  } else {
    for (const auto& t : grouped) {
      run_teacher(t, vm, run_dir, *comm);
      if (train::stop_requested()) return 0;  // checkpointed: do not start the next teacher
    }
  }
  comm->barrier();  // every teacher's soft targets are written
  if (train::stop_requested()) return 0;

  // 4. Students, data parallel over the whole world.
  for (const auto& s : students) {
    student::DistillOptions o;
    o.teachers = s;
    o.kd.alpha = vm["alpha"].as<double>();
    o.kd.beta = vm["beta"].as<double>();
    o.kd.temperature = vm["temperature"].as<double>();
    o.kd.reduction = student::parse_kd_reduction(vm["kd-reduction"].as<std::string>());
    o.model = read_model_options(vm);
    o.train = read_train_options(vm);
    o.force = vm.count("force") > 0;
    student::run_distill(run_dir, o, *comm);
    if (train::stop_requested()) return 0;
  }

  // 5. results.json: test metrics of every teacher and student.
  if (comm->rank() == 0) {
    log::set_role("run");  // the students set their own
    io::H5Reader data(run_dir / "data.h5");
    nlohmann::json results = {{"run_dir", run_dir.string()}, {"dataset", data.attr_string("/", "dataset")},
                              {"seed", vm["seed"].as<uint64_t>()}, {"world", comm->size()}, {"plan", plan.describe()},
                              {"teachers", nlohmann::json::object()}, {"students", nlohmann::json::object()}};
    for (const auto& t : teachers) results["teachers"][t] = test_metrics(run_dir / "teachers" / t / "metrics.json");
    for (const auto& s : students) {
      auto name = student::combo_name(s);
      results["students"][name] = test_metrics(run_dir / "student" / name / "metrics.json");
    }
    results["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    io::write_file_atomic(run_dir / "results.json", results.dump(2) + "\n");
    std::ostringstream table;
    table << std::fixed << std::setprecision(2) << "\n| model | accuracy | macro-F1 | weighted-F1 |\n|---|---|---|---|\n";
    auto row = [&](const std::string& name, const nlohmann::json& m) {
      table << "| " << name << " | " << 100 * m["accuracy"].get<double>() << " | " << 100 * m["macro_f1"].get<double>()
            << " | " << 100 * m["weighted_f1"].get<double>() << " |\n";
    };
    for (auto& [k, v] : results["teachers"].items()) row("teacher " + k, v);
    for (auto& [k, v] : results["students"].items()) row("student " + k, v);
    std::cout << table.str() << std::flush;
    log::info("run: ", (run_dir / "results.json").string(), " (", results["seconds"].get<double>(), " s)");
  }
  comm->barrier();
  return 0;
}

}  // namespace

Subcommand run_subcommand() {
  Subcommand s;
  s.name = "run";
  s.summary = "the whole pipeline for one dataset and seed: prepare, audio, teachers in parallel rank groups, students, results.json";
  s.usage = "mpirun -np N 3mhealth run RUN_DIR --dataset D --input PATH [--lexicon FILE] [options]   (or --config run.ini)";
  s.options = [](po::options_description& d) {
    d.add_options()("run-dir", po::value<std::string>()->required(), "run directory")(
        "teachers", po::value<std::string>()->default_value("text,emotion,audio"),
        "teachers to train; add bow for TF-IDF + logistic regression (the baseline, in results.json and the report; seconds)")(
        "students", po::value<std::string>()->default_value("text,text+emotion,text+audio,text+emotion+audio"),
        "student combinations (teachers joined by +, or none), comma-separated; \"\" for none at all")(
        "group-weights", po::value<std::string>()->default_value("text=1,emotion=0.5,audio=1"),
        "relative cost of each teacher, for sizing its group of ranks (text: per model it trains, --text-members + --cross-fit)")(
        "sequential-teachers", "train the teachers one after another on all ranks, even with a rank per teacher")(
        "alpha", po::value<double>()->default_value(1.0, "1.0"), "students: weight of the cross-entropy")(
        "beta", po::value<double>()->default_value(1.0, "1.0"), "students: weight of the distillation term")(
        "temperature", po::value<double>()->default_value(1.0, "1.0"), "students: distillation temperature")(
        "kd-reduction", po::value<std::string>()->default_value("batchmean"), "students: batchmean or mean");
    add_prepare_options(d);
    add_model_options(d);
    add_train_options(d);
    add_text_teacher_options(d);
    add_emotion_options(d);
    add_recipe_train_options(d, "emotion", emotion_train_recipe());
    add_audio_teacher_options(d);
    add_recipe_train_options(d, "audio", audio_train_recipe());
    add_audio_options(d);
    add_bow_options(d);
  };
  s.positional = [](po::positional_options_description& p) { p.add("run-dir", 1); };
  s.run = [](const po::variables_map& vm, const dist::Process*) { return run_pipeline(vm); };
  return s;
}

}  // namespace mh::launcher
