// The oneDNN backend's fused losses against the reference: loss sums, correct counts,
// gradients, and "no gradient" calls that must write nothing.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "backends/onednn/onednn_backend.hpp"
#include "backends/reference/reference_backend.hpp"
#include "tests/backend_twins.hpp"

namespace {
using namespace nnrun;
using namespace nnrun::testing;

constexpr std::int64_t kBatches[] = {1, 7, 33};

}  // namespace

namespace {

// Runs one loss on both backends twice: with a gradient, and with an empty gradient that
// must leave the metrics identical and write nothing.
template <typename Loss>
void check_loss(Backends& b, std::int64_t n, std::int64_t cols, Twin& input, Twin& target,
                Loss loss, bool counts_correct) {
  std::vector<double> start(kMetricSlots, 0.0);
  start[kLossSum] = 1.5;
  start[kCorrect] = 2.0;
  start[kSamples] = 3.0;
  Twin metrics = b.twin(1, kMetricSlots, DType::f64, start);
  Twin grad = b.twin_f32(n, cols, 40);
  loss(b.ref, input.ref, target.ref, grad.ref, metrics.ref);
  loss(b.cpu, input.cpu, target.cpu, grad.cpu, metrics.cpu);
  check_twin(b, grad, "gradient");
  const auto ref_m = read<double>(b.ref, metrics.ref), cpu_m = read<double>(b.cpu, metrics.cpu);
  CHECK(cpu_m[kLossSum] == doctest::Approx(ref_m[kLossSum]).epsilon(kRtol));
  CHECK(cpu_m[kCorrect] == ref_m[kCorrect]);
  CHECK(cpu_m[kSamples] == ref_m[kSamples]);
  CHECK(cpu_m[kSamples] == start[kSamples] + static_cast<double>(n));
  if (!counts_correct) CHECK(cpu_m[kCorrect] == start[kCorrect]);

  // "No gradient": a null tensor, and a zero-size view of a real buffer (left untouched).
  const std::vector<float> sentinel = read<float>(b.cpu, grad.cpu);
  for (const Tensor none : {Tensor{}, Tensor{grad.cpu.tensor().data, 0, 0, DType::f32}}) {
    Twin eval_metrics = b.twin(1, kMetricSlots, DType::f64, start);
    loss(b.cpu, input.cpu, target.cpu, none, eval_metrics.cpu);
    CHECK(read<double>(b.cpu, eval_metrics.cpu) == cpu_m);
    CHECK(read<float>(b.cpu, grad.cpu) == sentinel);
  }
}

}  // namespace

TEST_CASE("onednn: softmax_cross_entropy matches the reference") {
  Backends b;
  const auto loss = [](Backend& be, Tensor z, Tensor y, Tensor dz, Tensor m) {
    be.softmax_cross_entropy(z, y, dz, m);
  };
  struct Shape {
    std::int64_t n, c;
  };
  std::vector<Shape> shapes;
  for (const std::int64_t n : kBatches)
    for (const std::int64_t c : {1, 2, 3, 5, 17, 64}) shapes.push_back({n, c});
  shapes.push_back({600, 100});  // takes the parallel path
  for (const Shape s : shapes)
    for (const double scale : {1.0, 30.0}) {  // 30: exp would overflow without the max shift
      CAPTURE(s.n);
      CAPTURE(s.c);
      CAPTURE(scale);
      Twin logits = b.twin_f32(s.n, s.c, 41, -scale, scale);
      Twin labels =
          b.twin(s.n, 1, DType::i32, random_labels(s.n, static_cast<std::int32_t>(s.c), 42));
      check_loss(b, s.n, s.c, logits, labels, loss, true);

      // In place: the gradient overwrites the logits it is computed from.
      Twin grad = b.twin_f32(s.n, s.c, 43);
      Twin metrics = b.twin(1, kMetricSlots, DType::f64, std::vector<double>(kMetricSlots, 0.0));
      b.ref.softmax_cross_entropy(logits.ref, labels.ref, grad.ref, metrics.ref);
      b.cpu.softmax_cross_entropy(logits.cpu, labels.cpu, logits.cpu, metrics.cpu);
      check_close(read<float>(b.cpu, logits.cpu), read<float>(b.ref, grad.ref), "in-place");
      CHECK(read<double>(b.cpu, metrics.cpu)[kCorrect] ==
            read<double>(b.ref, metrics.ref)[kCorrect]);
    }

  // Ties: argmax is the first maximal index, so only label 0 counts as correct (the last
  // maximal index would make none of these rows correct).
  Twin tied = b.twin(3, 4, DType::f32, std::vector<float>(12, 0.5f));
  Twin labels = b.twin(3, 1, DType::i32, std::vector<std::int32_t>{0, 0, 1});
  Twin metrics = b.twin(1, kMetricSlots, DType::f64, std::vector<double>(kMetricSlots, 0.0));
  b.cpu.softmax_cross_entropy(tied.cpu, labels.cpu, Tensor{}, metrics.cpu);
  CHECK(read<double>(b.cpu, metrics.cpu)[kCorrect] == 2.0);
  CHECK(read<double>(b.cpu, metrics.cpu)[kLossSum] == doctest::Approx(3 * std::log(4.0)));
}

TEST_CASE("onednn: sigmoid_binary_cross_entropy matches the reference") {
  Backends b;
  const auto loss = [](Backend& be, Tensor z, Tensor y, Tensor dz, Tensor m) {
    be.sigmoid_binary_cross_entropy(z, y, dz, m);
  };
  for (const std::int64_t n : {1, 7, 33, 1000})
    for (const double scale : {1.0, 40.0}) {  // 40: log1p(exp(-|x|)) must stay finite
      CAPTURE(n);
      CAPTURE(scale);
      Twin logits = b.twin_f32(n, 1, 50, -scale, scale);
      Twin labels = b.twin(n, 1, DType::i32, random_labels(n, 2, 51));
      check_loss(b, n, 1, logits, labels, loss, true);
    }
}

TEST_CASE("onednn: mean_squared_error matches the reference") {
  Backends b;
  const auto loss = [](Backend& be, Tensor p, Tensor t, Tensor dp, Tensor m) {
    be.mean_squared_error(p, t, dp, m);
  };
  for (const std::int64_t n : kBatches)
    for (const std::int64_t k : {1, 3, 5, 17, 64}) {
      CAPTURE(n);
      CAPTURE(k);
      Twin pred = b.twin_f32(n, k, 60, -2, 2);
      Twin targets = b.twin_f32(n, k, 61, -2, 2);
      check_loss(b, n, k, pred, targets, loss, false);
    }
}
