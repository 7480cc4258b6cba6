#include "launcher/bow_options.h"

#include <sstream>

namespace mh::launcher {

void add_bow_options(po::options_description& d) {
  d.add_options()
    ("bow-c", po::value<std::string>()->default_value("0.1,0.3,1,3,10,30"), "bow: inverse L2 strengths of the logistic regression to try; the best on validation macro-F1 is kept")
    ("bow-ngrams", po::value<int>()->default_value(2), "bow: word n-grams of 1..N words")
    ("bow-min-df", po::value<int>()->default_value(2), "bow: an n-gram is a feature when in at least this many training posts");
}

teachers::bow::BowTeacherOptions read_bow_options(const po::variables_map& vm) {
  teachers::bow::BowTeacherOptions o;
  o.c_grid.clear();
  std::stringstream ss(vm["bow-c"].as<std::string>());
  for (std::string item; std::getline(ss, item, ',');) {
    size_t used = 0;
    double c = 0;
    try {
      c = std::stod(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || !(c > 0)) throw UsageError("--bow-c: '" + item + "' is not a positive number");
    o.c_grid.push_back(c);
  }
  if (o.c_grid.empty()) throw UsageError("--bow-c: give at least one value");
  o.tfidf.max_ngram = vm["bow-ngrams"].as<int>();
  o.tfidf.min_df = vm["bow-min-df"].as<int>();
  if (o.tfidf.max_ngram < 1 || o.tfidf.min_df < 1) throw UsageError("--bow-ngrams and --bow-min-df must be at least 1");
  o.cross_fit = vm["cross-fit"].defaulted() ? 3 : vm["cross-fit"].as<int>();
  if (o.cross_fit == 1 || o.cross_fit < 0) throw UsageError("--cross-fit must be 0 (off) or at least 2");
  o.seed = vm["seed"].as<uint64_t>();
  o.force = vm.count("force") > 0;
  return o;
}

}  // namespace mh::launcher
