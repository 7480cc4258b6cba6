// The skip rule every stage shares (RunManifest::up_to_date): a stage is skipped
// only when manifest.json records it with the same configuration hash, every
// output it recorded still exists, and --force is not given.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "io/run_manifest.h"

namespace fs = std::filesystem;
using mh::io::RunManifest;

TEST(RunManifest, UpToDateOnlyWithTheSameHashItsOutputsPresentAndNoForce) {
  const auto dir = fs::temp_directory_path() / ("mh_manifest_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string hash = RunManifest::hash({{"lr", 1e-4}}), other = RunManifest::hash({{"lr", 2e-4}});
  ASSERT_NE(hash, other);
  {
    RunManifest m(dir);
    EXPECT_FALSE(m.up_to_date("teacher.text", hash, false, "text teacher", false));  // never ran
    std::ofstream(dir / "out.h5") << "x";
    m.record("teacher.text", hash, {{"lr", 1e-4}}, {{"soft_targets", "out.h5"}}, {{"best_epoch", 3}});
  }
  RunManifest m(dir);  // what a re-run reads from manifest.json
  EXPECT_TRUE(m.up_to_date("teacher.text", hash, false, "text teacher", true));
  EXPECT_FALSE(m.up_to_date("teacher.text", other, false, "text teacher", false));  // another configuration
  EXPECT_FALSE(m.up_to_date("teacher.text", hash, true, "text teacher", false));    // --force
  EXPECT_FALSE(m.up_to_date("student.text", hash, false, "student text", false));  // another stage
  fs::remove(dir / "out.h5");
  EXPECT_FALSE(m.up_to_date("teacher.text", hash, false, "text teacher", false));  // an output was deleted
  fs::remove_all(dir);
}
