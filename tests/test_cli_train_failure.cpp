// A run that fails part-way (here: a checkpoint cannot be written) ends with exit 1 and the
// error both on the console and in train.log, which holds everything the console showed.
#include <doctest/doctest.h>

#include <filesystem>

#include "tests/cli_runner.hpp"

using namespace nnrun::testing;

TEST_CASE("train: the error that ends a run is the last line of train.log too") {
  TempDir dir("train-failure");
  const std::string run = dir.file("run");
  std::filesystem::create_directories(run + "/epoch-2.ckpt/in-the-way");
  const CommandResult r = run_nnrun("train " + source_path("configs/iris.yaml") + " --run-dir " +
                                    run + " --set checkpoint.every_n_epochs=1 --epochs 3");
  CHECK(r.exit_code == 1);
  const std::string error = "error: " + run + "/epoch-2.ckpt: cannot save";
  CHECK_MESSAGE(r.output.find(error) != std::string::npos, r.output);
  const std::string log = read_file(run + "/train.log");
  CHECK(log.find("epoch 1 ") != std::string::npos);
  const std::size_t last_line = log.rfind('\n', log.size() - 2);
  CHECK_MESSAGE(log.compare(last_line + 1, error.size(), error) == 0, log);
}
