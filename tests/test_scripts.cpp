// The shell scripts around nnrun, driven through the shell as a user runs them:
// scripts/sweep_model_size.sh (argument errors, collection, failed runs, --slurm, --dry-run,
// no gnuplot), scripts/plot_run.sh and scripts/overfitting_demo.sh (the textbook ordering).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "tests/cli_runner.hpp"
#include "tests/script_runner.hpp"

namespace fs = std::filesystem;
using nnrun::testing::CommandResult;
using nnrun::testing::read_file;
using nnrun::testing::source_path;
using nnrun::testing::split;
using nnrun::testing::TempDir;

using namespace nnrun::testing::scripts;

TEST_CASE("sweep script argument errors exit 2 with the usage") {
  TempDir dir("sweep_args");
  const std::string config = q(write_tiny_config(dir));
  const std::string out = " --out " + q(dir.file("out"));
  const std::vector<std::string> bad = {
      "",                                                             // no config
      q(dir.file("missing.yaml")) + " --key a --values 1,2",          // config not found
      config + " --values 1,2",                                       // no --key
      config + " --key " + kUnitsKey,                                 // no --values
      config + " --key " + kUnitsKey + " --values ''",                // empty list
      config + " --key " + kUnitsKey + " --values 1,,2",              // an empty value
      config + " --key " + kUnitsKey + " --values 1,2,",              // a trailing comma
      config + " --key " + kUnitsKey + " --values 1,2 --frobnicate",  // unknown option
      config + " --key " + kUnitsKey + " --values 1,2 --jobs two",    // non-numeric --jobs
      config + " --key " + kUnitsKey + " --values 1,2 --jobs 0",
      config + " --key " + kUnitsKey + " --values 1,2 --jobs",  // --jobs without a value
      config + " --key " + kUnitsKey + " --values 1,2 --set novalue",
      config + " " + config + " --key " + kUnitsKey + " --values 1,2",  // two configs
  };
  for (const std::string& args : bad) {
    CAPTURE(args);
    const CommandResult r = run_shell(script("sweep_model_size.sh", args + out));
    CHECK(r.exit_code == 2);
    CHECK(r.output.find("usage: scripts/sweep_model_size.sh CONFIG") != std::string::npos);
  }
  CHECK_FALSE(fs::exists(dir.file("out")));  // nothing was trained or written

  const CommandResult help = run_shell(script("sweep_model_size.sh", "--help"));
  CHECK(help.exit_code == 0);
  CHECK(help.output.find("--slurm") != std::string::npos);
}

TEST_CASE("sweep script trains two runs at a time and collects them") {
  TempDir dir("sweep_collect");
  const std::string config = write_tiny_config(dir);
  const std::string out = dir.file("sweep");
  const CommandResult r =
      run_shell(script("sweep_model_size.sh", q(config) + " --key " + kUnitsKey +
                                                  " --values 3,10 --jobs 2 --out " + q(out)));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);

  const auto rows = read_csv(out + "/results.csv");
  REQUIRE(rows.size() == 3);
  CHECK(split(read_file(out + "/results.csv"), '\n')[0] == kHeader);
  const std::vector<std::string> values = {"3", "10"};
  const std::vector<std::string> parameters = {"17", "52"};  // 5 * units + 2
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& row = rows[i + 1];
    CAPTURE(i);
    REQUIRE(row.size() == 9);
    CHECK(row[0] == values[i]);
    CHECK(row[1] == parameters[i]);
    for (std::size_t c = 2; c <= 5; ++c) {  // best/final train/val error: fractions
      REQUIRE_FALSE(row[c].empty());
      const double e = std::stod(row[c]);
      CHECK(e >= 0.0);
      CHECK(e <= 1.0);
    }
    const int best_epoch = std::stoi(row[6]);
    CHECK(best_epoch >= 1);
    CHECK(best_epoch <= 3);
    CHECK(row[7] == "3");
    CHECK(row[8] == "completed all 3 epochs");
    CHECK(fs::exists(out + "/runs/0" + std::to_string(i) + "-" + values[i] + "/last.ckpt"));
  }
  // The collection keeps what it measured next to each run.
  CHECK(read_file(out + "/runs/01-10/eval-final-val.json").find("\"split\": \"val\"") !=
        std::string::npos);

  const std::string md = read_file(out + "/results.md");
  CHECK(md.find("| model.layers[0].dense.units | parameters |") != std::string::npos);
  CHECK(md.find("| 3") != std::string::npos);
  CHECK(md.find("| 10") != std::string::npos);

  if (have_gnuplot()) {
    CHECK(is_png(out + "/error_vs_parameters.png"));
    CHECK(is_svg(out + "/error_vs_parameters.svg"));
  } else {
    MESSAGE("gnuplot is not installed: the sweep plot is not checked");
  }
}

TEST_CASE("sweep script reports a failed run as a row and goes on") {
  TempDir dir("sweep_failed");
  const std::string config = write_tiny_config(dir);
  const std::string out = dir.file("sweep");
  // Both values pass `nnrun check`; lr 1e38 with plain SGD and ReLU overflows to a non-finite
  // loss, and on_nan: fail makes that run exit 1. lr 0.02 still trains.
  const CommandResult r = run_shell(script(
      "sweep_model_size.sh",
      q(config) + " --key optimizer.lr --values 1e38,0.02 --jobs 2 --set optimizer.type=sgd" +
          " --set training.on_nan=fail --set 'model.layers[0].dense.activation=relu' --out " +
          q(out)));
  INFO(r.output);
  CHECK(r.exit_code == 1);
  const auto rows = read_csv(out + "/results.csv");
  REQUIRE(rows.size() == 3);
  REQUIRE(rows[1].size() == 9);
  CHECK(rows[1][0] == "1e38");
  CHECK(rows[1][8].rfind("failed (exit 1): ", 0) == 0);
  CHECK(rows[1][8].find("diverged") != std::string::npos);  // nnrun's own error line
  REQUIRE(rows[2].size() == 9);
  CHECK(rows[2][0] == "0.02");
  CHECK(rows[2][1] == "22");  // 2*4+4 + 4*2+2
  CHECK(rows[2][8] == "completed all 3 epochs");
  // The failed run is shown but never chosen as the best size.
  CHECK(read_file(out + "/results.md").find("| 0.02 **(best)**") != std::string::npos);
}

TEST_CASE("sweep script slurm output parses and has one array task per value") {
  TempDir dir("sweep_slurm");
  const std::string config = write_tiny_config(dir);
  const std::string out = dir.file("slurm");
  const CommandResult r =
      run_shell(script("sweep_model_size.sh",
                       q(config) + " --key " + kUnitsKey +
                           " --values 2,4,8 --set training.epochs=2 --slurm --out " + q(out)));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find("sbatch --dependency=afterok:") != std::string::npos);
  for (const char* name : {"/sweep.sbatch", "/collect.sbatch"}) {
    CAPTURE(name);
    REQUIRE(fs::exists(out + name));
    const CommandResult syntax = run_shell("bash -n " + q(out + name));
    CHECK(syntax.exit_code == 0);
    CHECK(syntax.output.empty());
  }
  const std::string sweep = read_file(out + "/sweep.sbatch");
  CHECK(sweep.find("#SBATCH --array=0-2\n") != std::string::npos);
  const std::regex task(R"(\n  ([0-9]+)\) run )");
  std::vector<int> tasks;
  for (auto it = std::sregex_iterator(sweep.begin(), sweep.end(), task);
       it != std::sregex_iterator(); ++it)
    tasks.push_back(std::stoi((*it)[1]));
  CHECK(tasks == std::vector<int>{0, 1, 2});
  CHECK(sweep.find("model.layers\\[0\\].dense.units=8") != std::string::npos);
  CHECK(sweep.find("training.epochs=2") != std::string::npos);
  CHECK(read_file(out + "/collect.sbatch").find("--collect") != std::string::npos);
  CHECK_FALSE(fs::exists(out + "/runs"));  // nothing trained here

  // Run the array tasks and the collection step as Slurm would, one after the other.
  for (int t = 0; t < 3; ++t) {
    const CommandResult task =
        run_shell("SLURM_ARRAY_TASK_ID=" + std::to_string(t) + " bash " + q(out + "/sweep.sbatch"));
    CHECK(task.exit_code == 0);
  }
  CHECK(read_file(out + "/logs/02-8.status") == "0\n");
  const CommandResult collect = run_shell("bash " + q(out + "/collect.sbatch"));
  INFO(collect.output);
  CHECK(collect.exit_code == 0);
  const auto rows = read_csv(out + "/results.csv");
  REQUIRE(rows.size() == 4);
  CHECK(rows[3][1] == "42");  // units=8: 5 * 8 + 2
  CHECK(rows[3][7] == "2");   // --set training.epochs=2 reached the array tasks

  // The same as a dry run: the files are printed, not written.
  const std::string dry_out = dir.file("dry");
  const CommandResult dry = run_shell(script(
      "sweep_model_size.sh",
      q(config) + " --key " + kUnitsKey + " --values 2,4,8 --slurm --dry-run --out " + q(dry_out)));
  CHECK(dry.exit_code == 0);
  CHECK(dry.output.find("#SBATCH --array=0-2") != std::string::npos);
  CHECK_FALSE(fs::exists(dry_out));
}

TEST_CASE("sweep script dry run prints the commands and runs nothing") {
  TempDir dir("sweep_dry");
  const std::string config = write_tiny_config(dir);
  const std::string out = dir.file("dry");
  const CommandResult r =
      run_shell(script("sweep_model_size.sh",
                       q(config) + " --key " + kUnitsKey +
                           " --values 5,6 --set training.epochs=1 --dry-run --out " + q(out)));
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output.find(" train ") != std::string::npos);
  CHECK(r.output.find("model.layers\\[0\\].dense.units=5") != std::string::npos);
  CHECK(r.output.find("model.layers\\[0\\].dense.units=6") != std::string::npos);
  CHECK(r.output.find("training.epochs=1") != std::string::npos);
  CHECK(r.output.find(" eval ") != std::string::npos);
  CHECK(r.output.find(" inspect ") != std::string::npos);
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("sweep script without gnuplot still writes the results and says how to install it") {
  TempDir dir("sweep_nognuplot");
  const std::string config = write_tiny_config(dir);
  const std::string out = dir.file("sweep");
  const CommandResult r = run_shell(
      "GNUPLOT=/nonexistent/gnuplot " +
      script("sweep_model_size.sh", q(config) + " --key " + kUnitsKey +
                                        " --values 2 --set training.epochs=1 --out " + q(out)));
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("apt-get install -y --no-install-recommends gnuplot-nox") !=
        std::string::npos);
  CHECK(read_csv(out + "/results.csv").size() == 2);
  CHECK(fs::exists(out + "/results.md"));
  CHECK_FALSE(fs::exists(out + "/error_vs_parameters.png"));
  // No link to a plot that was not drawn.
  CHECK(read_file(out + "/results.md").find("error_vs_parameters.png") == std::string::npos);
}

TEST_CASE("plot_run script draws the learning curves of a run") {
  TempDir dir("plot_run");
  const std::string config = write_tiny_config(dir);
  const std::string run = dir.file("run");
  REQUIRE(
      nnrun::testing::run_nnrun("train " + q(config) + " --quiet --run-dir " + q(run)).exit_code ==
      0);

  CHECK(run_shell(script("plot_run.sh", "")).exit_code == 2);
  CHECK(run_shell(script("plot_run.sh", q(dir.file("nothing-here")))).exit_code == 2);
  const CommandResult r = run_shell(script("plot_run.sh", q(run)));
  INFO(r.output);
  if (have_gnuplot()) {
    CHECK(r.exit_code == 0);
    CHECK(is_png(run + "/learning_curves.png"));
    CHECK(is_svg(run + "/learning_curves.svg"));
  } else {
    MESSAGE("gnuplot is not installed: plot_run.sh is only checked to ask for it");
    CHECK(r.exit_code == 1);
    CHECK(r.output.find("gnuplot-nox") != std::string::npos);
  }
}

TEST_CASE("plot_run script on runs that diverged: leaves out curves with no finite point") {
  if (!have_gnuplot()) {
    MESSAGE("gnuplot is not installed: skipped");
    return;
  }
  TempDir dir("plot_run_nan");
  const std::string header = "epoch,train_loss,train_error,val_loss,val_error,lr,seconds\n";
  // Diverged in epoch 1: no loss to plot at all, said plainly (not gnuplot's own error).
  dir.write("at-once/metrics.csv", header + "1,nan,0.69,nan,nan,1e+30,0.0022\n");
  const CommandResult at_once = run_shell(script("plot_run.sh", q(dir.file("at-once"))));
  CHECK(at_once.exit_code == 1);
  CHECK_MESSAGE(at_once.output.find("no epoch has a finite loss") != std::string::npos,
                at_once.output);
  CHECK_MESSAGE(at_once.output.find("undefined") == std::string::npos, at_once.output);
  // Validation never finite, training finite: the training curves alone, and the best
  // epoch (by train_loss) marked where its value is finite only.
  dir.write("no-val/metrics.csv",
            header + "1,0.9,0.5,nan,nan,0.1,0.01\n2,0.7,0.4,inf,nan,0.1,0.01\n");
  dir.write("no-val/summary.json", "{\n  \"best_epoch\": 2,\n  \"monitor\": \"train_loss\"\n}\n");
  const CommandResult no_val = run_shell(script("plot_run.sh", q(dir.file("no-val"))));
  CHECK_MESSAGE(no_val.exit_code == 0, no_val.output);
  CHECK(is_png(dir.file("no-val/learning_curves.png")));
}

TEST_CASE("overfitting demo: the 7-parameter model fits the points better and generalizes worse") {
  TempDir dir("overfit_demo");
  const std::string out = dir.file("demo");
  // best.ckpt is not needed (the demo measures last.ckpt): skipping it halves the disk work.
  const CommandResult r = run_shell(
      script("overfitting_demo.sh", "--out " + q(out) + " --set checkpoint.save_best=false"));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const auto rows = read_csv(out + "/results.csv");
  REQUIRE(rows.size() == 3);
  CHECK(split(read_file(out + "/results.csv"), '\n')[0] == "model,parameters,train_mse,val_mse");
  REQUIRE(rows[1].size() == 4);
  REQUIRE(rows[2].size() == 4);
  CHECK(rows[1][0] == "linear");
  CHECK(rows[1][1] == "2");
  CHECK(rows[2][0] == "7param");
  CHECK(rows[2][1] == "7");
  const double linear_train = std::stod(rows[1][2]), linear_val = std::stod(rows[1][3]);
  const double net_train = std::stod(rows[2][2]), net_val = std::stod(rows[2][3]);
  CHECK(net_train < linear_train);
  CHECK(net_val > linear_val);
  CHECK(net_train < 1e-3);  // "near 0": it passes through the 5 points
  CHECK(r.output.find("as expected") != std::string::npos);
  if (have_gnuplot()) {
    CHECK(is_png(out + "/fit.png"));
    CHECK(is_svg(out + "/fit.svg"));
    CHECK(r.output.find("could not read the data points back") == std::string::npos);
  } else {
    MESSAGE("gnuplot is not installed: the demo's plot is not checked");
  }

  // A mistyped override is a usage error, found before anything is trained or moved.
  const std::string results = read_file(out + "/results.csv");
  const CommandResult bad =
      run_shell(script("overfitting_demo.sh", "--out " + q(out) + " --set traning.epochs=3"));
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("traning") != std::string::npos);
  CHECK(read_file(out + "/results.csv") == results);
  CHECK_FALSE(fs::exists(out + "/previous-1"));

  // A second demo into the same folder keeps the first one whole in previous-1/.
  const CommandResult again = run_shell(
      script("overfitting_demo.sh",
             "--out " + q(out) + " --set checkpoint.save_best=false --set training.epochs=5"));
  INFO(again.output);
  REQUIRE(again.exit_code == 0);
  CHECK(read_file(out + "/previous-1/results.csv") == results);
  CHECK(fs::exists(out + "/previous-1/7param/last.ckpt"));
  CHECK(read_file(out + "/results.csv") != results);
}
