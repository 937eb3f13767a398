// Tracks the best value of one monitored metric: drives best.ckpt and early stopping.
// NaN never counts as an improvement.
#pragma once

#include <cmath>
#include <limits>
#include <string>

#include "core/train/metrics.hpp"

namespace nnrun {

class MetricMonitor {
 public:
  MetricMonitor(std::string metric, MonitorMode mode, double min_delta)
      : metric_(std::move(metric)), maximize_(maximizes(metric_, mode)), min_delta_(min_delta) {}

  // Records an epoch's value; returns true when it is a new best (by more than min_delta).
  bool update(double value, std::int64_t epoch) {
    const bool improved =
        std::isfinite(value) &&
        (best_epoch_ == 0 || (maximize_ ? value > best_ + min_delta_ : value < best_ - min_delta_));
    if (improved) {
      best_ = value;
      best_epoch_ = epoch;
      epochs_without_improvement_ = 0;
    } else {
      ++epochs_without_improvement_;
    }
    return improved;
  }

  const std::string& metric() const { return metric_; }
  bool maximize() const { return maximize_; }
  double best() const { return best_; }
  std::int64_t best_epoch() const { return best_epoch_; }  // 0 = none yet
  std::int64_t epochs_without_improvement() const { return epochs_without_improvement_; }

  // Everything update() depends on, for checkpoints and exact resume.
  struct State {
    double best = std::numeric_limits<double>::quiet_NaN();
    std::int64_t best_epoch = 0;
    std::int64_t epochs_without_improvement = 0;
  };
  State state() const { return {best_, best_epoch_, epochs_without_improvement_}; }
  void restore(const State& s) {
    best_ = s.best;
    best_epoch_ = s.best_epoch;
    epochs_without_improvement_ = s.epochs_without_improvement;
  }

 private:
  std::string metric_;
  bool maximize_;
  double min_delta_;
  double best_ = std::numeric_limits<double>::quiet_NaN();
  std::int64_t best_epoch_ = 0;
  std::int64_t epochs_without_improvement_ = 0;
};

}  // namespace nnrun
