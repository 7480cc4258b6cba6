// Rank-tagged, one-line-per-event logging: "2026-12-04T16:30:01.123 [r3/8 text] message".
// Every rank may log; progress lines are printed by rank 0 only (see log::Progress).
#pragma once

#include <chrono>
#include <cstdint>
#include <sstream>
#include <string>

namespace mh::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3 };

// Who this process is, for the tag; set once after the process bootstrap and
// again when a rank joins a group (the role is the group's name).
void set_rank(int rank, int world);
void set_role(const std::string& role);
void set_level(Level level);
Level level();
std::string tag();

void write(Level level, const std::string& message);

template <typename... Args>
std::string cat(const Args&... args) {
  std::ostringstream os;
  (os << ... << args);
  return os.str();
}

template <typename... Args> void debug(const Args&... a) { if (level() <= Level::debug) write(Level::debug, cat(a...)); }
template <typename... Args> void info(const Args&... a) { if (level() <= Level::info) write(Level::info, cat(a...)); }
template <typename... Args> void warn(const Args&... a) { if (level() <= Level::warn) write(Level::warn, cat(a...)); }
template <typename... Args> void error(const Args&... a) { write(Level::error, cat(a...)); }

// Progress of a loop over `total` units, printed by the caller on rank 0: a
// carriage-return bar on a TTY, a line every `interval` seconds otherwise.
class Progress {
 public:
  Progress(std::string what, int64_t total, std::string unit, double interval_s = 10.0);
  void advance(int64_t units, const std::string& extra = "");
  void finish(const std::string& extra = "");

 private:
  void print(bool final_line, const std::string& extra);
  std::string what_, unit_;
  int64_t total_, done_ = 0;
  double interval_s_;
  bool tty_;
  std::chrono::steady_clock::time_point start_, last_print_;
};

}  // namespace mh::log
