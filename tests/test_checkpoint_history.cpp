// A checkpoint whose history is not one line per epoch 1..epoch (with a correct crc32): an
// input error naming the file when read, and exit 2 on --resume, never an internal error.
#include <doctest/doctest.h>

#include <string>

#include "core/checkpoint/checkpoint.hpp"
#include "tests/checkpoint_fixtures.hpp"
#include "tests/cli_runner.hpp"

using namespace nnrun;
using namespace nnrun::testing;
using namespace nnrun::testing::ckpt;

TEST_CASE("a checkpoint whose history does not hold epochs 1..epoch is an input error") {
  const Parts parts = split_checkpoint(real_run().bytes);
  const std::size_t begin = parts.header.find("history: |\n");
  const std::size_t end = parts.header.find("tensors:\n");
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  const std::string history = parts.header.substr(begin, end - begin);
  const std::string path = "/runs/crafted.ckpt";
  const auto error_with = [&](const std::string& text) {
    return parse_error(frame(replaced(parts.header, history, text), parts.payload), path);
  };
  const std::string empty = error_with("history: \"\"\n");
  CHECK(empty.rfind(path + ": ", 0) == 0);
  CHECK(empty.find("history: holds 0 epochs, but the checkpoint is at epoch 2") !=
        std::string::npos);
  const std::string one = error_with("history: |\n  1 1 1 1 1 0.01 0\n");
  CHECK(one.find("holds 1 epochs") != std::string::npos);
  const std::string skipped = error_with("history: |\n  1 1 1 1 1 0.01 0\n  3 1 1 1 1 0.01 0\n");
  CHECK(skipped.find("history line 2: starts with epoch 3 where epoch 2 belongs") !=
        std::string::npos);
  CHECK(error_with(history) == "LOADED");

  // And through the command line: epoch 101 with no history.
  check_resume_refused(frame(replaced(replaced(parts.header, history, "history: \"\"\n"),
                                      "epoch: 2\n", "epoch: 101\n"),
                             parts.payload),
                       "history: holds 0 epochs, but the checkpoint is at epoch 101");
}
