// Inputs a hostile-input tester found handled wrongly: data paths naming devices or pipes,
// predictions written over their own sources or into a pipe through /dev/stdout, --data
// beside --split, YAML's explicit scalar tags, and a run directory that cannot be created.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "tests/cli_runner.hpp"
#include "tests/script_runner.hpp"

using namespace nnrun::testing;
using nnrun::testing::scripts::q;
using nnrun::testing::scripts::run_shell;

namespace {

std::string iris_config(const TempDir& dir, const std::string& train_path,
                        const std::string& optimizer = "{type: adam, lr: 0.01}") {
  return dir.write("c.yaml", "data:\n  train: {format: csv, path: " + train_path +
                                 ", label: species}\n  validation: {split: 0.2}\n"
                                 "model:\n  layers:\n    - dense: {units: 3}\n"
                                 "optimizer: " +
                                 optimizer + "\ntraining: {epochs: 2}\n");
}

std::string train_iris(const TempDir& dir) {
  const std::string run = dir.file("run");
  const CommandResult r = run_nnrun("train " + iris_config(dir, source_path("datasets/iris.csv")) +
                                    " -q --run-dir " + run);
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  return run + "/best.ckpt";
}

// Two rows of iris.csv's feature columns.
std::string write_input(const TempDir& dir) {
  return dir.write("in.csv",
                   "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n"
                   "6.7,3.0,5.2,2.3\n");
}

}  // namespace

TEST_CASE("cli: a device as a data file is refused at its config key / not read") {
  // /dev/null ends at once; /dev/urandom or a FIFO, read the same way, would never end.
  TempDir dir("hostile-device");
  const std::string config = iris_config(dir, "/dev/null");
  const CommandResult r = run_nnrun("check " + config);
  INFO(r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find(config + ":2:30: data.train.path: is not a regular file (a character "
                               "device): /dev/null") != std::string::npos);

  const std::string ckpt = train_iris(dir);
  const CommandResult predict = run_nnrun("predict " + ckpt + " --input /dev/null");
  CHECK(predict.exit_code == 2);
  CHECK(predict.output.find("/dev/null: is not a regular file (a character device)") !=
        std::string::npos);
  const CommandResult idx =
      run_nnrun("eval " + ckpt + " --data '{format: idx, images: /dev/null, labels: /dev/null}'");
  CHECK(idx.exit_code == 2);
  CHECK(idx.output.find("is not a regular file (a character device)") != std::string::npos);

  // A stream this process was given stays readable: standard input is the user's choice.
  const CommandResult piped = run_shell(std::string(NNRUN_BINARY) + " predict " + q(ckpt) +
                                        " --input /dev/stdin < " + q(write_input(dir)));
  INFO(piped.output);
  CHECK(piped.exit_code == 0);
  CHECK(split(piped.output, '\n').size() == 3);
}

TEST_CASE("cli: predict never writes over its checkpoint or its input / writes into a pipe") {
  TempDir dir("hostile-predict-output");
  const std::string ckpt = train_iris(dir);
  const std::string input = write_input(dir);
  const std::string ckpt_bytes = read_file(ckpt), input_bytes = read_file(input);

  const CommandResult over_ckpt =
      run_nnrun("predict " + ckpt + " --input " + input + " --output " + ckpt);
  CHECK(over_ckpt.exit_code == 2);
  CHECK(over_ckpt.output.find("is the checkpoint being read") != std::string::npos);
  // The same file under another name is still the same file.
  const CommandResult over_input =
      run_nnrun("predict " + ckpt + " --input " + input + " --output " + dir.file(".") + "/in.csv");
  CHECK(over_input.exit_code == 2);
  CHECK(over_input.output.find("is the input being read") != std::string::npos);
  // Nor over a file a source mapping names.
  const CommandResult over_mapped = run_nnrun(
      "predict " + ckpt + " --input '{format: csv, path: " + input + "}' --output " + input);
  CHECK(over_mapped.exit_code == 2);
  CHECK(over_mapped.output.find("is the input being read") != std::string::npos);
  CHECK(read_file(ckpt) == ckpt_bytes);
  CHECK(read_file(input) == input_bytes);

  // /dev/stdout on a pipe is the pipe: written into, with no "wrote N predictions" row.
  const CommandResult piped =
      run_shell("(" + std::string(NNRUN_BINARY) + " predict " + q(ckpt) + " --input " + q(input) +
                " --output /dev/stdout; echo exit=$?) | cat");
  INFO(piped.output);
  CHECK(piped.output.find("exit=0") != std::string::npos);
  CHECK(piped.output.rfind("predicted,p_", 0) == 0);
  CHECK(piped.output.find("wrote") == std::string::npos);
}

TEST_CASE("cli: eval --data beside --split is a usage error") {
  TempDir dir("hostile-eval-split");
  const std::string ckpt = train_iris(dir);
  const CommandResult r =
      run_nnrun("eval " + ckpt + " --split train --data " + source_path("datasets/iris.csv"));
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("--split excludes --data") != std::string::npos);
}

TEST_CASE("cli: YAML's explicit scalar tags read as their type when the text fits it") {
  TempDir dir("hostile-tags");
  const std::string iris = source_path("datasets/iris.csv");
  const CommandResult tagged = run_nnrun("check " + iris_config(dir, iris, "{lr: !!float 0.02}"));
  INFO(tagged.output);
  CHECK(tagged.exit_code == 0);
  CHECK(tagged.output.find("lr: 0.02") != std::string::npos);

  const CommandResult wrong_type = run_nnrun("check " + iris_config(dir, iris, "{lr: !!int 0.5}"));
  CHECK(wrong_type.exit_code == 2);
  CHECK(wrong_type.output.find("optimizer.lr: expected a number, got \"0.5\" (tagged !!int)") !=
        std::string::npos);
  const CommandResult string = run_nnrun("check " + iris_config(dir, iris, "{lr: !!str 0.5}"));
  CHECK(string.exit_code == 2);
  CHECK(string.output.find("(tagged !!str)") != std::string::npos);
  const CommandResult quoted = run_nnrun("check " + iris_config(dir, iris, "{lr: '0.5'}"));
  CHECK(quoted.exit_code == 2);
  CHECK(quoted.output.find("(a quoted string)") != std::string::npos);
}

TEST_CASE("cli: a run directory that cannot be created is named as such") {
  TempDir dir("hostile-run-dir");
  const std::string file = dir.write("a-file", "not a folder\n");
  const CommandResult r = run_nnrun("train " + iris_config(dir, source_path("datasets/iris.csv")) +
                                    " -q --run-dir " + file + "/run");
  CHECK(r.exit_code == 1);
  CHECK(r.output.find(file + "/run: cannot create the run directory") != std::string::npos);
}
