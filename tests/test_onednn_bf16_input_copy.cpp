// OneDnnBackend in bf16: a dense layer's input is rounded to bf16 once (by its forward, or by
// gather_rows for a batch) and the copy is read again by the backward's weight gradient. The
// copy must give exactly what rounding would, and must never outlive a write to its source.
#include <doctest/doctest.h>

#include <cstdint>
#include <numeric>
#include <vector>

#include "backends/onednn/onednn_backend.hpp"
#include "tests/backend_twins.hpp"

namespace {
using namespace nnrun;
using namespace nnrun::testing;

constexpr std::int64_t kBatch = 16, kIn = 24, kOut = 8;

struct Dense {
  explicit Dense(OneDnnBackend& b)
      : backend(b),
        weights(b, kOut, kIn, DType::f32),
        bias(b, 1, kOut, DType::f32),
        dst(b, kBatch, kOut, DType::f32),
        ddst(b, kBatch, kOut, DType::f32),
        dsrc(b, kBatch, kIn, DType::f32),
        dweights(b, kOut, kIn, DType::f32),
        dbias(b, 1, kOut, DType::f32) {
    b.upload(weights, random_floats(kOut * kIn, 70).data());
    b.upload(bias, random_floats(kOut, 71).data());
    b.upload(ddst, random_floats(kBatch * kOut, 72).data());
  }
  std::vector<float> forward(const DeviceBuffer& src) {
    backend.dense_forward(src, weights, bias, dst);
    return read<float>(backend, dst);
  }
  std::vector<float> weight_gradient(const DeviceBuffer& src) {
    backend.dense_backward(src, weights, ddst, dsrc, dweights, dbias);
    return read<float>(backend, dweights);
  }
  OneDnnBackend& backend;
  DeviceBuffer weights, bias, dst, ddst, dsrc, dweights, dbias;
};

// Forward and weight gradient of src_values on a backend that has kept nothing.
struct Fresh {
  std::vector<float> forward, weight_gradient;
};
Fresh fresh(const std::vector<float>& src_values) {
  OneDnnBackend b(0, MatmulPrecision::bf16);
  Dense layer(b);
  DeviceBuffer src(b, kBatch, kIn, DType::f32);
  b.upload(src, src_values.data());
  Fresh out;
  out.forward = layer.forward(src);
  out.weight_gradient = layer.weight_gradient(src);
  return out;
}

}  // namespace

TEST_CASE("onednn bf16: a layer input's copy gives what rounding gives and follows every write") {
  if (!OneDnnBackend::bf16_supported()) return;  // covered by the refusal test
  OneDnnBackend bf16(0, MatmulPrecision::bf16);
  Dense layer(bf16);
  DeviceBuffer src(bf16, kBatch, kIn, DType::f32);
  const std::vector<float> first = random_floats(kBatch * kIn, 73);
  bf16.upload(src, first.data());
  const Fresh expected = fresh(first);
  CHECK(layer.forward(src) == expected.forward);
  CHECK(layer.weight_gradient(src) == expected.weight_gradient);

  SUBCASE("an upload between forward and backward") {
    const std::vector<float> second = random_floats(kBatch * kIn, 74);
    layer.forward(src);
    bf16.upload(src, second.data());
    CHECK(layer.weight_gradient(src) == fresh(second).weight_gradient);
  }
  SUBCASE("a compute op writing the input in place") {
    layer.forward(src);
    bf16.activation_forward({Activation::relu, 0}, src, src);
    std::vector<float> rectified = first;
    for (float& x : rectified) x = x > 0 ? x : 0;
    CHECK(layer.weight_gradient(src) == fresh(rectified).weight_gradient);
    CHECK(layer.forward(src) == fresh(rectified).forward);
  }
  SUBCASE("a dense product writing the input") {
    // src as another layer's output: [kBatch, kIn] from a [kBatch, kOut] input.
    DeviceBuffer other_src(bf16, kBatch, kOut, DType::f32);
    DeviceBuffer other_weights(bf16, kIn, kOut, DType::f32), other_bias(bf16, 1, kIn, DType::f32);
    bf16.upload(other_src, random_floats(kBatch * kOut, 75).data());
    bf16.upload(other_weights, random_floats(kIn * kOut, 76).data());
    bf16.fill_zero(other_bias);
    layer.forward(src);
    bf16.dense_forward(other_src, other_weights, other_bias, src);
    const std::vector<float> written = read<float>(bf16, src);
    REQUIRE(written != first);
    CHECK(layer.weight_gradient(src) == fresh(written).weight_gradient);
  }
}

TEST_CASE("onednn bf16: gather_rows rounds a batch that a layer took before and follows writes") {
  if (!OneDnnBackend::bf16_supported()) return;
  OneDnnBackend bf16(0, MatmulPrecision::bf16);
  Dense layer(bf16);
  const std::int64_t rows = 40;
  const std::vector<float> data = random_floats(rows * kIn, 77);
  DeviceBuffer table(bf16, rows, kIn, DType::f32), batch(bf16, kBatch, kIn, DType::f32);
  DeviceBuffer index(bf16, kBatch, 1, DType::i32);
  bf16.upload(table, data.data());
  const auto gather = [&](std::int32_t offset) {
    std::vector<std::int32_t> picks(kBatch);
    for (std::int64_t i = 0; i < kBatch; ++i)
      picks[static_cast<std::size_t>(i)] = static_cast<std::int32_t>((i * 7 + offset) % rows);
    bf16.upload(index, picks.data());
    bf16.gather_rows(table, index, batch);
    std::vector<float> values;
    for (const std::int32_t p : picks)
      values.insert(values.end(), data.begin() + p * kIn, data.begin() + (p + 1) * kIn);
    return values;
  };
  for (std::int32_t offset : {0, 3, 11}) {  // the first gather has no copy yet; later ones do
    CAPTURE(offset);
    const Fresh expected = fresh(gather(offset));
    CHECK(layer.forward(batch) == expected.forward);
    CHECK(layer.weight_gradient(batch) == expected.weight_gradient);
  }
  // A write after the gather drops the copy it made.
  gather(5);
  const std::vector<float> zeros(kBatch * kIn, 0.0f);
  bf16.fill_zero(batch);
  CHECK(layer.forward(batch) == fresh(zeros).forward);
}

TEST_CASE("onednn bf16: inputs met once like evaluation batches are not kept") {
  if (!OneDnnBackend::bf16_supported()) return;
  OneDnnBackend bf16(0, MatmulPrecision::bf16);
  Dense layer(bf16);
  const std::int64_t batches = 40;
  const std::vector<float> data = random_floats(batches * kBatch * kIn, 78);
  DeviceBuffer table(bf16, batches * kBatch, kIn, DType::f32);
  bf16.upload(table, data.data());
  for (std::int64_t b = 0; b < batches; ++b) {  // as an evaluation slices its batches
    CAPTURE(b);
    const Tensor batch = table.tensor().row_range(b * kBatch, kBatch);
    bf16.dense_forward(batch, layer.weights, layer.bias, layer.dst);
    const std::vector<float> values(data.begin() + b * kBatch * kIn,
                                    data.begin() + (b + 1) * kBatch * kIn);
    CHECK(read<float>(bf16, layer.dst) == fresh(values).forward);
  }
  CHECK(bf16.bf16_input_copies() == 0);
  // A buffer that comes back (a layer's input, step after step) is kept from its second use.
  DeviceBuffer src(bf16, kBatch, kIn, DType::f32);
  bf16.upload(src, data.data());
  layer.forward(src);
  layer.forward(src);
  CHECK(bf16.bf16_input_copies() == 1);
}
