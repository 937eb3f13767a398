// A backend this build cannot run (cuda) is a config error at `backend`, the same for check
// and train, from the file or from --backend; bf16 problems stay at `precision`.
#include <doctest/doctest.h>

#include "backends/registry.hpp"
#include "tests/cli_runner.hpp"

namespace nnrun::testing {
namespace {

const char* const kMessage =
    "backend: this build of nnrun has no CUDA backend yet; use cpu or auto";

std::string moons_config(const std::string& top) {
  return top +
         "data:\n  train: {format: synthetic, generator: moons, samples: 40}\n"
         "model:\n  layers:\n    - dense: {units: 2}\ntraining: {epochs: 1}\n";
}

TEST_CASE("backend unavailable: cuda blames backend / bf16 blames precision") {
  const auto cuda = backend_unavailable({"cuda", 0, "f32"});
  REQUIRE(cuda);
  CHECK(cuda->key == "backend");
  const auto cuda_bf16 = backend_unavailable({"cuda", 0, "bf16"});
  REQUIRE(cuda_bf16);
  CHECK(cuda_bf16->key == "backend");
  const auto reference_bf16 = backend_unavailable({"reference", 0, "bf16"});
  REQUIRE(reference_bf16);
  CHECK(reference_bf16->key == "precision");
  CHECK_FALSE(backend_unavailable({"cpu", 0, "f32"}));
  CHECK_FALSE(backend_unavailable({"auto", 0, "f32"}));
}

TEST_CASE("cli: backend cuda fails check and train alike at the key / exit 2") {
  TempDir dir;
  const std::string path = dir.write("cfg.yaml", moons_config("backend: cuda\n"));
  for (const std::string command : {"check ", "train "}) {
    CAPTURE(command);
    const CommandResult r = run_nnrun(command + path + " --set checkpoint.dir=" + dir.file("run"));
    CHECK(r.exit_code == 2);
    CHECK(r.output == path + ":1:10: " + kMessage + "\n");
  }
  const std::string plain = dir.write("plain.yaml", moons_config(""));
  for (const std::string command : {"check ", "train "}) {
    CAPTURE(command);
    const CommandResult r = run_nnrun(command + plain + " --set checkpoint.dir=" + dir.file("run") +
                                      " --set backend=cuda");
    CHECK(r.exit_code == 2);
    CHECK(r.output == "--set backend=cuda: " + std::string(kMessage) + "\n");
  }
  CHECK(!std::filesystem::exists(dir.file("run")));
}

TEST_CASE("cli: precision bf16 on the reference backend is blamed on precision") {
  TempDir dir;
  const std::string path = dir.write("cfg.yaml", moons_config("precision: bf16\n"));
  const CommandResult r = run_nnrun("check " + path + " --set backend=reference");
  CHECK(r.exit_code == 2);
  CHECK(r.output ==
        path + ":1:12: precision: bf16 runs on the cpu backend; reference is f32 only\n");
}

}  // namespace
}  // namespace nnrun::testing
