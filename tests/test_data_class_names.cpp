// data.class_names name integer labels by value (label k is class_names[k]) for CSV, idx and
// synthetic data alike; with text labels, which already name their classes, it is an error.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/config/config_loader.hpp"
#include "core/errors.hpp"
#include "core/train/data_pipeline.hpp"
#include "tests/idx_fixtures.hpp"
#include "tests/temp_dir.hpp"

using namespace nnrun;
using namespace nnrun::testing;

namespace {

const char* const kNames = "  class_names: [zero, one, two, three]\n";

// train.csv and val.csv with one feature f equal to the label, so each row shows its label.
Config csv_config(const TempDir& dir, const std::string& train_labels,
                  const std::string& val_labels, const std::string& class_names = kNames) {
  const auto csv = [](const std::string& labels) {
    std::string text = "f,y\n";
    for (const char label : labels) text += std::string(1, label) + "," + label + "\n";
    return text;
  };
  dir.write("train.csv", csv(train_labels));
  dir.write("val.csv", csv(val_labels));
  return load_config_file(dir.write("cfg.yaml",
                                    "data:\n"
                                    "  train: {path: train.csv}\n"
                                    "  validation: {format: csv, path: val.csv}\n"
                                    "  normalize: none\n" +
                                        class_names +
                                        "model:\n"
                                        "  layers:\n"
                                        "    - dense: {units: 4}\n"));
}

std::string prepare_error(const Config& config) {
  try {
    prepare_data(config);
  } catch (const InputError& error) {
    return error.what();
  }
  FAIL("expected prepare_data to throw");
  return {};
}

// Each sample's label must equal its feature (written as the label's integer value).
void check_labels_are_values(const Dataset& data) {
  REQUIRE(data.labels.size() == static_cast<std::size_t>(data.size()));
  for (std::int64_t row = 0; row < data.size(); ++row)
    CHECK(data.labels[row] == static_cast<std::int32_t>(data.features.at(row, 0)));
}

}  // namespace

TEST_CASE("class_names: integer CSV labels index class_names by value") {
  TempDir dir("data-class-names");
  const PreparedData data = prepare_data(csv_config(dir, "12312313", "32"));
  CHECK(data.train.class_names == std::vector<std::string>{"zero", "one", "two", "three"});
  CHECK(data.train.num_classes() == 4);
  check_labels_are_values(data.train);
  check_labels_are_values(data.validation);
  CHECK(data.validation.class_names == data.train.class_names);
  // Label 1 is "one", not class_names[0].
  for (std::int64_t row = 0; row < data.train.size(); ++row) {
    if (data.train.features.at(row, 0) == 1.0f)
      CHECK(data.train.class_names[data.train.labels[row]] == "one");
  }
}

TEST_CASE("class_names: a validation file may hold a class the training file lacks") {
  TempDir dir("data-class-names");
  // Training labels 1-3, validation labels 0-2: label 0 ("zero") is one of the named classes.
  const PreparedData data = prepare_data(csv_config(dir, "123123", "012"));
  CHECK(data.validation.class_names == data.train.class_names);
  check_labels_are_values(data.validation);
  // A validation label beyond the names is still an error, at the validation source.
  const std::string beyond = prepare_error(csv_config(dir, "123123", "014"));
  CHECK_MESSAGE(beyond.find("data.validation") != std::string::npos, beyond);
  CHECK_MESSAGE(beyond.find("label 4") != std::string::npos, beyond);
}

TEST_CASE("class_names: a label outside 0..size-1 is an error naming the key and the label") {
  TempDir dir("data-class-names");
  const std::string too_big = prepare_error(csv_config(dir, "0124", "0"));
  CHECK_MESSAGE(too_big.find("data.class_names") != std::string::npos, too_big);
  CHECK_MESSAGE(too_big.find("label 4") != std::string::npos, too_big);

  dir.write("train.csv", "f,y\n1,-1\n2,0\n3,1\n");
  const Config negative =
      load_config_file(dir.write("neg.yaml",
                                 "data:\n"
                                 "  train: {path: train.csv}\n"
                                 "  normalize: none\n"
                                 "  validation: {split: 0.5, stratify: false}\n" +
                                     std::string(kNames) +
                                     "model:\n"
                                     "  layers:\n"
                                     "    - dense: {units: 4}\n"));
  const std::string message = prepare_error(negative);
  CHECK_MESSAGE(message.find("data.class_names") != std::string::npos, message);
  CHECK_MESSAGE(message.find("label -1") != std::string::npos, message);
}

TEST_CASE("class_names: text labels already have names") {
  TempDir dir("data-class-names");
  dir.write("train.csv", "f,y\n1,cat\n2,dog\n3,cat\n4,dog\n5,cat\n");
  const Config config = load_config_file(dir.write("cfg.yaml",
                                                   "data:\n"
                                                   "  train: {path: train.csv}\n"
                                                   "  class_names: [a, b]\n"
                                                   "model:\n"
                                                   "  layers:\n"
                                                   "    - dense: {units: 2}\n"));
  const std::string message = prepare_error(config);
  CHECK_MESSAGE(message.find("data.class_names") != std::string::npos, message);
  CHECK_MESSAGE(message.find("already name") != std::string::npos, message);
}

TEST_CASE("class_names: idx labels are already values and keep them") {
  TempDir dir("data-class-names-idx");
  dir.write("images.idx", idx::image_file(6, 2, 2));
  dir.write("labels.idx", idx::label_file({0, 2, 1, 2, 0, 1}));
  const Config config = load_config_file(
      dir.write("cfg.yaml",
                "data:\n"
                "  train: {format: idx, images: images.idx, labels: labels.idx}\n"
                "  validation: {format: idx, images: images.idx, labels: labels.idx}\n"
                "  class_names: [a, b, c, d]\n"
                "model:\n"
                "  layers:\n"
                "    - dense: {units: 4}\n"));
  const PreparedData data = prepare_data(config);
  CHECK(data.train.labels == std::vector<std::int32_t>{0, 2, 1, 2, 0, 1});
  CHECK(data.validation.labels == data.train.labels);
  CHECK(data.train.class_names == std::vector<std::string>{"a", "b", "c", "d"});
}
