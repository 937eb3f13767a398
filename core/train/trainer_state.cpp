// Named-number encoding of trainer state; a missing name reads as the fresh-run value. Every
// counter read back is checked against the checkpoint's epoch (and the epoch's batches), so
// a crafted file is an InputError naming it, never an index out of range or a NaN row.
#include "core/train/trainer_state.hpp"

#include <cmath>
#include <limits>

#include "backends/backend.hpp"
#include "core/errors.hpp"

namespace nnrun {
namespace {

double get(const StateMap& in, const std::string& key, double fallback) {
  const auto it = in.find(key);
  return it == in.end() ? fallback : it->second;
}

std::string shown(double value) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  return buf;
}

// A whole number in [0, max] (a missing one reads as 0).
std::int64_t count(const StateMap& in, const std::string& key, std::int64_t max,
                   const StateLimits& limits) {
  const double v = get(in, key, 0);
  // Compared as doubles first: casting a NaN or a number beyond int64 is undefined.
  if (!(v >= 0) || v > static_cast<double>(max) || std::floor(v) != v)
    throw InputError(limits.path + ": checkpoint state: " + key +
                     ": expected a whole number in [0, " + std::to_string(max) + "], got " +
                     shown(v));
  return static_cast<std::int64_t>(v);
}

}  // namespace

void save_monitor(StateMap& out, const std::string& prefix, const MetricMonitor::State& s) {
  out[prefix + ".best"] = s.best;
  out[prefix + ".best_epoch"] = static_cast<double>(s.best_epoch);
  out[prefix + ".epochs_without_improvement"] = static_cast<double>(s.epochs_without_improvement);
}

MetricMonitor::State load_monitor(const StateMap& in, const std::string& prefix,
                                  const StateLimits& limits) {
  MetricMonitor::State s;
  s.best = get(in, prefix + ".best", std::numeric_limits<double>::quiet_NaN());
  s.best_epoch = count(in, prefix + ".best_epoch", limits.epoch, limits);
  s.epochs_without_improvement =
      count(in, prefix + ".epochs_without_improvement", limits.epoch, limits);
  return s;
}

void save_plateau(StateMap& out, const PlateauState& s) {
  out["plateau.lr"] = s.lr;
  out["plateau.best"] = s.best;
  out["plateau.has_best"] = s.has_best ? 1 : 0;
  out["plateau.bad_epochs"] = static_cast<double>(s.bad_epochs);
}

PlateauState load_plateau(const StateMap& in, const StateLimits& limits) {
  PlateauState s;
  s.lr = get(in, "plateau.lr", 0);
  if (!std::isfinite(s.lr) || s.lr < 0)
    throw InputError(limits.path +
                     ": checkpoint state: plateau.lr: expected a learning rate >= 0, got " +
                     shown(s.lr));
  s.best = get(in, "plateau.best", 0);
  s.has_best = get(in, "plateau.has_best", 0) != 0;
  s.bad_epochs = count(in, "plateau.bad_epochs", limits.epoch, limits);
  return s;
}

void save_partial_epoch(StateMap& out, const EpochResumePoint& point) {
  out["partial_epoch.batches_done"] = static_cast<double>(point.batches_done);
  for (std::size_t i = 0; i < point.totals.size(); ++i)
    out["partial_epoch.total_" + std::to_string(i)] = point.totals[i];
}

EpochResumePoint load_partial_epoch(const StateMap& in, const StateLimits& limits) {
  EpochResumePoint point;
  // A partial epoch stopped after batch 1 .. batches - 1; a whole one is epoch + 1, batch 0.
  point.batches_done = count(in, "partial_epoch.batches_done",
                             std::max<std::int64_t>(limits.batches_per_epoch - 1, 0), limits);
  if (point.batches_done == 0) return point;
  const bool diverged = get(in, "partial_epoch.total_" + std::to_string(kNonFinite), 0) > 0;
  for (int i = 0; i < kMetricSlots; ++i) {
    const std::string key = "partial_epoch.total_" + std::to_string(i);
    const double total = get(in, key, 0);
    // Sums of losses, counts and norms: never negative, and finite except a loss sum or a
    // gradient norm once a non-finite value was counted.
    const bool may_be_infinite = diverged && (i == kLossSum || i == kGradNorm);
    const bool ok = may_be_infinite ? !(total < 0) : std::isfinite(total) && total >= 0;
    if (!ok)
      throw InputError(limits.path + ": checkpoint state: " + key +
                       ": expected a finite sum >= 0, got " + shown(total));
    point.totals.push_back(total);
  }
  return point;
}

}  // namespace nnrun
