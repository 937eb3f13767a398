// Synthetic validation and test sources come from the training source's distribution: blob
// centers are shared across train, validation and test, while the samples differ.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/config/config_loader.hpp"
#include "core/data/synthetic.hpp"
#include "core/train/data_pipeline.hpp"
#include "tests/cli_runner.hpp"
#include "tests/temp_dir.hpp"

using namespace nnrun;
using namespace nnrun::testing;

namespace {

// Three well separated tight blobs in 2-D; each role gets its own default seed.
const char* const kBlobsConfig =
    "seed: 7\n"
    "data:\n"
    "  train: {format: synthetic, generator: blobs, samples: 300, spread: 0.3}\n"
    "  validation: {format: synthetic, generator: blobs, samples: 300, spread: 0.3}\n"
    "  test: {format: synthetic, generator: blobs, samples: 300, spread: 0.3}\n"
    "  normalize: none\n"
    "model:\n"
    "  layers:\n"
    "    - dense: {units: 3}\n"
    "loss: cross_entropy\n"
    "optimizer: {type: adam, lr: 0.05}\n"
    "training: {epochs: 30, batch_size: 32}\n";

// Per-class mean of each feature: classes x features, row-major.
std::vector<double> class_means(const Dataset& data) {
  const auto classes = static_cast<std::size_t>(data.num_classes());
  const auto cols = static_cast<std::size_t>(data.features.cols);
  std::vector<double> sums(classes * cols, 0.0);
  std::vector<double> counts(classes, 0.0);
  for (std::int64_t row = 0; row < data.size(); ++row) {
    const auto k = static_cast<std::size_t>(data.labels[row]);
    counts[k] += 1.0;
    for (std::size_t d = 0; d < cols; ++d) sums[k * cols + d] += data.features.at(row, d);
  }
  for (std::size_t i = 0; i < sums.size(); ++i) sums[i] /= counts[i / cols];
  return sums;
}

}  // namespace

TEST_CASE("synthetic blobs: validation and test share the training set's centers") {
  TempDir dir("data-blobs");
  const Config config = load_config_file(dir.write("cfg.yaml", kBlobsConfig));
  REQUIRE(config.data.validation.source);
  REQUIRE(config.data.validation.source->synthetic.seed != config.data.train.synthetic.seed);
  const PreparedData data = prepare_data(config);
  REQUIRE(data.test);
  // The samples differ per role...
  CHECK(data.validation.features.values != data.train.features.values);
  CHECK(data.test->features.values != data.validation.features.values);
  // ...but each class sits around the same center: 100 points of spread 0.3 put a class
  // mean within about 0.03 of its center, while centers are drawn over [-5, 5].
  const std::vector<double> train = class_means(data.train);
  const std::vector<double> validation = class_means(data.validation);
  const std::vector<double> test = class_means(*data.test);
  for (std::size_t i = 0; i < train.size(); ++i) {
    CHECK(std::abs(validation[i] - train[i]) < 0.15);
    CHECK(std::abs(test[i] - train[i]) < 0.15);
  }
}

TEST_CASE("synthetic blobs: centers follow the centers seed and not the sample seed") {
  SyntheticSpec spec;
  spec.generator = "blobs";
  spec.seed = 11;
  SyntheticSpec other = spec;
  other.seed = 12;
  CHECK(blob_centers(other, spec.seed).values == blob_centers(spec).values);
  CHECK(blob_centers(other).values != blob_centers(spec).values);
  // The one-argument forms keep using spec.seed, so training data is unchanged.
  CHECK(generate_synthetic(spec).features.values ==
        generate_synthetic(spec, spec.seed).features.values);
  CHECK(generate_synthetic(other, spec.seed).features.values !=
        generate_synthetic(spec).features.values);
}

TEST_CASE("synthetic blobs: a trained model's test error is close to its validation error") {
  TempDir dir("cli-blobs");
  const std::string config = dir.write("cfg.yaml", kBlobsConfig);
  const std::string run = dir.file("run");
  const CommandResult r = run_nnrun("train " + config + " -q --run-dir " + run);
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  const CommandResult val = run_nnrun("eval " + run + "/best.ckpt --split val --json");
  const CommandResult test = run_nnrun("eval " + run + "/best.ckpt --split test --json");
  REQUIRE_MESSAGE(val.exit_code == 0, val.output);
  REQUIRE_MESSAGE(test.exit_code == 0, test.output);
  const double val_accuracy = json_value(val.output, "accuracy");
  const double test_accuracy = json_value(test.output, "accuracy");
  CHECK(val_accuracy >= 0.9);
  CHECK(std::abs(test_accuracy - val_accuracy) <= 0.05);
}
