// Early stopping with the semantics Keras and Lightning users expect (monitor, mode,
// patience in epochs, absolute min_delta, start_from_epoch), minus their traps: NaN is never
// an improvement, and the best epoch is known whether or not the rule fired.
#pragma once

#include <string>

#include "core/config/config.hpp"
#include "core/train/metric_monitor.hpp"
#include "core/train/metrics.hpp"

namespace nnrun {

class EarlyStopping {
 public:
  explicit EarlyStopping(const EarlyStoppingConfig& config);

  struct Decision {
    bool improved = false;  // a new best epoch for the monitored metric
    bool stop = false;      // patience ran out
  };
  // Call once per epoch, in order.
  Decision update(const EpochRecord& record);

  const MetricMonitor& monitor() const { return monitor_; }
  // Why it stopped, for the console and summary.json (valid after stop).
  std::string reason() const;

  // Bookkeeping that checkpoints carry for an exact resume.
  MetricMonitor::State state() const { return monitor_.state(); }
  void restore(const MetricMonitor::State& state) { monitor_.restore(state); }

 private:
  EarlyStoppingConfig config_;
  MetricMonitor monitor_;
};

}  // namespace nnrun
