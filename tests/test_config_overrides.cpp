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
        "(did you mean 'dense'?); layer types: dense");
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
            ":9:3: optimizer.beta1: 'beta1' only applies when type is adam (here type is sgd)");
}

}  // namespace
}  // namespace nnrun::testing
