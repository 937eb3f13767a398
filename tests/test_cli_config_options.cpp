// The options that become config overrides: each --set takes one KEY=VALUE; check takes
// train's shortcuts; a shortcut and a --set of the same key are a usage error; messages
// about a shortcut's value quote the shortcut as typed.
#include <doctest/doctest.h>

#include "tests/cli_runner.hpp"

namespace nnrun::testing {
namespace {

std::string moons_config(const TempDir& dir) {
  return dir.write("cfg.yaml",
                   "data:\n  train: {format: synthetic, generator: moons, samples: 40}\n"
                   "model:\n  layers:\n    - dense: {units: 2}\ntraining: {epochs: 1}\n");
}

TEST_CASE("cli: each --set takes exactly one KEY=VALUE") {
  TempDir dir;
  const std::string path = moons_config(dir);
  const CommandResult extra = run_nnrun("check " + path + " --set training.epochs=3 oops");
  CHECK(extra.exit_code == 2);
  CHECK(extra.output.find("oops") != std::string::npos);
  const CommandResult eats_path = run_nnrun("check --set " + path);
  CHECK(eats_path.exit_code == 2);
  CHECK(eats_path.output.find("--set: expected KEY=VALUE, got '" + path + "'") !=
        std::string::npos);
  const CommandResult two = run_nnrun("check " + path + " --set training.epochs=3 --set seed=7");
  CHECK(two.exit_code == 0);
  CHECK(two.output.find("  epochs: 3\n") != std::string::npos);
  CHECK(two.output.find("\nseed: 7\n") != std::string::npos);
}

TEST_CASE("cli: check takes the shortcuts of train") {
  TempDir dir;
  const CommandResult r = run_nnrun("check " + moons_config(dir) +
                                    " --epochs 5 --seed 3 --threads 1 --backend cpu --run-dir "
                                    "'my runs: x'");
  CHECK(r.exit_code == 0);
  for (const char* line : {"\nseed: 3\n", "\nbackend: cpu\n", "\nthreads: 1\n", "  epochs: 5\n",
                           "  dir: \"my runs: x\"\n"}) {
    CAPTURE(line);
    CHECK(r.output.find(line) != std::string::npos);
  }
}

TEST_CASE("cli: a shortcut and a --set of the same key are a usage error in either order") {
  TempDir dir;
  const std::string path = moons_config(dir);
  const std::string message =
      "nnrun: --epochs 5 and --set training.epochs=3 both set training.epochs; give only one\n";
  CHECK(run_nnrun("check " + path + " --epochs 5 --set training.epochs=3").output == message);
  const CommandResult after = run_nnrun("train " + path + " --set training.epochs=3 --epochs 5");
  CHECK(after.exit_code == 2);
  CHECK(after.output == message);
  const CommandResult section =
      run_nnrun("check " + path + " --set 'checkpoint={dir: y, save_last: false}' --run-dir x");
  CHECK(section.exit_code == 2);
  CHECK(section.output ==
        "nnrun: --run-dir x and --set checkpoint={dir: y, save_last: false} both set "
        "checkpoint.dir; give only one\n");
  // A section that leaves the shortcut's key out: the shortcut applies inside it.
  const CommandResult inside =
      run_nnrun("check " + path + " --set 'checkpoint={save_last: false}' --run-dir x");
  CHECK_MESSAGE(inside.exit_code == 0, inside.output);
  CHECK(inside.output.find("  dir: \"x\"\n") != std::string::npos);
  CHECK(inside.output.find("  save_last: false\n") != std::string::npos);
  // Only the last --set of the section counts: it replaced the one that named dir.
  const CommandResult replaced = run_nnrun("check " + path +
                                           " --set 'checkpoint={dir: y}' --set "
                                           "'checkpoint={save_last: false}' --run-dir x");
  CHECK_MESSAGE(replaced.exit_code == 0, replaced.output);
  CHECK(replaced.output.find("  dir: \"x\"\n") != std::string::npos);
  // A section given a list: that --set is the error, not the shortcut inside it.
  const CommandResult list =
      run_nnrun("check " + path + " --set 'checkpoint=[dir, y]' --run-dir x");
  CHECK(list.exit_code == 2);
  CHECK(list.output == "--set checkpoint=[dir, y]: checkpoint: expected a mapping, got a list\n");
}

TEST_CASE("cli: a bad shortcut value is reported as typed") {
  TempDir dir;
  const std::string path = moons_config(dir);
  const CommandResult epochs = run_nnrun("check " + path + " --epochs -1");
  CHECK(epochs.exit_code == 2);
  CHECK(epochs.output == "--epochs -1: training.epochs: must be >= 1, got -1\n");
  const CommandResult backend = run_nnrun("train " + path + " --backend gpu");
  CHECK(backend.exit_code == 2);
  CHECK(backend.output.rfind("--backend gpu: backend: unknown value 'gpu'", 0) == 0);
}

}  // namespace
}  // namespace nnrun::testing
