// Named-number encoding of trainer state; a missing name reads as the fresh-run value.
#include "core/train/trainer_state.hpp"

#include <limits>

#include "backends/backend.hpp"

namespace nnrun {
namespace {

double get(const StateMap& in, const std::string& key, double fallback) {
  const auto it = in.find(key);
  return it == in.end() ? fallback : it->second;
}

}  // namespace

void save_monitor(StateMap& out, const std::string& prefix, const MetricMonitor::State& s) {
  out[prefix + ".best"] = s.best;
  out[prefix + ".best_epoch"] = static_cast<double>(s.best_epoch);
  out[prefix + ".epochs_without_improvement"] = static_cast<double>(s.epochs_without_improvement);
}

MetricMonitor::State load_monitor(const StateMap& in, const std::string& prefix) {
  MetricMonitor::State s;
  s.best = get(in, prefix + ".best", std::numeric_limits<double>::quiet_NaN());
  s.best_epoch = static_cast<std::int64_t>(get(in, prefix + ".best_epoch", 0));
  s.epochs_without_improvement =
      static_cast<std::int64_t>(get(in, prefix + ".epochs_without_improvement", 0));
  return s;
}

void save_plateau(StateMap& out, const PlateauState& s) {
  out["plateau.lr"] = s.lr;
  out["plateau.best"] = s.best;
  out["plateau.has_best"] = s.has_best ? 1 : 0;
  out["plateau.bad_epochs"] = static_cast<double>(s.bad_epochs);
}

PlateauState load_plateau(const StateMap& in) {
  PlateauState s;
  s.lr = get(in, "plateau.lr", 0);
  s.best = get(in, "plateau.best", 0);
  s.has_best = get(in, "plateau.has_best", 0) != 0;
  s.bad_epochs = static_cast<std::int64_t>(get(in, "plateau.bad_epochs", 0));
  return s;
}

void save_partial_epoch(StateMap& out, const EpochResumePoint& point) {
  out["partial_epoch.batches_done"] = static_cast<double>(point.batches_done);
  for (std::size_t i = 0; i < point.totals.size(); ++i)
    out["partial_epoch.total_" + std::to_string(i)] = point.totals[i];
}

EpochResumePoint load_partial_epoch(const StateMap& in) {
  EpochResumePoint point;
  point.batches_done = static_cast<std::int64_t>(get(in, "partial_epoch.batches_done", 0));
  if (point.batches_done > 0)
    for (int i = 0; i < kMetricSlots; ++i)
      point.totals.push_back(get(in, "partial_epoch.total_" + std::to_string(i), 0));
  return point;
}

}  // namespace nnrun
