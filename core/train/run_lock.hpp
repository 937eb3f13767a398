// An exclusive lock on a run directory, so two `nnrun train` never write one run at once.
// flock() locks vanish with the process, so a killed run never leaves a stale lock.
#pragma once

#include <string>

namespace nnrun {

class RunLock {
 public:
  // Throws InputError if another process holds the lock, RuntimeFailure if the lock file
  // cannot be created.
  explicit RunLock(const std::string& run_dir);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace nnrun
