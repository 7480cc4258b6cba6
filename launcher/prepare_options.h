// Options of the data stage, shared by `prepare` and `run`.
#pragma once

#include <filesystem>

#include "io/prepare.h"
#include "launcher/cli.h"

namespace mh::launcher {

// Everything but --out, --seed and --force, which each subcommand declares itself.
void add_prepare_options(po::options_description& d);
// Reads those options and --seed and --force.
io::PrepareConfig read_prepare_config(const po::variables_map& vm, const std::filesystem::path& run_dir);

}  // namespace mh::launcher
