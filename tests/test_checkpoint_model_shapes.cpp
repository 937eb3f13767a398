// A checkpoint whose stored config claims layers far larger than its tensors: refused by
// comparing shapes before any model is built, so it costs no memory (docs/checkpoint-format.md
// promises no allocation larger than the file because of a number the file claims).
#include <doctest/doctest.h>

#include <string>

#include "core/checkpoint/checkpoint.hpp"
#include "core/checkpoint/model_shapes.hpp"
#include "core/config/config_loader.hpp"
#include "core/errors.hpp"
#include "tests/checkpoint_fixtures.hpp"
#include "tests/cli_runner.hpp"

using namespace nnrun;
using namespace nnrun::testing;
using namespace nnrun::testing::ckpt;

namespace {

// The real iris checkpoint (4 -> 16 -> 3) whose stored config says `units` for layer 0.
std::string with_hidden_units(const std::string& units) {
  const Parts parts = split_checkpoint(real_run().bytes);
  return frame(replaced(parts.header, "- dense: {units: 16,", "- dense: {units: " + units + ","),
               parts.payload);
}

std::string shape_error(const std::string& bytes, const std::string& path) {
  try {
    const Checkpoint c = parse_checkpoint(bytes, path);
    check_model_tensors(c, load_config_text(c.config_yaml, path, "").model, path);
    return "OK";
  } catch (const InputError& e) {
    return e.what();
  }
}

}  // namespace

TEST_CASE("check_model_tensors compares the stored config's layers with the tensors") {
  const std::string path = "/runs/x.ckpt";
  CHECK(shape_error(real_run().bytes, path) == "OK");
  CHECK(shape_error(with_hidden_units("16777216"), path) ==
        path + ": tensor 'layers.0.dense.weight' is 16x4 but the stored config's model needs " +
            "16777216x4");
  // Beyond the schema's largest width the stored config itself is refused, earlier still.
  CHECK(shape_error(with_hidden_units("50000000"), path).find("must be at most 16777216") !=
        std::string::npos);
  CHECK(shape_error(with_hidden_units("17"), path).find("needs 17x4") != std::string::npos);
  // Two class names for a model with three outputs: predict would print a class "2".
  const Parts parts = split_checkpoint(real_run().bytes);
  const std::string two_names =
      frame(replaced(parts.header, "class_names: [setosa, versicolor, virginica]",
                     "class_names: [setosa, versicolor]"),
            parts.payload);
  CHECK(shape_error(two_names, path) ==
        path + ": the model has 3 outputs but the checkpoint names 2 classes");
}

TEST_CASE("predict and eval with a stored config claiming huge layers fail before allocating") {
  TempDir dir("ckpt-huge-units");
  const std::string predict_args = " --input " + source_path("datasets/iris.csv");
  for (const std::string command : {"predict", "eval"})
    for (const char* units : {"16777216"}) {  // the schema's largest width
      CAPTURE(command);
      CAPTURE(units);
      const std::string ckpt = dir.write("huge.ckpt", with_hidden_units(units));
      // Under a 1.5 GB address-space limit: building the claimed model (>= 1.6 GB of weights)
      // would fail with out of memory instead of the shape message.
      const CommandResult r = run_nnrun("--version >/dev/null && ulimit -v 1500000 && " +
                                        std::string(NNRUN_BINARY) + " " + command + " " + ckpt +
                                        (command == "predict" ? predict_args : std::string()));
      CAPTURE(r.output);
      CHECK(r.exit_code == 2);
      CHECK(r.output.find(ckpt +
                          ": tensor 'layers.0.dense.weight' is 16x4 but the stored "
                          "config's model needs " +
                          std::string(units) + "x4") != std::string::npos);
    }
}
