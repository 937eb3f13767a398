// A stray label in the training idx labels file (200 among 0..2) is reported at that file
// with its value, not as a model width problem.
#include <doctest/doctest.h>

#include <string>

#include "core/config/config_loader.hpp"
#include "core/errors.hpp"
#include "core/train/data_pipeline.hpp"
#include "tests/cli_runner.hpp"
#include "tests/idx_fixtures.hpp"
#include "tests/temp_dir.hpp"

using namespace nnrun;
using namespace nnrun::testing;

namespace {

std::string write_config(const TempDir& dir, const std::string& extra = "") {
  dir.write("images.idx", idx::image_file(8, 2, 2));
  dir.write("labels.idx", idx::label_file({0, 1, 2, 200, 1, 0, 2, 1}));
  return dir.write("cfg.yaml",
                   "data:\n"
                   "  train: {format: idx, images: images.idx, labels: labels.idx}\n"
                   "  validation: {split: 0.25, stratify: false}\n" +
                       extra +
                       "model:\n"
                       "  layers:\n"
                       "    - dense: {units: 3}\n");
}

std::string prepare_error(const std::string& config_path) {
  try {
    prepare_data(load_config_file(config_path));
  } catch (const InputError& error) {
    return error.what();
  }
  return "<no error>";
}

}  // namespace

TEST_CASE("idx labels: an out-of-range training label names the labels file and the value") {
  TempDir dir("data-idx-labels");
  const std::string message = prepare_error(write_config(dir));
  CHECK_MESSAGE(message.find(dir.file("labels.idx")) != std::string::npos, message);
  CHECK_MESSAGE(message.find("largest label is 200") != std::string::npos, message);
  CHECK_MESSAGE(message.find("data.train.labels") != std::string::npos, message);

  const std::string named = prepare_error(write_config(dir, "  class_names: [a, b, c]\n"));
  CHECK_MESSAGE(named.find(dir.file("labels.idx")) != std::string::npos, named);
  CHECK_MESSAGE(named.find("largest label is 200") != std::string::npos, named);

  const CommandResult check = run_nnrun("check " + write_config(dir));
  CHECK(check.exit_code == 2);
  CHECK_MESSAGE(check.output.find("labels.idx: largest label is 200") != std::string::npos,
                check.output);
}

TEST_CASE("idx images: validation and test images must have the training images' shape") {
  TempDir dir("data-idx-shape");
  dir.write("train.idx", idx::image_file(8, 4, 4));
  dir.write("train-labels.idx", idx::label_file({0, 1, 2, 0, 1, 2, 0, 1}));
  dir.write("flat.idx", idx::image_file(4, 8, 2));  // 16 pixels too, in another shape
  dir.write("square.idx", idx::image_file(4, 4, 4));
  dir.write("labels4.idx", idx::label_file({0, 1, 2, 0}));
  const auto config = [&](const std::string& images) {
    return dir.write("cfg.yaml",
                     "data:\n"
                     "  train: {format: idx, images: train.idx, labels: "
                     "train-labels.idx}\n"
                     "  validation: {format: idx, images: " +
                         images +
                         ", labels: labels4.idx}\n"
                         "model:\n"
                         "  layers:\n"
                         "    - dense: {units: 3}\n");
  };
  const std::string message = prepare_error(config("flat.idx"));
  CHECK_MESSAGE(message.find("data.validation") != std::string::npos, message);
  CHECK_MESSAGE(message.find("8x2 images but the training data 4x4") != std::string::npos, message);
  CHECK(prepare_error(config("square.idx")) == "<no error>");
}
