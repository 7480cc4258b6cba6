#include "log/log.h"

#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <iomanip>
#include <mutex>

namespace mh::log {
namespace {

struct Identity {
  int rank = 0, world = 1;
  std::string role;
  Level level = Level::info;
};

Identity& identity() {
  static Identity id;
  return id;
}

std::mutex& out_mutex() {
  static std::mutex m;
  return m;
}

std::string timestamp() {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  localtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::ostringstream os;
  os << buf << '.' << std::setw(3) << std::setfill('0') << ms;
  return os.str();
}

std::string format_duration(double s) {
  if (!(s >= 0) || s > 1e7) return "--:--";
  long t = static_cast<long>(s + 0.5);
  char buf[32];
  if (t >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
  else std::snprintf(buf, sizeof buf, "%02ld:%02ld", t / 60, t % 60);
  return buf;
}

}  // namespace

void set_rank(int rank, int world) { identity().rank = rank; identity().world = world; }
void set_role(const std::string& role) { identity().role = role; }
void set_level(Level level) { identity().level = level; }
Level level() { return identity().level; }

std::string tag() {
  const auto& id = identity();
  std::string t = "[r" + std::to_string(id.rank) + "/" + std::to_string(id.world);
  if (!id.role.empty()) t += " " + id.role;
  return t + "]";
}

void write(Level lvl, const std::string& message) {
  static const char* names[] = {"debug: ", "", "warning: ", "error: "};
  std::string line = timestamp() + " " + tag() + " " + names[static_cast<int>(lvl)] + message + "\n";
  std::lock_guard<std::mutex> lock(out_mutex());
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

Progress::Progress(std::string what, int64_t total, std::string unit, double interval_s)
    : what_(std::move(what)), unit_(std::move(unit)), total_(total), interval_s_(interval_s),
      tty_(isatty(STDERR_FILENO) != 0), start_(std::chrono::steady_clock::now()), last_print_(start_) {}

void Progress::advance(int64_t units, const std::string& extra) {
  done_ += units;
  auto now = std::chrono::steady_clock::now();
  double since = std::chrono::duration<double>(now - last_print_).count();
  if (since >= (tty_ ? 0.2 : interval_s_) && done_ < total_) {  // the last line is finish()'s
    last_print_ = now;
    print(false, extra);
  }
}

void Progress::finish(const std::string& extra) { print(true, extra); }

void Progress::print(bool final_line, const std::string& extra) {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double rate = elapsed > 0 ? done_ / elapsed : 0.0;
  double eta = rate > 0 ? (total_ - done_) / rate : -1.0;
  std::ostringstream os;
  os << what_ << " " << done_ << "/" << total_ << " " << unit_ << " (" << std::fixed << std::setprecision(1)
     << (total_ > 0 ? 100.0 * done_ / total_ : 100.0) << "%) " << rate << " " << unit_ << "/s"
     << (final_line ? " elapsed " + format_duration(elapsed) : " ETA " + format_duration(eta));
  if (!extra.empty()) os << " " << extra;
  if (tty_) {
    std::lock_guard<std::mutex> lock(out_mutex());
    std::fprintf(stderr, "\r%s %s\033[K%s", tag().c_str(), os.str().c_str(), final_line ? "\n" : "");
    std::fflush(stderr);
  } else {
    write(Level::info, os.str());
  }
}

}  // namespace mh::log
