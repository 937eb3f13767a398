// OneDnnBackend in bf16: the optimizer steps write a bf16 copy of the parameters, which the
// products then read instead of rounding the weights again. The copy must give exactly what
// rounding would, and must never outlive a write to the parameters.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "backends/onednn/onednn_backend.hpp"
#include "tests/backend_twins.hpp"

namespace {
using namespace nnrun;
using namespace nnrun::testing;

constexpr std::int64_t kBatch = 16, kIn = 24, kOut = 8;

// A parameter arena holding one dense layer (weights then bias), its gradients and Adam state.
struct Layer {
  explicit Layer(OneDnnBackend& b)
      : backend(b),
        params(b, 1, kOut * kIn + kOut, DType::f32),
        grads(b, 1, kOut * kIn + kOut, DType::f32),
        m(b, 1, kOut * kIn + kOut, DType::f32),
        v(b, 1, kOut * kIn + kOut, DType::f32) {
    b.upload(params, random_floats(params.tensor().size(), 90).data());
    b.upload(grads, random_floats(grads.tensor().size(), 91).data());
    b.fill_zero(m);
    b.fill_zero(v);
  }
  Tensor weights() const { return params.tensor().flat_view(0, kOut, kIn); }
  Tensor bias() const { return params.tensor().flat_view(kOut * kIn, 1, kOut); }
  void adam_step(long step) {
    AdamParams p;
    p.lr = 0.05;
    p.step = step;
    backend.adam_step(p, params, grads, m, v, Tensor{});
  }
  std::vector<float> forward(const DeviceBuffer& src) {
    DeviceBuffer dst(backend, kBatch, kOut, DType::f32);
    backend.dense_forward(src, weights(), bias(), dst);
    return read<float>(backend, dst);
  }
  std::vector<float> parameters() { return read<float>(backend, params); }

  OneDnnBackend& backend;
  DeviceBuffer params, grads, m, v;
};

// dense_forward of the same inputs on a backend that has no copy: weights rounded afresh.
std::vector<float> fresh_forward(const std::vector<float>& parameters,
                                 const std::vector<float>& src_values) {
  OneDnnBackend fresh(0, MatmulPrecision::bf16);
  DeviceBuffer params(fresh, 1, kOut * kIn + kOut, DType::f32);
  fresh.upload(params, parameters.data());
  DeviceBuffer src(fresh, kBatch, kIn, DType::f32), dst(fresh, kBatch, kOut, DType::f32);
  fresh.upload(src, src_values.data());
  fresh.dense_forward(src, params.tensor().flat_view(0, kOut, kIn),
                      params.tensor().flat_view(kOut * kIn, 1, kOut), dst);
  return read<float>(fresh, dst);
}

}  // namespace

TEST_CASE("onednn bf16: the optimizer's weight copy gives what rounding the weights gives") {
  if (!OneDnnBackend::bf16_supported()) return;  // covered by the refusal test
  OneDnnBackend bf16(0, MatmulPrecision::bf16);
  Layer layer(bf16);
  const std::vector<float> src_values = random_floats(kBatch * kIn, 92);
  DeviceBuffer src(bf16, kBatch, kIn, DType::f32);
  bf16.upload(src, src_values.data());

  for (long step = 1; step <= 3; ++step) {
    CAPTURE(step);
    const std::vector<float> before = layer.parameters();
    layer.adam_step(step);
    REQUIRE(layer.parameters() != before);  // the step changed the weights
    CHECK(layer.forward(src) == fresh_forward(layer.parameters(), src_values));
  }

  SUBCASE("an upload into the arena drops the copy") {
    const std::vector<float> replaced = random_floats(layer.params.tensor().size(), 93);
    bf16.upload(layer.params, replaced.data());
    CHECK(layer.forward(src) == fresh_forward(replaced, src_values));
  }
  SUBCASE("fill_zero of the arena drops the copy") {
    bf16.fill_zero(layer.params);
    CHECK(layer.forward(src) == std::vector<float>(kBatch * kOut, 0.0f));
  }
  SUBCASE("a guarded (skipped) step keeps weights and copy in step") {
    DeviceBuffer guard(bf16, 1, kMetricSlots, DType::f64);
    std::vector<double> metrics(kMetricSlots, 0.0);
    metrics[kNonFinite] = 1;
    bf16.upload(guard, metrics.data());
    const std::vector<float> before = layer.parameters();
    AdamParams p;
    p.step = 4;
    bf16.adam_step(p, layer.params, layer.grads, layer.m, layer.v, guard);
    CHECK(layer.parameters() == before);
    CHECK(layer.forward(src) == fresh_forward(before, src_values));
  }
}

TEST_CASE("onednn bf16: SGD's weight copy gives what rounding the weights gives") {
  if (!OneDnnBackend::bf16_supported()) return;
  OneDnnBackend bf16(0, MatmulPrecision::bf16);
  Layer layer(bf16);
  const std::vector<float> src_values = random_floats(kBatch * kIn, 94);
  DeviceBuffer src(bf16, kBatch, kIn, DType::f32);
  bf16.upload(src, src_values.data());
  for (const bool momentum : {false, true}) {
    CAPTURE(momentum);
    SgdParams p;
    p.lr = 0.05;
    p.momentum = momentum ? 0.9 : 0.0;
    const std::vector<float> before = layer.parameters();
    bf16.sgd_step(p, layer.params, layer.grads, momentum ? layer.m.tensor() : Tensor{}, Tensor{});
    REQUIRE(layer.parameters() != before);
    CHECK(layer.forward(src) == fresh_forward(layer.parameters(), src_values));
  }
}

TEST_CASE("onednn bf16: weights outside the optimizer's arena are rounded afresh") {
  if (!OneDnnBackend::bf16_supported()) return;
  OneDnnBackend bf16(0, MatmulPrecision::bf16);
  Layer trained(bf16), other(bf16);
  trained.adam_step(1);
  const std::vector<float> src_values = random_floats(kBatch * kIn, 94);
  DeviceBuffer src(bf16, kBatch, kIn, DType::f32);
  bf16.upload(src, src_values.data());
  CHECK(other.forward(src) == fresh_forward(other.parameters(), src_values));
  CHECK(trained.forward(src) == fresh_forward(trained.parameters(), src_values));
}
