// Valid training keys: values and (computed) defaults of the optimizer types, schedules,
// dropout layers, on_nan and checkpoint cadence, and their resolved-config round trip.
#include <doctest/doctest.h>

#include "core/config/schema.hpp"
#include "tests/config_fixtures.hpp"

namespace nnrun::testing {
namespace {

// kMinimalConfig followed by `tail`.
std::string with_tail(const std::string& tail) {
  return std::string(kMinimalConfig) + tail;
}

Config load(const TempDir& dir, const std::string& yaml) {
  return load_config_file(dir.write("cfg.yaml", yaml));
}

// Loads `yaml`, writes the resolved config and loads that back: the two Configs must be
// equal and the second writing identical to the first. Returns the resolved text.
std::string round_trip(const TempDir& dir, const std::string& yaml) {
  const std::string path = dir.write("cfg.yaml", yaml);
  const Config original = load_config_file(path);
  const std::string resolved = resolved_config_yaml(original);
  const Config reloaded = load_config_text(resolved, path, "/elsewhere");
  CHECK(reloaded == original);
  CHECK(resolved_config_yaml(reloaded) == resolved);
  return resolved;
}

// The lines of the resolved config's `optimizer` section, schedule included.
std::string optimizer_block(const std::string& resolved) {
  const auto begin = resolved.find("optimizer:\n");
  const auto end = resolved.find("training:\n");
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  return resolved.substr(begin, end - begin);
}

TEST_CASE("resolve training: every new key loads with its value") {
  TempDir dir;
  const Config cfg = load(
      dir, with_tail("optimizer:\n  type: rmsprop\n  lr: 0.005\n  weight_decay: 0.001\n"
                     "  clip_grad_norm: 5\n  momentum: 0.5\n  eps: 1e-6\n  alpha: 0.9\n"
                     "  centered: true\n  schedule: {type: plateau, monitor: val_error, "
                     "mode: min, factor: 0.5, patience: 3, min_delta: 0.01, min_lr: 1e-5}\n"
                     "training: {epochs: 20, on_nan: fail}\n"
                     "early_stopping: {start_from_epoch: 5}\ncheckpoint: {every_n_epochs: 4}\n"));
  const OptimizerConfig& opt = cfg.optimizer;
  CHECK(opt.type == OptimizerKind::rmsprop);
  CHECK(opt.lr == 0.005);
  CHECK(opt.weight_decay == 0.001);
  CHECK(opt.clip_grad_norm == 5.0);
  CHECK(opt.momentum == 0.5);
  CHECK(opt.eps == 1e-6);
  CHECK(opt.alpha == 0.9);
  CHECK(opt.centered);
  const ScheduleConfig& s = opt.schedule;
  CHECK(s.type == ScheduleKind::plateau);
  CHECK(s.monitor == "val_error");
  CHECK(s.mode == MonitorMode::min);
  CHECK(s.factor == 0.5);
  CHECK(s.patience == 3);
  CHECK(s.min_delta == 0.01);
  CHECK(s.min_lr == 1e-5);
  CHECK(cfg.training.on_nan == OnNan::fail);
  CHECK(cfg.early_stopping.start_from_epoch == 5);
  CHECK(cfg.checkpoint.every_n_epochs == 4);

  const Config adamw =
      load(dir, with_tail("optimizer: {type: adamw, weight_decay: 0.01, beta1: 0.8, beta2: 0.99, "
                          "eps: 1e-7}\n"));
  CHECK(adamw.optimizer.type == OptimizerKind::adamw);
  CHECK(adamw.optimizer.weight_decay == 0.01);
  CHECK(adamw.optimizer.beta1 == 0.8);
  CHECK(adamw.optimizer.beta2 == 0.99);
  CHECK(adamw.optimizer.eps == 1e-7);
}

TEST_CASE("resolve training: defaults of the new keys and of each optimizer type") {
  TempDir dir;
  const Config minimal = load(dir, kMinimalConfig);
  CHECK(minimal.optimizer.clip_grad_norm == 0.0);
  CHECK(minimal.optimizer.schedule == ScheduleConfig{});
  CHECK(minimal.optimizer.schedule.type == ScheduleKind::constant);
  CHECK(minimal.training.on_nan == OnNan::stop);
  CHECK(minimal.early_stopping.start_from_epoch == 0);
  CHECK(minimal.checkpoint.every_n_epochs == 0);

  const Config rmsprop = load(dir, with_tail("optimizer: {type: rmsprop}\n"));
  CHECK(rmsprop.optimizer.lr == 0.01);  // as in PyTorch
  CHECK(rmsprop.optimizer.alpha == 0.99);
  CHECK_FALSE(rmsprop.optimizer.centered);
  CHECK(rmsprop.optimizer.momentum == 0.0);
  CHECK(rmsprop.optimizer.eps == 1e-8);
  const Config adamw = load(dir, with_tail("optimizer: {type: adamw}\n"));
  CHECK(adamw.optimizer.lr == 0.001);
  CHECK(adamw.optimizer.weight_decay == 0.0);
  CHECK(load(dir, with_tail("optimizer: {type: sgd}\n")).optimizer.lr == 0.01);

  const Config cosine = load(dir, with_tail("optimizer: {schedule: {type: cosine}}\n"));
  CHECK(cosine.optimizer.schedule.warmup_epochs == 0);
  CHECK(cosine.optimizer.schedule.min_lr == 0.0);
  const Config plateau = load(dir, with_tail("optimizer: {schedule: {type: plateau}}\n"));
  CHECK(plateau.optimizer.schedule.monitor == "val_loss");
  CHECK(plateau.optimizer.schedule.mode == MonitorMode::auto_);
  CHECK(plateau.optimizer.schedule.factor == 0.1);
  CHECK(plateau.optimizer.schedule.patience == 10);
  CHECK(plateau.optimizer.schedule.min_delta == 0.0001);
}

TEST_CASE("resolve training: the gamma default depends on the schedule type") {
  TempDir dir;
  const Config step = load(dir, with_tail("optimizer: {schedule: {type: step}}\n"));
  CHECK(step.optimizer.schedule.step_size == 10);
  CHECK(step.optimizer.schedule.gamma == 0.1);
  const Config exponential = load(dir, with_tail("optimizer: {schedule: {type: exponential}}\n"));
  CHECK(exponential.optimizer.schedule.gamma == 0.95);
  // Written resolved, so a reader sees the value in use.
  CHECK(resolved_config_yaml(exponential).find("    gamma: 0.95\n") != std::string::npos);
  CHECK(resolved_config_yaml(step).find("    gamma: 0.1\n") != std::string::npos);
  CHECK(load(dir, with_tail("optimizer: {schedule: {type: step, gamma: 1}}\n"))
            .optimizer.schedule.gamma == 1.0);
  // The table has no single default to list; the help says how it is chosen.
  CHECK(schema_reference().find("optimizer.schedule.gamma: a number, > 0 and <= 1, only when "
                                "type is step or exponential -- ") != std::string::npos);
}

TEST_CASE("resolve training: dropout layers load and are written back as one line") {
  TempDir dir;
  const std::string yaml =
      "data: {train: {path: a.csv}}\nmodel:\n  layers:\n    - dropout: {rate: 0.2}\n"
      "    - dense: {units: 8, activation: relu}\n    - dropout: {rate: 0.5}\n"
      "    - dense: {units: 3}\n";
  const Config cfg = load(dir, yaml);
  REQUIRE(cfg.model.layers.size() == 4);
  CHECK(cfg.model.layers[0].type == "dropout");
  CHECK(cfg.model.layers[0].rate == 0.2);
  CHECK(cfg.model.layers[0].units == 0);
  CHECK(cfg.model.layers[1].type == "dense");
  CHECK(cfg.model.layers[1].rate == 0.0);
  CHECK(cfg.model.layers[2].rate == 0.5);
  const std::string resolved = round_trip(dir, yaml);
  CHECK(resolved.find("  layers:\n    - dropout: {rate: 0.2}\n"
                      "    - dense: {units: 8, activation: relu}\n    - dropout: {rate: 0.5}\n"
                      "    - dense: {units: 3, activation: none}\n") != std::string::npos);
  const std::string zero = round_trip(
      dir,
      "data: {train: {path: a.csv}}\nmodel: {layers: [dropout: {rate: 0}, dense: {units: "
      "2}]}\n");
  CHECK(zero.find("    - dropout: {rate: 0}\n") != std::string::npos);
}

TEST_CASE("resolve training: each schedule type round-trips with only its own keys") {
  TempDir dir;
  const std::string head =
      "optimizer:\n  type: adam\n  lr: 0.001\n  weight_decay: 0\n"
      "  clip_grad_norm: 0\n  beta1: 0.9\n  beta2: 0.999\n  eps: 1e-08\n"
      "  schedule:\n";
  const std::pair<std::string, std::string> cases[] = {
      {"{}", "    type: constant\n"},
      {"{type: step, step_size: 3, gamma: 0.5}",
       "    type: step\n    step_size: 3\n    gamma: 0.5\n"},
      {"{type: exponential, gamma: 0.9}", "    type: exponential\n    gamma: 0.9\n"},
      {"{type: cosine, warmup_epochs: 5, min_lr: 1e-05}",
       "    type: cosine\n    warmup_epochs: 5\n    min_lr: 1e-05\n"},
      {"{type: plateau, monitor: val_accuracy, mode: max, factor: 0.2, patience: 4, "
       "min_delta: 0.001, min_lr: 0.0001}",
       "    type: plateau\n    monitor: val_accuracy\n    mode: max\n    factor: 0.2\n"
       "    patience: 4\n    min_delta: 0.001\n    min_lr: 0.0001\n"},
  };
  for (const auto& [schedule, written] : cases) {
    CAPTURE(schedule);
    const std::string resolved = round_trip(
        dir, with_tail("optimizer: {schedule: " + schedule + "}\ntraining: {epochs: 50}\n"));
    CHECK(optimizer_block(resolved) == head + written);
  }
}

TEST_CASE("resolve training: each optimizer type round-trips with only its own keys") {
  TempDir dir;
  const std::string tail = "  schedule:\n    type: constant\n";
  const std::pair<std::string, std::string> cases[] = {
      {"{type: sgd, lr: 0.1, momentum: 0.9, nesterov: true, clip_grad_norm: 1}",
       "optimizer:\n  type: sgd\n  lr: 0.1\n  weight_decay: 0\n  clip_grad_norm: 1\n"
       "  momentum: 0.9\n  nesterov: true\n"},
      {"{type: adam, beta1: 0.5}",
       "optimizer:\n  type: adam\n  lr: 0.001\n  weight_decay: 0\n  clip_grad_norm: 0\n"
       "  beta1: 0.5\n  beta2: 0.999\n  eps: 1e-08\n"},
      {"{type: adamw, weight_decay: 0.01, beta2: 0.98, eps: 1e-06}",
       "optimizer:\n  type: adamw\n  lr: 0.001\n  weight_decay: 0.01\n  clip_grad_norm: 0\n"
       "  beta1: 0.9\n  beta2: 0.98\n  eps: 1e-06\n"},
      {"{type: rmsprop, momentum: 0.5, alpha: 0.9, centered: true, weight_decay: 0.0001}",
       "optimizer:\n  type: rmsprop\n  lr: 0.01\n  weight_decay: 0.0001\n  clip_grad_norm: 0\n"
       "  momentum: 0.5\n  eps: 1e-08\n  alpha: 0.9\n  centered: true\n"},
  };
  for (const auto& [optimizer, written] : cases) {
    CAPTURE(optimizer);
    const std::string resolved = round_trip(dir, with_tail("optimizer: " + optimizer + "\n"));
    CHECK(optimizer_block(resolved) == written + tail);
  }
}

TEST_CASE("resolve training: on_nan / start_from_epoch and every_n_epochs round-trip") {
  TempDir dir;
  const std::string resolved = round_trip(
      dir, with_tail("training: {on_nan: fail}\nearly_stopping: {patience: 4, start_from_epoch: "
                     "12}\ncheckpoint: {every_n_epochs: 7, save_last: false}\n"));
  CHECK(resolved.find("  shuffle: true\n  on_nan: fail\n") != std::string::npos);
  CHECK(resolved.find("  start_from_epoch: 12\n") != std::string::npos);
  CHECK(resolved.find("  save_last: false\n  last_every_seconds: 1\n  every_n_epochs: 7\n") !=
        std::string::npos);
  // Defaults are written too, so the file says what the run did.
  const std::string minimal = round_trip(dir, kMinimalConfig);
  CHECK(minimal.find("  on_nan: stop\n") != std::string::npos);
  CHECK(minimal.find("  every_n_epochs: 0\n") != std::string::npos);
}

TEST_CASE("resolve training: the resolved config writes its sections in the usual order") {
  TempDir dir;
  const std::string resolved =
      round_trip(dir, with_tail("early_stopping: {}\noptimizer: {schedule: {type: cosine}}\n"));
  std::size_t previous = 0;
  for (const char* section : {"\nname:", "\nseed:", "\nbackend:", "\nthreads:", "\nprecision:",
                              "\ndata:", "\nmodel:", "\nloss:", "\noptimizer:", "\n  schedule:",
                              "\ntraining:", "\nearly_stopping:", "\ncheckpoint:"}) {
    CAPTURE(section);
    const std::size_t at = resolved.find(section);
    REQUIRE(at != std::string::npos);
    CHECK(at > previous);
    previous = at;
  }
}

}  // namespace
}  // namespace nnrun::testing
