// Synthetic data generators: shapes, determinism, class balance, the formulas and noise
// levels they promise, and the settings they refuse.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/data/synthetic.hpp"

using namespace nnrun;

namespace {

constexpr double kPi = std::numbers::pi;

SyntheticSpec spec_for(const std::string& generator, std::int64_t samples, double noise,
                       std::uint64_t seed = 7) {
  SyntheticSpec spec;
  spec.generator = generator;
  spec.samples = samples;
  spec.noise = noise;
  spec.seed = seed;
  return spec;
}

bool identical(const Dataset& a, const Dataset& b) {
  return a.task == b.task && a.features.rows == b.features.rows &&
         a.features.cols == b.features.cols && a.features.values == b.features.values &&
         a.targets.rows == b.targets.rows && a.targets.values == b.targets.values &&
         a.labels == b.labels && a.feature_names == b.feature_names &&
         a.class_names == b.class_names;
}

std::vector<std::int64_t> class_counts(const Dataset& data) {
  std::vector<std::int64_t> counts(static_cast<std::size_t>(data.num_classes()), 0);
  for (const std::int32_t label : data.labels) ++counts.at(static_cast<std::size_t>(label));
  return counts;
}

// Angle difference wrapped into (-pi, pi].
double wrap(double angle) {
  return std::remainder(angle, 2.0 * kPi);
}

}  // namespace

TEST_CASE("synthetic: line and polynomial without noise follow their formulas exactly") {
  SyntheticSpec line = spec_for("line", 500, 0.0);
  line.x_min = -3.0;
  line.x_max = 2.0;
  line.slope = 1.7;
  line.intercept = -0.4;
  const Dataset a = generate_synthetic(line);
  CHECK(a.task == Task::regression);
  CHECK(a.features.rows == 500);
  CHECK(a.features.cols == 1);
  CHECK(a.targets.rows == 500);
  CHECK(a.targets.cols == 1);
  CHECK(a.labels.empty());
  CHECK(a.feature_names == std::vector<std::string>{"x"});
  for (std::int64_t i = 0; i < a.size(); ++i) {
    const double x = a.features.at(i, 0);
    REQUIRE(x >= -3.0);
    REQUIRE(x <= 2.0);
    REQUIRE(a.targets.at(i, 0) == static_cast<float>(1.7 * x + -0.4));
  }

  SyntheticSpec poly = spec_for("polynomial", 500, 0.0);
  poly.coefficients = {1.0, -2.0, 0.5, 3.0};
  const Dataset b = generate_synthetic(poly);
  CHECK(b.task == Task::regression);
  CHECK(b.features.cols == 1);
  CHECK(b.targets.cols == 1);
  for (std::int64_t i = 0; i < b.size(); ++i) {
    const double x = b.features.at(i, 0);
    double y = 0.0, power = 1.0;
    for (const double c : poly.coefficients) {
      y += c * power;
      power *= x;
    }
    REQUIRE(b.targets.at(i, 0) == static_cast<float>(y));
  }
}

TEST_CASE("synthetic: regression noise has the requested std and zero mean") {
  for (const char* generator : {"line", "polynomial"}) {
    CAPTURE(generator);
    SyntheticSpec noisy = spec_for(generator, 10000, 0.3);
    noisy.coefficients = {0.5, 1.0, -1.0};
    SyntheticSpec clean = noisy;
    clean.noise = 0.0;
    const Dataset with_noise = generate_synthetic(noisy);
    const Dataset without = generate_synthetic(clean);
    // Same seed => same x: the residual is exactly the added noise (up to float rounding).
    CHECK(with_noise.features.values == without.features.values);
    double sum = 0.0, sum_sq = 0.0;
    for (std::int64_t i = 0; i < with_noise.size(); ++i) {
      const double r = double{with_noise.targets.at(i, 0)} - double{without.targets.at(i, 0)};
      sum += r;
      sum_sq += r * r;
    }
    const double n = static_cast<double>(with_noise.size());
    const double mean = sum / n;
    const double std = std::sqrt(sum_sq / n - mean * mean);
    CHECK(std::abs(mean) < 0.02);
    CHECK(std == doctest::Approx(0.3).epsilon(0.05));
  }
}

TEST_CASE("synthetic: classification shapes and names") {
  const Dataset moons = generate_synthetic(spec_for("moons", 101, 0.1));
  CHECK(moons.task == Task::classification);
  CHECK(moons.features.rows == 101);
  CHECK(moons.features.cols == 2);
  CHECK(moons.labels.size() == 101);
  CHECK(moons.targets.values.empty());
  CHECK(moons.feature_names == std::vector<std::string>{"x0", "x1"});
  CHECK(moons.class_names == std::vector<std::string>{"0", "1"});

  SyntheticSpec spirals = spec_for("spirals", 90, 0.1);
  spirals.classes = 4;
  const Dataset s = generate_synthetic(spirals);
  CHECK(s.features.cols == 2);
  CHECK(s.class_names == std::vector<std::string>{"0", "1", "2", "3"});

  SyntheticSpec blobs = spec_for("blobs", 50, 0.1);
  blobs.classes = 3;
  blobs.features = 5;
  const Dataset b = generate_synthetic(blobs);
  CHECK(b.features.rows == 50);
  CHECK(b.features.cols == 5);
  CHECK(b.feature_names == std::vector<std::string>{"x0", "x1", "x2", "x3", "x4"});
  CHECK(b.num_classes() == 3);
}

TEST_CASE("synthetic: classes are balanced and the rows shuffled") {
  CHECK(class_counts(generate_synthetic(spec_for("moons", 7, 0.1))) ==
        std::vector<std::int64_t>{4, 3});
  SyntheticSpec spirals = spec_for("spirals", 11, 0.1);
  spirals.classes = 3;
  CHECK(class_counts(generate_synthetic(spirals)) == std::vector<std::int64_t>{4, 4, 3});
  SyntheticSpec blobs = spec_for("blobs", 1002, 0.0);
  blobs.classes = 4;
  const Dataset b = generate_synthetic(blobs);
  CHECK(class_counts(b) == std::vector<std::int64_t>{251, 251, 250, 250});
  // Shuffled: the first 100 rows already hold every class.
  const Dataset head = b.select([] {
    std::vector<std::int64_t> rows(100);
    for (std::int64_t i = 0; i < 100; ++i) rows[static_cast<std::size_t>(i)] = i;
    return rows;
  }());
  for (const std::int64_t count : class_counts(head)) CHECK(count > 10);
}

TEST_CASE("synthetic: the same spec gives identical data and another seed differs") {
  for (const char* generator : {"line", "polynomial", "moons", "spirals", "blobs"}) {
    CAPTURE(generator);
    const SyntheticSpec spec = spec_for(generator, 200, 0.1, 11);
    CHECK(identical(generate_synthetic(spec), generate_synthetic(spec)));
    CHECK_FALSE(
        identical(generate_synthetic(spec), generate_synthetic(spec_for(generator, 200, 0.1, 12))));
  }
}

TEST_CASE("synthetic: draws are pinned so saved configs keep their data") {
  // Only Philox and arithmetic decide these (no libm), so they hold on every machine. A change
  // here changes every synthetic data set a config has ever named: do it on purpose only.
  const Dataset line = generate_synthetic(spec_for("line", 4, 0.0));
  CHECK(line.features.values ==
        std::vector<float>{0x1.c5f05ap-3f, 0x1.e3e862p-2f, -0x1.fd2f28p-1f, 0x1.ec2d0ep-4f});
  CHECK(generate_synthetic(spec_for("moons", 8, 0.0)).labels ==
        std::vector<std::int32_t>{0, 0, 1, 0, 1, 1, 1, 0});
}

TEST_CASE("synthetic: moons without noise lie on their half circles") {
  const Dataset moons = generate_synthetic(spec_for("moons", 301, 0.0));
  for (std::int64_t i = 0; i < moons.size(); ++i) {
    const double x = moons.features.at(i, 0), y = moons.features.at(i, 1);
    if (moons.labels[static_cast<std::size_t>(i)] == 0) {  // outer: (cos t, sin t)
      REQUIRE(x * x + y * y == doctest::Approx(1.0).epsilon(1e-6));
      REQUIRE(y >= 0.0);
    } else {  // inner: (1 - cos t, 0.5 - sin t)
      REQUIRE((x - 1.0) * (x - 1.0) + (y - 0.5) * (y - 0.5) == doctest::Approx(1.0).epsilon(1e-6));
      REQUIRE(y <= 0.5);
    }
  }
}

TEST_CASE("synthetic: blobs lie around their centers with the requested spread") {
  SyntheticSpec spec = spec_for("blobs", 2000, 0.0);
  spec.classes = 3;
  spec.features = 3;
  spec.spread = 0.5;
  const HostMatrix centers = blob_centers(spec);
  REQUIRE(centers.rows == 3);
  REQUIRE(centers.cols == 3);
  for (const float c : centers.values) CHECK(std::abs(c) <= 5.0f);
  const Dataset data = generate_synthetic(spec);
  for (std::int32_t k = 0; k < 3; ++k) {
    CAPTURE(k);
    std::vector<double> sum(3, 0.0), sum_sq(3, 0.0);
    double n = 0.0;
    for (std::int64_t i = 0; i < data.size(); ++i) {
      if (data.labels[static_cast<std::size_t>(i)] != k) continue;
      n += 1.0;
      for (std::int64_t d = 0; d < 3; ++d) {
        sum[d] += data.features.at(i, d);
        sum_sq[d] += double{data.features.at(i, d)} * data.features.at(i, d);
      }
    }
    double variance = 0.0;
    for (std::int64_t d = 0; d < 3; ++d) {
      const double mean = sum[d] / n;
      CHECK(std::abs(mean - centers.at(k, d)) < 0.1);
      variance += (sum_sq[d] / n - mean * mean) / 3.0;
    }
    CHECK(std::sqrt(variance) == doctest::Approx(0.5).epsilon(0.1));
  }
  // The centers come from their own sub-stream: more samples do not move them.
  SyntheticSpec more = spec;
  more.samples = 10;
  CHECK(blob_centers(more).values == centers.values);
}

TEST_CASE("synthetic: spiral arms are rotated by 2 pi over classes") {
  SyntheticSpec spec = spec_for("spirals", 600, 0.0);
  spec.classes = 3;
  const Dataset clean = generate_synthetic(spec);
  // Without noise a point at radius r of arm k sits at angle 2 pi k / K + 2 pi r.
  for (std::int64_t i = 0; i < clean.size(); ++i) {
    const double x = clean.features.at(i, 0), y = clean.features.at(i, 1);
    const double r = std::hypot(x, y);
    if (r < 0.05) continue;  // the angle is ill-defined near the shared center
    const double offset = std::atan2(y, x) - 2.0 * kPi * r;
    for (std::int32_t k = 0; k < 3; ++k) {
      const double miss = std::abs(wrap(offset - 2.0 * kPi * k / 3.0));
      if (k == clean.labels[static_cast<std::size_t>(i)])
        REQUIRE(miss < 1e-4);
      else
        REQUIRE(miss > 2.0);
    }
  }
  // With noise the arms keep their mean angular offsets.
  spec.noise = 0.05;
  const Dataset noisy = generate_synthetic(spec);
  for (std::int32_t k = 0; k < 3; ++k) {
    double cx = 0.0, cy = 0.0;
    for (std::int64_t i = 0; i < noisy.size(); ++i) {
      const double x = noisy.features.at(i, 0), y = noisy.features.at(i, 1);
      const double r = std::hypot(x, y);
      if (noisy.labels[static_cast<std::size_t>(i)] != k || r < 0.3) continue;
      const double offset = std::atan2(y, x) - 2.0 * kPi * r;
      cx += std::cos(offset);
      cy += std::sin(offset);
    }
    CHECK(std::abs(wrap(std::atan2(cy, cx) - 2.0 * kPi * k / 3.0)) < 0.2);
  }
}

TEST_CASE("synthetic: invalid settings throw invalid_argument") {
  const auto throws = [](SyntheticSpec spec, const std::string& needle) {
    CAPTURE(needle);
    try {
      generate_synthetic(spec);
      FAIL("no exception");
    } catch (const std::invalid_argument& e) {
      CHECK(std::string(e.what()).find(needle) != std::string::npos);
    }
  };
  throws(spec_for("circles", 10, 0.1), "unknown synthetic generator 'circles'");
  throws(spec_for("moons", 0, 0.1), "samples");
  throws(spec_for("line", 10, -0.1), "noise");
  throws(spec_for("moons", 10, std::nan("")), "noise");
  SyntheticSpec spec = spec_for("line", 10, 0.1);
  spec.x_min = spec.x_max = 1.0;
  throws(spec, "x_min");
  spec.generator = "polynomial";
  spec.x_min = 0.0;
  spec.coefficients.clear();
  throws(spec, "coefficients");
  for (const char* generator : {"spirals", "blobs"}) {
    spec = spec_for(generator, 10, 0.1);
    spec.classes = 1;
    throws(spec, "classes");
  }
  spec = spec_for("blobs", 10, 0.1);
  spec.features = 0;
  throws(spec, "features");
  spec.features = 2;
  spec.spread = -1.0;
  throws(spec, "spread");
  spec.spread = 1.0;
  spec.classes = 0;
  CHECK_THROWS_AS(blob_centers(spec), std::invalid_argument);
}
