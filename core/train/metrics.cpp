// Metric bookkeeping shared by the trainer, early stopping and checkpointing.
#include "core/train/metrics.hpp"

#include <stdexcept>

#include "backends/backend.hpp"

namespace nnrun {

PassMetrics metrics_from_totals(const std::vector<double>& totals, Task task) {
  PassMetrics m;
  m.samples = static_cast<std::int64_t>(totals.at(kSamples));
  if (m.samples == 0) return m;
  const double n = totals[kSamples];
  m.loss = totals[kLossSum] / n;
  if (task == Task::classification) {
    m.accuracy = totals[kCorrect] / n;
    m.error = 1.0 - m.accuracy;
  } else {
    m.error = m.loss;
  }
  return m;
}

const std::vector<std::string>& monitorable_metrics() {
  static const std::vector<std::string> names = {"val_loss",   "val_error",   "val_accuracy",
                                                 "train_loss", "train_error", "train_accuracy"};
  return names;
}

double metric_value(const EpochRecord& r, const std::string& name) {
  if (name == "val_loss") return r.val.loss;
  if (name == "val_error") return r.val.error;
  if (name == "val_accuracy") return r.val.accuracy;
  if (name == "train_loss") return r.train.loss;
  if (name == "train_error") return r.train.error;
  if (name == "train_accuracy") return r.train.accuracy;
  throw std::invalid_argument("unknown metric '" + name + "'");
}

bool maximizes(const std::string& name, MonitorMode mode) {
  if (mode == MonitorMode::max) return true;
  if (mode == MonitorMode::min) return false;
  return name.ends_with("accuracy");
}

}  // namespace nnrun
