// Each learning-rate schedule's value per epoch, against the formulas worked out by hand.
#include <doctest/doctest.h>

#include <cmath>

#include "core/train/lr_schedule.hpp"

using namespace nnrun;

namespace {

ScheduleConfig schedule(ScheduleKind kind) {
  ScheduleConfig s;
  s.type = kind;
  return s;
}

EpochRecord with_val_loss(std::int64_t epoch, double loss) {
  EpochRecord r;
  r.epoch = epoch;
  r.val.loss = loss;
  return r;
}

}  // namespace

TEST_CASE("schedule: constant") {
  const LrSchedule s(schedule(ScheduleKind::constant), 0.1, 10);
  for (int e = 1; e <= 10; ++e) CHECK(s.lr_for_epoch(e) == 0.1);
}

TEST_CASE("schedule: step multiplies by gamma every step_size epochs") {
  ScheduleConfig c = schedule(ScheduleKind::step);
  c.step_size = 3;
  c.gamma = 0.5;
  const LrSchedule s(c, 0.8, 10);
  const double expected[] = {0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2, 0.2, 0.2, 0.1};
  for (int e = 1; e <= 10; ++e) CHECK(s.lr_for_epoch(e) == doctest::Approx(expected[e - 1]));
}

TEST_CASE("schedule: exponential multiplies by gamma every epoch") {
  ScheduleConfig c = schedule(ScheduleKind::exponential);
  c.gamma = 0.9;
  const LrSchedule s(c, 1.0, 5);
  const double expected[] = {1.0, 0.9, 0.81, 0.729, 0.6561};
  for (int e = 1; e <= 5; ++e) CHECK(s.lr_for_epoch(e) == doctest::Approx(expected[e - 1]));
}

TEST_CASE("schedule: cosine with warm-up") {
  ScheduleConfig c = schedule(ScheduleKind::cosine);
  c.warmup_epochs = 2;
  c.min_lr = 0.0;
  const LrSchedule s(c, 1.0, 6);  // 2 warm-up epochs, then 4 cosine epochs
  CHECK(s.lr_for_epoch(1) == doctest::Approx(0.5));
  CHECK(s.lr_for_epoch(2) == doctest::Approx(1.0));
  // progress 0, 1/4, 2/4, 3/4 of the cosine: (1 + cos(pi p)) / 2
  CHECK(s.lr_for_epoch(3) == doctest::Approx(1.0));
  CHECK(s.lr_for_epoch(4) == doctest::Approx((1 + std::cos(M_PI / 4)) / 2));
  CHECK(s.lr_for_epoch(5) == doctest::Approx(0.5));
  CHECK(s.lr_for_epoch(6) == doctest::Approx((1 + std::cos(3 * M_PI / 4)) / 2));
  ScheduleConfig floor = schedule(ScheduleKind::cosine);
  floor.min_lr = 0.1;
  const LrSchedule f(floor, 1.0, 3);
  CHECK(f.lr_for_epoch(1) == doctest::Approx(1.0));
  CHECK(f.lr_for_epoch(3) == doctest::Approx(0.1 + 0.9 * (1 + std::cos(2 * M_PI / 3)) / 2));
}

TEST_CASE("schedule: plateau drops the rate after patience epochs without improvement") {
  ScheduleConfig c = schedule(ScheduleKind::plateau);
  c.monitor = "val_loss";
  c.factor = 0.5;
  c.patience = 2;
  c.min_lr = 0.2;
  c.min_delta = 0.0;
  LrSchedule s(c, 1.0, 20);
  const double losses[] = {1.0, 0.9, 0.95, 0.92, 0.91, 0.93, 0.8, 0.85, std::nan(""), 0.9};
  // after epoch: 1 best, 2 best, 3 bad, 4 bad -> 0.5, 5 bad, 6 bad -> 0.25, 7 best,
  // 8 bad, 9 NaN bad -> max(0.125, 0.2) = 0.2, 10 bad
  const double lr_after[] = {1.0, 1.0, 1.0, 0.5, 0.5, 0.25, 0.25, 0.25, 0.2, 0.2};
  for (int e = 1; e <= 10; ++e) {
    CHECK(s.lr_for_epoch(e) == doctest::Approx(e == 1 ? 1.0 : lr_after[e - 2]));
    s.end_of_epoch(with_val_loss(e, losses[e - 1]));
    CHECK(s.lr_for_epoch(e + 1) == doctest::Approx(lr_after[e - 1]));
  }
}
