// End-to-end training control through the binary: early stopping at the epoch the rule
// implies with the best weights restored, divergence handling, dropout reproducibility.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>

#include "tests/cli_runner.hpp"

using namespace nnrun::testing;

namespace {

struct Row {
  int epoch;
  double val_loss, val_error;
};

std::vector<Row> read_rows(const std::string& csv_path) {
  std::vector<Row> rows;
  const std::vector<std::string> lines = split(read_file(csv_path), '\n');
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::vector<std::string> f = split(lines[i], ',');
    rows.push_back({std::atoi(f[0].c_str()), std::strtod(f[3].c_str(), nullptr),
                    std::strtod(f[4].c_str(), nullptr)});
  }
  return rows;
}

// 30 noisy points, a wide network, no regularization: it overfits, so val_loss turns up.
const char* kOverfitConfig =
    "seed: 3\n"
    "data:\n"
    "  train: {format: synthetic, generator: moons, samples: 30, noise: 0.35}\n"
    "  validation: {format: synthetic, generator: moons, samples: 300, noise: 0.35}\n"
    "model:\n  layers:\n"
    "    - dense: {units: 128, activation: relu}\n"
    "    - dense: {units: 128, activation: relu}\n"
    "    - dense: {units: 2}\n"
    "optimizer: {type: adam, lr: 0.01}\n"
    "training: {epochs: 300, batch_size: 10}\n"
    "early_stopping: {monitor: val_loss, patience: 15, min_delta: 0}\n";

}  // namespace

TEST_CASE("early stopping end to end: stops where the rule says and ends with the best weights") {
  TempDir dir("cli-es");
  const std::string config = dir.write("overfit.yaml", kOverfitConfig);
  const std::string run = dir.file("run");
  const CommandResult r = run_nnrun("train " + config + " -q --run-dir " + run);
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  const std::vector<Row> rows = read_rows(run + "/metrics.csv");
  REQUIRE(rows.size() < 300);  // it did stop early

  // Replay the rule on the logged values: best = strictly lowest val_loss so far.
  int best = 0, since = 0, stop = 0;
  double best_loss = INFINITY;
  for (const Row& row : rows) {
    if (row.val_loss < best_loss) {
      best_loss = row.val_loss;
      best = row.epoch;
      since = 0;
    } else if (++since >= 15) {
      stop = row.epoch;
      break;
    }
  }
  CHECK(stop == static_cast<int>(rows.size()));
  CHECK(stop == best + 15);
  const std::string summary = read_file(run + "/summary.json");
  CHECK(json_value(summary, "best_epoch") == best);
  CHECK(summary.find("early stopping: val_loss did not improve") != std::string::npos);
  // The model training ends with holds the best epoch's weights: its validation metrics
  // equal the ones logged for that epoch.
  const std::size_t final_at = summary.find("\"final\"");
  REQUIRE(final_at != std::string::npos);
  CHECK(json_value(summary, "val_loss", final_at) == doctest::Approx(rows[best - 1].val_loss));
  CHECK(json_value(summary, "val_error", final_at) == doctest::Approx(rows[best - 1].val_error));
}

TEST_CASE("divergence: on_nan stop exits 0 / fail exits 1 / best.ckpt stays finite") {
  TempDir dir("cli-nan");
  const std::string config = dir.write(
      "line.yaml",
      "data:\n"
      "  train: {format: synthetic, generator: line, samples: 200, x_min: -10, x_max: 10}\n"
      "  validation: {format: synthetic, generator: line, samples: 50, x_min: -10, x_max: 10}\n"
      "  normalize: none\n"
      "model:\n  layers:\n    - dense: {units: 1}\n"
      "loss: mse\n"
      "optimizer: {type: sgd, lr: 0.05}\n"  // unstable: every step overshoots 2.3-fold
      "training: {epochs: 50, batch_size: 20}\n");
  const CommandResult stop = run_nnrun("train " + config + " --run-dir " + dir.file("a"));
  CHECK(stop.exit_code == 0);
  CHECK(stop.output.find("diverged: non-finite loss in epoch") != std::string::npos);
  const std::string summary = read_file(dir.file("a/summary.json"));
  CHECK(summary.find("\"diverged\": true") != std::string::npos);
  const CommandResult eval = run_nnrun("eval " + dir.file("a/best.ckpt") + " --json");
  REQUIRE_MESSAGE(eval.exit_code == 0, eval.output);
  CHECK(std::isfinite(json_value(eval.output, "loss")));

  const CommandResult fail = run_nnrun("train " + config + " -q --set training.on_nan=fail " +
                                       "--run-dir " + dir.file("b"));
  CHECK(fail.exit_code == 1);
  CHECK(fail.output.find("diverged") != std::string::npos);
  CHECK_MESSAGE(
      fail.output.find("error: " + dir.file("b") + ": training diverged") != std::string::npos,
      fail.output);
  CHECK(run_nnrun("eval " + dir.file("b/best.ckpt")).exit_code == 0);
}

TEST_CASE("dropout runs are reproducible and evaluation is deterministic") {
  TempDir dir("cli-dropout");
  const std::string iris = source_path("datasets/iris.csv");
  auto config_with = [&](const std::string& extra_layer) {
    return "data:\n  train: {path: " + iris + ", label: species}\n" +
           "model:\n  layers:\n    - dense: {units: 32, activation: relu}\n" + extra_layer +
           "    - dense: {units: 3}\n" + "optimizer: {type: adam, lr: 0.01}\n" +
           "training: {epochs: 15, batch_size: 16}\n";
  };
  const std::string with_dropout = dir.write("d.yaml", config_with("    - dropout: {rate: 0.5}\n"));
  REQUIRE(run_nnrun("train " + with_dropout + " -q --run-dir " + dir.file("a")).exit_code == 0);
  REQUIRE(run_nnrun("train " + with_dropout + " -q --run-dir " + dir.file("b")).exit_code == 0);
  CHECK(metrics_without_seconds(dir.file("a")) == metrics_without_seconds(dir.file("b")));
  const std::string e1 = run_nnrun("eval " + dir.file("a/best.ckpt") + " --json").output;
  const std::string e2 = run_nnrun("eval " + dir.file("a/best.ckpt") + " --json").output;
  CHECK(e1 == e2);
  // Without the dropout layer the numbers differ: the layer is really there.
  const std::string without = dir.write("n.yaml", config_with(""));
  REQUIRE(run_nnrun("train " + without + " -q --run-dir " + dir.file("c")).exit_code == 0);
  CHECK(metrics_without_seconds(dir.file("a")) != metrics_without_seconds(dir.file("c")));
  // And check shows it in the layer table.
  CHECK(run_nnrun("check " + with_dropout).output.find("dropout") != std::string::npos);
}

TEST_CASE("a second run into the same directory moves the first aside") {
  TempDir dir("cli-rerun");
  const std::string args = "train " + source_path("configs/iris.yaml") + " -q --epochs 3 ";
  REQUIRE(run_nnrun(args + "--run-dir " + dir.file("run")).exit_code == 0);
  const std::string first = read_file(dir.file("run/metrics.csv"));
  REQUIRE(run_nnrun(args + "--seed 9 --run-dir " + dir.file("run")).exit_code == 0);
  CHECK(read_file(dir.file("run/previous-1/metrics.csv")) == first);
  CHECK(std::filesystem::exists(dir.file("run/previous-1/best.ckpt")));
  CHECK(read_file(dir.file("run/metrics.csv")) != first);
}

TEST_CASE("metrics.csv writes the learning rate with the losses' 8 significant digits") {
  TempDir dir("lr-digits");
  const std::string run = dir.file("run");
  // Exponential decay 0.01 * g^(epoch - 1) with a g whose powers need more than 6 digits.
  const CommandResult r =
      run_nnrun("train " + source_path("configs/iris.yaml") + " -q --epochs 3 --run-dir " + run +
                " --set 'optimizer.schedule={type: exponential, gamma: 0.987654321}'");
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  const std::vector<std::string> rows = split(read_file(run + "/metrics.csv"), '\n');
  REQUIRE(rows.size() >= 4);
  char want[32];
  std::snprintf(want, sizeof want, "%.8g", 0.01 * 0.987654321 * 0.987654321);
  CHECK(split(rows[3], ',')[5] == want);
}
