// Ctrl-C and SIGTERM during training: the first one asks the loop to stop after the current
// step and save; a second one exits at once (every file on disk is valid at any instant).
#pragma once

namespace nnrun {

class InterruptGuard {
 public:
  InterruptGuard();   // installs the SIGINT/SIGTERM handlers
  ~InterruptGuard();  // restores the previous ones
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // 0 while no signal arrived, else the signal number (SIGINT or SIGTERM).
  static int requested();
};

}  // namespace nnrun
