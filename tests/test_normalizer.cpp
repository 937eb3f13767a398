// Tests for core/data/normalizer: statistics against hand-computed values, values that
// overflow a float after normalization, statistics restored from a checkpoint.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/data/csv_reader.hpp"
#include "core/data/normalizer.hpp"
#include "core/data/split.hpp"
#include "core/errors.hpp"

using namespace nnrun;

namespace {

const std::string iris_path = NNRUN_SOURCE_DIR "/datasets/iris.csv";

}  // namespace

TEST_CASE("normalizer: statistics match hand-computed values") {
  // Columns: c0 = 1,2,3,4   c1 = 10,10,10,10 (constant)   c2 = -2,0,0,6
  const HostMatrix data{4, 3, {1, 10, -2, 2, 10, 0, 3, 10, 0, 4, 10, 6}};

  // standard, population std (divide by n = 4):
  //   c0: mean 2.5; squared deviations 2.25+0.25+0.25+2.25 = 5; var 1.25; std 1.118034;
  //       multiplier 1/1.118034 = 0.894427
  //   c1: mean 10; constant, so multiplier 1
  //   c2: mean (-2+0+0+6)/4 = 1; squared deviations 9+1+1+25 = 36; var 9; std 3; mult 1/3
  const Normalizer standard = Normalizer::fit(Normalization::standard, data, 0.0);
  CHECK(standard.columns() == 3);
  CHECK(standard.shift() == std::vector<float>{2.5f, 10.0f, 1.0f});
  CHECK(standard.multiplier()[0] == doctest::Approx(0.894427).epsilon(1e-6));
  CHECK(standard.multiplier()[1] == 1.0f);
  CHECK(standard.multiplier()[2] == doctest::Approx(1.0 / 3.0).epsilon(1e-6));
  HostMatrix standardized = data;
  standard.apply(standardized);
  // row 0: (1 - 2.5) * 0.894427 = -1.341641, (10 - 10) * 1 = 0, (-2 - 1) / 3 = -1
  CHECK(standardized.at(0, 0) == doctest::Approx(-1.341641).epsilon(1e-6));
  CHECK(standardized.at(0, 1) == 0.0f);
  CHECK(standardized.at(0, 2) == doctest::Approx(-1.0).epsilon(1e-6));

  // minmax: c0 shift 1, mult 1/(4-1) = 1/3; c1 shift 10, mult 1; c2 shift -2, mult 1/8
  const Normalizer minmax = Normalizer::fit(Normalization::minmax, data, 0.0);
  CHECK(minmax.shift() == std::vector<float>{1.0f, 10.0f, -2.0f});
  CHECK(minmax.multiplier() == std::vector<float>{1.0f / 3.0f, 1.0f, 0.125f});
  HostMatrix scaled_to_unit = data;
  minmax.apply(scaled_to_unit);
  CHECK(scaled_to_unit.at(3, 0) == doctest::Approx(1.0));   // (4 - 1) / 3
  CHECK(scaled_to_unit.at(1, 2) == doctest::Approx(0.25));  // (0 + 2) / 8

  const Normalizer scale = Normalizer::fit(Normalization::scale, data, 255.0);
  CHECK(scale.shift() == std::vector<float>{0, 0, 0});
  CHECK(scale.multiplier()[0] == doctest::Approx(1.0 / 255.0));
  CHECK_THROWS_AS(Normalizer::fit(Normalization::scale, data, 0.0), InputError);

  HostMatrix untouched = data;
  Normalizer::fit(Normalization::none, data, 0.0).apply(untouched);
  CHECK(untouched.values == data.values);
}

TEST_CASE("normalizer: a value that overflows is named with its column and original value") {
  // minmax over [0, 1e-30] multiplies by 1e30: 1e10 from outside the range does not fit.
  const HostMatrix train{2, 2, {0.0f, 1.0f, 1e-30f, 2.0f}};
  const Normalizer n = Normalizer::fit(Normalization::minmax, train, 1.0);
  HostMatrix fits{1, 2, {5e-31f, 1.5f}};
  n.apply(fits);
  CHECK(fits.values[0] == doctest::Approx(0.5));
  CHECK(fits.values[1] == doctest::Approx(0.5));
  HostMatrix data{3, 2, {1e-30f, 2.0f, 3.0f, 4.0f, 1e10f, 5.0f}};
  std::string message;
  try {
    n.apply(data);
  } catch (const DataError& e) {
    message = e.what();
  }
  CHECK(message.find("feature column 0: value 1e+10 does not fit a 32-bit float") !=
        std::string::npos);
  // The row that overflowed keeps its values, as the message quotes them.
  CHECK(data.at(2, 0) == 1e10f);
  CHECK(data.at(2, 1) == 5.0f);
}

TEST_CASE("normalizer: restored statistics / wrong widths / standardized Iris") {
  const Dataset iris = load_csv(iris_path, "species", Task::classification);
  const TrainValidation parts = split_train_validation(iris, 0.2, true, 42);
  const Normalizer fitted = Normalizer::fit(Normalization::standard, parts.train.features, 0.0);
  HostMatrix train = parts.train.features;
  fitted.apply(train);
  for (std::int64_t column = 0; column < train.cols; ++column) {
    double sum = 0.0, sum_squares = 0.0;
    for (std::int64_t row = 0; row < train.rows; ++row) {
      sum += train.at(row, column);
      sum_squares += train.at(row, column) * train.at(row, column);
    }
    const double mean = sum / train.rows;
    CHECK(mean == doctest::Approx(0.0).epsilon(1e-5).scale(1.0));
    CHECK(std::sqrt(sum_squares / train.rows - mean * mean) == doctest::Approx(1.0).epsilon(1e-5));
  }

  const Normalizer restored =
      Normalizer::from_stats(fitted.kind(), fitted.shift(), fitted.multiplier());
  HostMatrix again = parts.train.features;
  restored.apply(again);
  CHECK(again.values == train.values);

  HostMatrix too_narrow{2, 3, std::vector<float>(6, 0.0f)};
  CHECK_THROWS_AS(fitted.apply(too_narrow), InputError);
  CHECK_THROWS_AS(Normalizer::from_stats(Normalization::standard, {0, 0}, {1}), InputError);
  CHECK_THROWS_AS(Normalizer::from_stats(Normalization::standard, {NAN}, {1}), InputError);
}
