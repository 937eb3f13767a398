// Validation, test and `eval --data` CSV files are matched to the training CSV by column
// name, not by position: reordered columns are put back in the training order, a missing
// column is an error naming the file and the column.
#include <doctest/doctest.h>

#include <string>

#include "core/config/config_loader.hpp"
#include "core/errors.hpp"
#include "core/train/data_pipeline.hpp"
#include "tests/cli_runner.hpp"
#include "tests/temp_dir.hpp"

using namespace nnrun;
using namespace nnrun::testing;

namespace {

// Training columns a, b, c; label y. No normalization, so features stay as written.
std::string config_with(const TempDir& dir, const std::string& extra_data) {
  dir.write("train.csv", "a,b,c,y\n1,2,3,p\n4,5,6,q\n7,8,9,p\n10,11,12,q\n");
  return dir.write("cfg.yaml",
                   "data:\n"
                   "  train: {path: train.csv, label: y}\n" +
                       extra_data +
                       "  normalize: none\n"
                       "model:\n"
                       "  layers:\n"
                       "    - dense: {units: 2}\n");
}

std::string prepare_error(const std::string& config_path) {
  try {
    prepare_data(load_config_file(config_path));
  } catch (const InputError& error) {
    return error.what();
  }
  FAIL("expected prepare_data to throw");
  return {};
}

}  // namespace

TEST_CASE("data columns: a validation CSV with reordered columns is matched by name") {
  TempDir dir("data-columns");
  dir.write("val.csv", "y,c,a,b\np,30,10,20\nq,60,40,50\n");
  const PreparedData data = prepare_data(
      load_config_file(config_with(dir, "  validation: {format: csv, path: val.csv, label: y}\n")));
  REQUIRE(data.validation.features.cols == 3);
  CHECK(data.validation.feature_names == std::vector<std::string>{"a", "b", "c"});
  CHECK(data.validation.features.values ==
        std::vector<float>{10.0f, 20.0f, 30.0f, 40.0f, 50.0f, 60.0f});
  CHECK(data.validation.labels == std::vector<std::int32_t>{0, 1});
}

TEST_CASE("data columns: a test CSV with an extra column keeps only the training columns") {
  TempDir dir("data-columns");
  dir.write("test.csv", "c,extra,b,a,y\n3,99,2,1,q\n");
  const PreparedData data = prepare_data(
      load_config_file(config_with(dir, "  test: {format: csv, path: test.csv, label: y}\n")));
  REQUIRE(data.test);
  CHECK(data.test->features.values == std::vector<float>{1.0f, 2.0f, 3.0f});
}

TEST_CASE("data columns: a missing column is an error naming the file and the column") {
  TempDir dir("data-columns");
  // Same width as the training set, but 'b' is called 'B': position alone would accept it.
  const std::string val = dir.write("val.csv", "a,B,c,y\n1,2,3,p\n");
  const std::string message =
      prepare_error(config_with(dir, "  validation: {format: csv, path: val.csv, label: y}\n"));
  CHECK_MESSAGE(message.find("data.validation") != std::string::npos, message);
  CHECK_MESSAGE(message.find(val) != std::string::npos, message);
  CHECK_MESSAGE(message.find("no column 'b'") != std::string::npos, message);
  CHECK_MESSAGE(message.find("'a', 'b', 'c'") != std::string::npos, message);

  dir.write("test.csv", "a,c,y\n1,3,p\n");
  const std::string test_message =
      prepare_error(config_with(dir, "  test: {format: csv, path: test.csv, label: y}\n"));
  CHECK_MESSAGE(test_message.find("data.test") != std::string::npos, test_message);
  CHECK_MESSAGE(test_message.find("no column 'b'") != std::string::npos, test_message);
}

TEST_CASE("data columns: eval --data with reordered columns gives the same metrics") {
  TempDir dir("cli-eval-columns");
  const std::string run = dir.file("run");
  REQUIRE(
      run_nnrun("train " + source_path("configs/iris.yaml") + " -q --epochs 10 --run-dir " + run)
          .exit_code == 0);
  // iris.csv: sepal_length,sepal_width,petal_length,petal_width,species. Write the first 20
  // rows of each species as-is and with the columns reversed.
  const std::vector<std::string> lines = split(read_file(source_path("datasets/iris.csv")), '\n');
  const auto reversed = [](const std::string& line) {
    const std::vector<std::string> cells = split(line, ',');
    std::string out;
    for (auto it = cells.rbegin(); it != cells.rend(); ++it) out += (out.empty() ? "" : ",") + *it;
    return out + "\n";
  };
  std::string same = lines[0] + "\n";
  std::string swapped = reversed(lines[0]);
  for (int species = 0; species < 3; ++species) {
    for (int i = 1; i <= 20; ++i) {
      same += lines[species * 50 + i] + "\n";
      swapped += reversed(lines[species * 50 + i]);
    }
  }
  const CommandResult a =
      run_nnrun("eval " + run + "/best.ckpt --json --data " + dir.write("same.csv", same));
  const CommandResult b =
      run_nnrun("eval " + run + "/best.ckpt --json --data " + dir.write("swapped.csv", swapped));
  REQUIRE_MESSAGE(a.exit_code == 0, a.output);
  REQUIRE_MESSAGE(b.exit_code == 0, b.output);
  CHECK(json_value(b.output, "loss") == json_value(a.output, "loss"));
  CHECK(json_value(b.output, "accuracy") == json_value(a.output, "accuracy"));

  const std::string renamed = dir.write(
      "renamed.csv", "sepal_length,sepal_width,petal_len,petal_width,species\n1,2,3,4,setosa\n");
  const CommandResult bad = run_nnrun("eval " + run + "/best.ckpt --data " + renamed);
  CHECK(bad.exit_code == 2);
  CHECK_MESSAGE(bad.output.find("no column 'petal_length'") != std::string::npos, bad.output);
  CHECK_MESSAGE(bad.output.find(renamed) != std::string::npos, bad.output);
}
