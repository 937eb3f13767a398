// Per-pass and per-epoch metrics, metric names as users write them, and their direction.
#pragma once

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/config/config.hpp"
#include "core/data/dataset.hpp"

namespace nnrun {

struct PassMetrics {
  double loss = std::numeric_limits<double>::quiet_NaN();
  double error = std::numeric_limits<double>::quiet_NaN();     // 1 - accuracy; MSE for regression
  double accuracy = std::numeric_limits<double>::quiet_NaN();  // NaN for regression
  std::int64_t samples = 0;
};

// From the backend's accumulator slots (see MetricSlot).
PassMetrics metrics_from_totals(const std::vector<double>& totals, Task task);

struct EpochRecord {
  std::int64_t epoch = 0;
  PassMetrics train, val;
  double lr = 0;
  double seconds = 0;
};

// The metric names `monitor` accepts.
const std::vector<std::string>& monitorable_metrics();
// Value of a metric by name; throws std::invalid_argument for an unknown name.
double metric_value(const EpochRecord& record, const std::string& name);
// True when larger is better for `name` under `mode`.
bool maximizes(const std::string& name, MonitorMode mode);

}  // namespace nnrun
