// Where the tests find the repository's fixtures and ../shared: MH_SOURCE_DIR
// when set, else the working directory (CTest runs them from the source tree).
#pragma once

#include <cstdlib>
#include <filesystem>

namespace mh::test {
inline std::filesystem::path source_dir() {
  const char* d = std::getenv("MH_SOURCE_DIR");
  return d ? std::filesystem::path(d) : std::filesystem::current_path();
}
inline std::filesystem::path shared_data() { return source_dir().parent_path() / "shared" / "data"; }
}  // namespace mh::test
