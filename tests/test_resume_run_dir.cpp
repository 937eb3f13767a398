// Where a resumed run continues: --run-dir (or --set checkpoint.dir) must name the
// checkpoint's folder; a copied run directory resumes where it lies.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "core/checkpoint/checkpoint.hpp"
#include "tests/cli_runner.hpp"

using namespace nnrun;
using namespace nnrun::testing;

namespace {

namespace fs = std::filesystem;

const std::string kIris = source_path("configs/iris.yaml");

std::int64_t epoch_of(const std::string& checkpoint) {
  return load_checkpoint(checkpoint).epoch;
}

}  // namespace

TEST_CASE("resume with --run-dir other than the checkpoint's folder is refused") {
  TempDir dir("resume-run-dir");
  const std::string run = dir.file("run");
  REQUIRE(run_nnrun("train " + kIris + " -q --epochs 2 --run-dir " + run).exit_code == 0);
  const std::string before = read_file(run + "/metrics.csv");

  const CommandResult other = run_nnrun("train " + kIris + " -q --epochs 3 --run-dir " +
                                        dir.file("other") + " --resume " + run + "/last.ckpt");
  CHECK(other.exit_code == 2);
  CHECK_MESSAGE(other.output.find("--run-dir (checkpoint.dir) " + dir.file("other") +
                                  " is not the checkpoint's folder " + run) != std::string::npos,
                other.output);
  CHECK(!fs::exists(dir.file("other")));
  CHECK(read_file(run + "/metrics.csv") == before);
  const CommandResult set =
      run_nnrun("train " + kIris + " -q --epochs 3 --set checkpoint.dir=" + dir.file("other") +
                " --resume " + run + "/last.ckpt");
  CHECK(set.exit_code == 2);

  // The checkpoint's own folder, however spelled, is fine; so is a copied run directory,
  // whose config names another folder (here: the config file's runs/iris).
  const CommandResult same = run_nnrun("train " + kIris + " -q --epochs 3 --run-dir " + run +
                                       "/./ --resume " + run + "/last.ckpt");
  CHECK_MESSAGE(same.exit_code == 0, same.output);
  CHECK(epoch_of(run + "/last.ckpt") == 3);
  fs::copy(run, dir.file("copy"));
  const CommandResult copy =
      run_nnrun("train " + kIris + " -q --epochs 4 --resume " + dir.file("copy/last.ckpt"));
  CHECK_MESSAGE(copy.exit_code == 0, copy.output);
  CHECK(epoch_of(dir.file("copy/last.ckpt")) == 4);
}
