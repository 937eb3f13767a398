// Synthetic settings that are valid one by one but overflow a float together are an error at
// the source's config key (exit code 2), not a run that diverges.
#include <doctest/doctest.h>

#include <string>

#include "core/config/config_loader.hpp"
#include "core/errors.hpp"
#include "core/train/data_pipeline.hpp"
#include "tests/cli_runner.hpp"
#include "tests/temp_dir.hpp"

using namespace nnrun;
using namespace nnrun::testing;

namespace {

std::string regression_config(const std::string& train, const std::string& validation) {
  return "data:\n"
         "  train: " +
         train +
         "\n"
         "  validation: " +
         validation +
         "\n"
         "model:\n"
         "  layers:\n"
         "    - dense: {units: 1}\n"
         "loss: mse\n"
         "training: {epochs: 2}\n";
}

std::string prepare_error(const TempDir& dir, const std::string& yaml) {
  try {
    prepare_data(load_config_file(dir.write("cfg.yaml", yaml)));
  } catch (const InputError& error) {
    return error.what();
  }
  return "<no error>";
}

const char* const kLine = "{format: synthetic, generator: line, samples: 50}";

}  // namespace

TEST_CASE("synthetic overflow: line and polynomial settings that overflow are config errors") {
  TempDir dir("data-synthetic-overflow");
  const std::string wide = prepare_error(
      dir, regression_config(
               "{format: synthetic, generator: line, samples: 50, x_min: -1e308, x_max: 1e308}",
               "{split: 0.2}"));
  CHECK_MESSAGE(wide.find("data.train") != std::string::npos, wide);
  CHECK_MESSAGE(wide.find("overflow") != std::string::npos, wide);
  CHECK_MESSAGE(wide.find("x_max 1e+308") != std::string::npos, wide);

  const std::string steep = prepare_error(
      dir, regression_config(kLine,
                             "{format: synthetic, generator: line, samples: 20, x_min: "
                             "-100, x_max: 100, slope: 1e38}"));
  CHECK_MESSAGE(steep.find("data.validation") != std::string::npos, steep);
  CHECK_MESSAGE(steep.find("targets") != std::string::npos, steep);
  CHECK_MESSAGE(steep.find("slope 1e+38") != std::string::npos, steep);

  const std::string poly = prepare_error(
      dir, regression_config("{format: synthetic, generator: polynomial, samples: 50, x_min: "
                             "-1e5, x_max: 1e5, coefficients: [0, 0, 1e30]}",
                             "{split: 0.2}"));
  CHECK_MESSAGE(poly.find("data.train") != std::string::npos, poly);
  CHECK_MESSAGE(poly.find("coefficients [0, 0, 1e+30]") != std::string::npos, poly);
}

TEST_CASE("synthetic overflow: train exits with code 2 instead of diverging") {
  TempDir dir("cli-synthetic-overflow");
  const std::string config = dir.write(
      "cfg.yaml",
      regression_config(
          "{format: synthetic, generator: line, samples: 50, x_min: -1e308, x_max: 1e308}",
          "{split: 0.2}"));
  const CommandResult r = run_nnrun("train " + config + " -q --run-dir " + dir.file("run"));
  CHECK_MESSAGE(r.exit_code == 2, r.output);
  CHECK_MESSAGE(r.output.find("data.train") != std::string::npos, r.output);
}
