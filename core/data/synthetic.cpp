// Seeded synthetic data generators. Only Philox and plain arithmetic (plus std::cos/sin/log
// inside the normal draw) decide the values, so a spec always yields the same bits.
#include "core/data/synthetic.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <numbers>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/util/philox.hpp"

namespace nnrun {

namespace {

// Sub-streams of RngStream::data: each use of the seed draws from its own sequence, so e.g.
// the blob centers do not move when the number of samples changes.
enum Substream : std::uint32_t { kDraws = 0, kNoise = 1, kShuffle = 2, kCenters = 3 };

[[noreturn]] void fail(const SyntheticSpec& spec, const std::string& message) {
  throw std::invalid_argument("synthetic " + spec.generator + ": " + message);
}

bool is_one_of(const std::string& name, std::initializer_list<const char*> names) {
  for (const char* candidate : names)
    if (name == candidate) return true;
  return false;
}

void check_classes(const SyntheticSpec& spec) {
  if (spec.classes < 2) fail(spec, "classes must be >= 2, got " + std::to_string(spec.classes));
}

void check_blob_shape(const SyntheticSpec& spec) {
  check_classes(spec);
  if (spec.features < 1) fail(spec, "features must be >= 1, got " + std::to_string(spec.features));
}

void validate(const SyntheticSpec& spec) {
  const auto& known = synthetic_generators();
  if (std::find(known.begin(), known.end(), spec.generator) == known.end()) {
    std::string list;
    for (const auto& name : known) list += (list.empty() ? "" : ", ") + name;
    throw std::invalid_argument("unknown synthetic generator '" + spec.generator +
                                "' (known: " + list + ")");
  }
  if (spec.samples < 1) fail(spec, "samples must be >= 1, got " + std::to_string(spec.samples));
  if (!(spec.noise >= 0.0 && std::isfinite(spec.noise)))
    fail(spec, "noise must be a finite number >= 0, got " + std::to_string(spec.noise));
  if (is_one_of(spec.generator, {"line", "polynomial"}) &&
      !(spec.x_min < spec.x_max && std::isfinite(spec.x_min) && std::isfinite(spec.x_max))) {
    fail(spec, "x_min must be below x_max, got [" + std::to_string(spec.x_min) + ", " +
                   std::to_string(spec.x_max) + "]");
  }
  if (spec.generator == "polynomial" && spec.coefficients.empty())
    fail(spec, "coefficients must not be empty");
  if (spec.generator == "spirals") check_classes(spec);
  if (spec.generator == "blobs") {
    check_blob_shape(spec);
    if (!(spec.spread >= 0.0 && std::isfinite(spec.spread)))
      fail(spec, "spread must be a finite number >= 0, got " + std::to_string(spec.spread));
  }
}

// Position i of count points evenly spaced over [0, 1]; a single point sits at 0.
double evenly_spaced(std::int64_t i, std::int64_t count) {
  return count > 1 ? static_cast<double>(i) / static_cast<double>(count - 1) : 0.0;
}

// Fisher-Yates over 0..n-1 with the seed's shuffle sub-stream.
std::vector<std::int64_t> shuffled_rows(std::int64_t n, std::uint64_t seed) {
  std::vector<std::int64_t> rows(static_cast<std::size_t>(n));
  std::iota(rows.begin(), rows.end(), std::int64_t{0});
  Philox rng(seed, RngStream::data, kShuffle);
  for (std::int64_t i = n - 1; i > 0; --i) {
    const auto j = static_cast<std::int64_t>(rng.next_below(static_cast<std::uint64_t>(i + 1)));
    std::swap(rows[i], rows[j]);
  }
  return rows;
}

// x ~ U[x_min, x_max] rounded to float, y = float(formula(x) + N(0, noise^2)).
template <class Formula>
Dataset regression(const SyntheticSpec& spec, Formula formula) {
  Dataset data;
  data.task = Task::regression;
  data.features = {spec.samples, 1, std::vector<float>(static_cast<std::size_t>(spec.samples))};
  data.targets = data.features;
  data.feature_names = {"x"};
  Philox draws(spec.seed, RngStream::data, kDraws);
  Philox noise(spec.seed, RngStream::data, kNoise);
  for (std::int64_t i = 0; i < spec.samples; ++i) {
    const auto x =
        static_cast<float>(spec.x_min + (spec.x_max - spec.x_min) * draws.next_uniform());
    data.features.at(i, 0) = x;
    data.targets.at(i, 0) =
        static_cast<float>(formula(static_cast<double>(x)) + spec.noise * noise.next_normal());
  }
  return data;
}

// Fills `classes` classes of `dims`-D points class by class, point(k, i, count, noise, dst)
// writing row i of the count in class k, then shuffles the rows.
template <class Point>
Dataset classification(const SyntheticSpec& spec, std::int64_t classes, std::int64_t dims,
                       Point point) {
  Dataset ordered;
  ordered.task = Task::classification;
  ordered.features = {spec.samples, dims,
                      std::vector<float>(static_cast<std::size_t>(spec.samples * dims))};
  ordered.labels.reserve(static_cast<std::size_t>(spec.samples));
  Philox noise(spec.seed, RngStream::data, kNoise);
  std::int64_t row = 0;
  for (std::int64_t k = 0; k < classes; ++k) {
    const std::int64_t count = spec.samples / classes + (k < spec.samples % classes ? 1 : 0);
    for (std::int64_t i = 0; i < count; ++i, ++row) {
      point(k, i, count, noise, &ordered.features.at(row, 0));
      ordered.labels.push_back(static_cast<std::int32_t>(k));
    }
  }
  for (std::int64_t d = 0; d < dims; ++d) ordered.feature_names.push_back("x" + std::to_string(d));
  for (std::int64_t k = 0; k < classes; ++k) ordered.class_names.push_back(std::to_string(k));
  return ordered.select(shuffled_rows(spec.samples, spec.seed));
}

Dataset generate(const SyntheticSpec& spec, std::uint64_t centers_seed) {
  constexpr double pi = std::numbers::pi;
  const double sigma = spec.noise;
  if (spec.generator == "line") {
    return regression(spec, [&](double x) { return spec.slope * x + spec.intercept; });
  }
  if (spec.generator == "polynomial") {
    return regression(spec, [&](double x) {
      double y = 0.0, power = 1.0;  // sum of c_k x^k, powers by repeated multiplication
      for (const double c : spec.coefficients) {
        y += c * power;
        power *= x;
      }
      return y;
    });
  }
  if (spec.generator == "moons") {
    return classification(spec, 2, 2, [&](auto k, auto i, auto count, Philox& rng, float* dst) {
      const double t = pi * evenly_spaced(i, count);
      const double x = k == 0 ? std::cos(t) : 1.0 - std::cos(t);
      const double y = k == 0 ? std::sin(t) : 0.5 - std::sin(t);
      dst[0] = static_cast<float>(x + sigma * rng.next_normal());
      dst[1] = static_cast<float>(y + sigma * rng.next_normal());
    });
  }
  if (spec.generator == "spirals") {
    const double arms = static_cast<double>(spec.classes);
    return classification(
        spec, spec.classes, 2, [&](auto k, auto i, auto count, Philox& rng, float* dst) {
          const double t = evenly_spaced(i, count);  // radius, and turns travelled
          const double angle = 2.0 * pi * static_cast<double>(k) / arms + 2.0 * pi * t;
          dst[0] = static_cast<float>(t * std::cos(angle) + sigma * rng.next_normal());
          dst[1] = static_cast<float>(t * std::sin(angle) + sigma * rng.next_normal());
        });
  }
  // blobs
  const HostMatrix centers = blob_centers(spec, centers_seed);
  return classification(spec, spec.classes, spec.features,
                        [&](auto k, auto, auto, Philox& rng, float* dst) {
                          for (std::int64_t d = 0; d < spec.features; ++d) {
                            dst[d] = static_cast<float>(static_cast<double>(centers.at(k, d)) +
                                                        spec.spread * rng.next_normal());
                          }
                        });
}

}  // namespace

const std::vector<std::string>& synthetic_generators() {
  static const std::vector<std::string> names = {"line", "polynomial", "moons", "spirals", "blobs"};
  return names;
}

Dataset generate_synthetic(const SyntheticSpec& spec, std::uint64_t centers_seed) {
  validate(spec);
  Dataset data = generate(spec, centers_seed);
  data.source = "synthetic " + spec.generator + " (seed " + std::to_string(spec.seed) + ")";
  return data;
}

Dataset generate_synthetic(const SyntheticSpec& spec) {
  return generate_synthetic(spec, spec.seed);
}

HostMatrix blob_centers(const SyntheticSpec& spec, std::uint64_t centers_seed) {
  check_blob_shape(spec);
  HostMatrix centers{spec.classes, spec.features,
                     std::vector<float>(static_cast<std::size_t>(spec.classes * spec.features))};
  Philox rng(centers_seed, RngStream::data, kCenters);
  for (float& value : centers.values) value = static_cast<float>(-5.0 + 10.0 * rng.next_uniform());
  return centers;
}

HostMatrix blob_centers(const SyntheticSpec& spec) {
  return blob_centers(spec, spec.seed);
}

}  // namespace nnrun
