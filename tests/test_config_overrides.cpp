// `--set KEY=VALUE` overrides: valid ones change the loaded Config; bad ones name the
// override in the error, with the same schema checks as the file.
#include <doctest/doctest.h>

#include <filesystem>

#include "tests/config_fixtures.hpp"

namespace nnrun::testing {
namespace {

const char* const kTwoLayerConfig =
    "data:\n"
    "  train: {path: data.csv}\n"
    "model:\n"
    "  layers:\n"
    "    - dense: {units: 16, activation: relu}\n"
    "    - dense: {units: 3}\n"
    "optimizer:\n"
    "  lr: 0.01\n";

TEST_CASE("overrides: values / list items and keys absent from the file") {
  TempDir dir;
  const std::string path = dir.write("cfg.yaml", kTwoLayerConfig);
  const Config cfg = load_config_file(
      path, {"optimizer.lr=0.1", "model.layers[0].dense.units=64", "optimizer.type=sgd",
             "optimizer.momentum=0.9", "early_stopping.patience=5", "training.shuffle=false"});
  CHECK(cfg.optimizer.lr == 0.1);
  CHECK(cfg.model.layers[0].units == 64);
  CHECK(cfg.model.layers[0].activation.kind == Activation::relu);  // sibling keys kept
  CHECK(cfg.optimizer.type == OptimizerKind::sgd);
  CHECK(cfg.optimizer.momentum == 0.9);
  CHECK(cfg.early_stopping.enabled);  // the section was created, so it is on
  CHECK(cfg.early_stopping.patience == 5);
  CHECK_FALSE(cfg.training.shuffle);
}

TEST_CASE("overrides: a flow value replaces a whole item / later overrides win") {
  TempDir dir;
  const std::string path = dir.write("cfg.yaml", kTwoLayerConfig);
  const Config cfg =
      load_config_file(path, {"model.layers[1]={dense: {units: 8, activation: tanh}}",
                              "optimizer.lr=0.2", "optimizer.lr=0.3"});
  REQUIRE(cfg.model.layers.size() == 2);
  CHECK(cfg.model.layers[1].units == 8);
  CHECK(cfg.model.layers[1].activation.kind == Activation::tanh);
  CHECK(cfg.optimizer.lr == 0.3);
}

TEST_CASE("overrides: a data path typed on the command line is relative to the cwd") {
  TempDir dir;
  const std::string path = dir.write("sub/cfg.yaml", kTwoLayerConfig);
  const Config cfg = load_config_file(path, {"data.train.path=other.csv"});
  CHECK(cfg.data.train.path ==
        (std::filesystem::current_path() / "other.csv").lexically_normal().string());
}

TEST_CASE("overrides: unknown keys / bad indices and malformed keys name the override") {
  TempDir dir;
  const std::string path = dir.write("cfg.yaml", kTwoLayerConfig);
  CHECK(load_error(path, {"optimizer.lrr=0.1"}) ==
        "--set optimizer.lrr=0.1: optimizer.lrr: unknown key 'lrr' (did you mean 'lr'?)");
  CHECK(load_error(path, {"model.layers[2].dense.units=4"}) ==
        "--set model.layers[2].dense.units=4: model.layers[2]: index 2 is past the end "
        "(model.layers has 2 items)");
  CHECK(load_error(path, {"model.layers[0].dens.units=4"}) ==
        "--set model.layers[0].dens.units=4: model.layers[0].dens: unknown layer type 'dens' "
        "(did you mean 'dense'?); layer types: dense, dropout");
  CHECK(load_error(path, {"model.layers[0].dropout.rate=0.1"}) ==
        "--set model.layers[0].dropout.rate=0.1: model.layers[0]: 'model.layers[0]' is a dense "
        "item, not dropout: set model.layers[0].dense.KEY, or replace the item with "
        "model.layers[0]={dropout: {...}}");
  CHECK(load_error(path, {"optimizer.lr.x=1"}) ==
        "--set optimizer.lr.x=1: optimizer.lr.x: 'optimizer.lr' is a single value, so it has "
        "no key 'x'");
  CHECK(load_error(path, {"optimizer[0]=1"}) ==
        "--set optimizer[0]=1: optimizer: 'optimizer' is not a list, so it takes no index");
  CHECK(load_error(path, {"model.layers.dense=1"}) ==
        "--set model.layers.dense=1: model.layers: 'model.layers' is a list: index it, e.g. "
        "model.layers[0]");
  CHECK(load_error(path, {"optimizer.lr"}) ==
        "--set optimizer.lr: expected KEY=VALUE with KEY a dotted path such as optimizer.lr "
        "or model.layers[0].dense.units");
  CHECK(load_error(path, {"optimizer..lr=1"}).starts_with("--set optimizer..lr=1: expected"));
}

TEST_CASE("overrides: values are checked by the schema and blamed on the override") {
  TempDir dir;
  const std::string path = dir.write("cfg.yaml", kTwoLayerConfig);
  CHECK(load_error(path, {"optimizer.lr=abc"}) ==
        "--set optimizer.lr=abc: optimizer.lr: expected a number, got \"abc\"");
  CHECK(load_error(path, {"optimizer.lr=-1"}) ==
        "--set optimizer.lr=-1: optimizer.lr: must be > 0, got -1");
  CHECK(load_error(path, {"training.epochs="}) ==
        "--set training.epochs=: training.epochs: expected an integer, got nothing");
  CHECK(load_error(path, {"model.layers[0]={dense: {units: 0}}"}) ==
        "--set model.layers[0]={dense: {units: 0}}: model.layers[0].dense.units: must be >= 1, "
        "got 0");
  CHECK(load_error(path, {"optimizer.lr=[1"}) ==
        "--set optimizer.lr=[1: optimizer.lr: cannot parse the value as YAML: end of sequence "
        "flow not found");
  // An override that makes a key in the file invalid: the error points at the file's key.
  const std::string file_with_beta =
      dir.write("beta.yaml", std::string(kTwoLayerConfig) + "  beta1: 0.8\n");
  CHECK(load_error(file_with_beta, {"optimizer.type=sgd"}) ==
        file_with_beta +
            ":9:3: optimizer.beta1: 'beta1' only applies when type is adam or adamw (here type is "
            "sgd)");
}

TEST_CASE("overrides: a dropout layer replaces an item and a schedule is set key by key") {
  TempDir dir;
  const std::string path = dir.write(
      "cfg.yaml", std::string(kTwoLayerConfig)
                      .replace(std::string(kTwoLayerConfig).find("    - dense: {units: 3}"), 0,
                               "    - dense: {units: 8}\n"));
  const Config cfg = load_config_file(
      path, {"model.layers[1]={dropout: {rate: 0.3}}", "optimizer.schedule.type=cosine",
             "optimizer.schedule.warmup_epochs=2", "training.on_nan=fail",
             "checkpoint.every_n_epochs=5", "early_stopping.start_from_epoch=3"});
  REQUIRE(cfg.model.layers.size() == 3);
  CHECK(cfg.model.layers[1].type == "dropout");
  CHECK(cfg.model.layers[1].rate == 0.3);
  CHECK(cfg.model.layers[2].units == 3);
  CHECK(cfg.optimizer.schedule.type == ScheduleKind::cosine);
  CHECK(cfg.optimizer.schedule.warmup_epochs == 2);
  CHECK(cfg.optimizer.lr == 0.01);  // the file's keys beside the new section are kept
  CHECK(cfg.training.on_nan == OnNan::fail);
  CHECK(cfg.checkpoint.every_n_epochs == 5);
  CHECK(cfg.early_stopping.start_from_epoch == 3);
  // The computed gamma follows a type given on the command line.
  CHECK(load_config_file(path, {"optimizer.schedule.type=exponential"}).optimizer.schedule.gamma ==
        0.95);
}

TEST_CASE("overrides: training keys are checked like the file's") {
  TempDir dir;
  const std::string path = dir.write("cfg.yaml", kTwoLayerConfig);
  CHECK(load_error(path, {"model.layers[1]={dropout: {rate: 0.3}}"}) ==
        "--set model.layers[1]={dropout: {rate: 0.3}}: model.layers[1]: the last layer must be "
        "dense: it produces the outputs");
  CHECK(load_error(path, {"optimizer.schedule.gamma=0.5"}) ==
        "--set optimizer.schedule.gamma=0.5: optimizer.schedule.gamma: 'gamma' only applies "
        "when type is step or exponential (here type is constant)");
  CHECK(load_error(path,
                   {"optimizer.schedule.type=cosine", "optimizer.schedule.warmup_epochs=100"}) ==
        "--set optimizer.schedule.warmup_epochs=100: optimizer.schedule.warmup_epochs: "
        "warmup_epochs must be less than training.epochs, or the cosine never starts "
        "(warmup_epochs is 100, training.epochs is 100)");
  CHECK(load_error(path, {"early_stopping.monitor=val_los"}) ==
        "--set early_stopping.monitor=val_los: early_stopping.monitor: unknown value 'val_los' "
        "(did you mean 'val_loss'?); expected one of val_loss, val_error, val_accuracy, "
        "train_loss, train_error, train_accuracy");
  CHECK(load_error(path, {"optimizer.type=rmsprop", "optimizer.nesterov=true"}) ==
        "--set optimizer.nesterov=true: optimizer.nesterov: 'nesterov' only applies when type is "
        "sgd (here type is rmsprop)");
}

}  // namespace
}  // namespace nnrun::testing
