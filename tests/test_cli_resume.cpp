// Runs that stop and continue: resume equals an uninterrupted run (sgd and adam, with
// dropout and a schedule, from an epoch boundary and from mid-epoch after Ctrl-C),
// SIGTERM's exit code, and the run-directory lock.
#include <doctest/doctest.h>

#include <fcntl.h>

#include <chrono>
#include <thread>

#include "tests/cli_runner.hpp"
#include "tests/process.hpp"

using namespace nnrun::testing;

namespace {

// Enough batches per epoch (1,000) that a signal lands mid-epoch.
std::string config_text(const std::string& optimizer) {
  return "seed: 5\n"
         "data:\n"
         "  train: {format: synthetic, generator: spirals, samples: 4000, classes: 3, noise: "
         "0.05}\n"
         "  validation: {format: synthetic, generator: spirals, samples: 300, classes: 3}\n"
         "model:\n  layers:\n"
         "    - dense: {units: 32, activation: relu}\n"
         "    - dropout: {rate: 0.2}\n"
         "    - dense: {units: 32, activation: relu}\n"
         "    - dense: {units: 3}\n"
         "optimizer: " +
         optimizer +
         "\n"
         "training: {epochs: 6, batch_size: 8}\n"
         "checkpoint: {every_n_epochs: 3}\n";
}

void check_resume_equals_full_run(const std::string& optimizer) {
  TempDir dir("resume");
  const std::string config = dir.write("c.yaml", config_text(optimizer));
  REQUIRE(run_nnrun("train " + config + " -q --run-dir " + dir.file("full")).exit_code == 0);
  const std::string full = metrics_without_seconds(dir.file("full"));
  REQUIRE(split(full, '\n').size() == 7);

  // From an epoch boundary: the full run's epoch-3.ckpt, copied into a run of its own.
  // (Training 3 epochs and extending to 6 would change schedules that depend on the total.)
  std::filesystem::create_directories(dir.file("a"));
  std::filesystem::copy_file(dir.file("full/epoch-3.ckpt"), dir.file("a/last.ckpt"));
  const CommandResult resumed =
      run_nnrun("train " + config + " -q --resume " + dir.file("a/last.ckpt"));
  REQUIRE_MESSAGE(resumed.exit_code == 0, resumed.output);
  CHECK(metrics_without_seconds(dir.file("a")) == full);

  // From mid-epoch: Ctrl-C, exit 130, then continue.
  ChildProcess child({"train", config, "-q", "--run-dir", dir.file("b")}, dir.file("b.log"));
  REQUIRE(child.started());
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  child.signal(SIGINT);
  const int code = child.wait();
  if (code == 0) {  // finished before the signal: nothing to resume, still a valid outcome
    MESSAGE("run finished before SIGINT arrived; mid-epoch resume not exercised");
    return;
  }
  CHECK(code == 130);
  const std::string summary = read_file(dir.file("b/summary.json"));
  CHECK(summary.find("\"status\": \"interrupted\"") != std::string::npos);
  // Stopped inside an epoch, the final model is part way through it, not the last epoch's.
  if (summary.find("interrupted in epoch") != std::string::npos)
    CHECK(summary.find("\"weights\": \"as they were when interrupted in epoch") !=
          std::string::npos);
  const CommandResult again =
      run_nnrun("train " + config + " -q --resume " + dir.file("b/last.ckpt"));
  REQUIRE_MESSAGE(again.exit_code == 0, again.output);
  CHECK(metrics_without_seconds(dir.file("b")) == full);
}

}  // namespace

TEST_CASE("resume equals an uninterrupted run with sgd momentum / dropout / a cosine schedule") {
  check_resume_equals_full_run(
      "{type: sgd, lr: 0.05, momentum: 0.9, schedule: {type: cosine, warmup_epochs: 1}}");
}

TEST_CASE("resume equals an uninterrupted run with adam and a step schedule") {
  check_resume_equals_full_run(
      "{type: adam, lr: 0.003, schedule: {type: step, step_size: 2, gamma: 0.5}}");
}

TEST_CASE("resume refuses a config that describes another run") {
  TempDir dir("resume-mismatch");
  const std::string config = dir.write("c.yaml", config_text("{type: adam}"));
  REQUIRE(run_nnrun("train " + config + " -q --epochs 2 --run-dir " + dir.file("a")).exit_code ==
          0);
  const CommandResult r = run_nnrun("train " + config + " -q --set optimizer.lr=0.5 --resume " +
                                    dir.file("a/last.ckpt"));
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("lr: 0.5") != std::string::npos);
  const CommandResult fewer =
      run_nnrun("train " + config + " -q --epochs 1 --resume " + dir.file("a/last.ckpt"));
  CHECK(fewer.exit_code == 2);
  CHECK(fewer.output.find("nothing left to train") != std::string::npos);
  // The same epochs again: the run is complete, as one that early stopping ended.
  const std::string metrics = read_file(dir.file("a/metrics.csv"));
  const CommandResult done =
      run_nnrun("train " + config + " --epochs 2 --resume " + dir.file("a/last.ckpt"));
  CHECK(done.exit_code == 0);
  CHECK(done.output.find("the run already finished (all 2 epochs)") != std::string::npos);
  CHECK(read_file(dir.file("a/metrics.csv")) == metrics);
}

TEST_CASE("SIGTERM stops after the current step with exit 143 and a loadable last.ckpt") {
  TempDir dir("sigterm");
  const std::string config = dir.write("c.yaml", config_text("{type: adam}"));
  ChildProcess child({"train", config, "-q", "--run-dir", dir.file("r")}, dir.file("r.log"));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  child.signal(SIGTERM);
  const int code = child.wait();
  if (code == 0) {
    MESSAGE("run finished before SIGTERM arrived");
    return;
  }
  CHECK(code == 143);
  CHECK(run_nnrun("inspect " + dir.file("r/last.ckpt")).exit_code == 0);
}

TEST_CASE("a second train on a run directory in use is refused") {
  TempDir dir("lock");
  const std::string config = dir.write("c.yaml", config_text("{type: adam}"));
  ChildProcess first({"train", config, "-q", "--run-dir", dir.file("r")}, dir.file("1.log"));
  // Wait until the first run holds the lock (its metrics.csv exists).
  for (int i = 0; i < 200 && !std::filesystem::exists(dir.file("r/metrics.csv")); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const CommandResult second = run_nnrun("train " + config + " -q --run-dir " + dir.file("r"));
  first.signal(SIGKILL);
  first.wait();
  CHECK(second.exit_code == 2);
  CHECK(second.output.find("in use by another nnrun train") != std::string::npos);
}
