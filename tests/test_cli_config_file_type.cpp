// A config path that is not a regular file -- a FIFO nobody writes to, a device -- is
// refused at once instead of hanging; /dev/stdin keeps working.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include "tests/cli_runner.hpp"

namespace nnrun::testing {
namespace {

TEST_CASE("cli: a FIFO or a device as config is refused / exit 2") {
  TempDir dir;
  const std::string fifo = dir.file("f.yaml");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // timeout: before the fix this waited forever for a writer.
  const CommandResult r = run_nnrun("check " + fifo, "timeout 20");
  CHECK(r.exit_code == 2);
  CHECK(r.output == fifo + ": is not a regular file (a named pipe), expected a YAML config file\n");
  const CommandResult device = run_nnrun("train /dev/zero", "timeout 20");
  CHECK(device.exit_code == 2);
  CHECK(device.output ==
        "/dev/zero: is not a regular file (a character device), expected a YAML config file\n");
}

TEST_CASE("cli: a config piped to /dev/stdin still loads") {
  TempDir dir;
  const std::string path =
      dir.write("cfg.yaml",
                "name: piped\n"
                "data:\n  train: {format: synthetic, generator: moons, samples: 40}\n"
                "model:\n  layers:\n    - dense: {units: 2}\n");
  const CommandResult r = run_nnrun("check /dev/stdin", "cat " + path + " | timeout 20");
  CHECK(r.exit_code == 0);
  CHECK(r.output.rfind("/dev/stdin: OK", 0) == 0);
}

}  // namespace
}  // namespace nnrun::testing
