// The Model wiring (layers, arenas, backward order, optimizer over the arena) checked as a
// whole: finite differences through Model in f64, and the oneDNN backend against the
// reference over several full training steps.
#include <doctest/doctest.h>

#include "backends/onednn/onednn_backend.hpp"
#include "backends/reference/reference_backend.hpp"
#include "core/model/loss.hpp"
#include "core/model/model.hpp"
#include "core/tensor_io.hpp"
#include "core/train/optimizer.hpp"
#include "tests/gradient_check.hpp"

using namespace nnrun;
using nnrun::testing::check_gradients;
using nnrun::testing::random_values;

namespace {

ModelConfig three_layer_config() {
  ModelConfig config;
  config.layers = {{"dense", 6, {Activation::tanh, 0}, {}},
                   {"dense", 4, {Activation::gelu, 0}, {}},
                   {"dense", 3, {Activation::none, 0}, {}}};
  config.init.kind = InitSpec::Kind::xavier_uniform;
  return config;
}

}  // namespace

TEST_CASE("model: parameter layout is one flat arena with named views") {
  ReferenceBackend backend;
  ModelConfig config;
  config.layers = {{"dense", 16, {Activation::relu, 0}, {}}, {"dense", 3, {}, {}}};
  Model model(backend, config, 4, DType::f32);
  CHECK(model.parameter_count() == 4 * 16 + 16 + 16 * 3 + 3);
  const auto& layout = model.parameter_layout();
  REQUIRE(layout.size() == 4);
  CHECK(layout[0].name == "layers.0.dense.weight");
  CHECK(layout[0].rows == 16);
  CHECK(layout[0].cols == 4);
  CHECK(layout[1].name == "layers.0.dense.bias");
  CHECK(layout[1].offset == 64);
  CHECK(layout[3].offset + layout[3].rows * layout[3].cols == model.parameter_count());
  // Same seed, same initial weights; another seed, other weights.
  model.initialize(5);
  const std::vector<double> first = model.download_parameters();
  model.initialize(5);
  CHECK(model.download_parameters() == first);
  model.initialize(6);
  CHECK(model.download_parameters() != first);
}

TEST_CASE("model: gradients through Model match finite differences (f64 / reference)") {
  ReferenceBackend backend;
  Model model(backend, three_layer_config(), 5, DType::f64);
  const std::int64_t batch = 7;
  model.initialize(11);
  model.prepare(batch);
  DeviceBuffer src(backend, batch, 5, DType::f64);
  upload_values(backend, src, std::span<const double>(random_values(batch * 5, -1, 1, 3)));
  DeviceBuffer labels(backend, batch, 1, DType::i32);
  const std::vector<std::int32_t> y = {0, 2, 1, 1, 0, 2, 2};
  upload_values(backend, labels, std::span<const std::int32_t>(y));
  DeviceBuffer metrics(backend, 1, kMetricSlots, DType::f64);
  DeviceBuffer dlogits(backend, batch, 3, DType::f64);

  std::vector<double> params = model.download_parameters();
  auto mean_loss = [&] {
    model.upload_parameters(params);
    backend.fill_zero(metrics);
    const Tensor out = model.forward(src, ForwardPass{Mode::train});
    compute_loss(backend, LossKind::cross_entropy, out, labels, Tensor{}, metrics);
    return download_values(backend, metrics)[kLossSum] / batch;
  };
  backend.fill_zero(metrics);
  const Tensor out = model.forward(src, ForwardPass{Mode::train});
  compute_loss(backend, LossKind::cross_entropy, out, labels, dlogits, metrics);
  model.backward(dlogits);
  const std::vector<double> analytic = download_values(backend, model.gradients());
  const auto result = check_gradients(mean_loss, {{"params", params, analytic}});
  CHECK_MESSAGE(result.passed, result.message());
  CHECK(result.max_abs_analytic > 1e-3);
}

TEST_CASE("model: oneDNN and reference agree over 25 Adam steps / ragged last batch included") {
  ReferenceBackend reference;
  OneDnnBackend onednn(1);
  const std::int64_t samples = 33, batch = 8;  // 4 full batches and one of 1
  const std::vector<double> x = random_values(samples * 5, -2, 2, 9);
  std::vector<std::int32_t> y(samples);
  for (std::int64_t i = 0; i < samples; ++i) y[i] = static_cast<std::int32_t>((i * 7) % 3);

  auto train = [&](Backend& backend) {
    Model model(backend, three_layer_config(), 5, DType::f32);
    model.initialize(42);
    model.prepare(batch);
    OptimizerConfig oc;
    oc.type = OptimizerKind::adam;
    oc.lr = 0.01;
    oc.weight_decay = 1e-3;
    Optimizer optimizer(backend, oc, model.parameter_count(), DType::f32);
    DeviceBuffer src(backend, samples, 5, DType::f32), labels(backend, samples, 1, DType::i32);
    upload_values(backend, src, std::span<const double>(x));
    upload_values(backend, labels, std::span<const std::int32_t>(y));
    DeviceBuffer metrics(backend, 1, kMetricSlots, DType::f64);
    DeviceBuffer dlogits(backend, batch, 3, DType::f32);
    backend.fill_zero(metrics);
    for (int step = 0; step < 25; ++step) {
      const std::int64_t begin = (step * batch) % (samples + batch - 1);
      const std::int64_t n = std::min(batch, samples - begin);
      const Tensor out = model.forward(src.tensor().row_range(begin, n), ForwardPass{Mode::train});
      const Tensor d = dlogits.tensor().row_range(0, n);
      compute_loss(backend, LossKind::cross_entropy, out, labels.tensor().row_range(begin, n), d,
                   metrics);
      model.backward(d);
      optimizer.step(model.parameters(), model.gradients(), oc.lr, metrics);
    }
    std::vector<double> result = model.download_parameters();
    const std::vector<double> m = download_values(backend, metrics);
    result.insert(result.end(), m.begin(), m.end());
    return result;
  };
  const std::vector<double> a = train(reference), b = train(onednn);
  REQUIRE(a.size() == b.size());
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, std::abs(a[i] - b[i]) / std::max(1.0, std::abs(a[i])));
  CHECK(worst < 1e-4);
}
