// best.ckpt is the best by checkpoint.monitor in that metric's own direction: early_stopping's
// mode applies to it only when both watch the same metric.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "tests/cli_runner.hpp"

using namespace nnrun::testing;

TEST_CASE("best.ckpt minimizes val_loss even when early stopping maximizes val_accuracy") {
  TempDir dir("ckpt-monitor-mode");
  const std::string run = dir.file("run");
  const CommandResult r =
      run_nnrun("train " + source_path("configs/iris.yaml") + " -q --epochs 12 --run-dir " + run +
                " --set 'early_stopping={monitor: val_accuracy, mode: max, patience: 100}'" +
                " --set checkpoint.monitor=val_loss");
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  // The epoch with the lowest val_loss in metrics.csv (column 4).
  int lowest_epoch = 0;
  double lowest = 1e300;
  for (const std::string& line : split(read_file(run + "/metrics.csv"), '\n')) {
    const auto fields = split(line, ',');
    if (fields.size() < 4 || fields[0] == "epoch") continue;
    if (const double loss = std::strtod(fields[3].c_str(), nullptr); loss < lowest) {
      lowest = loss;
      lowest_epoch = std::atoi(fields[0].c_str());
    }
  }
  REQUIRE(lowest_epoch > 1);  // val_loss falls over these epochs: epoch 1 is its worst
  CHECK(json_value(read_file(run + "/summary.json"), "best_epoch") == lowest_epoch);
}

TEST_CASE("restore_best weights that no checkpoint holds are named as such") {
  TempDir dir("final-model-file");
  const std::string iris = source_path("configs/iris.yaml") + " -q --epochs 40 --run-dir ";
  // Early stopping by val_error, best.ckpt by val_loss: their best epochs differ on Iris.
  const CommandResult apart =
      run_nnrun("train " + iris + dir.file("apart") +
                " --set 'early_stopping={monitor: val_error, patience: 6, restore_best: true}'" +
                " --set checkpoint.monitor=val_loss");
  REQUIRE_MESSAGE(apart.exit_code == 0, apart.output);
  const std::string log = read_file(dir.file("apart/train.log"));
  CHECK_MESSAGE(
      log.find("is in no checkpoint: best.ckpt holds the best by val_loss") != std::string::npos,
      log);
  // Same monitor: best.ckpt holds the final model, and nothing is said.
  const CommandResult together =
      run_nnrun("train " + iris + dir.file("together") +
                " --set 'early_stopping={monitor: val_error, patience: 6, restore_best: true}'" +
                " --set checkpoint.monitor=val_error");
  REQUIRE_MESSAGE(together.exit_code == 0, together.output);
  CHECK(read_file(dir.file("together/train.log")).find("in no checkpoint") == std::string::npos);
}
