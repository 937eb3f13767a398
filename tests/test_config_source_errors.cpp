// Failing fixtures for data sources: keys of another format or generator, missing required
// keys per format, mixed validation forms, limit outside train, cross-key rules.
#include <doctest/doctest.h>

#include "tests/config_fixtures.hpp"

namespace nnrun::testing {
namespace {

const char* const kModel = "model: {layers: [dense: {units: 2}]}\n";

// The error for `data_section` (starting with "data:") plus a one-layer model.
std::string data_error(const TempDir& dir, const std::string& data_section,
                       const std::vector<std::string>& overrides = {}) {
  return config_error(dir, data_section + kModel, overrides);
}

TEST_CASE("source errors: a key of another format names the format it belongs to") {
  TempDir dir;
  const std::string file = dir.file("cfg.yaml");
  CHECK(data_error(dir, "data:\n  train:\n    format: csv\n    path: a.csv\n    images: b\n") ==
        file +
            ":5:5: data.train.images: 'images' only applies when format is idx (here format "
            "is csv)");
  CHECK(data_error(dir, "data:\n  train: {format: idx, images: a, labels: b, label: 0}\n") ==
        file +
            ":2:46: data.train.label: 'label' only applies when format is csv (here format "
            "is idx)");
  CHECK(data_error(dir, "data:\n  train: {path: a.csv, samples: 5}\n") ==
        file +
            ":2:24: data.train.samples: 'samples' only applies when format is synthetic "
            "(here format is csv)");
  // A generator's key outside synthetic data names both conditions.
  CHECK(data_error(dir, "data:\n  train:\n    path: a.csv\n    x_min: 0\n") ==
        file +
            ":4:5: data.train.x_min: 'x_min' only applies when format is synthetic and "
            "generator is line or polynomial (here format is csv)");
  CHECK(data_error(dir,
                   "data:\n  test: {format: synthetic, generator: moons, slope: 2}\n"
                   "  train: {path: a.csv}\n") ==
        file +
            ":2:47: data.test.slope: 'slope' only applies when generator is line (here "
            "generator is moons)");
  CHECK(data_error(dir, "data:\n  train: {format: synthetic, generator: line, features: 3}\n") ==
        file +
            ":2:47: data.train.features: 'features' only applies when generator is blobs "
            "(here generator is line)");
}

TEST_CASE("source errors: each format's required keys are reported at the source") {
  TempDir dir;
  const std::string file = dir.file("cfg.yaml");
  CHECK(data_error(dir, "data:\n  train: {label: y}\n") ==
        file +
            ":2:3: data.train.path: required key 'path' is missing for format csv (csv "
            "file, relative to the config file)");
  CHECK(data_error(dir, "data:\n  train: {format: idx, images: a.gz}\n") ==
        file +
            ":2:3: data.train.labels: required key 'labels' is missing for format idx (idx "
            "labels file (raw or .gz), relative to the config file)");
  CHECK(data_error(dir, "data:\n  train: {path: a.csv}\n  test: {format: synthetic, x_min: 0}\n") ==
        file +
            ":3:3: data.test.generator: required key 'generator' is missing for format "
            "synthetic (line, polynomial (regression) | moons, spirals, blobs "
            "(classification))");
  CHECK(data_error(dir, "data:\n  train: {path: a.csv}\n  test:\n") ==
        file +
            ":3:3: data.test.path: required key 'path' is missing for format csv (csv "
            "file, relative to the config file)");
  CHECK(data_error(dir, "data:\n  train: {path: a.csv}\n  validation: {format: idx}\n") ==
        file +
            ":3:3: data.validation.images: required key 'images' is missing for format idx "
            "(idx images file (raw or .gz), relative to the config file)");
}

TEST_CASE("source errors: validation mixes a split with a source") {
  TempDir dir;
  const std::string file = dir.file("cfg.yaml");
  const std::string explained =
      "validation data is either a held-out split of train {split, stratify} or its own "
      "source like data.train {format, path, ...}";
  CHECK(data_error(dir,
                   "data:\n  train: {path: a.csv}\n  validation:\n    split: 0.1\n"
                   "    path: v.csv\n") ==
        file +
            ":5:5: data.validation.path: cannot mix split keys ('split') with source keys "
            "('path'); " +
            explained);
  CHECK(data_error(dir,
                   "data:\n  train: {path: a.csv}\n"
                   "  validation: {format: synthetic, generator: moons, stratify: true}\n") ==
        file +
            ":3:53: data.validation.stratify: cannot mix source keys ('format') with split "
            "keys ('stratify'); " +
            explained);
}

TEST_CASE("source errors: limit belongs to train only and is range-checked") {
  TempDir dir;
  const std::string file = dir.file("cfg.yaml");
  CHECK(data_error(dir, "data:\n  train: {path: a.csv}\n  validation: {path: v.csv, limit: 5}\n") ==
        file + ":3:29: data.validation.limit: unknown key 'limit'; it is only valid in data.train");
  CHECK(data_error(dir, "data:\n  train: {path: a.csv}\n", {"data.test.limit=5"}) ==
        "--set data.test.limit=5: data.test.limit: unknown key 'limit'; it is only valid in "
        "data.train");
  CHECK(data_error(dir, "data:\n  train: {path: a.csv, limit: 0}\n") ==
        file + ":2:31: data.train.limit: must be >= 1, got 0");
  // The same hint for any key written in the wrong section.
  CHECK(config_error(dir, std::string(kMinimalConfig) + "optimizer: {epochs: 3}\n") ==
        file + ":6:13: optimizer.epochs: unknown key 'epochs'; it is only valid in training");
}

TEST_CASE("source errors: synthetic ranges and x_min >= x_max") {
  TempDir dir;
  const std::string file = dir.file("cfg.yaml");
  const std::string line = "data:\n  train:\n    format: synthetic\n    generator: line\n";
  CHECK(data_error(dir, line + "    x_min: 2\n    x_max: 1\n") ==
        file +
            ":6:12: data.train.x_max: x_max must be greater than x_min (x_min is 2, x_max "
            "is 1)");
  // x_max left at its default (1): the x_min that was written is blamed.
  CHECK(data_error(dir, line + "    x_min: 1\n") ==
        file +
            ":5:12: data.train.x_min: x_max must be greater than x_min (x_min is 1, x_max "
            "is 1)");
  CHECK(data_error(dir, line + "    samples: 0\n") ==
        file + ":5:14: data.train.samples: must be >= 1, got 0");
  CHECK(data_error(dir, line + "    noise: -0.1\n") ==
        file + ":5:12: data.train.noise: must be >= 0, got -0.1");
  CHECK(data_error(dir, line + "    seed: -1\n") ==
        file + ":5:11: data.train.seed: must be >= 0, got -1");
  const std::string generated = "data:\n  train:\n    format: synthetic\n";
  CHECK(data_error(dir, generated + "    generator: spiral\n") ==
        file +
            ":4:16: data.train.generator: unknown value 'spiral' (did you mean 'spirals'?); "
            "expected one of line, polynomial, moons, spirals, blobs");
  CHECK(data_error(dir, generated + "    generator: blobs\n    classes: 1\n") ==
        file + ":5:14: data.train.classes: must be >= 2, got 1");
  CHECK(data_error(dir, generated + "    generator: blobs\n    spread: 0\n") ==
        file + ":5:13: data.train.spread: must be > 0, got 0");
  CHECK(data_error(dir, generated + "    generator: polynomial\n    coefficients: []\n") ==
        file + ":5:19: data.train.coefficients: must not be empty");
  CHECK(data_error(dir, generated + "    generator: polynomial\n    coefficients: [1, x]\n") ==
        file + ":5:23: data.train.coefficients[1]: expected a number, got \"x\"");
  CHECK(data_error(dir, "data:\n  train: {format: parquet}\n") ==
        file +
            ":2:19: data.train.format: unknown value 'parquet'; expected one of csv, idx, "
            "synthetic");
}

TEST_CASE("source errors: class names are non-empty and distinct") {
  TempDir dir;
  const std::string file = dir.file("cfg.yaml");
  const std::string train = "data:\n  train: {path: a.csv}\n";
  CHECK(data_error(dir, train + "  class_names: [cat, dog, cat]\n") ==
        file + ":3:27: data.class_names[2]: duplicate class name 'cat' (also item 0)");
  CHECK(data_error(dir, train + "  class_names: [cat, \"\"]\n") ==
        file + ":3:22: data.class_names[1]: must not be empty");
  CHECK(data_error(dir, train + "  class_names: []\n") ==
        file + ":3:16: data.class_names: must not be empty");
  CHECK(data_error(dir, train + "  class_names: cat\n") ==
        file + ":3:16: data.class_names: expected a list, got \"cat\"");
}

}  // namespace
}  // namespace nnrun::testing
