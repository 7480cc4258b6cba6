// Writes a whole text file atomically: "<path>.tmp.<pid>", fsync, rename. A
// reader never sees a half-written file at `path`.
#pragma once

#include <filesystem>
#include <string_view>

namespace mh::io {

void write_file_atomic(const std::filesystem::path& path, std::string_view content);

}  // namespace mh::io
