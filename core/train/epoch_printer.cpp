// Formats epoch lines; the header names the error column by task (error vs mse).
#include "core/train/epoch_printer.hpp"

#include <cstdio>
#include <string>

namespace nnrun {

EpochPrinter::EpochPrinter(RunLog& log, Task task, std::int64_t epochs)
    : log_(log), task_(task), epoch_digits_(static_cast<int>(std::to_string(epochs).size())) {}

void EpochPrinter::print(const EpochRecord& r, bool saved_best) {
  const char* err = task_ == Task::classification ? "error" : "mse";
  char line[256];
  if (!header_printed_) {
    std::snprintf(line, sizeof line, "%*s  %10s %10s  %10s %10s  %9s %9s", epoch_digits_ + 6,
                  "epoch", "train_loss", (std::string("train_") + err).c_str(), "val_loss",
                  (std::string("val_") + err).c_str(), "lr", "time");
    log_.line(line);
    header_printed_ = true;
  }
  std::snprintf(line, sizeof line, "epoch %*lld  %10.6g %10.6g  %10.6g %10.6g  %9.3g %8.1fms%s",
                epoch_digits_, static_cast<long long>(r.epoch), r.train.loss, r.train.error,
                r.val.loss, r.val.error, r.lr, r.seconds * 1e3, saved_best ? "  * best" : "");
  log_.line(line);
}

}  // namespace nnrun
