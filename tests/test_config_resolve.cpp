// Valid configs: defaults filled in, computed defaults, path resolution, the resolved
// config round trip, the shipped example configs, and the schema table's own consistency.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "core/config/schema.hpp"
#include "core/config/schema_validator.hpp"
#include "core/config/suggest.hpp"
#include "core/config/yaml_scalars.hpp"
#include "tests/config_fixtures.hpp"

#ifndef NNRUN_SOURCE_DIR
#define NNRUN_SOURCE_DIR "."  // direct builds run from the repository root
#endif

namespace nnrun::testing {
namespace {

TEST_CASE("resolve: a minimal config gets every default") {
  TempDir dir;
  const Config cfg = load_config_file(dir.write("my-run.yaml", kMinimalConfig));
  CHECK(cfg.name == "my-run");
  CHECK(cfg.seed == 42);
  CHECK(cfg.backend == "auto");
  CHECK(cfg.threads == 0);
  CHECK(cfg.precision == "f32");
  CHECK(cfg.data.train.format == "csv");
  CHECK(cfg.data.train.label.empty());  // the last column
  CHECK(cfg.data.validation.split == 0.2);
  CHECK(cfg.data.validation.stratify);
  CHECK(cfg.data.normalize == Normalization::standard);
  CHECK(cfg.data.scale == 255.0);
  REQUIRE(cfg.model.layers.size() == 1);
  CHECK(cfg.model.layers[0].activation.kind == Activation::none);
  CHECK_FALSE(cfg.model.layers[0].init.has_value());
  CHECK(cfg.model.init.kind == InitSpec::Kind::he_uniform);
  CHECK(cfg.loss == LossKind::cross_entropy);
  CHECK(cfg.optimizer.type == OptimizerKind::adam);
  CHECK(cfg.optimizer.lr == 0.001);
  CHECK(cfg.optimizer.beta2 == 0.999);
  CHECK(cfg.optimizer.eps == 1e-8);
  CHECK(cfg.training.epochs == 100);
  CHECK(cfg.training.batch_size == 32);
  CHECK(cfg.training.shuffle);
  CHECK_FALSE(cfg.early_stopping.enabled);
  CHECK(cfg.checkpoint.dir == "runs/my-run");
  CHECK(cfg.checkpoint.monitor == "val_loss");
  CHECK(cfg.checkpoint.save_best);
}

TEST_CASE("resolve: computed defaults follow the keys they depend on") {
  TempDir dir;
  const Config cfg = load_config_file(dir.write(
      "cfg.yaml",
      "name: tuned\ndata: {train: {path: a.csv, label: 0}}\nmodel:\n  layers:\n"
      "    - dense: {units: 8, activation: leaky_relu}\n    - dense: {units: 8, activation: elu}\n"
      "    - dense: {units: 2, init: normal(0.05)}\noptimizer: {type: sgd}\n"
      "early_stopping: {monitor: val_error}\n"));
  CHECK(cfg.model.layers[0].activation.alpha == 0.01);
  CHECK(cfg.model.layers[1].activation.alpha == 1.0);
  REQUIRE(cfg.model.layers[2].init.has_value());
  CHECK(cfg.model.layers[2].init->kind == InitSpec::Kind::normal);
  CHECK(cfg.model.layers[2].init->std == 0.05);
  CHECK(cfg.data.train.label == "0");
  CHECK(cfg.optimizer.lr == 0.01);  // sgd's default
  CHECK(cfg.early_stopping.enabled);
  CHECK(cfg.checkpoint.monitor == "val_error");  // follows early stopping
  CHECK(cfg.checkpoint.dir == "runs/tuned");
}

TEST_CASE("resolve: data paths are relative to the config file's folder") {
  TempDir dir;
  const std::string path = dir.write(
      "configs/deep/cfg.yaml",
      "data: {train: {path: ../../datasets/./x.csv}}\nmodel: {layers: [dense: {units: 2}]}\n");
  const Config cfg = load_config_file(path);
  CHECK(cfg.data.train.path == (dir.path() / "datasets" / "x.csv").string());
  CHECK(std::filesystem::path(cfg.data.train.path).is_absolute());
}

TEST_CASE("resolve: the resolved config loads back to an equal Config") {
  TempDir dir;
  const std::string path = dir.write(
      "cfg.yaml",
      "name: \"odd \\\"name\\\"\"\nseed: 7\nthreads: 3\ndata:\n"
      "  train: {path: \"d a t a.csv\", label: species}\n  validation: {split: 0.25, "
      "stratify: false}\n  normalize: scale\n  scale: 127.5\nmodel:\n  layers:\n"
      "    - dense: {units: 16, activation: leaky_relu, alpha: 0.2, init: normal(0.1)}\n"
      "    - dense: {units: 1, activation: sigmoid}\n  init: xavier_normal\n"
      "loss: binary_cross_entropy\noptimizer: {type: sgd, lr: 0.3, momentum: 0.9, nesterov: "
      "true, weight_decay: 1e-4}\ntraining: {epochs: 7, batch_size: 5, shuffle: false}\n"
      "early_stopping: {monitor: val_accuracy, mode: max, patience: 3, min_delta: 0.001}\n"
      "checkpoint: {dir: out/x, save_last: false}\n");
  const Config original = load_config_file(path, {"optimizer.lr=0.1"});
  const std::string resolved = resolved_config_yaml(original);
  const Config reloaded = load_config_text(resolved, path, "/elsewhere");
  CHECK(reloaded == original);
  CHECK(resolved_config_yaml(reloaded) == resolved);
  CHECK(reloaded.optimizer.lr == 0.1);

  // The adam and defaults-only branches of the writer round-trip too.
  const Config minimal = load_config_file(dir.write("min.yaml", kMinimalConfig));
  CHECK(load_config_text(resolved_config_yaml(minimal), minimal.source_file, "/") == minimal);
}

TEST_CASE("resolve: the shipped example configs load") {
  const std::string root = NNRUN_SOURCE_DIR;
  const Config iris = load_config_file(root + "/configs/iris.yaml");
  CHECK(iris.model.layers.size() == 2);
  CHECK(std::filesystem::exists(iris.data.train.path));
  const Config linear = load_config_file(root + "/configs/iris_linear.yaml");
  CHECK(linear.model.layers.size() == 1);
  CHECK(linear.model.layers[0].units == 3);
}

TEST_CASE("schema: every default is a valid value of its own key") {
  for (const KeySpec& spec : config_schema()) {
    CAPTURE(spec.path);
    CHECK_FALSE(spec.help.empty());
    if (spec.only_when)
      CHECK(find_key_spec(std::string(spec.path.substr(0, spec.path.rfind('.') + 1)) +
                          std::string(spec.only_when.sibling)));
    if (spec.default_value.empty()) continue;
    const std::string text(spec.default_value);
    switch (spec.type) {
      case ValueType::integer:
        CHECK(parse_integer(text));
        break;
      case ValueType::boolean:
        CHECK(parse_bool(text));
        break;
      case ValueType::init:
        CHECK(parse_init(text));
        break;
      case ValueType::number:
        REQUIRE(parse_number(text));
        CHECK(in_range(*parse_number(text), spec.range));
        break;
      case ValueType::choice:
        CHECK(std::find(spec.choices.begin(), spec.choices.end(), text) != spec.choices.end());
        break;
      default:
        break;
    }
  }
  CHECK(schema_reference().find("optimizer.lr: a number, > 0") != std::string::npos);
  CHECK(schema_reference().find("data.test.slope: a number, default 1, only when format is "
                                "synthetic and generator is line") != std::string::npos);
}

TEST_CASE("suggest: edit distance and closest match") {
  CHECK(edit_distance("lrr", "lr") == 1);
  CHECK(edit_distance("xavier_unifrom", "xavier_uniform") == 1);  // a swap counts once
  CHECK(edit_distance("", "abc") == 3);
  CHECK(closest_match("Adam", {"sgd", "adam"}) == "adam");
  CHECK(closest_match("val_acc", {"val_loss", "val_accuracy"}) == "val_accuracy");
  CHECK_FALSE(closest_match("foo", {"epochs", "batch_size"}).has_value());
}

}  // namespace
}  // namespace nnrun::testing
