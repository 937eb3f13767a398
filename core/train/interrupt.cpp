// Signal handling with only async-signal-safe work in the handler: an atomic store, and
// _exit for the second signal.
#include "core/train/interrupt.hpp"

#include <unistd.h>

#include <atomic>
#include <csignal>

namespace nnrun {
namespace {

std::atomic<int> g_signal{0};
struct sigaction g_previous_int {};
struct sigaction g_previous_term {};

void on_signal(int signal) {
  int expected = 0;
  if (!g_signal.compare_exchange_strong(expected, signal)) _exit(128 + signal);  // second one
  static const char kMessage[] =
      "\nnnrun: stopping after the current step (press Ctrl-C again to quit at once)\n";
  const ssize_t ignored = write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  (void)ignored;
}

}  // namespace

InterruptGuard::InterruptGuard() {
  g_signal = 0;
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &g_previous_int);
  sigaction(SIGTERM, &action, &g_previous_term);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &g_previous_int, nullptr);
  sigaction(SIGTERM, &g_previous_term, nullptr);
}

int InterruptGuard::requested() {
  return g_signal.load();
}

}  // namespace nnrun
