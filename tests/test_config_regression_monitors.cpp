// A regression run (loss: mse) logs loss and error (its MSE) but no accuracy: a monitor
// of accuracy would never see a value, so it is a config error at the monitor's key.
#include <doctest/doctest.h>

#include "tests/cli_runner.hpp"
#include "tests/config_fixtures.hpp"

namespace nnrun::testing {
namespace {

const char* const kRegression =
    "data:\n"
    "  train: {format: synthetic, generator: line, samples: 40}\n"
    "model:\n"
    "  layers:\n"
    "    - dense: {units: 1}\n"
    "loss: mse\n";

TEST_CASE("regression monitors: accuracy is rejected at early_stopping / checkpoint / plateau") {
  TempDir dir;
  const std::string file = dir.file("cfg.yaml");
  const std::string regression(kRegression);
  CHECK(config_error(dir, regression + "early_stopping: {monitor: val_accuracy}\n") ==
        file +
            ":7:27: early_stopping.monitor: val_accuracy is not logged for regression (loss: "
            "mse); use val_loss or val_error (the MSE)");
  CHECK(config_error(dir, regression + "checkpoint:\n  monitor: train_accuracy\n") ==
        file +
            ":8:12: checkpoint.monitor: train_accuracy is not logged for regression (loss: mse); "
            "use train_loss or train_error (the MSE)");
  CHECK(config_error(dir, regression,
                     {"optimizer.schedule={type: plateau, monitor: val_accuracy}"}) ==
        "--set optimizer.schedule={type: plateau, monitor: val_accuracy}: "
        "optimizer.schedule.monitor: val_accuracy is not logged for regression (loss: mse); use "
        "val_loss or val_error (the MSE)");
}

TEST_CASE("regression monitors: loss and error are fine / accuracy is fine for classification") {
  TempDir dir;
  const std::string regression(kRegression);
  for (const char* metric : {"val_loss", "val_error", "train_loss", "train_error"}) {
    CAPTURE(metric);
    const Config cfg = load_config_file(
        dir.write("ok.yaml", regression + "early_stopping: {monitor: " + metric + "}\n"));
    CHECK(cfg.early_stopping.monitor == metric);
    CHECK(cfg.checkpoint.monitor == metric);
  }
  const Config classification = load_config_file(dir.write(
      "cls.yaml", std::string(kMinimalConfig) + "early_stopping: {monitor: val_accuracy}\n"));
  CHECK(classification.early_stopping.monitor == "val_accuracy");
}

TEST_CASE("cli: train of a regression config monitoring val_accuracy exits 2 before training") {
  TempDir dir;
  const std::string path =
      dir.write("cfg.yaml", std::string(kRegression) + "training: {epochs: 2}\n");
  const CommandResult r = run_nnrun("train " + path + " --run-dir " + dir.file("run") +
                                    " --set early_stopping.monitor=val_accuracy");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("early_stopping.monitor: val_accuracy is not logged for regression") !=
        std::string::npos);
  CHECK(!std::filesystem::exists(dir.file("run")));
}

}  // namespace
}  // namespace nnrun::testing
