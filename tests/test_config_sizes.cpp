// Upper bounds on sizes: units, features, classes and samples are range-checked like any
// other value, and a model whose parameter count would not fit anywhere is a config error,
// never a crash, a negative count or an "internal error".
#include <doctest/doctest.h>

#include "core/config/model_size.hpp"
#include "tests/cli_runner.hpp"
#include "tests/config_fixtures.hpp"

namespace nnrun::testing {
namespace {

const std::string kMaxInt64 = "9223372036854775807";

std::string blobs_config(const std::string& layers) {
  return "data:\n"
         "  train: {format: synthetic, generator: blobs, features: 4, classes: 3, samples: 60}\n"
         "model:\n"
         "  layers:\n" +
         layers + "training: {epochs: 1}\n";
}

TEST_CASE("sizes: units / features / classes / samples have upper bounds") {
  TempDir dir;
  const std::string path = dir.write("cfg.yaml", blobs_config("    - dense: {units: 3}\n"));
  struct Case {
    std::string set;
    std::string expected;
  };
  const Case cases[] = {
      {"model.layers[0].dense.units=" + kMaxInt64,
       "model.layers[0].dense.units: must be at most 16777216 (the largest nnrun supports), got " +
           kMaxInt64},
      {"model.layers[0].dense.units=4611686018427387904",
       "model.layers[0].dense.units: must be at most 16777216 (the largest nnrun supports), got "
       "4611686018427387904"},
      {"data.train.features=2000000000",
       "data.train.features: must be at most 16777216 (the largest nnrun supports), got "
       "2000000000"},
      {"data.train.classes=" + kMaxInt64,
       "data.train.classes: must be at most 16777216 (the largest nnrun supports), got " +
           kMaxInt64},
      {"threads=" + kMaxInt64,
       "threads: must be at most 65536 (the largest nnrun supports), got " + kMaxInt64},
      {"data.train.samples=" + kMaxInt64,
       "data.train.samples: must be at most 2147483647 (the largest nnrun supports), got " +
           kMaxInt64},
  };
  for (const Case& c : cases) {
    CAPTURE(c.set);
    CHECK(load_error(path, {c.set}) == "--set " + c.set + ": " + c.expected);
  }
  // The bounds themselves are allowed.
  CHECK(load_config_file(path, {"model.layers[0].dense.units=16777216"}).model.layers[0].units ==
        16777216);
}

TEST_CASE("sizes: a generated data set is at most 2^28 values") {
  TempDir dir;
  const std::string path = dir.write("cfg.yaml", blobs_config("    - dense: {units: 3}\n"));
  CHECK(load_error(path, {"data.train.features=16777216", "data.train.samples=200"}) ==
        "--set data.train.samples=200: data.train.samples: samples x features must be at most "
        "268435456 (2^28 values), got 200 x 16777216");
  CHECK(load_error(path, {"data.train.features=2", "data.train.samples=2147483647"})
            .find("samples x features must be at most 268435456") != std::string::npos);
}

TEST_CASE("sizes: the parameter count is overflow-safe") {
  ModelConfig model;
  LayerConfig wide;
  wide.units = 16777216;
  model.layers = {wide, wide};
  CHECK(parameter_count(model, 4) == 16777216LL * 5 + 16777216LL * 16777217);
  // 32769 layers of 2^24 x 2^24 weights overflow int64.
  model.layers.assign(32769, wide);
  CHECK(parameter_count(model, 4) == std::nullopt);
}

TEST_CASE("cli: a model too large for any machine is a config error at the layer's units") {
  TempDir dir;
  const std::string path = dir.write(
      "cfg.yaml", blobs_config("    - dense: {units: 16777216}\n"
                               "    - dense: {units: 16777216}\n    - dense: {units: 3}\n"));
  for (const std::string command : {"check ", "train "}) {
    CAPTURE(command);
    const CommandResult r = run_nnrun(command + path + " --set checkpoint.dir=" + dir.file("run"));
    CHECK(r.exit_code == 2);
    CHECK(r.output == path +
                          ":6:22: model.layers[1].dense.units: with this layer the model has more "
                          "than 1099511627776 (2^40) parameters, more than any machine holds; "
                          "use fewer units\n");
  }
}

TEST_CASE("cli: units past the bound / with train and check exit 2 and say so") {
  TempDir dir;
  const std::string path = dir.write("cfg.yaml", blobs_config("    - dense: {units: 3}\n"));
  for (const std::string command : {"check ", "train "}) {
    CAPTURE(command);
    const CommandResult r = run_nnrun(command + path + " --set checkpoint.dir=" + dir.file("run") +
                                      " --set 'model.layers[0].dense.units=" + kMaxInt64 + "'");
    CHECK(r.exit_code == 2);
    CHECK(r.output.find("must be at most 16777216 (the largest nnrun supports)") !=
          std::string::npos);
  }
}

}  // namespace
}  // namespace nnrun::testing
