// A resume from an earlier checkpoint than the run's latest: the discarded continuation's
// checkpoints (best.ckpt of a later epoch, later epoch-M.ckpt, last.ckpt) are moved to
// previous-N, and best.ckpt, summary.json and the final weights agree.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "core/checkpoint/checkpoint.hpp"
#include "tests/cli_runner.hpp"
#include "tests/resume_fixtures.hpp"

using namespace nnrun;
using namespace nnrun::testing;

namespace fs = std::filesystem;

TEST_CASE("resume from an earlier checkpoint moves the discarded epochs' files to previous-N") {
  TempDir dir("resume-earlier");
  const std::string every = " --set checkpoint.every_n_epochs=1";
  const std::string run = train_iris_to_early_stop(dir, every);
  REQUIRE(checkpoint_epoch(run + "/best.ckpt") == 101);

  // Epochs 76..80 hold no new best, so the old best.ckpt (101) would otherwise stay.
  const CommandResult r = run_nnrun("train " + iris_config() + " --epochs 80" + every +
                                    " --resume " + run + "/epoch-75.ckpt");
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  const std::string previous = run + "/previous-1";
  CHECK(r.output.find("discards this run's later epochs; their files were moved to " + previous) !=
        std::string::npos);
  CHECK(checkpoint_epoch(previous + "/best.ckpt") == 101);
  CHECK(checkpoint_epoch(previous + "/last.ckpt") == 131);
  CHECK(fs::exists(previous + "/epoch-131.ckpt"));
  CHECK(fs::exists(previous + "/epoch-76.ckpt"));
  CHECK(!fs::exists(previous + "/epoch-75.ckpt"));
  CHECK(read_file(previous + "/metrics.csv").find("\n131,") != std::string::npos);
  // The summary that described the discarded epochs goes with them.
  CHECK(read_file(previous + "/summary.json").find("\"epochs_run\": 131") != std::string::npos);
  CHECK(!fs::exists(run + "/epoch-81.ckpt"));
  CHECK(checkpoint_epoch(run + "/last.ckpt") == 80);

  // best.ckpt, summary.json and the final weights agree on the best epoch.
  const std::string summary = read_file(run + "/summary.json");
  const auto best_epoch = static_cast<std::int64_t>(json_value(summary, "best_epoch"));
  CHECK(best_epoch <= 75);
  CHECK(checkpoint_epoch(run + "/best.ckpt") == best_epoch);
  CHECK_MESSAGE(summary.find("\"weights\": \"best epoch " + std::to_string(best_epoch) + "\"") !=
                    std::string::npos,
                summary);
}
