// Finite-difference gradient check, in f64 on the reference backend, of the fused dense
// layer: dense_activation_forward and dense_activation_backward for every activation.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "backends/reference/reference_backend.hpp"
#include "tests/gradient_check.hpp"

namespace nnrun {
namespace {
using testing::check_gradients;
using testing::from_device;
using testing::random_values;
using testing::to_device;

struct FusedDenseCase {
  static constexpr std::int64_t kBatch = 9, kIn = 5, kOut = 4;
  ActivationParams act;
  std::vector<double> src = random_values(kBatch * kIn, -1, 1, 301);
  std::vector<double> weights = random_values(kOut * kIn, -1, 1, 302);
  std::vector<double> bias = random_values(kOut, -0.5, 0.5, 303);
  std::vector<double> ddst = random_values(kBatch * kOut, -1, 1, 304);  // L = sum(ddst .* dst)

  // L for the current values.
  double loss(Backend& backend) const {
    DeviceBuffer x = to_device(backend, kBatch, kIn, src),
                 w = to_device(backend, kOut, kIn, weights), b = to_device(backend, 1, kOut, bias);
    DeviceBuffer linear(backend, kBatch, kOut, DType::f64), y(backend, kBatch, kOut, DType::f64);
    backend.dense_activation_forward(act, x, w, b, linear, y);
    long double acc = 0;
    const std::vector<double> dst = from_device(backend, y);
    for (std::size_t i = 0; i < dst.size(); ++i) acc += static_cast<long double>(ddst[i]) * dst[i];
    return static_cast<double>(acc);
  }

  // {dsrc, dweights, dbias} from one forward and dense_activation_backward.
  std::vector<std::vector<double>> gradients(Backend& backend) const {
    DeviceBuffer x = to_device(backend, kBatch, kIn, src),
                 w = to_device(backend, kOut, kIn, weights), b = to_device(backend, 1, kOut, bias);
    DeviceBuffer linear(backend, kBatch, kOut, DType::f64), y(backend, kBatch, kOut, DType::f64);
    backend.dense_activation_forward(act, x, w, b, linear, y);
    const auto garbage = [&](std::int64_t rows, std::int64_t cols) {
      return to_device(backend, rows, cols,
                       std::vector<double>(static_cast<std::size_t>(rows * cols), 1e30));
    };
    DeviceBuffer r = to_device(backend, kBatch, kOut, ddst), dlinear = garbage(kBatch, kOut);
    DeviceBuffer dx = garbage(kBatch, kIn), dw = garbage(kOut, kIn), db = garbage(1, kOut);
    backend.dense_activation_backward(act, x, w, linear, y, r, dlinear, dx, dw, db);
    return {from_device(backend, dx), from_device(backend, dw), from_device(backend, db)};
  }
};

}  // namespace

TEST_CASE("dense_activation_forward/backward: gradients match central differences") {
  ReferenceBackend backend;
  const std::vector<std::pair<ActivationParams, std::string>> activations = {
      {{Activation::none, 0.0}, "none"},        {{Activation::relu, 0.0}, "relu"},
      {{Activation::leaky_relu, 0.1}, "leaky"}, {{Activation::elu, 1.0}, "elu"},
      {{Activation::gelu, 0.0}, "gelu"},        {{Activation::sigmoid, 0.0}, "sigmoid"},
      {{Activation::tanh, 0.0}, "tanh"}};
  for (const auto& entry : activations) {
    const std::string& name = entry.second;
    CAPTURE(name);
    FusedDenseCase c{.act = entry.first};
    auto analytic = c.gradients(backend);
    const auto result =
        check_gradients([&] { return c.loss(backend); }, {{"src", c.src, analytic[0]},
                                                          {"weights", c.weights, analytic[1]},
                                                          {"bias", c.bias, analytic[2]}});
    CHECK_MESSAGE(result.passed, result.message());
    CHECK(result.max_abs_analytic > 0.1);
  }
}

}  // namespace nnrun
