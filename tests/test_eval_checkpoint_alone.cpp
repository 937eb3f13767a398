// `eval` on data that does not derive from the training file (--data, the run's data.test)
// needs the checkpoint alone, and reads the label column by the training file's name.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "core/checkpoint/checkpoint.hpp"
#include "core/config/config_loader.hpp"
#include "core/train/data_pipeline.hpp"
#include "tests/cli_runner.hpp"

using namespace nnrun;
using namespace nnrun::testing;

namespace {

// y = 2a - b + noise-free, as a CSV with the label last (the default label column).
std::string regression_rows(bool label_first) {
  std::string out = label_first ? "y,b,a\n" : "a,b,y\n";
  for (int i = 0; i < 40; ++i) {
    const double a = 0.1 * i, b = 0.05 * (i % 7), y = 2 * a - b;
    out += label_first ? std::to_string(y) + "," + std::to_string(b) + "," + std::to_string(a)
                       : std::to_string(a) + "," + std::to_string(b) + "," + std::to_string(y);
    out += "\n";
  }
  return out;
}

std::string regression_config(const TempDir& dir) {
  dir.write("train.csv", regression_rows(false));
  dir.write("test.csv", regression_rows(false));
  return dir.write("reg.yaml",
                   "data:\n"
                   "  train: {path: train.csv}\n"
                   "  test: {path: test.csv}\n"
                   "model:\n"
                   "  layers:\n"
                   "    - dense: {units: 1}\n"
                   "loss: mse\n"
                   "training: {epochs: 5, batch_size: 8}\n");
}

}  // namespace

TEST_CASE("eval --data and --split test work after the training file is gone") {
  TempDir dir("eval-alone");
  const std::string run = dir.file("run");
  REQUIRE(run_nnrun("train " + regression_config(dir) + " -q --run-dir " + run).exit_code == 0);
  const CommandResult before = run_nnrun("eval " + run + "/best.ckpt --json --split test");
  REQUIRE_MESSAGE(before.exit_code == 0, before.output);

  std::filesystem::remove(dir.file("train.csv"));
  const CommandResult test = run_nnrun("eval " + run + "/best.ckpt --json --split test");
  REQUIRE_MESSAGE(test.exit_code == 0, test.output);
  CHECK(json_value(test.output, "loss") == json_value(before.output, "loss"));
  const CommandResult data =
      run_nnrun("eval " + run + "/best.ckpt --json --data " + dir.file("test.csv"));
  REQUIRE_MESSAGE(data.exit_code == 0, data.output);
  CHECK(json_value(data.output, "loss") == json_value(before.output, "loss"));

  // The validation split is drawn from the training file: that one still needs it, and says so.
  const CommandResult val = run_nnrun("eval " + run + "/best.ckpt --split val");
  CHECK(val.exit_code == 2);
  CHECK_MESSAGE(val.output.find("train.csv") != std::string::npos, val.output);
}

TEST_CASE("eval --data finds the default label column by its training name in a reordered file") {
  TempDir dir("eval-label-name");
  const std::string run = dir.file("run");
  REQUIRE(run_nnrun("train " + regression_config(dir) + " -q --run-dir " + run).exit_code == 0);
  CHECK(load_checkpoint(run + "/best.ckpt").label_column == "y");
  const CommandResult same =
      run_nnrun("eval " + run + "/best.ckpt --json --data " + dir.file("test.csv"));
  // y first: the last column is now a feature, which must not be taken for the target.
  const CommandResult moved = run_nnrun("eval " + run + "/best.ckpt --json --data " +
                                        dir.write("moved.csv", regression_rows(true)));
  REQUIRE_MESSAGE(same.exit_code == 0, same.output);
  REQUIRE_MESSAGE(moved.exit_code == 0, moved.output);
  CHECK(json_value(moved.output, "loss") == json_value(same.output, "loss"));
}

TEST_CASE("a validation CSV that names no label takes the training file's label column") {
  TempDir dir("val-label-name");
  dir.write("train.csv", "a,b,y\n1,2,p\n3,4,q\n5,6,p\n7,8,q\n");
  dir.write("val.csv", "y,b,a\nq,20,10\np,40,30\n");
  const std::string config = dir.write("cfg.yaml",
                                       "data:\n"
                                       "  train: {path: train.csv}\n"
                                       "  validation: {format: csv, path: val.csv}\n"
                                       "  normalize: none\n"
                                       "model:\n"
                                       "  layers:\n"
                                       "    - dense: {units: 2}\n");
  const PreparedData data = prepare_data(load_config_file(config));
  CHECK(data.validation.features.values == std::vector<float>{10.0f, 20.0f, 30.0f, 40.0f});
  CHECK(data.validation.labels == std::vector<std::int32_t>{1, 0});
}

TEST_CASE("checkpoint label_column is written when known and optional when read") {
  Checkpoint c;
  c.nnrun_version = "test";
  c.backend = "cpu";
  c.input_width = 1;
  c.feature_names = {"a"};
  c.class_names = {"p", "q"};
  c.label_column = "kind of thing";
  CHECK(parse_checkpoint(serialize_checkpoint(c), "mem").label_column == "kind of thing");
  c.label_column.clear();
  const std::string without = serialize_checkpoint(c);
  CHECK(without.find("label_column") == std::string::npos);
  CHECK(parse_checkpoint(without, "mem").label_column.empty());
}

TEST_CASE("eval --data requires the label column that the training config named") {
  TempDir dir("eval-label-named");
  const std::string run = dir.file("run");
  REQUIRE(run_nnrun("train " + source_path("configs/iris.yaml") + " -q --epochs 2 --run-dir " + run)
              .exit_code == 0);
  // iris.yaml names `label: species`; a file whose label column is called otherwise (its last
  // column an id) must not be read with that id as the label.
  const std::string renamed = dir.write(
      "renamed.csv",
      "sepal_length,sepal_width,petal_length,petal_width,variety,id\n5.1,3.5,1.4,0.2,setosa,1\n");
  const CommandResult r = run_nnrun("eval " + run + "/best.ckpt --data " + renamed);
  CHECK(r.exit_code == 2);
  CHECK_MESSAGE(r.output.find("no column 'species'") != std::string::npos, r.output);
}
