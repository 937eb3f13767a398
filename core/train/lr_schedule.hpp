// Learning-rate schedules, evaluated once per epoch on the host. All but `plateau` are pure
// functions of the epoch; `plateau` keeps a little state, which checkpoints carry.
#pragma once

#include <cstdint>
#include <string>

#include "core/config/config.hpp"
#include "core/train/metrics.hpp"

namespace nnrun {

struct PlateauState {
  double lr = 0;
  double best = 0;
  bool has_best = false;
  std::int64_t bad_epochs = 0;
};

class LrSchedule {
 public:
  LrSchedule(const ScheduleConfig& config, double base_lr, std::int64_t total_epochs);

  // The learning rate for epoch `epoch` (1-based), before it is trained.
  double lr_for_epoch(std::int64_t epoch) const;
  // After an epoch: lets `plateau` see the monitored metric.
  void end_of_epoch(const EpochRecord& record);

  const PlateauState& plateau_state() const { return plateau_; }
  void restore_plateau_state(const PlateauState& state) { plateau_ = state; }

 private:
  ScheduleConfig config_;
  double base_lr_;
  std::int64_t total_epochs_;
  PlateauState plateau_;
};

}  // namespace nnrun
