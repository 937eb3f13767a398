// The sweep script's rules for a user's results: every value checked before anything
// trains, an earlier sweep in the output folder kept apart, --collect tied to its sweep, and
// the final model measured as the weights the run ended with.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/cli_runner.hpp"
#include "tests/script_runner.hpp"

namespace fs = std::filesystem;
using nnrun::testing::CommandResult;
using nnrun::testing::read_file;
using nnrun::testing::TempDir;
using namespace nnrun::testing::scripts;

TEST_CASE("sweep script checks every value before training and refuses duplicates") {
  TempDir dir("sweep_checked");
  const std::string config = q(write_tiny_config(dir));
  const std::string out = dir.file("sweep");
  const std::vector<std::string> bad = {
      " --key " + kUnitsKey + " --values 3,0",            // units 0: nnrun check fails
      " --key model.layers[0].dense.unitz --values 3,4",  // a mistyped key
      " --key " + kUnitsKey + " --values 3,4,3",          // a value twice
  };
  for (const std::string& args : bad) {
    CAPTURE(args);
    const CommandResult r =
        run_shell(script("sweep_model_size.sh", config + args + " --out " + q(out)));
    CHECK(r.exit_code == 2);
    CHECK_FALSE(fs::exists(out + "/runs"));  // nothing trained
  }
  const CommandResult units_zero = run_shell(script(
      "sweep_model_size.sh", config + " --key " + kUnitsKey + " --values 3,0 --out " + q(out)));
  CHECK(units_zero.output.find("must be >= 1") != std::string::npos);  // nnrun check's error
  // A mistake in a sweep-wide --set is reported as that, not as the first value's.
  const CommandResult bad_set = run_shell(script(
      "sweep_model_size.sh",
      config + " --key " + kUnitsKey + " --values 3,4 --set traning.epochs=2 --out " + q(out)));
  CHECK(bad_set.exit_code == 2);
  CHECK(bad_set.output.find("traning") != std::string::npos);
  CHECK(bad_set.output.find("dense.units = 3") == std::string::npos);
  CHECK_FALSE(fs::exists(out + "/runs"));
  // A sweep-wide --set that holds only together with the swept values is no mistake.
  const CommandResult together = run_shell(
      script("sweep_model_size.sh", config +
                                        " --key optimizer.type --values sgd,rmsprop --set "
                                        "optimizer.momentum=0.9 --slurm --out " +
                                        q(out)));
  INFO(together.output);
  CHECK(together.exit_code == 0);  // --slurm checks every value, writes its files, trains nothing
  CHECK(fs::exists(out + "/sweep.sbatch"));
}

TEST_CASE("sweep script moves an earlier sweep aside and collects only its own") {
  TempDir dir("sweep_again");
  const std::string config = q(write_tiny_config(dir));
  const std::string out = dir.file("sweep");
  const std::string first = config + " --key " + kUnitsKey + " --values 3,5 --out " + q(out);
  REQUIRE(run_shell(script("sweep_model_size.sh", first)).exit_code == 0);
  const std::string second = config + " --key " + kUnitsKey + " --values 7 --out " + q(out);
  const CommandResult again = run_shell(script("sweep_model_size.sh", second));
  INFO(again.output);
  REQUIRE(again.exit_code == 0);
  CHECK(fs::exists(out + "/previous-1/runs/00-3/last.ckpt"));  // the earlier sweep, kept
  CHECK(fs::exists(out + "/previous-1/results.csv"));
  CHECK_FALSE(fs::exists(out + "/runs/01-5"));  // and not mixed into this one
  CHECK(read_csv(out + "/results.csv").size() == 2);
  // --collect with other values than the folder's sweep is a usage error, results untouched.
  const std::string before = read_file(out + "/results.csv");
  const CommandResult wrong =
      run_shell(script("sweep_model_size.sh", config + " --key " + kUnitsKey +
                                                  " --values 3,5 --out " + q(out) + " --collect"));
  CHECK(wrong.exit_code == 2);
  CHECK(read_file(out + "/results.csv") == before);
  CHECK(run_shell(script("sweep_model_size.sh", second + " --collect")).exit_code == 0);
}

TEST_CASE("sweep script's final model is the restored best epoch under restore_best") {
  TempDir dir("sweep_final");
  const std::string config = q(write_tiny_config(dir));
  const std::string out = dir.file("sweep");
  // lr 0.3 and patience 1 over 30 epochs: early stopping fires and the last epoch is worse
  // than the best; the final model (restored best) is then best.ckpt, not last.ckpt.
  const CommandResult r = run_shell(script(
      "sweep_model_size.sh", config + " --key " + kUnitsKey +
                                 " --values 16 --set training.epochs=30 --set optimizer.lr=0.3" +
                                 " --set 'early_stopping={monitor: val_loss, patience: 1}' --out " +
                                 q(out)));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const auto rows = read_csv(out + "/results.csv");
  REQUIRE(rows.size() == 2);
  REQUIRE(rows[1].size() == 9);
  const std::string summary = read_file(out + "/runs/00-16/summary.json");
  REQUIRE(summary.find("\"weights\": \"best epoch " + rows[1][6] + "\"") != std::string::npos);
  CHECK(rows[1][4] == rows[1][2]);  // final train error = best.ckpt's
  CHECK(rows[1][5] == rows[1][3]);  // final val error = best.ckpt's
  CHECK(read_file(out + "/runs/00-16/eval-final-val.json") ==
        read_file(out + "/runs/00-16/eval-best-val.json"));
}

TEST_CASE("sweep script's plot title runs nothing whatever it holds") {
  if (!have_gnuplot()) {
    MESSAGE("gnuplot is not installed: the plot title is not checked");
    return;
  }
  TempDir dir("sweep_title");
  const std::string config = q(write_tiny_config(dir));
  const std::string marker = dir.file("ran");
  // gnuplot runs `...` inside double-quoted strings as a shell command, and a line break
  // ends the title's command, the next line (`!cmd`) then run by the shell. The marker's path
  // comes from the environment, so that no character in the title needs escaping.
  const CommandResult r = run_shell(
      "MARKER=" + q(marker) + " " +
      script("sweep_model_size.sh", config + " --key " + kUnitsKey + " --values 3 --out " +
                                        q(dir.file("sweep")) + " --title " +
                                        q("units `touch $MARKER`\n!touch $MARKER")));
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(is_png(dir.file("sweep/error_vs_parameters.png")));
  CHECK_FALSE(fs::exists(marker));
}
