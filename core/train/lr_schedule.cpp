// Schedule formulas follow PyTorch's StepLR, ExponentialLR, CosineAnnealingLR (with a linear
// warm-up) and Keras' ReduceLROnPlateau (absolute min_delta; the lr drops once `patience`
// epochs in a row did not improve, as early stopping counts; NaN never improves).
#include "core/train/lr_schedule.hpp"

#include <algorithm>
#include <cmath>

namespace nnrun {

LrSchedule::LrSchedule(const ScheduleConfig& config, double base_lr, std::int64_t total_epochs)
    : config_(config), base_lr_(base_lr), total_epochs_(total_epochs) {
  plateau_.lr = base_lr;
}

double LrSchedule::lr_for_epoch(std::int64_t epoch) const {
  const auto e = static_cast<double>(epoch - 1);  // 0-based, as PyTorch counts
  switch (config_.type) {
    case ScheduleKind::constant:
      return base_lr_;
    case ScheduleKind::step:
      return base_lr_ *
             std::pow(config_.gamma, std::floor(e / static_cast<double>(config_.step_size)));
    case ScheduleKind::exponential:
      return base_lr_ * std::pow(config_.gamma, e);
    case ScheduleKind::cosine: {
      const auto warmup = static_cast<double>(config_.warmup_epochs);
      if (e < warmup) return base_lr_ * (e + 1) / warmup;  // linear ramp, reaching lr at the end
      const double span = std::max(1.0, static_cast<double>(total_epochs_) - warmup);
      const double progress = std::min(1.0, (e - warmup) / span);
      return config_.min_lr + (base_lr_ - config_.min_lr) * 0.5 *
                                  (1.0 + std::cos(3.14159265358979323846 * progress));
    }
    case ScheduleKind::plateau:
      return plateau_.lr;
  }
  return base_lr_;
}

void LrSchedule::end_of_epoch(const EpochRecord& record) {
  if (config_.type != ScheduleKind::plateau) return;
  const double value = metric_value(record, config_.monitor);
  const bool maximize = maximizes(config_.monitor, config_.mode);
  const bool improved =
      std::isfinite(value) &&
      (!plateau_.has_best || (maximize ? value > plateau_.best + config_.min_delta
                                       : value < plateau_.best - config_.min_delta));
  if (improved) {
    plateau_.best = value;
    plateau_.has_best = true;
    plateau_.bad_epochs = 0;
    return;
  }
  if (++plateau_.bad_epochs >= config_.patience) {  // as early stopping counts patience
    plateau_.lr = std::max(plateau_.lr * config_.factor, config_.min_lr);
    plateau_.bad_epochs = 0;
  }
}

}  // namespace nnrun
