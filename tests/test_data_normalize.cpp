// Normalization near the float range: statistics and (x - shift) * multiplier are computed in
// double, and a normalized value that does not fit a float is an error naming the file and
// column, never an inf or NaN fed to training.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/config/config_loader.hpp"
#include "core/data/normalizer.hpp"
#include "core/errors.hpp"
#include "core/train/data_pipeline.hpp"
#include "tests/temp_dir.hpp"

using namespace nnrun;
using namespace nnrun::testing;

namespace {

// Column a spans almost the whole float range; b is ordinary.
const char* const kHugeTrain = "a,b,y\n3e38,1,p\n-3e38,2,q\n0,3,p\n1.5e38,4,q\n-1.5e38,5,p\n";

Config config_for(const TempDir& dir, const std::string& normalize,
                  const std::string& validation = "{split: 0.2}") {
  return load_config_file(dir.write("cfg.yaml",
                                    "data:\n"
                                    "  train: {path: train.csv, label: y}\n"
                                    "  validation: " +
                                        validation +
                                        "\n"
                                        "  normalize: " +
                                        normalize +
                                        "\n"
                                        "model:\n"
                                        "  layers:\n"
                                        "    - dense: {units: 2}\n"));
}

bool all_finite(const HostMatrix& m) {
  for (const float v : m.values)
    if (!std::isfinite(v)) return false;
  return true;
}

}  // namespace

TEST_CASE("normalize: minmax and standard of a column spanning +-3e38 stay finite") {
  const HostMatrix column{3, 1, {3e38f, -3e38f, 0.0f}};
  HostMatrix minmax = column;
  Normalizer::fit(Normalization::minmax, column, 0.0).apply(minmax);
  REQUIRE(all_finite(minmax));
  CHECK(minmax.values[0] == doctest::Approx(1.0).epsilon(1e-5));
  CHECK(minmax.values[1] == doctest::Approx(0.0));
  CHECK(minmax.values[2] == doctest::Approx(0.5).epsilon(1e-5));

  HostMatrix standard = column;
  Normalizer::fit(Normalization::standard, column, 0.0).apply(standard);
  REQUIRE(all_finite(standard));
  CHECK(standard.values[0] == doctest::Approx(std::sqrt(1.5)).epsilon(1e-5));
  CHECK(standard.values[2] == doctest::Approx(0.0));

  TempDir dir("data-normalize");
  dir.write("train.csv", kHugeTrain);
  for (const char* kind : {"minmax", "standard"}) {
    const PreparedData data = prepare_data(config_for(dir, kind));
    CHECK_MESSAGE(all_finite(data.train.features), kind);
    CHECK_MESSAGE(all_finite(data.validation.features), kind);
  }
}

TEST_CASE("normalize: a value that overflows after normalization names the file and column") {
  // A narrow training range gives a huge multiplier; a far-out validation value overflows.
  const HostMatrix narrow{2, 1, {0.0f, 1e-30f}};
  const Normalizer normalizer = Normalizer::fit(Normalization::minmax, narrow, 0.0);
  HostMatrix far{1, 1, {1e38f}};
  CHECK_THROWS_AS(normalizer.apply(far), DataError);

  TempDir dir("data-normalize");
  dir.write("train.csv", "a,b,y\n0,1,p\n1e-30,2,q\n0,3,p\n1e-30,4,q\n");
  const std::string val = dir.write("val.csv", "a,b,y\n1e38,1,p\n");
  std::string message = "<no error>";
  try {
    prepare_data(config_for(dir, "minmax", "{format: csv, path: val.csv, label: y}"));
  } catch (const DataError& error) {
    message = error.what();
  }
  CHECK_MESSAGE(message.find(val) != std::string::npos, message);
  CHECK_MESSAGE(message.find("column 'a'") != std::string::npos, message);
  CHECK_MESSAGE(message.find("32-bit float") != std::string::npos, message);
}

TEST_CASE("normalize: a scale whose inverse overflows a float is rejected") {
  CHECK_THROWS_AS(Normalizer::fit(Normalization::scale, HostMatrix{1, 1, {1.0f}}, 1e-300),
                  InputError);
}
