// The console's per-epoch table: one aligned line per epoch, a mark for a new best.
#pragma once

#include "core/train/metrics.hpp"
#include "core/train/run_log.hpp"

namespace nnrun {

class EpochPrinter {
 public:
  EpochPrinter(RunLog& log, Task task, std::int64_t epochs);
  void print(const EpochRecord& record, bool saved_best);

 private:
  RunLog& log_;
  Task task_;
  int epoch_digits_;
  bool header_printed_ = false;
};

}  // namespace nnrun
