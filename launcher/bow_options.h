// Options of the bag-of-words teacher (`teacher --modality bow`): TF-IDF n-grams,
// the C grid searched on validation, and its out-of-fold default.
#pragma once

#include "launcher/cli.h"
#include "teachers/bow/bow_teacher.h"

namespace mh::launcher {

void add_bow_options(po::options_description& d);
// Also reads --seed and --cross-fit (3 unless given: the bow teacher's training
// soft targets are worth little in fold, and the folds cost seconds).
teachers::bow::BowTeacherOptions read_bow_options(const po::variables_map& vm);

}  // namespace mh::launcher
