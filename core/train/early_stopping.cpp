// Early stopping rule: an epoch counts once epoch > start_from_epoch; stop after `patience`
// counted epochs in a row without an improvement larger than min_delta.
#include "core/train/early_stopping.hpp"

#include <cstdio>

namespace nnrun {
namespace {

std::string format_number(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", value);
  return buf;
}

}  // namespace

EarlyStopping::EarlyStopping(const EarlyStoppingConfig& config)
    : config_(config), monitor_(config.monitor, config.mode, config.min_delta) {}

EarlyStopping::Decision EarlyStopping::update(const EpochRecord& record) {
  // Keras: the first start_from_epoch epochs are not judged (its 0-based epoch < N).
  if (record.epoch <= config_.start_from_epoch) return {};
  Decision d;
  d.improved = monitor_.update(metric_value(record, config_.monitor), record.epoch);
  d.stop = !d.improved && monitor_.epochs_without_improvement() >= config_.patience;
  return d;
}

std::string EarlyStopping::reason() const {
  std::string r = "early stopping: " + config_.monitor + " did not improve by more than " +
                  format_number(config_.min_delta) + " for " + std::to_string(config_.patience) +
                  " epochs";
  if (monitor_.best_epoch() > 0)
    r += " (best: epoch " + std::to_string(monitor_.best_epoch()) + ")";
  else
    r += " (no epoch had a finite " + config_.monitor + ")";
  return r;
}

}  // namespace nnrun
