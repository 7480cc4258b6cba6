// INI files for --config: "key = value" lines, [section] headers, '#' or ';'
// comments. Entries keep their line so every error can name file and line.
#pragma once

#include <string>
#include <vector>

namespace mh::launcher {

struct IniEntry {
  std::string section;  // "" before the first header
  std::string key, value;
  int line = 0;
  int section_line = 0;  // line of the [section] header; 0 at the top level
};

// Throws UsageError("FILE:LINE: ...") for a line that is neither.
std::vector<IniEntry> read_ini(const std::string& path);

// The items of a list such as "none, text" (as INI files and options write
// them): split at `sep`, blanks trimmed, empty items dropped.
std::vector<std::string> split_list(const std::string& s, char sep = ',');

}  // namespace mh::launcher
