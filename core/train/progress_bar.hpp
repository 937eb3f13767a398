// A progress bar within an epoch, drawn only when stdout is a terminal: logs, pipes and CI
// output stay clean. It draws on one line and erases itself before the epoch's line.
#pragma once

#include <cstdint>

namespace nnrun {

class ProgressBar {
 public:
  explicit ProgressBar(bool enabled);
  void update(std::int64_t epoch, std::int64_t done, std::int64_t total);
  void clear();

 private:
  bool enabled_;
  bool drawn_ = false;
  int last_percent_ = -1;
};

}  // namespace nnrun
