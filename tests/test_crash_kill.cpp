// SIGKILL at random moments, some during checkpoint writes: every time best.ckpt loads and
// holds the last epoch the log marked as a new best. (scripts/crash_test.sh N does the same
// with N kills.)
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "core/checkpoint/checkpoint.hpp"
#include "core/errors.hpp"
#include "core/util/philox.hpp"
#include "tests/cli_runner.hpp"
#include "tests/process.hpp"

using namespace nnrun::testing;

namespace {

// The epoch of the last line train.log marked "* best", 0 if none.
int last_marked_best(const std::string& log) {
  int epoch = 0;
  for (const std::string& line : split(log, '\n'))
    if (line.rfind("epoch ", 0) == 0 && line.find("* best") != std::string::npos)
      epoch = std::atoi(line.c_str() + 6);
  return epoch;
}

int rows_in(const std::string& metrics_csv) {
  return static_cast<int>(split(read_file(metrics_csv), '\n').size()) - 1;
}

}  // namespace

TEST_CASE("SIGKILL at 20 random moments never leaves a best.ckpt that fails to load") {
  TempDir dir("kill");
  // Wide layers make each checkpoint write take a while, so some kills land inside one.
  const std::string config = dir.write(
      "c.yaml",
      "data:\n"
      "  train: {format: synthetic, generator: blobs, samples: 600, classes: 4, features: 8}\n"
      "  validation: {format: synthetic, generator: blobs, samples: 200, classes: 4, "
      "features: 8}\n"
      "model:\n  layers:\n    - dense: {units: 512, activation: relu}\n"
      "    - dense: {units: 512, activation: relu}\n    - dense: {units: 4}\n"
      "optimizer: {type: sgd, lr: 0.01}\n"
      "training: {epochs: 40, batch_size: 64}\n");
  nnrun::Philox rng(2026, nnrun::RngStream::data);
  int with_best = 0;
  for (int kill = 0; kill < 20; ++kill) {
    CAPTURE(kill);
    const std::string run = dir.file("run" + std::to_string(kill));
    ChildProcess child({"train", config, "-q", "--run-dir", run}, run + ".out");
    REQUIRE(child.started());
    std::this_thread::sleep_for(std::chrono::microseconds(rng.next_below(600000)));
    child.signal(SIGKILL);
    child.wait();
    const int marked = last_marked_best(read_file(run + "/train.log"));
    if (!std::filesystem::exists(run + "/best.ckpt")) {
      CHECK(marked == 0);
      continue;
    }
    ++with_best;
    nnrun::Checkpoint best;
    try {
      best = nnrun::load_checkpoint(run + "/best.ckpt");
    } catch (const nnrun::InputError& e) {
      FAIL("best.ckpt does not load: " << e.what());
    }
    // Checkpoints are written before the console line that marks them, so a kill between
    // the two leaves best.ckpt one marked epoch ahead: that epoch is then the last row.
    const bool matches_log = best.epoch == marked;
    const bool ahead_of_log = best.epoch > marked && best.epoch == rows_in(run + "/metrics.csv");
    CHECK_MESSAGE((matches_log || ahead_of_log),
                  "best.ckpt epoch " << best.epoch << ", log marks " << marked);
    // No temporary file survives as a checkpoint name; leftovers are hidden dot-files.
    for (const auto& entry : std::filesystem::directory_iterator(run)) {
      const std::string name = entry.path().filename().string();
      const bool hidden_temporary = name.front() == '.';
      CHECK((name.find(".tmp") == std::string::npos || hidden_temporary));
    }
  }
  MESSAGE(with_best << " of 20 killed runs had saved a best checkpoint");
  CHECK(with_best >= 5);
}
