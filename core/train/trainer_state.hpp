// The trainer's bookkeeping as named numbers for checkpoints (Checkpoint::state), so a
// resumed run continues exactly: best-so-far trackers, the schedule, a partial epoch.
#pragma once

#include <map>
#include <string>

#include "core/train/lr_schedule.hpp"
#include "core/train/metric_monitor.hpp"
#include "core/train/training_session.hpp"

namespace nnrun {

using StateMap = std::map<std::string, double>;

void save_monitor(StateMap& out, const std::string& prefix, const MetricMonitor::State& s);
MetricMonitor::State load_monitor(const StateMap& in, const std::string& prefix);
void save_plateau(StateMap& out, const PlateauState& s);
PlateauState load_plateau(const StateMap& in);
void save_partial_epoch(StateMap& out, const EpochResumePoint& point);
EpochResumePoint load_partial_epoch(const StateMap& in);

}  // namespace nnrun
