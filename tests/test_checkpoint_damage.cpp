// A real checkpoint (written by `nnrun train`) damaged every way a disk or a copy can: cut at
// every offset, single bits flipped, odd files in its place; each a clear InputError or exit 2.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>

#include "core/checkpoint/checkpoint.hpp"
#include "core/errors.hpp"
#include "tests/checkpoint_fixtures.hpp"
#include "tests/cli_runner.hpp"
#include "tests/temp_dir.hpp"

using namespace nnrun;
using namespace nnrun::testing;
using namespace nnrun::testing::ckpt;

namespace {

const std::string kPath = "/somewhere/damaged.ckpt";

bool names_file(const std::string& message, const std::string& path = kPath) {
  return message.rfind(path + ": ", 0) == 0;
}

std::string load_error(const std::string& path) {
  try {
    load_checkpoint(path);
    return "LOADED";
  } catch (const InputError& e) {
    return e.what();
  }
}

}  // namespace

TEST_CASE("checkpoint from a real run loads and serializes back to the same bytes") {
  const RealRun& run = real_run();
  const Checkpoint c = load_checkpoint(run.best);
  CHECK(c.epoch >= 1);
  CHECK(c.input_width == 4);
  CHECK(c.class_names.size() == 3);
  CHECK(c.history.size() == static_cast<std::size_t>(c.epoch));
  CHECK(c.find("layers.0.dense.weight") != nullptr);
  CHECK(serialize_checkpoint(c) == run.bytes);
  CHECK(load_checkpoint(run.last).epoch == 2);
}

TEST_CASE("checkpoint cut at every byte of its prefix and header is an input error") {
  const std::string& bytes = real_run().bytes;
  const std::size_t header_end = kPrefixBytes + split_checkpoint(bytes).header.size();
  for (std::size_t length = 0; length <= header_end; ++length) {
    CAPTURE(length);
    const std::string message = parse_error(bytes.substr(0, length), kPath);
    CHECK_MESSAGE(names_file(message), message);
  }
}

TEST_CASE("checkpoint cut inside its payload or trailer is an input error") {
  const std::string& bytes = real_run().bytes;
  const std::size_t payload_begin = kPrefixBytes + split_checkpoint(bytes).header.size();
  const std::size_t span = bytes.size() - payload_begin;
  const std::size_t stride = std::max<std::size_t>(1, span / 400);
  std::size_t tried = 0;
  for (std::size_t length = payload_begin; length < bytes.size(); length += stride, ++tried) {
    CAPTURE(length);
    const std::string message = parse_error(bytes.substr(0, length), kPath);
    CHECK_MESSAGE(names_file(message), message);
    CHECK(message.find("truncated") != std::string::npos);
  }
  CHECK(tried >= 200);
  // One byte short, and one byte too many.
  CHECK(names_file(parse_error(bytes.substr(0, bytes.size() - 1), kPath)));
  CHECK(names_file(parse_error(bytes + '\0', kPath)));
}

TEST_CASE("checkpoint with one bit flipped at 1000 seeded positions is an input error") {
  const std::string& bytes = real_run().bytes;
  std::mt19937_64 rng(20240611);
  std::uniform_int_distribution<std::size_t> bit(0, bytes.size() * 8 - 1);
  std::set<std::string> kinds;
  for (int trial = 0; trial < 1000; ++trial) {
    const std::size_t at = bit(rng);
    CAPTURE(at);
    std::string damaged = bytes;
    damaged[at / 8] = static_cast<char>(damaged[at / 8] ^ (1 << (at % 8)));
    const std::string message = parse_error(damaged, kPath);
    CHECK_MESSAGE(names_file(message), message);
    kinds.insert(message.substr(kPath.size(), 40));
  }
  // Most flips land in the header or payload, where the checksum catches them.
  CHECK(std::any_of(kinds.begin(), kinds.end(),
                    [](const std::string& k) { return k.find("corrupt") != std::string::npos; }));
}

TEST_CASE("checkpoint path that is missing or empty or not a file is an input error") {
  TempDir dir("ckpt_odd");
  CHECK(load_error(dir.file("missing.ckpt")) ==
        dir.file("missing.ckpt") + ": checkpoint file not found");
  CHECK(load_error(dir.path().string()).find("is a directory") != std::string::npos);
  const std::string empty = dir.write("empty.ckpt", "");
  CHECK(load_error(empty) == empty + ": empty file, not a checkpoint");
  CHECK(load_error("/dev/null") == "/dev/null: is not a regular file");
  const std::string text = dir.write("config.ckpt", "name: iris\nseed: 42\n");
  CHECK(load_error(text) == text + ": not an nnrun checkpoint (bad magic number)");
  const std::string short_magic = dir.write("short.ckpt", "NNRUN");
  CHECK(names_file(load_error(short_magic), short_magic));
  CHECK(load_error(short_magic).find("truncated") != std::string::npos);
}

TEST_CASE("eval and inspect of a damaged checkpoint exit 2 naming the file") {
  const std::string& bytes = real_run().bytes;
  TempDir dir("ckpt_cli");
  std::string flipped = bytes;
  flipped[bytes.size() - 40] = static_cast<char>(flipped[bytes.size() - 40] ^ 0x10);
  const std::string files[] = {
      dir.write("flipped.ckpt", flipped),
      dir.write("cut.ckpt", bytes.substr(0, bytes.size() / 2)),
      dir.write("cut_header.ckpt", bytes.substr(0, 300)),
      dir.write("empty.ckpt", ""),
  };
  for (const std::string& file : files) {
    CAPTURE(file);
    for (const std::string command : {"eval ", "inspect ", "inspect --json "}) {
      const CommandResult r = run_nnrun(command + file);
      CHECK_MESSAGE(r.exit_code == 2, r.output);
      CHECK_MESSAGE(r.output.find(file + ": ") != std::string::npos, r.output);
    }
  }
  const CommandResult eval = run_nnrun("eval " + files[0]);
  CHECK(eval.output.find("checksum mismatch") != std::string::npos);
}
