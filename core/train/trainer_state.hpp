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

// What the state read back must fit: counters of epochs lie in [0, epoch], a partial epoch's
// batches in [0, batches_per_epoch). A value outside is an InputError naming `path`.
struct StateLimits {
  std::int64_t epoch = 0;              // the checkpoint's epoch
  std::int64_t batches_per_epoch = 0;  // of the data the run resumes with
  std::string path;                    // the checkpoint, for messages
};

void save_monitor(StateMap& out, const std::string& prefix, const MetricMonitor::State& s);
MetricMonitor::State load_monitor(const StateMap& in, const std::string& prefix,
                                  const StateLimits& limits);
void save_plateau(StateMap& out, const PlateauState& s);
PlateauState load_plateau(const StateMap& in, const StateLimits& limits);
void save_partial_epoch(StateMap& out, const EpochResumePoint& point);
EpochResumePoint load_partial_epoch(const StateMap& in, const StateLimits& limits);

}  // namespace nnrun
