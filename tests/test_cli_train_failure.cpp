// How a run ends when something around it fails. A checkpoint that cannot be written: exit 1
// and the error both on the console and in train.log (which holds everything the console
// showed). A closed stdout: the run goes on to its end.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>

#include "core/checkpoint/checkpoint.hpp"
#include "tests/cli_runner.hpp"

using namespace nnrun::testing;

TEST_CASE("train: the error that ends a run is the last line of train.log too") {
  TempDir dir("train-failure");
  const std::string run = dir.file("run");
  std::filesystem::create_directories(run + "/epoch-2.ckpt/in-the-way");
  const CommandResult r = run_nnrun("train " + source_path("configs/iris.yaml") + " --run-dir " +
                                    run + " --set checkpoint.every_n_epochs=1 --epochs 3");
  CHECK(r.exit_code == 1);
  const std::string error = "error: " + run + "/epoch-2.ckpt: cannot save";
  CHECK_MESSAGE(r.output.find(error) != std::string::npos, r.output);
  const std::string log = read_file(run + "/train.log");
  CHECK(log.find("epoch 1 ") != std::string::npos);
  const std::size_t last_line = log.rfind('\n', log.size() - 2);
  CHECK_MESSAGE(log.compare(last_line + 1, error.size(), error) == 0, log);
}

TEST_CASE("train: a closed stdout does not end the run") {
  TempDir dir("train-closed-stdout");
  const std::string run = dir.file("run");
  // `head -1` closes the pipe after the first line; every later console line hits it.
  const std::string command = "bash -c '" + std::string(NNRUN_BINARY) + " train " +
                              source_path("configs/iris.yaml") + " --epochs 60 --run-dir " + run +
                              " | head -1 >/dev/null; exit ${PIPESTATUS[0]}'";
  const int status = std::system(command.c_str());
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  const std::string summary = read_file(run + "/summary.json");
  CHECK(summary.find("\"epochs_run\": ") != std::string::npos);
  CHECK(read_file(run + "/train.log").find("final model") != std::string::npos);
}

TEST_CASE("train: a resumed run that fails leaves its own failed summary") {
  TempDir dir("resume-failure");
  const std::string run = dir.file("run");
  const std::string config = source_path("configs/iris.yaml");
  const std::string every = " --set checkpoint.every_n_epochs=1";
  REQUIRE(run_nnrun("train " + config + " -q --epochs 2 --run-dir " + run + every).exit_code == 0);
  REQUIRE(std::filesystem::exists(run + "/summary.json"));
  std::filesystem::create_directories(run + "/epoch-3.ckpt/in-the-way");
  const CommandResult r =
      run_nnrun("train " + config + " -q --epochs 4 --resume " + run + "/last.ckpt" + every);
  CHECK(r.exit_code == 1);
  // Not the earlier process's ("finished", 2 epochs): this one's, failed in epoch 3.
  const std::string summary = read_file(run + "/summary.json");
  CHECK_MESSAGE(summary.find("\"status\": \"failed\"") != std::string::npos, summary);
  CHECK_MESSAGE(summary.find("epoch-3.ckpt") != std::string::npos, summary);
  CHECK(json_value(summary, "epochs_run") == 3);
}

TEST_CASE("train: a resume that fails before its first epoch keeps metrics.csv and says failed") {
  TempDir dir("resume-early-failure");
  const std::string run = dir.file("run");
  const std::string config = source_path("configs/iris.yaml");
  REQUIRE(run_nnrun("train " + config + " -q --epochs 3 --run-dir " + run).exit_code == 0);
  const std::string metrics = read_file(run + "/metrics.csv");
  // config.yaml cannot be replaced (a folder is in its way): the resume fails at once.
  std::filesystem::remove(run + "/config.yaml");
  std::filesystem::create_directories(run + "/config.yaml/in-the-way");
  const CommandResult r =
      run_nnrun("train " + config + " -q --epochs 5 --resume " + run + "/last.ckpt");
  CHECK(r.exit_code == 1);
  const std::string summary = read_file(run + "/summary.json");
  CHECK_MESSAGE(summary.find("\"status\": \"failed\"") != std::string::npos, summary);
  CHECK(json_value(summary, "epochs_run") == 3);
  // The run so far, as the checkpoint has it: its best (best.ckpt's) and last epochs.
  const nnrun::Checkpoint best = nnrun::load_checkpoint(run + "/best.ckpt");
  CHECK(json_value(summary, "best_epoch") == best.epoch);
  CHECK(json_value(summary, "epoch", summary.find("\"last\"")) == 3);
  CHECK_MESSAGE(summary.find("\"monitor\": \"val_loss\"") != std::string::npos, summary);
  CHECK(read_file(run + "/metrics.csv") == metrics);
}
