// Resume details: restore_best's weights in no file, config.yaml kept current, a diverged
// run's last.ckpt, the final model of a run interrupted inside an epoch.
//
// After a resume, restore_best's weights can be in no file (best.ckpt keeps the best by
// checkpoint.monitor, which here differs from early_stopping.monitor): the run must say that
// its final model is the last epoch's instead of ending silently unlike an uninterrupted run.
#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <thread>

#include "core/checkpoint/checkpoint.hpp"
#include "tests/cli_runner.hpp"
#include "tests/process.hpp"

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

TEST_CASE("a diverged run's last.ckpt is its latest finite state marked diverged") {
  TempDir dir("diverged-last");
  dir.write("line.csv", "x,y\n-1,-0.7\n-0.5,-0.2\n0,0.3\n0.5,0.4\n1,1.3\n");
  // Plain SGD with lr 1000 on a line fit: the weights blow up within a few epochs.
  const std::string config = dir.write(
      "reg.yaml",
      "data:\n  train: {format: csv, path: line.csv, label: y}\n"
      "  validation: {format: csv, path: line.csv, label: y}\n  normalize: none\n"
      "model: {layers: [{dense: {units: 1}}]}\nloss: mse\noptimizer: {type: sgd, lr: 1000}\n"
      "training: {epochs: 40, batch_size: 5, shuffle: false}\n");
  const std::string run = dir.file("run");
  const CommandResult r = run_nnrun("train " + config + " -q --run-dir " + run);
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);  // on_nan: stop
  const std::string summary = read_file(run + "/summary.json");
  REQUIRE(summary.find("\"diverged\": true") != std::string::npos);
  const double epochs_run = json_value(summary, "epochs_run");

  const CommandResult inspect = run_nnrun("inspect " + run + "/last.ckpt --json");
  REQUIRE_MESSAGE(inspect.exit_code == 0, inspect.output);
  CHECK(inspect.output.find("\"status\": \"diverged\"") != std::string::npos);
  CHECK(json_value(inspect.output, "epoch") == epochs_run - 1);  // the last finished epoch

  // The diverged epoch's row: for regression the error column is the MSE, non-finite too.
  const auto rows = split(read_file(run + "/metrics.csv"), '\n');
  CHECK(rows.back().find(",nan,nan,") != std::string::npos);

  const CommandResult resume = run_nnrun("train " + config + " -q --resume " + run + "/last.ckpt");
  CHECK(resume.exit_code == 2);
  CHECK(resume.output.find("resuming would diverge again") != std::string::npos);
}

TEST_CASE("resume: summary.json's epoch_seconds counts the epochs of every process") {
  TempDir dir("resume-epoch-seconds");
  const std::string run = dir.file("run");
  const std::string config = source_path("configs/iris.yaml") + " -q --set early_stopping=null";
  REQUIRE(run_nnrun("train " + config + " --epochs 30 --run-dir " + run).exit_code == 0);
  REQUIRE(run_nnrun("train " + config + " --epochs 60 --resume " + run + "/last.ckpt").exit_code ==
          0);
  // last.ckpt's history holds every epoch's seconds exactly (17 digits), both processes'.
  const nnrun::Checkpoint last = nnrun::load_checkpoint(run + "/last.ckpt");
  REQUIRE(last.history.size() == 60);
  double first = 0, all = 0;
  for (std::size_t e = 0; e < last.history.size(); ++e) {
    all += last.history[e][6];
    if (e < 30) first += last.history[e][6];
  }
  REQUIRE(first > 0);
  const double reported = json_value(read_file(run + "/summary.json"), "epoch_seconds");
  CHECK(reported == doctest::Approx(all).epsilon(1e-9));
}

TEST_CASE("the last epoch's epoch-N.ckpt says finished as last.ckpt does and resumes alike") {
  TempDir dir("epoch-n-finished");
  const std::string run = dir.file("run");
  const CommandResult r = run_nnrun("train " + source_path("configs/iris.yaml") +
                                    " -q --epochs 4 --set checkpoint.every_n_epochs=2 "
                                    "--set early_stopping=null --run-dir " +
                                    run);
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(nnrun::load_checkpoint(run + "/epoch-2.ckpt").status == "running");
  CHECK(nnrun::load_checkpoint(run + "/epoch-4.ckpt").status == "finished");
  for (const char* ckpt : {"/epoch-4.ckpt", "/last.ckpt"}) {
    const CommandResult again = run_nnrun("train " + source_path("configs/iris.yaml") +
                                          " --epochs 4 --set checkpoint.every_n_epochs=2 --set "
                                          "early_stopping=null --resume " +
                                          run + ckpt);
    CAPTURE(ckpt);
    CHECK(again.exit_code == 0);
    CHECK(again.output.find("the run already finished") != std::string::npos);
  }
}

TEST_CASE("an interrupt inside an epoch: the summary's final model is part way through it") {
  TempDir dir("interrupt-mid-epoch");
  // 100,000 steps an epoch: a signal sent as training starts lands inside the first epoch.
  const std::string config = dir.write(
      "c.yaml",
      "seed: 5\ndata:\n"
      "  train: {format: synthetic, generator: spirals, samples: 400000, classes: 3}\n"
      "  validation: {format: synthetic, generator: spirals, samples: 300, classes: 3}\n"
      "model:\n  layers:\n    - dense: {units: 8, activation: relu}\n    - dense: {units: 3}\n"
      "training: {epochs: 3, batch_size: 4}\n");
  const std::string run = dir.file("run");
  ChildProcess child({"train", config, "-q", "--run-dir", run}, dir.file("out.log"));
  REQUIRE(child.started());
  // train.log names the model just before the first step.
  for (int i = 0; i < 1000 && read_file(run + "/train.log").find("model:") == std::string::npos;
       ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  child.signal(SIGINT);
  REQUIRE(child.wait() == 130);
  const std::string summary = read_file(run + "/summary.json");
  INFO(summary);
  // Normally epoch 1; on a loaded machine the signal may land later, in any epoch.
  const std::string key = "\"stop_reason\": \"";
  const std::size_t at = summary.find(key + "interrupted in epoch ");
  REQUIRE(at != std::string::npos);
  const std::size_t begin = at + key.size();
  const std::string reason = summary.substr(begin, summary.find('"', begin) - begin);
  CHECK(summary.find("\"weights\": \"as they were when " + reason + "\"") != std::string::npos);
}
