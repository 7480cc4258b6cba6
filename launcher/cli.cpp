#include "launcher/cli.h"

#include <iostream>
#include <set>

#include "dist/job.h"
#include "launcher/ini.h"
#include "log/log.h"
#include "mh_version.h"

namespace mh::launcher {

std::string version_string() {
  return std::string("3mhealth ") + MH_VERSION + " (commit " + MH_GIT_COMMIT + ")";
}

namespace {

const char* kGlobalOptions =
    "Global options (before the subcommand):\n"
    "  -h [ --help ]         this overview; `3mhealth SUBCOMMAND --help` for a subcommand\n"
    "  --version             version and git commit\n"
    "  --config FILE.ini     read options from an INI file ([SUBCOMMAND] sections and the\n"
    "                        top level); command-line values override it\n"
    "  --log-level LEVEL     debug, info (default), warn or error\n";

void print_overview(std::ostream& os) {
  os << version_string() << "\n"
     << "Multimodal multi-teacher knowledge distillation for mental-health detection.\n\n"
     << "Usage: 3mhealth [global options] SUBCOMMAND [options]\n"
     << "       mpirun -np N 3mhealth SUBCOMMAND ...   (or srun under Slurm)\n\n"
     << "Subcommands:\n";
  for (const auto& s : subcommands()) {
    std::string name = s.name;
    name.resize(14, ' ');
    os << "  " << name << s.summary << "\n";
  }
  os << "\n" << kGlobalOptions;
}

po::options_description describe(const Subcommand& sub) {
  po::options_description desc("Options of `" + sub.name + "`");
  desc.add_options()("help,h", "this help")("config", po::value<std::string>(), "INI file with options");
  if (sub.options) sub.options(desc);
  return desc;
}

void print_subcommand_help(const Subcommand& sub, std::ostream& os) {
  os << "Usage: " << sub.usage << "\n" << sub.summary << "\n\n" << describe(sub) << "\n";
}

log::Level parse_level(const std::string& s) {
  if (s == "debug") return log::Level::debug;
  if (s == "info") return log::Level::info;
  if (s == "warn") return log::Level::warn;
  if (s == "error") return log::Level::error;
  throw UsageError("--log-level: expected debug, info, warn or error, got '" + s + "'");
}

}  // namespace

po::variables_map parse_subcommand(const Subcommand& sub, const std::vector<std::string>& args,
                                   const std::string& config_path) {
  po::options_description desc = describe(sub);
  po::positional_options_description pos;
  if (sub.positional) sub.positional(pos);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(desc).positional(pos).run(), vm);
  } catch (const po::error& e) {
    throw UsageError(sub.name + ": " + e.what());
  }

  if (vm.count("help")) return vm;  // --help needs no other option, required or not

  std::string config = config_path;
  if (vm.count("config")) config = vm["config"].as<std::string>();
  if (!config.empty()) {
    std::set<std::string> known_sections;
    for (const auto& s : subcommands()) known_sections.insert(s.name);
    known_sections.insert(sub.name);
    // Values from the file are stored after the command line, and
    // variables_map keeps the first value stored: the command line wins.
    for (const auto& e : read_ini(config)) {
      std::string where = config + ":" + std::to_string(e.line) + ": ";
      if (!e.section.empty() && !known_sections.count(e.section))
        throw UsageError(config + ":" + std::to_string(e.section_line) + ": unknown section [" + e.section + "] (expected a subcommand name)");
      if (!e.section.empty() && e.section != sub.name) continue;
      const po::option_description* opt = desc.find_nothrow(e.key, false);
      if (!opt || e.key == "config" || e.key == "help") {
        if (e.section.empty()) continue;  // top-level keys may belong to other subcommands
        throw UsageError(where + "`" + sub.name + "` has no option '" + e.key + "'");
      }
      try {
        std::vector<std::string> token{"--" + e.key + "=" + e.value};
        if (opt->semantic()->max_tokens() == 0) {  // a switch: "key = true|false"
          if (e.value == "false" || e.value == "0" || e.value == "no") continue;
          if (e.value != "true" && e.value != "1" && e.value != "yes" && !e.value.empty())
            throw UsageError(where + "'" + e.key + "' is a switch: expected true or false");
          token = {"--" + e.key};
        }
        po::store(po::command_line_parser(token).options(desc).run(), vm);
      } catch (const po::error& err) {
        throw UsageError(where + err.what());
      }
    }
  }
  try {
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(sub.name + ": " + e.what());
  }
  return vm;
}

int run_cli(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string config;
  const Subcommand* sub = nullptr;
  size_t i = 0;
  try {
    for (; i < args.size(); ++i) {
      const std::string& a = args[i];
      if (a == "-h" || a == "--help") {
        print_overview(std::cout);
        return 0;
      } else if (a == "--version") {
        std::cout << version_string() << "\n";
        return 0;
      } else if (a == "--config" || a == "--log-level") {
        if (i + 1 == args.size()) throw UsageError(a + " needs a value");
        if (a == "--config") config = args[i + 1];
        else log::set_level(parse_level(args[i + 1]));
        ++i;
      } else if (a.rfind("--config=", 0) == 0) {
        config = a.substr(9);
      } else if (a.rfind("--log-level=", 0) == 0) {
        log::set_level(parse_level(a.substr(12)));
      } else if (!a.empty() && a[0] == '-') {
        throw UsageError("unknown global option '" + a + "'");
      } else {
        for (const auto& s : subcommands())
          if (s.name == a) sub = &s;
        if (!sub) throw UsageError("unknown subcommand '" + a + "'");
        ++i;
        break;
      }
    }
    if (!sub) throw UsageError("no subcommand given");
  } catch (const UsageError& e) {
    std::cerr << "3mhealth: " << e.what() << "\n\n";
    print_overview(std::cerr);
    return 2;
  }

  std::vector<std::string> rest(args.begin() + i, args.end());
  po::variables_map vm;
  try {
    vm = parse_subcommand(*sub, rest, config);
  } catch (const UsageError& e) {
    std::cerr << "3mhealth: " << e.what() << "\n\n";
    print_subcommand_help(*sub, std::cerr);
    return 2;
  }
  if (vm.count("help")) {
    print_subcommand_help(*sub, std::cout);
    return 0;
  }

  if (!sub->needs_mpi) {
    try {
      return sub->run(vm, nullptr);
    } catch (const UsageError& e) {
      std::cerr << "3mhealth " << sub->name << ": " << e.what() << "\n";
      return 2;
    } catch (const std::exception& e) {
      log::error(sub->name, ": ", e.what());
      return 1;
    }
  }

  return dist::run_mpi_job(&argc, &argv, [&](const dist::Process& process) {
    try {
      return sub->run(vm, &process);
    } catch (const UsageError& e) {
      log::error(sub->name, ": ", e.what());
      if (process.size() > 1) dist::Process::abort(2);
      return 2;
    } catch (const std::exception& e) {
      throw std::runtime_error(sub->name + " failed: " + e.what());
    }
  });
}

}  // namespace mh::launcher
