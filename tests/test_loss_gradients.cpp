// Checks of the fused losses on the reference backend: dlogits against central differences
// of the mean loss, metric sums against direct formulas, empty dlogits, extreme logits.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>
#include <vector>

#include "backends/reference/reference_backend.hpp"
#include "tests/gradient_check.hpp"

namespace nnrun {
namespace {
using testing::check_gradients;
using testing::random_values;

enum class Kind { softmax_ce, sigmoid_bce, mse };

// One loss call: logits [rows, cols], and labels (cross-entropies) or targets (MSE).
struct LossCase {
  Kind kind;
  std::int64_t rows, cols;
  std::vector<double> logits;
  std::vector<std::int32_t> labels;
  std::vector<double> targets;

  std::string name() const {
    const char* names[] = {"softmax_cross_entropy", "sigmoid_binary_cross_entropy",
                           "mean_squared_error"};
    return names[static_cast<int>(kind)] + (" " + std::to_string(rows)) + "x" +
           std::to_string(cols);
  }

  // Runs the loss on logits z in dtype T, adding into metrics; returns the metrics.
  template <typename T>
  std::vector<double> run(Backend& backend, const std::vector<double>& z, Tensor dlogits,
                          Tensor metrics) const {
    constexpr DType dtype = std::is_same_v<T, double> ? DType::f64 : DType::f32;
    const std::vector<T> host_z(z.begin(), z.end()), host_t(targets.begin(), targets.end());
    DeviceBuffer device_z(backend, rows, cols, dtype), device_t(backend, rows, cols, dtype);
    backend.upload(device_z, host_z.data());
    if (kind == Kind::mse) backend.upload(device_t, host_t.data());
    DeviceBuffer y = testing::labels_to_device(backend, labels);
    switch (kind) {
      case Kind::softmax_ce:
        backend.softmax_cross_entropy(device_z, y, dlogits, metrics);
        break;
      case Kind::sigmoid_bce:
        backend.sigmoid_binary_cross_entropy(device_z, y, dlogits, metrics);
        break;
      case Kind::mse:
        backend.mean_squared_error(device_z, device_t, dlogits, metrics);
        break;
    }
    return testing::from_device(backend, metrics);
  }

  // Expected loss sum and correct count, from the textbook formulas in long double (80-bit
  // on x86, 128-bit on aarch64: exp(1500) is finite there, so no max subtraction needed).
  std::pair<double, double> expected_metrics() const {
    long double loss = 0;
    double correct = 0;
    for (std::int64_t i = 0; i < rows; ++i) {
      const double* z = logits.data() + i * cols;
      if (kind == Kind::softmax_ce) {
        long double total = 0;
        for (std::int64_t j = 0; j < cols; ++j) total += std::exp(static_cast<long double>(z[j]));
        loss -= std::log(std::exp(static_cast<long double>(z[labels[i]])) / total);
        correct += std::max_element(z, z + cols) - z == labels[i] ? 1 : 0;
      } else if (kind == Kind::sigmoid_bce) {
        // -[t log s(z) + (1 - t) log(1 - s(z))] = t log(1 + e^-z) + (1 - t) log(1 + e^z)
        const long double x = z[0];
        loss += labels[i] ? std::log(1 + std::exp(-x)) : std::log(1 + std::exp(x));
        correct += (z[0] > 0 ? 1 : 0) == labels[i] ? 1 : 0;
      } else {
        long double sum = 0;
        for (std::int64_t j = 0; j < cols; ++j) sum += std::pow(z[j] - targets[i * cols + j], 2);
        loss += sum / cols;
      }
    }
    return {static_cast<double>(loss), correct};
  }

  // Closed-form gradient of the mean loss, in long double.
  std::vector<double> expected_gradient() const {
    std::vector<double> grad(logits.size());
    for (std::int64_t i = 0; i < rows; ++i)
      for (std::int64_t j = 0; j < cols; ++j) {
        const std::size_t k = static_cast<std::size_t>(i * cols + j);
        long double g = 0;
        if (kind == Kind::softmax_ce) {
          long double total = 0;
          for (std::int64_t c = 0; c < cols; ++c)
            total += std::exp(static_cast<long double>(logits[i * cols + c]) - logits[k]);
          g = 1 / total - (j == labels[i] ? 1 : 0);
        } else if (kind == Kind::sigmoid_bce) {
          g = 1 / (1 + std::exp(-static_cast<long double>(logits[k]))) - labels[i];
        } else {
          g = 2.0L * (logits[k] - targets[k]) / cols;
        }
        grad[k] = static_cast<double>(g / rows);
      }
    return grad;
  }
};

LossCase make_case(Kind kind, std::int64_t rows, std::int64_t cols, std::uint64_t seed) {
  LossCase c{kind, rows, cols, random_values(rows * cols, -4, 4, seed), {}, {}};
  Philox rng(seed + 1, RngStream::data);
  for (std::int64_t i = 0; i < rows; ++i)
    c.labels.push_back(
        static_cast<std::int32_t>(rng.next_below(kind == Kind::softmax_ce ? cols : 2)));
  if (kind == Kind::mse) c.targets = random_values(rows * cols, -1, 1, seed + 2);
  return c;
}

std::vector<LossCase> moderate_cases() {
  std::vector<LossCase> cases;
  std::uint64_t seed = 500;
  for (auto [rows, cols] : {std::pair<std::int64_t, std::int64_t>{1, 3}, {7, 4}, {33, 5}}) {
    cases.push_back(make_case(Kind::softmax_ce, rows, cols, seed += 10));
    cases.push_back(make_case(Kind::sigmoid_bce, rows, 1, seed += 10));
    cases.push_back(make_case(Kind::mse, rows, cols - 2, seed += 10));
  }
  return cases;
}

// |actual - expected| <= tolerance * max(|expected|, floor), element by element.
void check_close(const std::vector<double>& actual, const std::vector<double>& expected,
                 double tolerance, double floor) {
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    CAPTURE(i);
    CHECK(std::isfinite(actual[i]));
    CHECK(std::abs(actual[i] - expected[i]) <= tolerance * std::max(std::abs(expected[i]), floor));
  }
}

TEST_CASE("losses: dlogits is the gradient of the mean loss (summed loss / batch)") {
  ReferenceBackend backend;
  for (const LossCase& c : moderate_cases()) {
    CAPTURE(c.name());
    DeviceBuffer metrics(backend, 1, kMetricSlots, DType::f64);
    DeviceBuffer dlogits(backend, c.rows, c.cols, DType::f64);
    std::vector<double> z = c.logits;  // perturbed by the checker
    const auto mean_loss = [&] {
      backend.fill_zero(metrics);
      return c.run<double>(backend, z, Tensor{}, metrics)[kLossSum] / static_cast<double>(c.rows);
    };
    backend.fill_zero(metrics);
    c.run<double>(backend, c.logits, dlogits, metrics);
    const std::vector<double> analytic = testing::from_device(backend, dlogits);
    const auto r = check_gradients(mean_loss, {{"logits", z, analytic}});
    CHECK_MESSAGE(r.passed, r.message());
    CHECK(r.max_abs_analytic > 1e-2);
    check_close(analytic, c.expected_gradient(), 1e-12, 1e-3);
  }
}

TEST_CASE("losses: metric sums add into metrics / with a gradient / a null or a 0-row dlogits") {
  ReferenceBackend backend;
  std::vector<double> start(kMetricSlots, 0.0);
  start[kLossSum] = 0.25;
  start[kCorrect] = 2;
  start[kSamples] = 10;
  for (const LossCase& c : moderate_cases()) {
    CAPTURE(c.name());
    const auto [loss_sum, correct] = c.expected_metrics();
    // Sentinel memory behind a 0-row view: an empty dlogits must not be written.
    const std::vector<double> sentinel(static_cast<std::size_t>(c.rows * c.cols), 7.0);
    DeviceBuffer guarded = testing::to_device(backend, c.rows, c.cols, sentinel);
    DeviceBuffer full(backend, c.rows, c.cols, DType::f64);
    for (const Tensor dlogits : {Tensor(full), Tensor{}, guarded.tensor().row_range(0, 0)}) {
      DeviceBuffer metrics = testing::to_device(backend, 1, kMetricSlots, start);
      const std::vector<double> m = c.run<double>(backend, c.logits, dlogits, metrics);
      CHECK(m[kLossSum] == doctest::Approx(start[kLossSum] + loss_sum).epsilon(1e-12));
      const double added_correct = c.kind == Kind::mse ? 0.0 : correct;  // MSE leaves it
      CHECK(m[kCorrect] == start[kCorrect] + added_correct);
      CHECK(m[kSamples] == start[kSamples] + static_cast<double>(c.rows));
    }
    CHECK(testing::from_device(backend, guarded) == sentinel);
  }
}

TEST_CASE_TEMPLATE("losses: extreme logits (|z| ~ 50) give finite / exact loss and gradient", T,
                   double, float) {
  constexpr bool f64 = std::is_same_v<T, double>;
  constexpr DType dtype = f64 ? DType::f64 : DType::f32;
  const double tolerance = f64 ? 1e-12 : 1e-5;
  ReferenceBackend backend;
  // |z| ~ 50, plus rows at 100 (past f32's exp overflow at 88.7) and 750 (past f64's at 709)
  // that only a max-subtracted softmax and a log1p(exp(-|z|)) form survive.
  // clang-format off
  const std::vector<double> softmax_z = {50, -50, 0,   -50, 50, 49,    50, 50.5, -50,
                                         -48, -50, -49, -100, 100, 90,  750, -750, 0};
  // clang-format on
  const std::vector<LossCase> cases = {
      {Kind::softmax_ce, 6, 3, softmax_z, {1, 0, 1, 2, 0, 1}, {}},
      {Kind::sigmoid_bce, 6, 1, {50, -50, 50, -50, -100, 750}, {0, 1, 1, 0, 1, 0}, {}},
      {Kind::mse, 2, 2, {50, -50, -49, 51}, {}, {-50, 50, 1, -1}}};
  for (const LossCase& c : cases) {
    CAPTURE(c.name());
    DeviceBuffer metrics =
        testing::to_device(backend, 1, kMetricSlots, std::vector<double>(kMetricSlots, 0.0));
    DeviceBuffer dlogits(backend, c.rows, c.cols, dtype);
    const std::vector<double> m = c.run<T>(backend, c.logits, dlogits, metrics);
    std::vector<T> host(static_cast<std::size_t>(c.rows * c.cols));
    backend.download(dlogits, host.data());
    const auto [loss_sum, correct] = c.expected_metrics();
    CHECK(loss_sum > 90);  // really extreme: each case has a ~100 loss term
    check_close({m[kLossSum]}, {loss_sum}, tolerance, 1.0);
    if (c.kind != Kind::mse) CHECK(m[kCorrect] == correct);
    check_close({host.begin(), host.end()}, c.expected_gradient(), tolerance, 1e-3);
  }
}

}  // namespace
}  // namespace nnrun
