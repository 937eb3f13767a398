// Resume details: restore_best's weights in no file, config.yaml kept current.
//
// After a resume, restore_best's weights can be in no file (best.ckpt keeps the best by
// checkpoint.monitor, which here differs from early_stopping.monitor): the run must say that
// its final model is the last epoch's instead of ending silently unlike an uninterrupted run.
#include <doctest/doctest.h>

#include "tests/cli_runner.hpp"

using namespace nnrun::testing;

TEST_CASE("resume: restore_best weights in no checkpoint are reported and not silently dropped") {
  TempDir dir("resume-restore-note");
  const std::string run = dir.file("run");
  const std::string common = " --set checkpoint.monitor=val_error --threads 1";
  const CommandResult first = run_nnrun("train " + source_path("configs/iris.yaml") + common +
                                        " -q --epochs 110 --run-dir " + run);
  REQUIRE_MESSAGE(first.exit_code == 0, first.output);
  const CommandResult resumed = run_nnrun("train " + source_path("configs/iris.yaml") + common +
                                          " --resume " + run + "/last.ckpt");
  REQUIRE_MESSAGE(resumed.exit_code == 0, resumed.output);
  // configs/iris.yaml early-stops on val_loss (patience 30) after epoch 110 with its best
  // epoch before 110: the best weights by val_loss predate the resumed process.
  REQUIRE(resumed.output.find("stopped: early stopping") != std::string::npos);
  CHECK_MESSAGE(
      resumed.output.find("note: restore_best: the best weights by val_loss") != std::string::npos,
      resumed.output);
  CHECK(resumed.output.find("final model (last epoch") != std::string::npos);
  CHECK(read_file(run + "/train.log").find("note: restore_best") != std::string::npos);
}

TEST_CASE("resume: config.yaml becomes the resumed run's config") {
  TempDir dir("resume-config-yaml");
  const std::string run = dir.file("run");
  const std::string config = source_path("configs/iris.yaml");
  REQUIRE(run_nnrun("train " + config + " -q --threads 1 --epochs 3 --run-dir " + run).exit_code ==
          0);
  CHECK(read_file(run + "/config.yaml").find("epochs: 3\n") != std::string::npos);
  const CommandResult resumed =
      run_nnrun("train " + config + " -q --threads 1 --epochs 5 --resume " + run + "/last.ckpt");
  REQUIRE_MESSAGE(resumed.exit_code == 0, resumed.output);
  CHECK(read_file(run + "/config.yaml").find("epochs: 5\n") != std::string::npos);
}
