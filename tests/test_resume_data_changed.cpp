// A resume reads the training data again: when it differs from what the checkpoint was
// trained on, continuing would be another run under this one's name, so it is refused.
#include <doctest/doctest.h>

#include <string>

#include "core/checkpoint/checkpoint.hpp"
#include "tests/cli_runner.hpp"

using namespace nnrun;
using namespace nnrun::testing;

TEST_CASE("resume refuses training data that changed since the checkpoint") {
  TempDir dir("resume-data-changed");
  const std::string iris = read_file(source_path("datasets/iris.csv"));
  dir.write("iris.csv", iris);
  const std::string config = dir.write("cfg.yaml",
                                       "data:\n"
                                       "  train: {path: iris.csv, label: species}\n"
                                       "model:\n"
                                       "  layers:\n"
                                       "    - dense: {units: 8, activation: relu}\n"
                                       "    - dense: {units: 3}\n"
                                       "training: {epochs: 3, batch_size: 16}\n");
  const std::string run = dir.file("run");
  REQUIRE(run_nnrun("train " + config + " -q --run-dir " + run).exit_code == 0);
  const std::string fingerprint = load_checkpoint(run + "/last.ckpt").data_fingerprint;
  CHECK(fingerprint.starts_with("crc32:"));

  // Unchanged data: the resume goes on.
  const CommandResult same =
      run_nnrun("train " + config + " -q --epochs 4 --resume " + run + "/last.ckpt");
  CHECK_MESSAGE(same.exit_code == 0, same.output);
  CHECK(load_checkpoint(run + "/last.ckpt").data_fingerprint == fingerprint);

  // One value edited (5.1 -> 9.9 in the first row): refused, naming data.train and the file.
  std::string edited = iris;
  edited.replace(edited.find("5.1,3.5"), 3, "9.9");
  dir.write("iris.csv", edited);
  const CommandResult changed =
      run_nnrun("train " + config + " -q --epochs 5 --resume " + run + "/last.ckpt");
  CHECK(changed.exit_code == 2);
  CHECK_MESSAGE(changed.output.find("data.train") != std::string::npos, changed.output);
  CHECK_MESSAGE(changed.output.find("differ from what") != std::string::npos, changed.output);
  CHECK(load_checkpoint(run + "/last.ckpt").epoch == 4);  // nothing was trained or written

  // eval of the run's own split says its metrics will not match the log.
  const CommandResult eval = run_nnrun("eval " + run + "/best.ckpt --split val");
  CHECK(eval.exit_code == 0);
  // The edited row is one of the 30 the split holds out: the validation set changed.
  CHECK_MESSAGE(eval.output.find("validation data changed") != std::string::npos, eval.output);
  dir.write("iris.csv", iris);
  const CommandResult eval_same = run_nnrun("eval " + run + "/best.ckpt --split val");
  CHECK(eval_same.exit_code == 0);
  CHECK(eval_same.output.find("data changed") == std::string::npos);
}

TEST_CASE("resume and eval tell a changed validation file from the training file") {
  TempDir dir("resume-validation-changed");
  const std::vector<std::string> lines = split(read_file(source_path("datasets/iris.csv")), '\n');
  std::string train = lines[0] + "\n", validation = lines[0] + "\n";
  for (std::size_t i = 1; i < lines.size(); ++i)
    if (!lines[i].empty()) (i % 5 == 0 ? validation : train) += lines[i] + "\n";
  dir.write("train.csv", train);
  dir.write("val.csv", validation);
  const std::string config = dir.write("cfg.yaml",
                                       "data:\n"
                                       "  train: {path: train.csv, label: species}\n"
                                       "  validation: {format: csv, path: val.csv}\n"
                                       "model:\n"
                                       "  layers:\n"
                                       "    - dense: {units: 3}\n"
                                       "training: {epochs: 2, batch_size: 16}\n");
  const std::string run = dir.file("run");
  REQUIRE(run_nnrun("train " + config + " -q --run-dir " + run).exit_code == 0);
  std::string edited = validation;
  edited.replace(edited.find('\n') + 1, 1, "9");  // the first value of the first row
  dir.write("val.csv", edited);

  const CommandResult resumed =
      run_nnrun("train " + config + " -q --epochs 3 --resume " + run + "/last.ckpt");
  CHECK(resumed.exit_code == 2);
  CHECK_MESSAGE(
      resumed.output.find("data.validation: the validation data differ") != std::string::npos,
      resumed.output);
  const CommandResult val = run_nnrun("eval " + run + "/last.ckpt --split val");
  CHECK(val.exit_code == 0);
  CHECK_MESSAGE(val.output.find("validation data changed") != std::string::npos, val.output);
  const CommandResult on_train = run_nnrun("eval " + run + "/last.ckpt --split train");
  CHECK(on_train.exit_code == 0);
  CHECK_MESSAGE(on_train.output.find("data changed") == std::string::npos, on_train.output);
}
