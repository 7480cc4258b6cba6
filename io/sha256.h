// SHA-256 (OpenSSL) as lower-case hex, for artifact hashes and config hashes.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace mh::io {

std::string sha256_hex(std::string_view data);
std::string sha256_file(const std::filesystem::path& path);

}  // namespace mh::io
