// Failing fixtures for the training keys: optimizer types and their keys, the lr schedule,
// dropout layers, on_nan, monitors and checkpoint cadence, each with its exact message.
#include <doctest/doctest.h>

#include "tests/config_fixtures.hpp"

namespace nnrun::testing {
namespace {

// kMinimalConfig (5 lines) followed by `tail`, so the tail starts on line 6.
std::string with_tail(const std::string& tail) {
  return std::string(kMinimalConfig) + tail;
}

// A model whose layers are `layers` (one item a line from line 4 on).
std::string with_layers(const std::string& layers) {
  return "data: {train: {path: a.csv}}\nmodel:\n  layers:\n" + layers;
}

TEST_CASE("training config: optimizer keys of another type name the types that take them") {
  TempDir dir;
  const std::string file = dir.file("cfg.yaml");
  CHECK(config_error(dir, with_tail("optimizer:\n  type: sgd\n  beta1: 0.9\n")) ==
        file +
            ":8:3: optimizer.beta1: 'beta1' only applies when type is adam or adamw (here type is "
            "sgd)");
  CHECK(config_error(dir, with_tail("optimizer:\n  type: adam\n  alpha: 0.9\n")) ==
        file +
            ":8:3: optimizer.alpha: 'alpha' only applies when type is rmsprop (here type is adam)");
  CHECK(config_error(dir, with_tail("optimizer:\n  type: rmsprop\n  nesterov: true\n")) ==
        file +
            ":8:3: optimizer.nesterov: 'nesterov' only applies when type is sgd (here type is "
            "rmsprop)");
  CHECK(config_error(dir, with_tail("optimizer: {type: adamw, centered: true}\n")) ==
        file +
            ":6:26: optimizer.centered: 'centered' only applies when type is rmsprop (here type "
            "is adamw)");
  CHECK(config_error(dir, with_tail("optimizer: {type: adamw, momentum: 0.9}\n")) ==
        file +
            ":6:26: optimizer.momentum: 'momentum' only applies when type is sgd or rmsprop "
            "(here type is adamw)");
  CHECK(config_error(dir, with_tail("optimizer: {type: sgd, eps: 1e-7}\n")) ==
        file +
            ":6:24: optimizer.eps: 'eps' only applies when type is adam or adamw or rmsprop "
            "(here type is sgd)");
  // The default type is adam.
  CHECK(config_error(dir, with_tail("optimizer: {centered: false}\n")) ==
        file +
            ":6:13: optimizer.centered: 'centered' only applies when type is rmsprop (here type "
            "is adam)");
  CHECK(config_error(dir, with_tail("optimizer: {type: rmsprop, nesterov: true, momentum: 0.9}\n"))
            .ends_with("'nesterov' only applies when type is sgd (here type is rmsprop)"));
  CHECK(config_error(dir, with_tail("optimizer: {type: lion}\n")) ==
        file +
            ":6:19: optimizer.type: unknown value 'lion'; expected one of sgd, adam, adamw, "
            "rmsprop");
  CHECK(config_error(dir, with_tail("optimizer: {type: adamW}\n")) ==
        file +
            ":6:19: optimizer.type: unknown value 'adamW' (did you mean 'adamw'?); expected one "
            "of sgd, adam, adamw, rmsprop");
}

TEST_CASE("training config: schedule keys of another schedule type are rejected") {
  TempDir dir;
  const std::string file = dir.file("cfg.yaml");
  CHECK(config_error(dir,
                     with_tail("optimizer:\n  schedule:\n    type: cosine\n    step_size: 5\n")) ==
        file +
            ":9:5: optimizer.schedule.step_size: 'step_size' only applies when type is step "
            "(here type is cosine)");
  // The default schedule is constant, which takes no other key.
  CHECK(config_error(dir, with_tail("optimizer:\n  schedule: {gamma: 0.5}\n")) ==
        file +
            ":7:14: optimizer.schedule.gamma: 'gamma' only applies when type is step or "
            "exponential (here type is constant)");
  CHECK(config_error(dir, with_tail("optimizer:\n  schedule: {type: step, monitor: val_loss}\n")) ==
        file +
            ":7:26: optimizer.schedule.monitor: 'monitor' only applies when type is plateau "
            "(here type is step)");
  CHECK(
      config_error(dir, with_tail("optimizer:\n  schedule: {type: plateau, warmup_epochs: 2}\n")) ==
      file +
          ":7:29: optimizer.schedule.warmup_epochs: 'warmup_epochs' only applies when type is "
          "cosine (here type is plateau)");
  CHECK(config_error(dir, with_tail("optimizer:\n  schedule: {type: exponential, min_lr: 0}\n")) ==
        file +
            ":7:33: optimizer.schedule.min_lr: 'min_lr' only applies when type is cosine or "
            "plateau (here type is exponential)");
  CHECK(config_error(dir, with_tail("optimizer:\n  schedule: {type: cosin}\n")) ==
        file +
            ":7:20: optimizer.schedule.type: unknown value 'cosin' (did you mean 'cosine'?); "
            "expected one of constant, step, exponential, cosine, plateau");
  CHECK(config_error(dir, with_tail("optimizer:\n  schedule: cosine\n")) ==
        file + ":7:13: optimizer.schedule: expected a mapping, got \"cosine\"");
}

TEST_CASE("training config: ranges of the new keys") {
  TempDir dir;
  const std::string file = dir.file("cfg.yaml");
  const auto schedule = [&](const std::string& settings) {
    return config_error(dir, with_tail("optimizer:\n  schedule: {" + settings + "}\n"));
  };
  CHECK(schedule("type: plateau, factor: 1") ==
        file + ":7:37: optimizer.schedule.factor: must be > 0 and < 1, got 1");
  CHECK(schedule("type: plateau, factor: 0") ==
        file + ":7:37: optimizer.schedule.factor: must be > 0 and < 1, got 0");
  CHECK(schedule("type: step, gamma: 0") ==
        file + ":7:33: optimizer.schedule.gamma: must be > 0 and <= 1, got 0");
  CHECK(schedule("type: exponential, gamma: 1.5") ==
        file + ":7:40: optimizer.schedule.gamma: must be > 0 and <= 1, got 1.5");
  CHECK(schedule("type: step, step_size: 0") ==
        file + ":7:37: optimizer.schedule.step_size: must be >= 1, got 0");
  CHECK(schedule("type: plateau, patience: -1") ==
        file + ":7:39: optimizer.schedule.patience: must be >= 0, got -1");
  CHECK(schedule("type: cosine, min_lr: -0.1") ==
        file + ":7:36: optimizer.schedule.min_lr: must be >= 0, got -0.1");
  CHECK(schedule("type: cosine, warmup_epochs: 1.5") ==
        file + ":7:43: optimizer.schedule.warmup_epochs: expected an integer, got 1.5");
  CHECK(config_error(dir, with_tail("optimizer: {type: rmsprop, alpha: 1}\n")) ==
        file + ":6:35: optimizer.alpha: must be >= 0 and < 1, got 1");
  CHECK(config_error(dir, with_tail("optimizer: {type: rmsprop, momentum: 1}\n")) ==
        file + ":6:38: optimizer.momentum: must be >= 0 and < 1, got 1");
  CHECK(config_error(dir, with_tail("optimizer: {type: rmsprop, eps: 0}\n")) ==
        file + ":6:33: optimizer.eps: must be > 0, got 0");
  CHECK(config_error(dir, with_tail("optimizer: {type: adamw, weight_decay: -1}\n")) ==
        file + ":6:40: optimizer.weight_decay: must be >= 0, got -1");
  CHECK(config_error(dir, with_tail("optimizer: {clip_grad_norm: -1}\n")) ==
        file + ":6:29: optimizer.clip_grad_norm: must be >= 0, got -1");
  CHECK(config_error(dir, with_tail("optimizer: {type: rmsprop, centered: 1}\n")) ==
        file + ":6:38: optimizer.centered: expected true or false, got \"1\"");
  CHECK(config_error(dir, with_tail("early_stopping: {start_from_epoch: -1}\n")) ==
        file + ":6:36: early_stopping.start_from_epoch: must be >= 0, got -1");
  CHECK(config_error(dir, with_tail("checkpoint: {every_n_epochs: 2.5}\n")) ==
        file + ":6:30: checkpoint.every_n_epochs: expected an integer, got 2.5");
  CHECK(config_error(dir, with_tail("training: {on_nan: skip}\n")) ==
        file + ":6:20: training.on_nan: unknown value 'skip'; expected one of stop, fail");
}

TEST_CASE("training config: a cosine warm-up must end before the last epoch") {
  TempDir dir;
  const std::string file = dir.file("cfg.yaml");
  const std::string yaml = with_tail(
      "optimizer:\n  schedule: {type: cosine, warmup_epochs: 10}\ntraining:\n"
      "  epochs: 10\n");
  CHECK(config_error(dir, yaml) ==
        file +
            ":7:43: optimizer.schedule.warmup_epochs: warmup_epochs must be less than "
            "training.epochs, or the cosine never starts (warmup_epochs is 10, training.epochs "
            "is 10)");
  // Blamed on the warm-up even when --set shortened the run.
  CHECK(config_error(dir, with_tail("optimizer:\n  schedule: {type: cosine, warmup_epochs: 5}\n"),
                     {"training.epochs=3"}) ==
        file +
            ":7:43: optimizer.schedule.warmup_epochs: warmup_epochs must be less than "
            "training.epochs, or the cosine never starts (warmup_epochs is 5, training.epochs "
            "is 3)");
}

TEST_CASE("training config: dropout layers take a rate and never come last") {
  TempDir dir;
  const std::string file = dir.file("cfg.yaml");
  CHECK(config_error(dir, with_layers("    - dense: {units: 8}\n    - dropout: {rate: 0.5}\n")) ==
        file + ":5:7: model.layers[1]: the last layer must be dense: it produces the outputs");
  CHECK(config_error(dir, with_layers("    - dropout: {rate: 0.2}\n")) ==
        file + ":4:7: model.layers[0]: the last layer must be dense: it produces the outputs");
  CHECK(config_error(dir, with_layers("    - dropout: {rate: 1.0}\n    - dense: {units: 2}\n")) ==
        file + ":4:23: model.layers[0].dropout.rate: must be >= 0 and < 1, got 1.0");
  CHECK(config_error(dir, with_layers("    - dropout: {rate: -0.1}\n    - dense: {units: 2}\n")) ==
        file + ":4:23: model.layers[0].dropout.rate: must be >= 0 and < 1, got -0.1");
  CHECK(config_error(dir, with_layers("    - dropout: {}\n    - dense: {units: 2}\n")) ==
        file +
            ":4:7: model.layers[0].dropout.rate: required key 'rate' is missing (fraction of the "
            "inputs zeroed)");
  CHECK(config_error(dir, with_layers("    - dropout: {p: 0.5}\n    - dense: {units: 2}\n")) ==
        file + ":4:17: model.layers[0].dropout.p: unknown key 'p' (did you mean 'rate'?)");
  CHECK(config_error(
            dir, with_layers("    - dropout: {rate: 0.5, units: 4}\n    - dense: {units: 2}\n")) ==
        file +
            ":4:28: model.layers[0].dropout.units: unknown key 'units'; it is only valid in dense "
            "layers");
  CHECK(config_error(dir,
                     with_layers("    - dropout:\n      rate: 0.5\n    - dense: {units: 2}\n")) ==
        file +
            ":5:7: model.layers[0].rate: unknown layer type 'rate'; 'rate' is a dropout setting: "
            "indent it under 'dropout:'");
  CHECK(config_error(dir, with_layers("    - dropuot: {rate: 0.5}\n    - dense: {units: 2}\n")) ==
        file +
            ":4:7: model.layers[0].dropuot: unknown layer type 'dropuot' (did you mean "
            "'dropout'?); layer types: dense, dropout");
}

TEST_CASE("training config: an unknown monitor is an error with a suggestion") {
  TempDir dir;
  const std::string file = dir.file("cfg.yaml");
  const std::string choices =
      "expected one of val_loss, val_error, val_accuracy, train_loss, train_error, "
      "train_accuracy";
  CHECK(config_error(dir, with_tail("early_stopping: {monitor: val_los}\n")) ==
        file + ":6:27: early_stopping.monitor: unknown value 'val_los' (did you mean " +
            "'val_loss'?); " + choices);
  CHECK(config_error(dir, with_tail("checkpoint: {monitor: val_acc}\n")) ==
        file + ":6:23: checkpoint.monitor: unknown value 'val_acc' (did you mean " +
            "'val_accuracy'?); " + choices);
  CHECK(config_error(dir,
                     with_tail("optimizer:\n  schedule: {type: plateau, monitor: train_eror}\n")) ==
        file + ":7:38: optimizer.schedule.monitor: unknown value 'train_eror' (did you mean " +
            "'train_error'?); " + choices);
  CHECK(config_error(dir, with_tail("checkpoint: {monitor: f1}\n")) ==
        file + ":6:23: checkpoint.monitor: unknown value 'f1'; " + choices);
}

TEST_CASE("training config: misplaced keys point at the section that has them") {
  TempDir dir;
  const std::string file = dir.file("cfg.yaml");
  CHECK(config_error(dir, with_tail("optimizer: {step_size: 5}\n")) ==
        file +
            ":6:13: optimizer.step_size: unknown key 'step_size'; it is only valid in "
            "optimizer.schedule");
  CHECK(config_error(dir, with_tail("optimizer: {type: rmsprop, rho: 0.9}\n")) ==
        file + ":6:28: optimizer.rho: unknown key 'rho' (did you mean 'alpha'?)");
  CHECK(config_error(dir, with_tail("optimizer: {scheduler: {type: step}}\n")) ==
        file + ":6:13: optimizer.scheduler: unknown key 'scheduler' (did you mean 'schedule'?)");
  CHECK(config_error(dir, with_tail("training: {every_n_epochs: 5}\n")) ==
        file +
            ":6:12: training.every_n_epochs: unknown key 'every_n_epochs'; it is only valid in "
            "checkpoint");
}

}  // namespace
}  // namespace nnrun::testing
