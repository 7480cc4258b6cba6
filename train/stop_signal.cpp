#include "train/stop_signal.h"

#include <atomic>
#include <csignal>

namespace mh::train {
namespace {
std::atomic<bool> stop{false};
extern "C" void on_stop_signal(int) { stop.store(true); }
}  // namespace

void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGUSR1, &sa, nullptr);
}

bool stop_requested() { return stop.load(); }
void request_stop() { stop.store(true); }
void clear_stop() { stop.store(false); }

}  // namespace mh::train
