// Finite-difference gradient checks, in f64 on the reference backend, of the dense layer,
// every activation, and a 2-layer MLP composed from the backend ops (losses: next file).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
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

// sum(r .* values), accumulated in long double so the central differences see little
// rounding noise from the terms a perturbation leaves unchanged.
double weighted_sum(const std::vector<double>& r, const std::vector<double>& values) {
  long double acc = 0;
  for (std::size_t i = 0; i < r.size(); ++i) acc += static_cast<long double>(r[i]) * values[i];
  return static_cast<double>(acc);
}

// Gradient buffers start as garbage so that a backend accumulating instead of overwriting
// fails.
DeviceBuffer garbage(Backend& backend, std::int64_t rows, std::int64_t cols) {
  return to_device(backend, rows, cols,
                   std::vector<double>(static_cast<std::size_t>(rows * cols), 1e30));
}

struct DenseCase {
  std::int64_t batch, in, out;
  std::vector<double> src, weights, bias, ddst;  // ddst = R of L = sum(R .* dst)
  std::vector<double> dsrc, dweights, dbias;     // analytic, from dense_backward

  DenseCase(ReferenceBackend& backend, std::int64_t n, std::int64_t i, std::int64_t o)
      : batch(n), in(i), out(o) {
    const auto seed = static_cast<std::uint64_t>(n * 10000 + i * 100 + o);
    src = random_values(n * i, -1, 1, seed);
    weights = random_values(o * i, -1, 1, seed + 1);
    bias = random_values(o, -1, 1, seed + 2);
    ddst = random_values(n * o, -1, 1, seed + 3);
    DeviceBuffer x = to_device(backend, n, i, src), w = to_device(backend, o, i, weights),
                 r = to_device(backend, n, o, ddst);
    DeviceBuffer dx = garbage(backend, n, i), dw = garbage(backend, o, i),
                 db = garbage(backend, 1, o);
    backend.dense_backward(x, w, r, dx, dw, db);
    dsrc = from_device(backend, dx);
    dweights = from_device(backend, dw);
    dbias = from_device(backend, db);
  }

  double loss(ReferenceBackend& backend) const {
    DeviceBuffer x = to_device(backend, batch, in, src), w = to_device(backend, out, in, weights),
                 b = to_device(backend, 1, out, bias);
    DeviceBuffer y(backend, batch, out, DType::f64);
    backend.dense_forward(x, w, b, y);
    return weighted_sum(ddst, from_device(backend, y));
  }
};

TEST_CASE("dense_forward/dense_backward: gradients of sum(R .* dst) match central differences") {
  ReferenceBackend backend;
  // Plain variables, not structured bindings: lambdas (CAPTURE's too) cannot capture those
  // before clang 16.
  for (const auto& shape :
       {std::array<std::int64_t, 3>{1, 3, 2}, {7, 5, 4}, {33, 4, 3}, {2, 1, 1}}) {
    const std::int64_t n = shape[0], in = shape[1], out = shape[2];
    CAPTURE(n);
    CAPTURE(in);
    CAPTURE(out);
    DenseCase c(backend, n, in, out);
    const auto r = check_gradients(
        [&] { return c.loss(backend); },
        {{"src", c.src, c.dsrc}, {"weights", c.weights, c.dweights}, {"bias", c.bias, c.dbias}});
    CHECK_MESSAGE(r.passed, r.message());
    CHECK(r.max_abs_analytic > 0.1);
  }
}

TEST_CASE("dense_backward: an empty dsrc (first layer) still writes dweights and dbias") {
  ReferenceBackend backend;
  DenseCase c(backend, 7, 5, 4);
  DeviceBuffer x = to_device(backend, 7, 5, c.src), w = to_device(backend, 4, 5, c.weights),
               r = to_device(backend, 7, 4, c.ddst);
  DeviceBuffer dw = garbage(backend, 4, 5), db = garbage(backend, 1, 4);
  backend.dense_backward(x, w, r, Tensor{}, dw, db);
  CHECK(from_device(backend, dw) == c.dweights);
  CHECK(from_device(backend, db) == c.dbias);
}

TEST_CASE("gradient checker: rejects a gradient 1e-5 off and names the element") {
  ReferenceBackend backend;
  DenseCase c(backend, 7, 5, 4);
  std::vector<double> wrong = c.dweights;
  const auto largest = static_cast<std::size_t>(
      std::max_element(wrong.begin(), wrong.end(),
                       [](double x, double y) { return std::abs(x) < std::abs(y); }) -
      wrong.begin());
  wrong[largest] *= 1 + 1e-5;
  const auto r = check_gradients(
      [&] { return c.loss(backend); },
      {{"src", c.src, c.dsrc}, {"weights", c.weights, wrong}, {"bias", c.bias, c.dbias}});
  CHECK_FALSE(r.passed);
  CHECK(r.worst_input == "weights");
  CHECK(r.worst_index == largest);
  CHECK(r.worst_error > 5e-6);
  // Size mismatches are reported, not read out of bounds.
  const auto bad = check_gradients([] { return 0.0; }, {{"src", c.src, {1.0}}});
  CHECK_FALSE(bad.passed);
  CHECK(bad.message().find("src") != std::string::npos);
}

TEST_CASE("activation_forward/activation_backward: every activation matches central differences") {
  ReferenceBackend backend;
  const std::vector<std::pair<ActivationParams, std::string>> activations = {
      {{Activation::none, 0.0}, "none"},
      {{Activation::relu, 0.0}, "relu"},
      {{Activation::leaky_relu, 0.01}, "leaky_relu 0.01"},
      {{Activation::leaky_relu, 0.3}, "leaky_relu 0.3"},
      {{Activation::elu, 1.0}, "elu 1.0"},
      {{Activation::elu, 0.5}, "elu 0.5"},
      {{Activation::gelu, 0.0}, "gelu"},
      {{Activation::sigmoid, 0.0}, "sigmoid"},
      {{Activation::tanh, 0.0}, "tanh"}};
  for (const auto& entry : activations) {
    const ActivationParams act = entry.first;
    const std::string& name = entry.second;
    for (const auto& shape : {std::pair<std::int64_t, std::int64_t>{1, 5}, {33, 4}}) {
      const std::int64_t rows = shape.first, cols = shape.second;
      CAPTURE(name);
      CAPTURE(rows);
      // Alternating signs cover both branches; |x| >= 0.01 keeps clear of the relu kink.
      std::vector<double> src = random_values(rows * cols, 0.01, 4, 7 + rows);
      for (std::size_t i = 1; i < src.size(); i += 2) src[i] = -src[i];
      const std::vector<double> ddst = random_values(rows * cols, -1, 1, 8 + rows);

      DeviceBuffer x = to_device(backend, rows, cols, src),
                   r = to_device(backend, rows, cols, ddst);
      DeviceBuffer y(backend, rows, cols, DType::f64), dx = garbage(backend, rows, cols);
      backend.activation_forward(act, x, y);
      backend.activation_backward(act, x, y, r, dx);

      const auto loss = [&] {
        DeviceBuffer px = to_device(backend, rows, cols, src), py(backend, rows, cols, DType::f64);
        backend.activation_forward(act, px, py);
        return weighted_sum(ddst, from_device(backend, py));
      };
      const auto result = check_gradients(loss, {{"src", src, from_device(backend, dx)}});
      CHECK_MESSAGE(result.passed, result.message());
      CHECK(result.max_abs_analytic > 0.1);
    }
  }
}

// dense -> tanh -> dense -> softmax cross-entropy, composed the way the model composes it.
struct Mlp {
  static constexpr std::int64_t kBatch = 5, kIn = 4, kHidden = 6, kClasses = 3;
  explicit Mlp(ReferenceBackend& b) : backend(b) {}

  ReferenceBackend& backend;
  std::vector<double> src = random_values(kBatch * kIn, -1, 1, 101);
  std::vector<double> w1 = random_values(kHidden * kIn, -0.8, 0.8, 102);
  std::vector<double> b1 = random_values(kHidden, -0.2, 0.2, 103);
  std::vector<double> w2 = random_values(kClasses * kHidden, -0.8, 0.8, 104);
  std::vector<double> b2 = random_values(kClasses, -0.2, 0.2, 105);
  std::vector<std::int32_t> labels = {0, 2, 1, 2, 0};
  std::vector<double> dsrc, dw1, db1, dw2, db2;

  // Mean loss; with `gradients`, also fills dsrc, dw1, db1, dw2, db2.
  double run(bool gradients) {
    const ActivationParams tanh{Activation::tanh, 0.0};
    DeviceBuffer x = to_device(backend, kBatch, kIn, src);
    DeviceBuffer pw1 = to_device(backend, kHidden, kIn, w1),
                 pb1 = to_device(backend, 1, kHidden, b1);
    DeviceBuffer pw2 = to_device(backend, kClasses, kHidden, w2);
    DeviceBuffer pb2 = to_device(backend, 1, kClasses, b2);
    DeviceBuffer y = testing::labels_to_device(backend, labels);
    DeviceBuffer h(backend, kBatch, kHidden, DType::f64), a(backend, kBatch, kHidden, DType::f64);
    DeviceBuffer z(backend, kBatch, kClasses, DType::f64),
        dz(backend, kBatch, kClasses, DType::f64);
    DeviceBuffer metrics =
        to_device(backend, 1, kMetricSlots, std::vector<double>(kMetricSlots, 0.0));
    backend.dense_forward(x, pw1, pb1, h);
    backend.activation_forward(tanh, h, a);
    backend.dense_forward(a, pw2, pb2, z);
    backend.softmax_cross_entropy(z, y, gradients ? Tensor(dz) : Tensor{}, metrics);
    if (gradients) {
      DeviceBuffer da(backend, kBatch, kHidden, DType::f64),
          dh(backend, kBatch, kHidden, DType::f64);
      DeviceBuffer dx = garbage(backend, kBatch, kIn), gw1 = garbage(backend, kHidden, kIn),
                   gb1 = garbage(backend, 1, kHidden), gw2 = garbage(backend, kClasses, kHidden),
                   gb2 = garbage(backend, 1, kClasses);
      backend.dense_backward(a, pw2, dz, da, gw2, gb2);
      backend.activation_backward(tanh, h, a, da, dh);
      backend.dense_backward(x, pw1, dh, dx, gw1, gb1);
      dsrc = from_device(backend, dx);
      dw1 = from_device(backend, gw1);
      db1 = from_device(backend, gb1);
      dw2 = from_device(backend, gw2);
      db2 = from_device(backend, gb2);
    }
    return from_device(backend, metrics)[kLossSum] / kBatch;
  }
};

TEST_CASE("2-layer MLP (dense / tanh / dense / softmax CE): gradients of all parameters") {
  ReferenceBackend backend;
  Mlp mlp(backend);
  mlp.run(true);
  const auto r = check_gradients([&] { return mlp.run(false); }, {{"w1", mlp.w1, mlp.dw1},
                                                                  {"b1", mlp.b1, mlp.db1},
                                                                  {"w2", mlp.w2, mlp.dw2},
                                                                  {"b2", mlp.b2, mlp.db2},
                                                                  {"src", mlp.src, mlp.dsrc}});
  CHECK_MESSAGE(r.passed, r.message());
  CHECK(r.max_abs_analytic > 0.05);
}

}  // namespace
}  // namespace nnrun
