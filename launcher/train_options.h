// Model and training options shared by `teacher` and `distill`: declared and
// read in one place, so both subcommands spell and default them the same.
#pragma once

#include "launcher/cli.h"
#include "teachers/text/text_teacher.h"

namespace mh::launcher {

// `classifier`: also the options of the classification model (pooling, token
// masking), which `pretrain` (masked LM, its own masking) does not have.
void add_model_options(po::options_description& d, bool classifier = true);
void add_train_options(po::options_description& d);
teachers::text::TextModelOptions read_model_options(const po::variables_map& vm);
train::TrainOptions read_train_options(const po::variables_map& vm);
dist::Backend read_backend(const po::variables_map& vm);

// The text teacher's own options (--text-members, --cross-fit), in `teacher` and `run`.
void add_text_teacher_options(po::options_description& d);
// The text teacher's options: the model and training options above and its own.
teachers::text::TextTeacherOptions read_text_teacher_options(const po::variables_map& vm);

// A teacher's own training defaults (its recipe), for the teachers whose recipe
// differs from the text model's (emotion: a small MLP; audio: AST's plateau schedule).
struct TrainRecipe {
  int epochs;
  int64_t batch_size;
  double lr;
  int patience;
  std::string schedule;
};

// `run` trains every model in one command: there --epochs, --batch-size, --lr and
// --patience configure the text teacher and the students, and the teacher of
// `modality` has its own --<modality>-epochs, -batch-size, -lr, -patience
// (defaults: its recipe) and the recipe's schedule.
void add_recipe_train_options(po::options_description& d, const std::string& modality, const TrainRecipe& recipe);
// That teacher's training options: in `run` from the options above; in
// `teacher`, the shared options where given on the command line, else the recipe.
train::TrainOptions read_recipe_train_options(const po::variables_map& vm, const std::string& modality,
                                              const TrainRecipe& recipe);

}  // namespace mh::launcher
