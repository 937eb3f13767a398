// A run that early stopping ended: resuming it trains nothing and writes nothing, unless
// training.epochs is raised, which trains on with a fresh patience.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "core/checkpoint/checkpoint.hpp"
#include "tests/cli_runner.hpp"
#include "tests/resume_fixtures.hpp"

using namespace nnrun;
using namespace nnrun::testing;

namespace fs = std::filesystem;

TEST_CASE("resuming a run that early stopping ended trains nothing unless epochs is raised") {
  TempDir dir("resume-stopped");
  const std::string run = train_iris_to_early_stop(dir);
  const auto mtime = fs::last_write_time(run + "/last.ckpt");
  const std::string metrics = read_file(run + "/metrics.csv");
  const std::string log = read_file(run + "/train.log");

  const CommandResult again =
      run_nnrun("train " + iris_config() + " --resume " + run + "/last.ckpt");
  CHECK_MESSAGE(again.exit_code == 0, again.output);
  CHECK_MESSAGE(again.output.find("the run already finished (early stopping at epoch 131") !=
                    std::string::npos,
                again.output);
  CHECK(fs::last_write_time(run + "/last.ckpt") == mtime);
  CHECK(read_file(run + "/metrics.csv") == metrics);
  CHECK(read_file(run + "/train.log") == log);

  const CommandResult more =
      run_nnrun("train " + iris_config() + " --epochs 300 --resume " + run + "/last.ckpt");
  CHECK_MESSAGE(more.exit_code == 0, more.output);
  CHECK(more.output.find("patience counted afresh") != std::string::npos);
  // A fresh patience of 30 epochs: at least 30 more epochs run.
  CHECK(checkpoint_epoch(run + "/last.ckpt") >= 161);
}
