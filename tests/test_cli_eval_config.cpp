// eval's data options. `--config FILE`: the data section comes from FILE (its paths relative
// to FILE), everything that shaped the model stays the checkpoint's. `--data`: its errors
// quote what was typed.
#include <doctest/doctest.h>

#include <limits>
#include <tuple>

#include "core/checkpoint/checkpoint.hpp"
#include "core/errors.hpp"
#include "core/train/snapshot.hpp"
#include "tests/cli_runner.hpp"

using namespace nnrun::testing;

namespace {

// A config in its own folder, next to its own copy of the Iris data; its model section is
// deliberately unlike the run's (eval must not build it).
std::string other_config(const TempDir& dir, const std::string& normalize) {
  dir.write("other/iris.csv", read_file(source_path("datasets/iris.csv")));
  return dir.write("other/eval.yaml",
                   "data:\n"
                   "  train: {format: csv, path: iris.csv, label: species}\n"
                   "  validation: {split: 0.2, stratify: true}\n"
                   "  test: {format: csv, path: iris.csv, label: species}\n"
                   "  normalize: " +
                       normalize +
                       "\n"
                       "model:\n"
                       "  layers: [{dense: {units: 99}}, {dense: {units: 3}}]\n");
}

}  // namespace

TEST_CASE("eval --config: takes the data from that file and keeps the run's model and split") {
  TempDir dir("eval-config");
  const std::string run = dir.file("run");
  const CommandResult trained = run_nnrun("train " + source_path("configs/iris.yaml") +
                                          " -q --epochs 5 --seed 7 --run-dir " + run);
  REQUIRE_MESSAGE(trained.exit_code == 0, trained.output);
  const std::string ckpt = run + "/best.ckpt";

  // The run's config has no test set: --split test needs --config (or --data).
  const CommandResult no_test = run_nnrun("eval " + ckpt + " --split test");
  CHECK(no_test.exit_code == 2);

  const std::string config = other_config(dir, "standard");
  const CommandResult test =
      run_nnrun("eval " + ckpt + " --config " + config + " --split test --json");
  REQUIRE_MESSAGE(test.exit_code == 0, test.output);
  CHECK(json_value(test.output, "samples") == 150);
  // The same 150 rows through --data give the same loss: the file's test set was used.
  const CommandResult data =
      run_nnrun("eval " + ckpt + " --data " + dir.file("other/iris.csv") + " --json");
  REQUIRE_MESSAGE(data.exit_code == 0, data.output);
  CHECK(json_value(test.output, "loss") == json_value(data.output, "loss"));

  // Same data and the run's seed (7; the file has none, so 42 by default): --split val is
  // the run's own validation set.
  const CommandResult val_stored = run_nnrun("eval " + ckpt + " --json");
  const CommandResult val_config = run_nnrun("eval " + ckpt + " --config " + config + " --json");
  REQUIRE_MESSAGE(val_config.exit_code == 0, val_config.output);
  CHECK(json_value(val_config.output, "loss") == json_value(val_stored.output, "loss"));
  CHECK(json_value(val_config.output, "samples") == 30);
}

TEST_CASE("eval --config: a normalize unlike the run's or a missing file is an error") {
  TempDir dir("eval-config-bad");
  const std::string run = dir.file("run");
  REQUIRE(run_nnrun("train " + source_path("configs/iris.yaml") + " -q --epochs 2 --run-dir " + run)
              .exit_code == 0);
  const std::string config = other_config(dir, "minmax");
  const CommandResult minmax = run_nnrun("eval " + run + "/best.ckpt --config " + config);
  CHECK(minmax.exit_code == 2);
  CHECK_MESSAGE(minmax.output.find("eval.yaml:5:") != std::string::npos, minmax.output);
  CHECK_MESSAGE(minmax.output.find("data.normalize") != std::string::npos, minmax.output);

  const CommandResult missing =
      run_nnrun("eval " + run + "/best.ckpt --config " + dir.file("none.yaml"));
  CHECK(missing.exit_code == 2);
  CHECK_MESSAGE(missing.output.find("none.yaml") != std::string::npos, missing.output);
}

TEST_CASE("eval --data errors name --data as typed and bad stored statistics name the file") {
  TempDir dir("eval-data-label");
  const std::string run = dir.file("run");
  REQUIRE(run_nnrun("train " + source_path("configs/iris.yaml") + " -q --epochs 2 --run-dir " + run)
              .exit_code == 0);
  const std::string missing = dir.file("missing.csv");
  const CommandResult r = run_nnrun("eval " + run + "/best.ckpt --data " + missing);
  CHECK(r.exit_code == 2);
  CHECK_MESSAGE(r.output.rfind("--data " + missing + ": ", 0) == 0, r.output);

  nnrun::Checkpoint c = nnrun::load_checkpoint(run + "/best.ckpt");
  for (nnrun::CheckpointTensor& t : c.tensors)
    if (t.name == "normalizer.multiplier") t.values[0] = std::numeric_limits<float>::infinity();
  try {
    nnrun::stored_normalizer(c, nnrun::Normalization::standard, "x.ckpt");
    FAIL("a non-finite multiplier was accepted");
  } catch (const nnrun::InputError& e) {
    CHECK(std::string(e.what()) == "x.ckpt: normalization statistics hold a non-finite value");
  }
}

TEST_CASE("eval --config: a training file of other columns or classes is refused") {
  TempDir dir("eval-config-columns");
  const std::string run = dir.file("run");
  REQUIRE(run_nnrun("train " + source_path("configs/iris.yaml") + " -q --epochs 2 --run-dir " + run)
              .exit_code == 0);
  // The Iris rows with their feature columns reversed, and without the setosa rows.
  std::string reordered = "petal_width,petal_length,sepal_width,sepal_length,species\n";
  std::string no_setosa;
  for (const std::string& line : split(read_file(source_path("datasets/iris.csv")), '\n')) {
    const auto f = split(line, ',');
    if (f.size() != 5) continue;
    if (f[4] != "species")
      reordered += f[3] + "," + f[2] + "," + f[1] + "," + f[0] + "," + f[4] + "\n";
    if (f[4] != "setosa") no_setosa += line + "\n";
  }
  for (const auto& [name, text, says] :
       {std::tuple{"reordered", reordered, "data.csv has the columns petal_width"},
        std::tuple{"no_setosa", no_setosa, "the classes are versicolor"}}) {
    CAPTURE(name);
    dir.write(std::string(name) + "/data.csv", text);
    const std::string config =
        dir.write(std::string(name) + "/eval.yaml",
                  "data:\n  train: {format: csv, path: data.csv, label: species}\n"
                  "  validation: {split: 0.2, stratify: true}\n  normalize: standard\n"
                  "model: {layers: [{dense: {units: 3}}]}\n");
    const CommandResult r = run_nnrun("eval " + run + "/best.ckpt --config " + config);
    CHECK(r.exit_code == 2);
    CHECK_MESSAGE(r.output.rfind(config + ":2:", 0) == 0, r.output);  // at data.train
    CHECK_MESSAGE(r.output.find(says) != std::string::npos, r.output);
    // With --data too: the config is refused first, not the --data file against it.
    const CommandResult with_data = run_nnrun("eval " + run + "/best.ckpt --config " + config +
                                              " --data " + source_path("datasets/iris.csv"));
    CHECK(with_data.exit_code == 2);
    CHECK_MESSAGE(with_data.output.find(says) != std::string::npos, with_data.output);
  }
}

TEST_CASE("eval --config: generated data is drawn with the run's seed whatever the file says") {
  TempDir dir("eval-config-seed");
  const std::string body =
      "data:\n  train: {format: synthetic, generator: blobs, samples: 90, classes: 3}\n"
      "  validation: {split: 0.2, stratify: true}\n"
      "model: {layers: [{dense: {units: 8, activation: relu}}, {dense: {units: 3}}]}\n";
  const std::string trained = dir.write("blobs.yaml", "seed: 42\n" + body);
  const std::string other_seed = dir.write("blobs_seed5.yaml", "seed: 5\n" + body);
  const std::string run = dir.file("run");
  REQUIRE(run_nnrun("train " + trained + " -q --epochs 3 --run-dir " + run).exit_code == 0);
  const CommandResult own = run_nnrun("eval " + run + "/best.ckpt --json");
  const CommandResult file = run_nnrun("eval " + run + "/best.ckpt --json --config " + other_seed);
  REQUIRE_MESSAGE(file.exit_code == 0, file.output);
  CHECK(json_value(file.output, "loss") == json_value(own.output, "loss"));
}
