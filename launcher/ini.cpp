#include "launcher/ini.h"

#include <fstream>
#include <sstream>

#include "launcher/cli.h"

namespace mh::launcher {
namespace {
std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r"), e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}
}  // namespace

std::vector<std::string> split_list(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, sep);)
    if (auto t = trim(item); !t.empty()) out.push_back(t);
  return out;
}

std::vector<IniEntry> read_ini(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UsageError(path + ": cannot open config file");
  std::vector<IniEntry> out;
  std::string raw, section;
  int section_line = 0;
  for (int line = 1; std::getline(in, raw); ++line) {
    std::string s = trim(raw);
    if (s.empty() || s[0] == '#' || s[0] == ';') continue;
    auto where = path + ":" + std::to_string(line) + ": ";
    if (s[0] == '[') {
      if (s.back() != ']' || s.size() < 3) throw UsageError(where + "expected a section header like [selfcheck]");
      section = trim(s.substr(1, s.size() - 2));
      section_line = line;
      continue;
    }
    size_t eq = s.find('=');
    if (eq == std::string::npos || trim(s.substr(0, eq)).empty())
      throw UsageError(where + "expected 'key = value', a [section] or a comment");
    out.push_back({section, trim(s.substr(0, eq)), trim(s.substr(eq + 1)), line, section_line});
  }
  return out;
}

}  // namespace mh::launcher
