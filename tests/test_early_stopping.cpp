// The early-stopping rule on scripted metric sequences: plateau, noise within min_delta, NaN,
// max mode, start_from_epoch, and the best epoch being known when the rule never fires.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/train/early_stopping.hpp"

using namespace nnrun;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Outcome {
  std::int64_t stopped_at = 0;  // 0 = never stopped
  std::int64_t best_epoch = 0;
  std::vector<std::int64_t> improved;  // epochs reported as improvements
};

// Feeds val_loss (or val_accuracy for max mode) values epoch by epoch.
Outcome run(EarlyStoppingConfig config, const std::vector<double>& values) {
  config.enabled = true;
  EarlyStopping rule(config);
  Outcome out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    EpochRecord r;
    r.epoch = static_cast<std::int64_t>(i) + 1;
    r.val.loss = values[i];
    r.val.accuracy = values[i];
    r.val.error = 1 - values[i];
    const EarlyStopping::Decision d = rule.update(r);
    if (d.improved) out.improved.push_back(r.epoch);
    if (d.stop) {
      out.stopped_at = r.epoch;
      break;
    }
  }
  out.best_epoch = rule.monitor().best_epoch();
  return out;
}

EarlyStoppingConfig with(std::string monitor, std::int64_t patience, double min_delta = 0) {
  EarlyStoppingConfig c;
  c.monitor = std::move(monitor);
  c.patience = patience;
  c.min_delta = min_delta;
  return c;
}

}  // namespace

TEST_CASE("early stopping: a plateau stops after exactly patience epochs") {
  const Outcome o = run(with("val_loss", 3), {1.0, 0.8, 0.7, 0.7, 0.71, 0.75, 0.6});
  CHECK(o.stopped_at == 6);  // epochs 4 5 6 did not improve on epoch 3
  CHECK(o.best_epoch == 3);
  CHECK(o.improved == std::vector<std::int64_t>{1, 2, 3});
}

TEST_CASE("early stopping: improvements within min_delta do not count") {
  // 0.9995 and 0.9991 are within 0.001 of 1.0: not improvements; 0.95 is.
  const Outcome o = run(with("val_loss", 2, 0.001), {1.0, 0.9995, 0.95, 0.9495, 0.9491});
  CHECK(o.improved == std::vector<std::int64_t>{1, 3});
  CHECK(o.stopped_at == 5);
  CHECK(o.best_epoch == 3);
}

TEST_CASE("early stopping: NaN is never an improvement") {
  const Outcome first_nan = run(with("val_loss", 2), {kNaN, kNaN, 0.5});
  CHECK(first_nan.stopped_at == 2);  // two epochs without a finite value
  CHECK(first_nan.best_epoch == 0);
  const Outcome later_nan = run(with("val_loss", 5), {0.5, kNaN, 0.4, kNaN});
  CHECK(later_nan.improved == std::vector<std::int64_t>{1, 3});
  CHECK(later_nan.best_epoch == 3);
}

TEST_CASE("early stopping: accuracy maximizes in auto mode and mode max forces it") {
  const Outcome acc = run(with("val_accuracy", 2), {0.5, 0.7, 0.6, 0.65});
  CHECK(acc.best_epoch == 2);
  CHECK(acc.stopped_at == 4);
  EarlyStoppingConfig forced = with("val_loss", 2);
  forced.mode = MonitorMode::max;  // treat the loss as a score
  CHECK(run(forced, {0.1, 0.3, 0.2}).best_epoch == 2);
}

TEST_CASE("early stopping: the first start_from_epoch epochs are not judged") {
  EarlyStoppingConfig c = with("val_loss", 2);
  c.start_from_epoch = 3;  // as Keras: epochs 1-3 are skipped, judging starts at epoch 4
  // Epochs 1-3 (a great 0.1 included) are ignored.
  const Outcome o = run(c, {0.1, 0.9, 0.9, 0.5, 0.6, 0.7, 0.4});
  CHECK(o.best_epoch == 4);
  CHECK(o.stopped_at == 6);
  c.start_from_epoch = 1;  // one epoch skipped: 0 and 1 differ
  CHECK(run(c, {0.1, 0.9, 0.95, 0.97}).best_epoch == 2);
  c.start_from_epoch = 0;
  CHECK(run(c, {0.1, 0.9, 0.95, 0.97}).best_epoch == 1);
}

TEST_CASE("early stopping: the best epoch is known when training ends at max epochs") {
  const Outcome o = run(with("val_loss", 10), {0.9, 0.5, 0.6, 0.55});
  CHECK(o.stopped_at == 0);
  CHECK(o.best_epoch == 2);
}

TEST_CASE("early stopping: patience 0 stops at the first epoch without improvement") {
  CHECK(run(with("val_loss", 0), {0.9, 0.8, 0.85}).stopped_at == 3);
}
