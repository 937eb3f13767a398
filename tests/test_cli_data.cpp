// End-to-end data features through the binary: synthetic sets, test splits, --data,
// data.train.limit, regression output.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>

#include "tests/cli_runner.hpp"

using namespace nnrun::testing;

namespace {}  // namespace

TEST_CASE("synthetic moons: an MLP reaches 0.95 test accuracy") {
  TempDir dir("cli-moons");
  const std::string run = dir.file("run");
  const CommandResult r =
      run_nnrun("train " + source_path("configs/moons.yaml") + " -q --epochs 60 --run-dir " + run);
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  const CommandResult eval = run_nnrun("eval " + run + "/best.ckpt --split test --json");
  REQUIRE_MESSAGE(eval.exit_code == 0, eval.output);
  CHECK(json_value(eval.output, "samples") == 1000);
  CHECK(json_value(eval.output, "accuracy") >= 0.95);
}

TEST_CASE("eval --data evaluates another CSV file of the same shape") {
  TempDir dir("cli-eval-data");
  const std::string run = dir.file("run");
  REQUIRE(
      run_nnrun("train " + source_path("configs/iris.yaml") + " -q --epochs 40 --run-dir " + run)
          .exit_code == 0);
  // The first 20 rows of each species, in a file of its own.
  const std::vector<std::string> lines = split(read_file(source_path("datasets/iris.csv")), '\n');
  std::string subset = lines[0] + "\n";
  for (int species = 0; species < 3; ++species)
    for (int i = 1; i <= 20; ++i) subset += lines[species * 50 + i] + "\n";
  const std::string csv = dir.write("subset.csv", subset);
  const CommandResult eval = run_nnrun("eval " + run + "/best.ckpt --json --data " + csv);
  REQUIRE_MESSAGE(eval.exit_code == 0, eval.output);
  CHECK(json_value(eval.output, "samples") == 60);
  CHECK(json_value(eval.output, "accuracy") >= 0.85);
  // A file with another shape is a clear error.
  const std::string narrow = dir.write("narrow.csv", "a,b,species\n1,2,setosa\n");
  const CommandResult bad = run_nnrun("eval " + run + "/best.ckpt --data " + narrow);
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("features") != std::string::npos);
  // No data.test in the config: --split test says so.
  const CommandResult no_test = run_nnrun("eval " + run + "/best.ckpt --split test");
  CHECK(no_test.exit_code == 2);
  CHECK(no_test.output.find("no data.test") != std::string::npos);
}

TEST_CASE("data.train.limit keeps a seeded subset and is checked against the data") {
  const std::string config = source_path("configs/iris.yaml");
  const CommandResult r = run_nnrun("check " + config + " --set data.train.limit=60");
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(r.output.find("data: 48 training, 12 validation samples") != std::string::npos);
  const CommandResult too_many = run_nnrun("check " + config + " --set data.train.limit=500");
  CHECK(too_many.exit_code == 2);
  CHECK(too_many.output.find("data.train.limit") != std::string::npos);
}

TEST_CASE("synthetic line regression: metrics hold the MSE and eval reports it") {
  TempDir dir("cli-line");
  const std::string config = dir.write(
      "line.yaml",
      "data:\n"
      "  train: {format: synthetic, generator: line, samples: 200, slope: 2, intercept: 1, "
      "noise: 0.1}\n"
      "  validation: {format: synthetic, generator: line, samples: 100, slope: 2, intercept: 1, "
      "noise: 0.1}\n"
      "model:\n  layers:\n    - dense: {units: 1}\n"
      "loss: mse\n"
      "optimizer: {type: adam, lr: 0.05}\n"
      "training: {epochs: 80, batch_size: 20}\n");
  const std::string run = dir.file("run");
  const CommandResult r = run_nnrun("train " + config + " -q --run-dir " + run);
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  const CommandResult eval = run_nnrun("eval " + run + "/best.ckpt --json");
  REQUIRE_MESSAGE(eval.exit_code == 0, eval.output);
  // The noise has std 0.1, so a fitted line leaves an MSE near 0.01.
  CHECK(json_value(eval.output, "mse") < 0.02);
  CHECK(json_value(eval.output, "loss") == json_value(eval.output, "mse"));
  CHECK(eval.output.find("accuracy") == std::string::npos);
  // The eval report adds the mean absolute error, which cannot exceed the RMSE.
  const double mae = json_value(eval.output, "mae");
  CHECK(mae > 0);
  CHECK(mae <= std::sqrt(json_value(eval.output, "mse")) + 1e-9);
  CHECK(eval.output.find("per_class") == std::string::npos);
  CHECK(run_nnrun("eval " + run + "/best.ckpt").output.find("mae ") != std::string::npos);
}

TEST_CASE("a classification generator with loss mse is a config error at the loss key") {
  TempDir dir("cli-mismatch");
  const std::string config = dir.write("m.yaml",
                                       "data:\n  train: {format: synthetic, generator: moons}\n"
                                       "model:\n  layers:\n    - dense: {units: 1}\nloss: mse\n");
  const CommandResult r = run_nnrun("check " + config);
  CHECK(r.exit_code == 2);
  CHECK(r.output.rfind(config + ":6:7: loss: ", 0) == 0);
}

TEST_CASE("training data with a single class is an error / evaluation data may have one") {
  TempDir dir("cli-one-class");
  dir.write("one.csv", "a,b,label\n1,2,x\n3,4,x\n5,6,x\n");
  const std::string config =
      dir.write("c.yaml",
                "data:\n  train: {path: one.csv, label: label}\nmodel:\n  layers:\n"
                "    - dense: {units: 2}\n");
  const CommandResult r = run_nnrun("check " + config);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("only one class") != std::string::npos);
  CHECK(r.output.rfind(config + ":2:", 0) == 0);
}
