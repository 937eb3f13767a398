// A checkpoint whose history is not one line per epoch 1..epoch (with a correct crc32): an
// input error naming the file when read, and exit 2 on --resume, never an internal error.
#include <doctest/doctest.h>

#include <cstring>
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

// serialize_checkpoint keeps the text of rows it formatted before; a row that changed since,
// even only in the sign of a zero, must be formatted again.
TEST_CASE("the history written is always that of the checkpoint being saved") {
  Checkpoint c = parse_checkpoint(real_run().bytes, "real.ckpt");
  REQUIRE(c.history.size() == 2);
  for (int epoch = 3; epoch <= 40; ++epoch) {
    c.history.push_back({double(epoch), 1.0 / epoch, 0.0, 0.1 * epoch, 0.5, 1e-3, 0.25});
    c.epoch = epoch;
    CHECK(parse_checkpoint(serialize_checkpoint(c), "grown.ckpt").history == c.history);
  }
  Checkpoint changed = c;
  changed.history[10][2] = -0.0;          // was +0.0, which compares equal: the bits must decide
  changed.history[30][1] = 0.25 + 1e-16;  // another double, printed with more digits
  changed.history[39][6] = 1e-300;
  const Checkpoint back = parse_checkpoint(serialize_checkpoint(changed), "changed.ckpt");
  REQUIRE(back.history.size() == changed.history.size());
  for (std::size_t i = 0; i < back.history.size(); ++i)
    for (std::size_t k = 0; k < 7; ++k) {
      CAPTURE(i);
      CAPTURE(k);
      CHECK(std::memcmp(&back.history[i][k], &changed.history[i][k], sizeof(double)) == 0);
    }
  // A shorter history after a longer one (a resume from an earlier checkpoint).
  Checkpoint shorter = changed;
  shorter.history.resize(5);
  shorter.epoch = 5;
  CHECK(parse_checkpoint(serialize_checkpoint(shorter), "short.ckpt").history == shorter.history);
}

// save_checkpoint writes the pieces one after another: the file must be byte for byte what
// serialize_checkpoint assembles, trailer crc32 included.
TEST_CASE("a saved checkpoint file holds exactly the serialized bytes") {
  const Checkpoint c = parse_checkpoint(real_run().bytes, "real.ckpt");
  TempDir dir("saved-pieces");
  const std::string path = dir.file("x.ckpt");
  save_checkpoint(path, c);
  CHECK(read_file(path) == serialize_checkpoint(c));
  CHECK(parse_checkpoint(read_file(path), path).tensors.size() == c.tensors.size());
}
