// What a run needs and could not get: `check` states the memory a model takes, a run that runs
// out of memory says how much it needed, one that cannot write summary.json says so.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "tests/cli_runner.hpp"
#include "tests/script_runner.hpp"

using namespace nnrun::testing;
using nnrun::testing::scripts::q;
using nnrun::testing::scripts::run_shell;

TEST_CASE("check states the memory of weights and optimizer state and of the data") {
  // Iris 4-16-3 with Adam: 131 parameters x 4 arrays (weights, gradients, m, v) x 4 bytes;
  // activations 3 x batch 16 x (4 + 16 + 3) x 4 bytes.
  const CommandResult r = run_nnrun("check " + source_path("configs/iris.yaml"));
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(r.output.find("memory: the model's 131 parameters take about 2.0 KiB for weights, "
                      "gradients and optimizer state, a batch's activations 4.3 KiB, the data "
                      "2.3 KiB\n") != std::string::npos);
}

TEST_CASE("a model too large for the memory at hand fails naming its size") {
  // 900 million parameters (13.4 GiB with Adam) under a 3 GB address-space limit.
  TempDir dir("oom");
  const std::string run = dir.file("run");
  const CommandResult r =
      run_shell("ulimit -v 3000000; " + std::string(NNRUN_BINARY) + " train " +
                q(source_path("configs/iris.yaml")) +
                " -q --epochs 1 --set 'model.layers=[{dense: {units: 30000, activation: relu}}, "
                "{dense: {units: 30000, activation: relu}}, {dense: {units: 3}}]' --run-dir " +
                q(run));
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("error: out of memory: the model's 900270003 parameters take about 13.4 "
                      "GiB for weights, gradients and optimizer state") != std::string::npos);
  CHECK(read_file(run + "/summary.json").find("\"stop_reason\": \"failed: out of memory\"") !=
        std::string::npos);
}

TEST_CASE("a run whose summary.json cannot be written says so beside its error") {
  // metrics.csv fails first; the failure summary then fails too (folders in both places).
  TempDir dir("summary-unwritable");
  const std::string run = dir.file("run");
  std::filesystem::create_directories(run + "/summary.json");
  std::filesystem::create_directories(run + "/metrics.csv");
  const CommandResult r =
      run_nnrun("train " + source_path("configs/iris.yaml") + " -q --epochs 2 --run-dir " + run);
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("note: " + run + "/summary.json could not be written either") !=
        std::string::npos);
  // When writing summary.json is the error itself, it is said once, not twice.
  TempDir again("summary-unwritable-only");
  const std::string only = again.file("run");
  std::filesystem::create_directories(only + "/summary.json");
  const CommandResult once =
      run_nnrun("train " + source_path("configs/iris.yaml") + " -q --epochs 2 --run-dir " + only);
  CHECK(once.exit_code == 1);
  CHECK(once.output.find("could not be written either") == std::string::npos);
  CHECK(once.output.find("summary.json") != std::string::npos);
}

TEST_CASE("a log file that cannot be written is said once in words") {
  // train.log grows faster than metrics.csv: it meets the file-size limit first.
  TempDir dir("log-unwritable");
  const CommandResult r =
      run_shell("ulimit -f 8; " + std::string(NNRUN_BINARY) + " train " +
                q(source_path("configs/iris.yaml")) +
                " -q --epochs 400 --set early_stopping=null --set checkpoint.save_best=false --set "
                "checkpoint.save_last=false --run-dir " +
                q(dir.file("run")));
  INFO(r.output);
  CHECK(r.exit_code == 1);
  const std::string note = "note: the run's log file cannot be written";
  CHECK(r.output.find(note) != std::string::npos);
  CHECK(r.output.find(note, r.output.find(note) + 1) == std::string::npos);  // once
  CHECK(r.output.find("LOG ERROR") == std::string::npos);
}
