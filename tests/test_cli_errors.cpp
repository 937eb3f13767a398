// The command line's contract for bad input: one clear line naming the file, exit code 2.
#include <doctest/doctest.h>

#include "tests/cli_runner.hpp"

using namespace nnrun::testing;

TEST_CASE("cli: --version and --help exit 0 / unknown commands and options exit 2") {
  const CommandResult version = run_nnrun("--version");
  CHECK(version.exit_code == 0);
  CHECK(version.output.find("nnrun ") != std::string::npos);
  CHECK(run_nnrun("--help").exit_code == 0);
  CHECK(run_nnrun("train --help").exit_code == 0);
  CHECK(run_nnrun("frobnicate").exit_code == 2);
  CHECK(run_nnrun("train").exit_code == 2);  // config is required
  CHECK(run_nnrun("train x.yaml --no-such-option").exit_code == 2);
}

TEST_CASE("cli: missing config / a directory as config / an empty YAML file") {
  TempDir dir("cli-files");
  const CommandResult missing = run_nnrun("train " + dir.file("nope.yaml"));
  CHECK(missing.exit_code == 2);
  CHECK(missing.output.find(dir.file("nope.yaml")) != std::string::npos);

  const CommandResult directory = run_nnrun("check " + dir.path().string());
  CHECK(directory.exit_code == 2);
  CHECK(directory.output.find(dir.path().string()) != std::string::npos);

  const std::string empty = dir.write("empty.yaml", "");
  const CommandResult empty_run = run_nnrun("train " + empty);
  CHECK(empty_run.exit_code == 2);
  CHECK(empty_run.output.find(empty) != std::string::npos);
  // One clear line, not a stack of messages.
  CHECK(split(empty_run.output, '\n').size() == 1);
}

namespace {

std::string iris_config(const std::string& optimizer_lines) {
  return "data:\n"
         "  train: {format: csv, path: " +
         source_path("datasets/iris.csv") +
         ", label: species}\n"
         "model:\n"
         "  layers:\n"
         "    - dense: {units: 8, activation: relu}\n"
         "    - dense: {units: 3}\n"
         "optimizer:\n" +
         optimizer_lines;
}

}  // namespace

TEST_CASE("cli: config errors carry file:line:col and key path / exit 2") {
  TempDir dir("cli-config");
  struct Case {
    const char* name;
    std::string optimizer;
    std::string expected;  // after "file:"
  };
  const Case cases[] = {
      {"unknown_key", "  type: adam\n  lrr: 0.1\n", ":9:3: optimizer.lrr: unknown key 'lrr'"},
      {"wrong_type", "  type: adam\n  lr: fast\n", ":9:7: optimizer.lr: "},
      {"out_of_range", "  type: adam\n  lr: -0.1\n", ":9:7: optimizer.lr: must be > 0"},
      {"syntax", "  type: adam\n  lr: [0.1\n", ":"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const std::string path = dir.write(std::string(c.name) + ".yaml", iris_config(c.optimizer));
    const CommandResult r = run_nnrun("check " + path);
    CHECK(r.exit_code == 2);
    CHECK(r.output.rfind(path + c.expected, 0) == 0);
    const bool suggests = r.output.find("did you mean 'lr'") != std::string::npos;
    CHECK(suggests == (std::string(c.name) == "unknown_key"));
  }
}

TEST_CASE("cli: CSV errors name the file and line / exit 2") {
  TempDir dir("cli-csv");
  const std::string csv = dir.write("bad.csv", "a,b,label\n1,2,x\n3,4\n5,6,y\n");
  const std::string config =
      dir.write("c.yaml",
                "data:\n  train: {format: csv, path: bad.csv, label: label}\n"
                "model:\n  layers:\n    - dense: {units: 2}\n");
  const CommandResult r = run_nnrun("train " + config + " --run-dir " + dir.file("run"));
  CHECK(r.exit_code == 2);
  CHECK(r.output.find(csv + ":3:") != std::string::npos);
}

TEST_CASE("cli: a model that does not fit the data is a config error") {
  TempDir dir("cli-fit");
  const std::string config = dir.write(
      "c.yaml", "data:\n  train: {format: csv, path: " + source_path("datasets/iris.csv") +
                    ", label: species}\nmodel:\n  layers:\n    - dense: {units: 4}\n");
  const CommandResult r = run_nnrun("check " + config);
  CHECK(r.exit_code == 2);
  CHECK(r.output.rfind(config + ":5:22: model.layers[0].dense.units: ", 0) == 0);
  CHECK(r.output.find("3 classes") != std::string::npos);
}

TEST_CASE("cli: a truncated or foreign checkpoint is a clear error / exit 2") {
  TempDir dir("cli-ckpt");
  const std::string junk = dir.write("junk.ckpt", "this is not a checkpoint at all");
  const CommandResult r = run_nnrun("eval " + junk);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find(junk) != std::string::npos);
  CHECK(run_nnrun("eval " + dir.file("missing.ckpt")).exit_code == 2);
}

TEST_CASE("cli: a missing data file is reported at the config key that names it") {
  TempDir dir("cli-missing-data");
  const std::string config =
      dir.write("c.yaml",
                "data:\n  train: {format: csv, path: nowhere.csv}\nmodel:\n  layers:\n"
                "    - dense: {units: 2}\n");
  const CommandResult r = run_nnrun("train " + config + " --run-dir " + dir.file("run"));
  CHECK(r.exit_code == 2);
  CHECK(r.output.rfind(
            config + ":2:30: data.train.path: file not found: " + dir.file("nowhere.csv"), 0) == 0);
  CHECK(!std::filesystem::exists(dir.file("run")));  // nothing is created for a bad config
}
