// Crafted resume state in a checkpoint (with a correct crc32): a partial epoch's batch
// count and best-epoch counters. Each must be a one-line error naming the file with exit
// code 2, never an out-of-range read, an internal error or a NaN metrics row.
#include <doctest/doctest.h>

#include <string>

#include "core/checkpoint/checkpoint.hpp"
#include "tests/checkpoint_fixtures.hpp"
#include "tests/cli_runner.hpp"

using namespace nnrun;
using namespace nnrun::testing;
using namespace nnrun::testing::ckpt;

namespace {

const std::string kBatchesDone = "partial_epoch.batches_done: 0\n";

}  // namespace

TEST_CASE("resume from the real checkpoint itself works") {
  TempDir dir("resume-state-ok");
  const std::string ckpt = dir.write("run/last.ckpt", real_run().bytes);
  const CommandResult r =
      run_nnrun("train " + source_path("configs/iris.yaml") + " -q --epochs 3 --resume " + ckpt);
  CHECK_MESSAGE(r.exit_code == 0, r.output);
}

TEST_CASE("resume refuses a partial epoch's batch count outside the epoch") {
  // Iris: 120 training rows in batches of 16, so 8 batches; 1..7 done is a partial epoch.
  for (const char* value : {"-3", "1000000", "8", "2.5", ".nan", "1e300"}) {
    CAPTURE(value);
    check_resume_refused(
        with_header(kBatchesDone, "partial_epoch.batches_done: " + std::string(value) + "\n"),
        "partial_epoch.batches_done: expected a whole number in [0, 7]");
  }
  check_resume_refused(
      with_header(kBatchesDone, "partial_epoch.batches_done: 3\n  partial_epoch.total_2: -5\n"),
      "partial_epoch.total_2: expected a finite sum >= 0");
}

TEST_CASE("resume refuses best-epoch counters past the checkpoint's epoch") {
  check_resume_refused(
      with_header("checkpoint_monitor.best_epoch: 2\n", "checkpoint_monitor.best_epoch: 101\n"),
      "checkpoint_monitor.best_epoch: expected a whole number in [0, 2]");
  check_resume_refused(with_header("early_stopping.epochs_without_improvement: 0\n",
                                   "early_stopping.epochs_without_improvement: -1\n"),
                       "early_stopping.epochs_without_improvement");
  check_resume_refused(with_header("plateau.bad_epochs: 0\n", "plateau.bad_epochs: 1e19\n"),
                       "plateau.bad_epochs");
}
