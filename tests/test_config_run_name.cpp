// The run name becomes the folder runs/<name>: names that are not one plain folder name
// ("..", "a/b") are config errors at `name`, whether written, set or taken from the file.
#include <doctest/doctest.h>

#include <filesystem>

#include "tests/cli_runner.hpp"
#include "tests/config_fixtures.hpp"

namespace nnrun::testing {
namespace {

TEST_CASE("run name: '..' / '.' / slashes and control characters are rejected at name") {
  TempDir dir;
  const std::string file = dir.file("cfg.yaml");
  const std::string prefix = ":1:7: name: a run name is a folder name under runs/ and ";
  CHECK(config_error(dir, "name: '..'\n" + std::string(kMinimalConfig)) ==
        file + prefix + "must not be '..', got \"..\"");
  CHECK(config_error(dir, "name: .\n" + std::string(kMinimalConfig)) ==
        file + prefix + "must not be '.', got \".\"");
  CHECK(config_error(dir, "name: a/b\n" + std::string(kMinimalConfig)) ==
        file + prefix + "must not contain '/', got \"a/b\"");
  CHECK(config_error(dir, "name: 'a\\b'\n" + std::string(kMinimalConfig)) ==
        file + prefix + "must not contain '\\', got \"a\\\\b\"");
  CHECK(config_error(dir, "name: \"a\\tb\"\n" + std::string(kMinimalConfig)) ==
        file + prefix + "must not contain control characters, got \"a\\x09b\"");
  CHECK(config_error(dir, kMinimalConfig, {"name=.."}) ==
        "--set name=..: name: a run name is a folder name under runs/ and must not be '..', "
        "got \"..\"");
  // Dots inside a name are fine, and an explicit checkpoint.dir stays the user's choice.
  CHECK(load_config_file(dir.write("ok.yaml", "name: v1..2\n" + std::string(kMinimalConfig)))
            .checkpoint.dir == "runs/v1..2");
  CHECK(load_config_file(dir.write("dir.yaml", kMinimalConfig), {"checkpoint.dir=.."})
            .checkpoint.dir == "..");
}

TEST_CASE("run name: the default from the file's stem must be a usable name too") {
  TempDir dir;
  const std::string path = dir.write("...yaml", kMinimalConfig);  // stem ".."
  CHECK(load_error(path) == path +
                                ": name: the default run name, the config file's stem \"..\", is "
                                "not usable as a folder name under runs/ (it must not be '..'); "
                                "set name: in the config");
  CHECK(load_config_file(path, {"name=dots"}).name == "dots");
}

TEST_CASE("cli: train with name '..' writes nothing into the cwd") {
  TempDir dir;
  const std::string path =
      dir.write("cfg.yaml",
                "name: '..'\n"
                "data:\n  train: {format: synthetic, generator: moons, samples: 40}\n"
                "model:\n  layers:\n    - dense: {units: 2}\ntraining: {epochs: 1}\n");
  const std::filesystem::path work = dir.path() / "work";
  std::filesystem::create_directories(work);
  const CommandResult r = run_nnrun("train " + path, "cd " + work.string() + " &&");
  CHECK(r.exit_code == 2);
  CHECK(r.output.rfind(path + ":1:7: name: ", 0) == 0);
  CHECK(std::filesystem::is_empty(work));
}

}  // namespace
}  // namespace nnrun::testing
