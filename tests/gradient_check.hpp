// Finite-difference gradient checker (after Caffe's test_gradient_check_util): compares
// central differences of a scalar function of double buffers with analytic gradients.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "backends/backend.hpp"
#include "core/util/philox.hpp"

namespace nnrun::testing {

struct GradientCheckOptions {
  double step = 1e-6;       // central-difference step h
  double tolerance = 1e-6;  // largest accepted relative error
  // Relative error = |analytic - numeric| / max(|analytic|, |numeric|, floor). Evaluating
  // an O(1) function in double leaves ~eps * |f| / h ~ 1e-10 of noise in the difference
  // quotient, so gradients below the floor are held to an absolute error tolerance * floor.
  double floor = 1e-2;
};

// One input of the function: its values (perturbed in place, restored afterwards) and
// the analytic gradient of the function with respect to them.
struct GradientInput {
  std::string name;
  std::span<double> values;
  std::vector<double> analytic;
};

struct GradientCheckResult {
  bool passed = true;
  std::size_t checked = 0;  // elements compared
  double worst_error = 0;   // largest relative error
  std::string worst_input;  // where it occurred
  std::size_t worst_index = 0;
  double worst_analytic = 0;
  double worst_numeric = 0;
  double max_abs_analytic = 0;  // guards against vacuous checks (all-zero gradients)
  std::string problem;          // set when the check could not run (size mismatch)

  std::string message() const {
    std::ostringstream out;
    out.precision(17);
    if (!problem.empty()) return problem;
    out << (passed ? "passed" : "FAILED") << ": worst relative error " << worst_error << " at "
        << worst_input << "[" << worst_index << "] (analytic " << worst_analytic << ", numeric "
        << worst_numeric << "), " << checked << " elements, max |analytic| " << max_abs_analytic;
    return out.str();
  }
};

// Checks every element: numeric = (f(x + h) - f(x - h)) / 2h against the analytic value.
inline GradientCheckResult check_gradients(const std::function<double()>& f,
                                           std::vector<GradientInput> inputs,
                                           const GradientCheckOptions& options = {}) {
  GradientCheckResult result;
  for (GradientInput& input : inputs) {
    if (input.analytic.size() != input.values.size()) {
      result.passed = false;
      result.problem = "gradient check: " + input.name + " has " +
                       std::to_string(input.values.size()) + " values but " +
                       std::to_string(input.analytic.size()) + " analytic gradients";
      return result;
    }
    for (std::size_t i = 0; i < input.values.size(); ++i) {
      const double saved = input.values[i];
      input.values[i] = saved + options.step;
      const double plus = f();
      input.values[i] = saved - options.step;
      const double minus = f();
      input.values[i] = saved;
      const double numeric = (plus - minus) / (2 * options.step);
      const double analytic = input.analytic[i];
      const double scale = std::max({std::abs(analytic), std::abs(numeric), options.floor});
      double error = std::abs(analytic - numeric) / scale;
      if (std::isnan(error)) error = INFINITY;  // NaN must fail, not compare false
      ++result.checked;
      result.max_abs_analytic = std::max(result.max_abs_analytic, std::abs(analytic));
      if (result.checked == 1 || error > result.worst_error) {
        result.worst_error = error;
        result.worst_input = input.name;
        result.worst_index = i;
        result.worst_analytic = analytic;
        result.worst_numeric = numeric;
      }
    }
  }
  result.passed = result.checked > 0 && result.worst_error <= options.tolerance;
  return result;
}

// --- host <-> backend helpers for the checks (double precision) ------------------------

inline std::vector<double> random_values(std::size_t count, double lo, double hi,
                                         std::uint64_t seed) {
  Philox rng(seed, RngStream::data);
  std::vector<double> values(count);
  for (double& v : values) v = lo + (hi - lo) * rng.next_uniform();
  return values;
}

inline DeviceBuffer to_device(Backend& backend, std::int64_t rows, std::int64_t cols,
                              const std::vector<double>& host) {
  DeviceBuffer buffer(backend, rows, cols, DType::f64);
  backend.upload(buffer, host.data());
  return buffer;
}

inline DeviceBuffer labels_to_device(Backend& backend, const std::vector<std::int32_t>& labels) {
  DeviceBuffer buffer(backend, static_cast<std::int64_t>(labels.size()), 1, DType::i32);
  backend.upload(buffer, labels.data());
  return buffer;
}

inline std::vector<double> from_device(Backend& backend, Tensor src) {
  if (src.dtype != DType::f64) throw std::invalid_argument("from_device: expects f64");
  std::vector<double> host(static_cast<std::size_t>(src.size()));
  backend.download(src, host.data());
  return host;
}

}  // namespace nnrun::testing
