// Model and training options shared by `teacher` and `distill`: declared and
// read in one place, so both subcommands spell and default them the same.
#pragma once

#include "launcher/cli.h"
#include "teachers/text/text_classifier.h"

namespace mh::launcher {

void add_model_options(po::options_description& d);
void add_train_options(po::options_description& d);
teachers::text::TextModelOptions read_model_options(const po::variables_map& vm);
train::TrainOptions read_train_options(const po::variables_map& vm);
dist::Backend read_backend(const po::variables_map& vm);

}  // namespace mh::launcher
