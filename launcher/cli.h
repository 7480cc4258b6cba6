// The `3mhealth` command line: global options, subcommands, each with its own
// Boost.Program_options description, and --config INI files whose values the
// command line overrides.
#pragma once

#include <boost/program_options.hpp>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "dist/process.h"

namespace mh::launcher {

namespace po = boost::program_options;

// A mistake in how the program was called: usage message, exit code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Subcommand {
  std::string name;
  std::string summary;                                    // one line for the overview
  std::string usage;                                      // "3mhealth selfcheck [options]"
  std::function<void(po::options_description&)> options;  // declares its options
  std::function<void(po::positional_options_description&)> positional;  // may be empty
  bool needs_mpi = true;                                  // runs inside an MPI job
  // Returns the exit code; `process` is null when !needs_mpi.
  std::function<int(const po::variables_map&, const dist::Process* process)> run;
};

// All subcommands, in the order the overview lists them.
const std::vector<Subcommand>& subcommands();

// The full command line to exit code; never throws.
int run_cli(int argc, char** argv);

// Parses argv (after the subcommand name) and the INI entries that apply to
// `sub` ([<name>] sections and the top level); command-line values win.
po::variables_map parse_subcommand(const Subcommand& sub, const std::vector<std::string>& args,
                                   const std::string& config_path);

std::string version_string();

}  // namespace mh::launcher
