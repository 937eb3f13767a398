// End-to-end through the binary: train the shipped Iris configs, check the run directory,
// that eval reproduces the best epoch's logged metrics, and that runs are reproducible.
#include <doctest/doctest.h>

#include <cstdlib>
#include <thread>

#include "tests/cli_runner.hpp"

using namespace nnrun::testing;

namespace {

struct MetricsRow {
  std::vector<std::string> fields;  // as written in metrics.csv
  double val_error() const { return std::strtod(fields.at(4).c_str(), nullptr); }
};

std::vector<MetricsRow> read_metrics(const std::string& path) {
  const std::vector<std::string> lines = split(read_file(path), '\n');
  REQUIRE(!lines.empty());
  CHECK(lines[0] == "epoch,train_loss,train_error,val_loss,val_error,lr,seconds");
  std::vector<MetricsRow> rows;
  for (std::size_t i = 1; i < lines.size(); ++i) rows.push_back({split(lines[i], ',')});
  return rows;
}

}  // namespace

TEST_CASE("train iris: run directory / accuracy / eval reproduces the best epoch") {
  TempDir dir("train-iris");
  const std::string run = dir.file("run");
  const CommandResult r =
      run_nnrun("train " + source_path("configs/iris.yaml") + " --quiet --run-dir " + run);
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(r.output.empty());  // --quiet
  for (const char* f :
       {"config.yaml", "metrics.csv", "train.log", "summary.json", "best.ckpt", "last.ckpt"})
    CHECK_MESSAGE(std::filesystem::exists(run + "/" + f), f);

  const std::vector<MetricsRow> rows = read_metrics(run + "/metrics.csv");
  REQUIRE(rows.size() >= 10);
  const std::string summary = read_file(run + "/summary.json");
  const int best_epoch = static_cast<int>(json_value(summary, "best_epoch"));
  REQUIRE(best_epoch >= 1);
  REQUIRE(best_epoch <= static_cast<int>(rows.size()));
  const MetricsRow& best = rows[best_epoch - 1];
  CHECK(best.fields[0] == std::to_string(best_epoch));
  CHECK(1.0 - best.val_error() >= 0.95);

  const CommandResult eval = run_nnrun("eval " + run + "/best.ckpt --json");
  REQUIRE_MESSAGE(eval.exit_code == 0, eval.output);
  char expected_loss[32], expected_error[32];
  std::snprintf(expected_loss, sizeof expected_loss, "%.8g", json_value(eval.output, "loss"));
  std::snprintf(expected_error, sizeof expected_error, "%.8g", json_value(eval.output, "error"));
  CHECK(best.fields[3] == expected_loss);
  CHECK(best.fields[4] == expected_error);
  CHECK(json_value(eval.output, "samples") == 30);

  const CommandResult text = run_nnrun("eval " + run + "/best.ckpt");
  CHECK(text.exit_code == 0);
  CHECK(text.output.find("loss       " + best.fields[3]) != std::string::npos);
}

TEST_CASE("train iris: the same command twice gives identical metrics.csv (but seconds)") {
  TempDir dir("train-determinism");
  const std::string config = source_path("configs/iris.yaml");
  REQUIRE(run_nnrun("train " + config + " -q --epochs 30 --run-dir " + dir.file("a")).exit_code ==
          0);
  REQUIRE(run_nnrun("train " + config + " -q --epochs 30 --run-dir " + dir.file("b")).exit_code ==
          0);
  const std::string a = metrics_without_seconds(dir.file("a"));
  CHECK(split(a, '\n').size() == 31);
  CHECK(a == metrics_without_seconds(dir.file("b")));
  // A different seed gives a different run.
  REQUIRE(run_nnrun("train " + config + " -q --epochs 30 --seed 7 --run-dir " + dir.file("c"))
              .exit_code == 0);
  CHECK(a != metrics_without_seconds(dir.file("c")));
}

TEST_CASE("train iris_linear: the single-layer network reaches 0.90") {
  TempDir dir("train-linear");
  const std::string run = dir.file("run");
  const CommandResult r =
      run_nnrun("train " + source_path("configs/iris_linear.yaml") + " -q --run-dir " + run);
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  const std::string eval = run_nnrun("eval " + run + "/best.ckpt --json").output;
  CHECK(json_value(eval, "accuracy") >= 0.90);
}

TEST_CASE("check prints the layer table with parameter counts") {
  const CommandResult r = run_nnrun("check " + source_path("configs/iris.yaml"));
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(r.output.find("total") != std::string::npos);
  CHECK(r.output.find("4 features, 3 classes") != std::string::npos);
}

TEST_CASE("train: a batch_size above the training set size is noted in train.log") {
  TempDir dir("train-big-batch");
  const std::string config = source_path("configs/iris.yaml");
  const std::string big = dir.file("big"), usual = dir.file("usual");
  REQUIRE(
      run_nnrun("train " + config + " -q --epochs 2 --set training.batch_size=500 --run-dir " + big)
          .exit_code == 0);
  CHECK(read_file(big + "/train.log")
            .find("note: batch_size 500 is larger than the 120 training samples") !=
        std::string::npos);
  REQUIRE(run_nnrun("train " + config + " -q --epochs 2 --run-dir " + usual).exit_code == 0);
  CHECK(read_file(usual + "/train.log").find("note: batch_size") == std::string::npos);
}

TEST_CASE("train: more threads than CPUs is noted in train.log") {
  TempDir dir("train-many-threads");
  const unsigned cpus = std::thread::hardware_concurrency();
  if (cpus == 0) return;  // unknown here: nnrun cannot tell either
  const std::string run = dir.file("run");
  REQUIRE(run_nnrun("train " + source_path("configs/iris.yaml") + " -q --epochs 1 --threads " +
                    std::to_string(cpus + 1) + " --run-dir " + run)
              .exit_code == 0);
  CHECK(read_file(run + "/train.log")
            .find("note: threads " + std::to_string(cpus + 1) + " is more than the " +
                  std::to_string(cpus) + " CPUs") != std::string::npos);
  const std::string fitting = dir.file("fitting");
  REQUIRE(run_nnrun("train " + source_path("configs/iris.yaml") + " -q --epochs 1 --threads " +
                    std::to_string(cpus) + " --run-dir " + fitting)
              .exit_code == 0);
  CHECK(read_file(fitting + "/train.log").find("note: threads") == std::string::npos);
}

TEST_CASE("train: settings that cannot take effect within the epochs are noted in train.log") {
  TempDir dir("train-unreachable");
  const std::string config = source_path("configs/iris.yaml");
  const std::string late = dir.file("late"), usual = dir.file("usual");
  REQUIRE(run_nnrun("train " + config +
                    " -q --epochs 3 --set early_stopping.start_from_epoch=3"
                    " --set checkpoint.every_n_epochs=4 --run-dir " +
                    late)
              .exit_code == 0);
  const std::string log = read_file(late + "/train.log");
  CHECK(log.find("note: early_stopping.start_from_epoch 3 leaves none of the 3 epochs") !=
        std::string::npos);
  CHECK(log.find("note: checkpoint.every_n_epochs 4 is more than the 3 epochs") !=
        std::string::npos);
  REQUIRE(run_nnrun("train " + config + " -q --epochs 3 --set checkpoint.every_n_epochs=3" +
                    " --run-dir " + usual)
              .exit_code == 0);
  CHECK(read_file(usual + "/train.log").find("note: ") == std::string::npos);
}
