// Dropout: the keep rate and scaling over a million elements, reproducible and independent
// masks per (seed, step, layer), and a finite-difference check of forward/backward in f64.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "backends/reference/reference_backend.hpp"
#include "core/util/dropout_mask.hpp"
#include "tests/gradient_check.hpp"

namespace nnrun {
namespace {
using testing::check_gradients;
using testing::from_device;
using testing::random_values;
using testing::to_device;

// Philox4x32-10 known answers (Random123's kat_vectors), evaluated at compile time: the
// generator is right, and constexpr as device code needs it.
static_assert(Philox::block({0, 0}, {0, 0, 0, 0}) ==
              Philox::Block{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u});
static_assert(Philox::block({0xa4093822u, 0x299f31d0u},
                            {0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}) ==
              Philox::Block{0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u});
static_assert(dropout_threshold(0.0) == 0);
static_assert(dropout_threshold(0.5) == std::uint64_t{1} << 31);
static_assert(dropout_keep(1, 2, 3, 4, 0.0));  // rate 0 keeps everything

constexpr std::int64_t kMillion = 1'000'000;

// Runs dropout_forward on the reference in f64 over `count` elements (src all 1, so dst is
// the mask) and returns the mask.
std::vector<double> mask_of(ReferenceBackend& backend, const DropoutParams& p,
                            std::int64_t count = kMillion) {
  DeviceBuffer src = to_device(backend, 1, count, std::vector<double>(count, 1.0));
  DeviceBuffer mask(backend, 1, count, DType::f64), dst(backend, 1, count, DType::f64);
  backend.dropout_forward(p, src, mask, dst);
  const std::vector<double> values = from_device(backend, mask);
  CHECK(from_device(backend, dst) == values);
  return values;
}

double kept_fraction(const std::vector<double>& mask) {
  std::int64_t kept = 0;
  for (const double m : mask) kept += m != 0 ? 1 : 0;
  return static_cast<double>(kept) / static_cast<double>(mask.size());
}

// Fraction of positions where two masks make the same keep decision.
double agreement(const std::vector<double>& a, const std::vector<double>& b) {
  std::int64_t same = 0;
  for (std::size_t i = 0; i < a.size(); ++i) same += (a[i] != 0) == (b[i] != 0) ? 1 : 0;
  return static_cast<double>(same) / static_cast<double>(a.size());
}

TEST_CASE("dropout: the surviving fraction is 1 - rate within 1% over a million elements") {
  ReferenceBackend backend;
  for (const double rate : {0.5, 0.2}) {
    CAPTURE(rate);
    const double kept = kept_fraction(mask_of(backend, {.rate = rate, .seed = 7}));
    CHECK(std::abs(kept - (1 - rate)) <= 0.01 * (1 - rate));
  }
}

TEST_CASE("dropout: kept elements are scaled by 1 / (1 - rate) and dropped ones are 0") {
  ReferenceBackend backend;
  for (const double rate : {0.0, 0.2, 0.5, 0.9}) {
    CAPTURE(rate);
    const DropoutParams p{.rate = rate, .seed = 11, .step = 3, .layer = 1};
    const std::vector<double> src = random_values(1000, -2, 2, 12);
    DeviceBuffer x = to_device(backend, 40, 25, src), mask(backend, 40, 25, DType::f64),
                 y(backend, 40, 25, DType::f64);
    backend.dropout_forward(p, x, mask, y);
    const std::vector<double> m = from_device(backend, mask), dst = from_device(backend, y);
    for (std::size_t i = 0; i < src.size(); ++i) {
      CAPTURE(i);
      const bool kept = dropout_keep(p.seed, p.layer, p.step, i, rate);  // the shared rule
      CHECK(m[i] == (kept ? 1 / (1 - rate) : 0.0));
      CHECK(dst[i] == src[i] * m[i]);
    }
    if (rate == 0) CHECK(dst == src);
  }
}

TEST_CASE("dropout: the same seed step and layer reproduce the mask") {
  ReferenceBackend backend;
  const DropoutParams p{.rate = 0.3, .seed = 5, .step = 1234567, .layer = 3};
  CHECK(mask_of(backend, p, 10007) == mask_of(backend, p, 10007));
  // A shorter tensor (a ragged last batch) sees the same prefix of the mask.
  const std::vector<double> full = mask_of(backend, p, 10007), part = mask_of(backend, p, 4099);
  CHECK(std::vector<double>(full.begin(), full.begin() + 4099) == part);
}

TEST_CASE("dropout: a different step layer or seed gives an independent mask") {
  ReferenceBackend backend;
  const DropoutParams base{.rate = 0.5, .seed = 5, .step = 10, .layer = 0};
  const std::vector<double> reference_mask = mask_of(backend, base);
  DropoutParams next_step = base, next_layer = base, other_seed = base, far_step = base;
  next_step.step = 11;
  next_layer.layer = 1;
  other_seed.seed = 6;
  far_step.step = 10 + (std::uint64_t{1} << 32);  // differs only in the step's high word
  for (const DropoutParams& p : {next_step, next_layer, other_seed, far_step}) {
    CAPTURE(p.step);
    CAPTURE(p.layer);
    CAPTURE(p.seed);
    // Independent fair coins agree half the time (standard deviation 0.0005 here).
    CHECK(std::abs(agreement(mask_of(backend, p), reference_mask) - 0.5) < 0.005);
  }
}

TEST_CASE("dropout: rates outside 0 (inclusive) to 1 (exclusive) are rejected") {
  ReferenceBackend backend;
  DeviceBuffer x = to_device(backend, 1, 4, {1, 2, 3, 4});
  for (const double rate : {-0.5, 1.0, 2.0})
    CHECK_THROWS_AS(backend.dropout_forward({.rate = rate}, x, x, x), std::invalid_argument);
}

// For a fixed (seed, step, layer) the mask is fixed, so dropout is linear in src and
// L = sum(R .* dst) has dL/dsrc = dropout_backward(R, mask).
TEST_CASE("dropout_forward/dropout_backward: gradients match central differences") {
  ReferenceBackend backend;
  for (const double rate : {0.0, 0.25, 0.6}) {
    CAPTURE(rate);
    const DropoutParams p{.rate = rate, .seed = 99, .step = 4, .layer = 2};
    const std::int64_t rows = 7, cols = 5;
    std::vector<double> src = random_values(rows * cols, -1, 1, 20);
    const std::vector<double> r = random_values(rows * cols, -1, 1, 21);
    DeviceBuffer mask(backend, rows, cols, DType::f64);
    const auto loss = [&] {
      DeviceBuffer x = to_device(backend, rows, cols, src), y(backend, rows, cols, DType::f64);
      backend.dropout_forward(p, x, mask, y);
      const std::vector<double> dst = from_device(backend, y);
      long double sum = 0;
      for (std::size_t i = 0; i < dst.size(); ++i) sum += static_cast<long double>(r[i]) * dst[i];
      return static_cast<double>(sum);
    };
    loss();  // fills the mask
    DeviceBuffer ddst = to_device(backend, rows, cols, r);
    DeviceBuffer dsrc = to_device(backend, rows, cols, std::vector<double>(rows * cols, 1e30));
    backend.dropout_backward(ddst, mask, dsrc);
    const auto result = check_gradients(loss, {{"src", src, from_device(backend, dsrc)}});
    CHECK_MESSAGE(result.passed, result.message());
    CHECK(result.max_abs_analytic > 0.1);
  }
}

}  // namespace
}  // namespace nnrun
