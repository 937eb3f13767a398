// Failing fixtures for the config loader's rules: each checks the exact
// "file:line:col: key.path: message" a user would see.
#include <doctest/doctest.h>

#include "tests/config_fixtures.hpp"

namespace nnrun::testing {
namespace {

// kMinimalConfig (5 lines) followed by `tail`, so the tail starts on line 6.
std::string with_tail(const std::string& tail) {
  return std::string(kMinimalConfig) + tail;
}

TEST_CASE("config: a value out of range names file / line / column and key (SPEC example)") {
  TempDir dir;
  const std::string yaml =
      "# comment\nname: spec-example\ndata:\n  train:\n    path: data.csv\nmodel:\n  layers:\n"
      "    - dense: {units: 16, activation: relu}\n    - dense: {units: 3}\ntraining:\n"
      "  epochs: 10\noptimizer:\n    type: adam\n    lr: -0.1\n";
  const std::string file = (dir.path() / "cfg.yaml").string();
  CHECK(config_error(dir, yaml) == file + ":14:9: optimizer.lr: must be > 0, got -0.1");
}

TEST_CASE("config: unknown keys get a did-you-mean hint / or the list of valid keys") {
  TempDir dir;
  const std::string file = (dir.path() / "cfg.yaml").string();
  CHECK(config_error(dir, with_tail("optimizer:\n  lrr: 0.1\n")) ==
        file + ":7:3: optimizer.lrr: unknown key 'lrr' (did you mean 'lr'?)");
  CHECK(config_error(dir, with_tail("optimizer:\n  learning_rate: 0.1\n")) ==
        file + ":7:3: optimizer.learning_rate: unknown key 'learning_rate' (did you mean 'lr'?)");
  CHECK(
      config_error(dir, with_tail("training:\n  foo: 1\n")) ==
      file +
          ":7:3: training.foo: unknown key 'foo'; valid keys: epochs, batch_size, shuffle, on_nan");
  CHECK(config_error(dir, with_tail("epochs: 10\n")) ==
        file +
            ":6:1: epochs: unknown key 'epochs'; valid keys: name, seed, backend, threads, "
            "precision, data, model, loss, optimizer, training, early_stopping, checkpoint");
}

TEST_CASE("config: wrong types are rejected with what was found") {
  TempDir dir;
  const std::string file = (dir.path() / "cfg.yaml").string();
  CHECK(config_error(dir, with_tail("optimizer: {lr: abc}\n")) ==
        file + ":6:17: optimizer.lr: expected a number, got \"abc\"");
  CHECK(config_error(dir, with_tail("optimizer: {lr: \"0.1\"}\n")) ==
        file + ":6:17: optimizer.lr: expected a number, got \"0.1\" (a quoted string)");
  CHECK(config_error(dir, with_tail("training:\n  epochs: 10.5\n")) ==
        file + ":7:11: training.epochs: expected an integer, got 10.5");
  CHECK(config_error(dir, with_tail("training:\n  epochs: 99999999999999999999\n")) ==
        file + ":7:11: training.epochs: integer out of range, got 99999999999999999999");
  CHECK(config_error(dir, with_tail("training:\n  shuffle: yes\n")) ==
        file + ":7:12: training.shuffle: expected true or false, got \"yes\"");
  CHECK(config_error(dir, with_tail("training: 5\n")) ==
        file + ":6:11: training: expected a mapping, got \"5\"");
  CHECK(config_error(dir, with_tail("optimizer:\n  lr:\n")) ==
        file + ":7:3: optimizer.lr: expected a number, got nothing");
}

TEST_CASE("config: ranges are checked / with open and closed bounds") {
  TempDir dir;
  const std::string file = (dir.path() / "cfg.yaml").string();
  CHECK(config_error(dir, with_tail("training: {batch_size: 0}\n")) ==
        file + ":6:24: training.batch_size: must be >= 1, got 0");
  CHECK(config_error(dir,
                     "data:\n  train: {path: a.csv}\n  validation: {split: 1}\n"
                     "model: {layers: [dense: {units: 2}]}\n") ==
        file + ":3:23: data.validation.split: must be > 0 and < 1, got 1");
  CHECK(config_error(dir, with_tail("seed: -3\n")) == file + ":6:7: seed: must be >= 0, got -3");
}

TEST_CASE("config: YAML syntax errors keep the parser's position") {
  TempDir dir;
  const std::string file = (dir.path() / "cfg.yaml").string();
  CHECK(config_error(dir, with_tail("optimizer: {lr: 0.1\ntraining: {}\n")) ==
        file + ":7:9: YAML syntax error: end of map flow not found");
  CHECK(config_error(dir, "data:\n\ttrain: {path: a.csv}\n") ==
        file +
            ":2:7: YAML syntax error: illegal map value (YAML does not allow tabs for "
            "indentation; use spaces)");
}

TEST_CASE("config: enum values list the choices and suggest the closest") {
  TempDir dir;
  const std::string file = (dir.path() / "cfg.yaml").string();
  CHECK(config_error(dir,
                     "data: {train: {path: a.csv}}\nmodel:\n  layers:\n"
                     "    - dense: {units: 3, activation: relo}\n") ==
        file +
            ":4:37: model.layers[0].dense.activation: unknown value 'relo' (did you mean "
            "'relu'?); expected one of relu, leaky_relu, elu, gelu, sigmoid, tanh, none");
  CHECK(config_error(dir, with_tail("loss: hinge\n")) ==
        file +
            ":6:7: loss: unknown value 'hinge'; expected one of cross_entropy, "
            "binary_cross_entropy, mse");
  // bf16 is a valid choice: whether this machine can run it is checked with the backend
  // (nnrun check / train), not by the loader.
  CHECK(load_config_file(dir.write("bf16.yaml", with_tail("precision: bf16\n"))).precision ==
        "bf16");
}

TEST_CASE("config: layers need exactly one known type") {
  TempDir dir;
  const std::string file = (dir.path() / "cfg.yaml").string();
  const std::string head = "data: {train: {path: a.csv}}\nmodel:\n  layers:\n";
  CHECK(config_error(dir, head + "    - dens: {units: 3}\n") ==
        file +
            ":4:7: model.layers[0].dens: unknown layer type 'dens' (did you mean 'dense'?); "
            "layer types: dense, dropout");
  // The classic indentation slip: settings next to `dense:` instead of under it.
  CHECK(config_error(dir, head + "    - dense:\n      units: 3\n") ==
        file +
            ":5:7: model.layers[0].units: unknown layer type 'units'; 'units' is a dense "
            "setting: indent it under 'dense:'");
  CHECK(config_error(dir, head + "    - 3\n") ==
        file +
            ":4:7: model.layers[0]: expected a mapping with one key naming the type (dense, "
            "dropout), got \"3\"");
  CHECK(config_error(dir, "data: {train: {path: a.csv}}\nmodel: {layers: []}\n") ==
        file + ":2:17: model.layers: must not be empty");
}

TEST_CASE("config: missing required keys are reported at the parent") {
  TempDir dir;
  const std::string file = (dir.path() / "cfg.yaml").string();
  CHECK(config_error(dir,
                     "name: x\ndata:\n  normalize: none\nmodel: {layers: [dense: {units: 2}]}\n") ==
        file +
            ":2:1: data.train: required key 'train' is missing (the training set: a source "
            "{format: csv | idx | synthetic, ...})");
  CHECK(config_error(dir, "data: {train: {path: a.csv}}\nmodel:\n  init: he_normal\n") ==
        file +
            ":2:1: model.layers: required key 'layers' is missing (layers in order; each item "
            "names its type, e.g. `- dense: {units: 16}`)");
  CHECK(config_error(dir,
                     "data: {train: {path: a.csv}}\nmodel:\n  layers:\n"
                     "    - dense: {activation: relu}\n") ==
        file + ":4:7: model.layers[0].dense.units: required key 'units' is missing (output width)");
  CHECK(config_error(dir, "name: x\n") ==
        file + ":1:1: data: required key 'data' is missing (where the examples come from)");
}

TEST_CASE("config: empty / non-mapping / missing and directory configs are clear errors") {
  TempDir dir;
  const std::string file = (dir.path() / "cfg.yaml").string();
  CHECK(config_error(dir, "") ==
        file + ": the config is empty; expected a mapping with at least data and model");
  CHECK(config_error(dir, "# only a comment\n") ==
        file + ": the config is empty; expected a mapping with at least data and model");
  CHECK(config_error(dir, std::string(kMinimalConfig) + "---\nname: second\n") ==
        file + ":7:1: a config is a single YAML document, but another one starts here");
  CHECK(config_error(dir, "- a\n- b\n") ==
        file +
            ":1:1: the top level of a config must be a mapping of keys (name, data, model, "
            "...), got a list");
  const std::string missing = (dir.path() / "nope.yaml").string();
  CHECK(load_error(missing) == missing + ": config file not found");
  CHECK(load_error(dir.path().string()) ==
        dir.path().string() + ": is a directory, expected a YAML config file");
}

TEST_CASE("config: keys of the other variant / duplicates and cross-key rules") {
  TempDir dir;
  const std::string file = (dir.path() / "cfg.yaml").string();
  CHECK(config_error(dir, with_tail("optimizer:\n  type: sgd\n  beta1: 0.9\n")) ==
        file +
            ":8:3: optimizer.beta1: 'beta1' only applies when type is adam or adamw (here type is "
            "sgd)");
  CHECK(config_error(dir, with_tail("optimizer:\n  momentum: 0.9\n")) ==
        file +
            ":7:3: optimizer.momentum: 'momentum' only applies when type is sgd or rmsprop (here "
            "type is adam)");
  CHECK(config_error(dir, with_tail("optimizer: {type: sgd, nesterov: true}\n")) ==
        file + ":6:34: optimizer.nesterov: nesterov needs momentum > 0 (momentum is 0)");
  CHECK(config_error(dir, with_tail("optimizer:\n  lr: 0.1\n  lr: 0.2\n")) ==
        file + ":8:3: optimizer.lr: duplicate key 'lr' (first given on line 7)");
  CHECK(config_error(dir,
                     "data: {train: {path: a.csv}}\nmodel:\n  layers:\n"
                     "    - dense: {units: 3, activation: relu, alpha: 0.2}\n") ==
        file +
            ":4:43: model.layers[0].dense.alpha: 'alpha' only applies when activation is "
            "leaky_relu or elu (here activation is relu)");
  CHECK(
      config_error(
          dir, "data: {train: {path: a.csv}, scale: 10}\nmodel: {layers: [dense: {units: 2}]}\n") ==
      file +
          ":1:30: data.scale: 'scale' only applies when normalize is scale (here normalize is "
          "standard)");
  CHECK(config_error(dir, with_tail("loss: binary_cross_entropy\n")) ==
        file + ":6:7: loss: binary_cross_entropy needs a last layer with 1 unit, got 3");
}

TEST_CASE("config: init specs") {
  TempDir dir;
  const std::string file = (dir.path() / "cfg.yaml").string();
  CHECK(config_error(dir,
                     "data: {train: {path: a.csv}}\nmodel:\n  layers: [dense: {units: 2}]\n"
                     "  init: xavier_unifrom\n") ==
        file +
            ":4:9: model.init: unknown init \"xavier_unifrom\" (did you mean 'xavier_uniform'?); "
            "expected one of he_uniform, he_normal, xavier_uniform, xavier_normal, normal(STD)");
  CHECK(config_error(dir,
                     "data: {train: {path: a.csv}}\nmodel:\n  layers: [dense: {units: 2}]\n"
                     "  init: normal(-1)\n") ==
        file + ":4:9: model.init: normal(STD) needs a number STD > 0, got normal(-1)");
}

}  // namespace
}  // namespace nnrun::testing
