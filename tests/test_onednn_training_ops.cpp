// The training-control ops of OneDnnBackend against the ReferenceBackend oracle: AdamW,
// RMSprop, gradient-norm clipping, dropout masks, and the non-finite guard.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "backends/onednn/onednn_backend.hpp"
#include "backends/reference/reference_backend.hpp"
#include "tests/backend_twins.hpp"

namespace {
using namespace nnrun;
using namespace nnrun::testing;

// 1, a few, and sizes that run in parallel across several fixed-size chunks.
constexpr std::int64_t kArenaSizes[] = {1, 17, 1000, 100003};

Twin zeros(Backends& b, std::int64_t size) {
  return b.twin(1, size, DType::f32, std::vector<float>(static_cast<std::size_t>(size), 0.0f));
}

Twin fresh_metrics(Backends& b, double samples_so_far) {
  std::vector<double> start(kMetricSlots, 0.0);
  start[kSamples] = samples_so_far;
  return b.twin(1, kMetricSlots, DType::f64, start);
}

}  // namespace

TEST_CASE("onednn: adamw (decoupled weight decay) matches the reference over several steps") {
  Backends b;
  for (const double weight_decay : {0.0, 0.01, 0.3})
    for (const std::int64_t size : kArenaSizes) {
      CAPTURE(weight_decay);
      CAPTURE(size);
      Twin params = b.twin_f32(1, size, 100);
      Twin m = zeros(b, size), v = zeros(b, size);
      AdamParams p;
      p.lr = 0.01;
      p.weight_decay = weight_decay;
      p.decoupled_weight_decay = true;
      for (long step = 1; step <= 6; ++step) {
        p.step = step;
        Twin grads = b.twin_f32(1, size, 101 + static_cast<std::uint32_t>(step));
        b.ref.adam_step(p, params.ref, grads.ref, m.ref, v.ref, Tensor{});
        b.cpu.adam_step(p, params.cpu, grads.cpu, m.cpu, v.cpu, Tensor{});
      }
      check_twin(b, params, "params");
      check_twin(b, m, "m");
      check_twin(b, v, "v");
    }
}

TEST_CASE("onednn: rmsprop matches the reference / plain centered momentum weight decay") {
  struct Variant {
    const char* name;
    RmspropParams p;
  };
  const Variant variants[] = {
      {"plain", {.lr = 0.01}},
      {"centered", {.lr = 0.01, .centered = true}},
      {"momentum", {.lr = 0.01, .momentum = 0.9}},
      {"weight decay", {.lr = 0.01, .weight_decay = 0.05}},
      {"all",
       {.lr = 0.005,
        .alpha = 0.9,
        .eps = 1e-6,
        .weight_decay = 0.01,
        .momentum = 0.5,
        .centered = true}},
  };
  Backends b;
  for (const Variant& variant : variants)
    for (const std::int64_t size : kArenaSizes) {
      CAPTURE(variant.name);
      CAPTURE(size);
      Twin params = b.twin_f32(1, size, 110);
      Twin square_avg = zeros(b, size), buf = zeros(b, size), grad_avg = zeros(b, size);
      for (std::uint32_t step = 0; step < 6; ++step) {
        Twin grads = b.twin_f32(1, size, 111 + step);
        b.ref.rmsprop_step(variant.p, params.ref, grads.ref, square_avg.ref, buf.ref, grad_avg.ref,
                           Tensor{});
        b.cpu.rmsprop_step(variant.p, params.cpu, grads.cpu, square_avg.cpu, buf.cpu, grad_avg.cpu,
                           Tensor{});
      }
      check_twin(b, params, "params");
      check_twin(b, square_avg, "square_avg");
      check_twin(b, buf, "momentum_buffer");
      check_twin(b, grad_avg, "grad_avg");
    }
}

TEST_CASE("onednn: rmsprop without momentum or centering needs no buffers for them") {
  OneDnnBackend cpu(0);
  DeviceBuffer params(cpu, 1, 5, DType::f32), grads(cpu, 1, 5, DType::f32),
      square_avg(cpu, 1, 5, DType::f32);
  for (const DeviceBuffer* t : {&params, &grads, &square_avg}) cpu.fill_zero(*t);
  CHECK_NOTHROW(cpu.rmsprop_step({}, params, grads, square_avg, Tensor{}, Tensor{}, Tensor{}));
  CHECK_THROWS_AS(
      cpu.rmsprop_step({.momentum = 0.9}, params, grads, square_avg, Tensor{}, Tensor{}, Tensor{}),
      std::invalid_argument);
}

TEST_CASE("onednn: clip_grad_norm matches the reference / below and above max_norm") {
  Backends b;
  for (const std::int64_t size : {std::int64_t{1}, std::int64_t{17}, std::int64_t{100003}})
    for (const double max_norm_factor : {2.0, 0.5}) {
      CAPTURE(size);
      CAPTURE(max_norm_factor);
      const std::vector<float> host = random_floats(static_cast<std::size_t>(size), 120);
      long double sum = 0;  // the exact norm, from the host values
      for (const float g : host) sum += static_cast<long double>(g) * g;
      const double norm = static_cast<double>(std::sqrt(sum));
      const double max_norm = norm * max_norm_factor;

      Twin grads = b.twin(1, size, DType::f32, host);
      Twin metrics = fresh_metrics(b, 7);
      b.ref.clip_grad_norm(grads.ref, max_norm, metrics.ref);
      b.cpu.clip_grad_norm(grads.cpu, max_norm, metrics.cpu);
      const auto cpu_m = read<double>(b.cpu, metrics.cpu), ref_m = read<double>(b.ref, metrics.ref);
      CHECK(cpu_m[kGradNorm] == doctest::Approx(norm).epsilon(1e-12));
      CHECK(ref_m[kGradNorm] == doctest::Approx(norm).epsilon(1e-12));
      CHECK(cpu_m[kNonFinite] == 0);
      check_twin(b, grads, "grads");
      const std::vector<float> clipped = read<float>(b.cpu, grads.cpu);
      if (max_norm_factor > 1) {
        CHECK(clipped == host);  // below max_norm: untouched, bit for bit
      } else {
        // torch's coefficient max_norm / (norm + 1e-6) lands just under max_norm.
        long double clipped_sum = 0;
        for (const float g : clipped) clipped_sum += static_cast<long double>(g) * g;
        CHECK(static_cast<double>(std::sqrt(clipped_sum)) ==
              doctest::Approx(norm * max_norm / (norm + 1e-6)).epsilon(1e-6));
      }
    }
}

TEST_CASE("onednn: clip_grad_norm counts a non-finite norm and leaves the gradient alone") {
  Backends b;
  for (const float bad :
       {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    CAPTURE(bad);
    std::vector<float> host = random_floats(40000, 121);
    host[39999] = bad;
    Twin grads = b.twin(1, 40000, DType::f32, host);
    Twin metrics = fresh_metrics(b, 64);
    for (Backend* backend : {static_cast<Backend*>(&b.ref), static_cast<Backend*>(&b.cpu)}) {
      const bool cpu = backend == &b.cpu;
      backend->clip_grad_norm(cpu ? grads.cpu : grads.ref, 1.0, cpu ? metrics.cpu : metrics.ref);
      const auto m = read<double>(*backend, cpu ? metrics.cpu : metrics.ref);
      CHECK_FALSE(std::isfinite(m[kGradNorm]));
      CHECK(m[kNonFinite] == 1);
      CHECK(m[kFirstNonFinite] == 64);
      const auto after = read<float>(*backend, cpu ? grads.cpu : grads.ref);
      CHECK(std::memcmp(after.data(), host.data(), host.size() * sizeof(float)) == 0);
    }
  }
}

TEST_CASE("onednn: dropout masks are bit-identical to the reference / forward and backward") {
  Backends b;
  for (const double rate : {0.0, 0.1, 0.5, 0.9})
    for (const std::int64_t rows : {1, 7, 33, 3001}) {  // 3001 x 17: parallel chunks
      CAPTURE(rate);
      CAPTURE(rows);
      const DropoutParams p{.rate = rate, .seed = 42, .step = 5, .layer = 2};
      Twin src = b.twin_f32(rows, 17, 130), mask = b.twin_f32(rows, 17, 131);
      Twin dst = b.twin_f32(rows, 17, 132), ddst = b.twin_f32(rows, 17, 133);
      Twin dsrc = b.twin_f32(rows, 17, 134);
      b.ref.dropout_forward(p, src.ref, mask.ref, dst.ref);
      b.cpu.dropout_forward(p, src.cpu, mask.cpu, dst.cpu);
      b.ref.dropout_backward(ddst.ref, mask.ref, dsrc.ref);
      b.cpu.dropout_backward(ddst.cpu, mask.cpu, dsrc.cpu);
      for (const Twin* t : {&mask, &dst, &dsrc})
        CHECK(read<float>(b.cpu, t->cpu) == read<float>(b.ref, t->ref));

      // In place, as a layer may run it: dst = src, dsrc = ddst.
      b.cpu.dropout_forward(p, src.cpu, mask.cpu, src.cpu);
      b.cpu.dropout_backward(ddst.cpu, mask.cpu, ddst.cpu);
      CHECK(read<float>(b.cpu, src.cpu) == read<float>(b.ref, dst.ref));
      CHECK(read<float>(b.cpu, ddst.cpu) == read<float>(b.ref, dsrc.ref));
    }
  Twin x = b.twin_f32(2, 3, 135);
  for (const double rate : {-0.1, 1.0, std::nan("")})
    CHECK_THROWS_AS(b.cpu.dropout_forward({.rate = rate}, x.cpu, x.cpu, x.cpu),
                    std::invalid_argument);
}

TEST_CASE("onednn: a NaN logit sets the guard and later optimizer steps change nothing") {
  Backends b;
  const std::int64_t n = 5, classes = 3, size = 50;
  std::vector<float> logits = random_floats(n * classes, 140);
  logits[1 * classes + 2] = std::numeric_limits<float>::quiet_NaN();  // sample 1
  logits[3 * classes + 0] = std::numeric_limits<float>::infinity();   // sample 3
  Twin z = b.twin(n, classes, DType::f32, logits);
  Twin labels = b.twin(n, 1, DType::i32, random_labels(n, classes, 141));
  Twin dz = b.twin_f32(n, classes, 142);
  Twin metrics = fresh_metrics(b, 96);  // three earlier batches of 32

  Twin params = b.twin_f32(1, size, 143), grads = b.twin_f32(1, size, 144);
  Twin state1 = b.twin_f32(1, size, 145, 0, 1), state2 = b.twin_f32(1, size, 146, 0, 1);
  Twin state3 = b.twin_f32(1, size, 147, 0, 1);
  const auto before = [&](const Twin& t) { return read<float>(b.cpu, t.cpu); };
  const std::vector<std::vector<float>> state_before = {before(state1), before(state2),
                                                        before(state3)};
  const std::vector<float> params_before = before(params);
  for (Backend* backend : {static_cast<Backend*>(&b.ref), static_cast<Backend*>(&b.cpu)}) {
    const auto pick = [&](const Twin& t) {
      return backend == &b.cpu ? t.cpu.tensor() : t.ref.tensor();
    };
    CAPTURE(backend->name());
    backend->softmax_cross_entropy(pick(z), pick(labels), pick(dz), pick(metrics));
    std::vector<double> m = read<double>(*backend, pick(metrics));
    CHECK(m[kNonFinite] == 2);
    CHECK(m[kFirstNonFinite] == 96);
    CHECK(m[kSamples] == 96 + n);
    // A second bad batch counts, but the first offset stays.
    backend->softmax_cross_entropy(pick(z), pick(labels), Tensor{}, pick(metrics));
    m = read<double>(*backend, pick(metrics));
    CHECK(m[kNonFinite] == 4);
    CHECK(m[kFirstNonFinite] == 96);

    const Tensor guard = pick(metrics);
    backend->sgd_step({.lr = 0.1, .momentum = 0.9}, pick(params), pick(grads), pick(state1), guard);
    backend->adam_step({.lr = 0.1, .weight_decay = 0.1, .decoupled_weight_decay = true},
                       pick(params), pick(grads), pick(state1), pick(state2), guard);
    backend->rmsprop_step({.momentum = 0.9, .centered = true}, pick(params), pick(grads),
                          pick(state1), pick(state2), pick(state3), guard);
    CHECK(read<float>(*backend, pick(params)) == params_before);
    const std::vector<std::vector<float>> state_after = {read<float>(*backend, pick(state1)),
                                                         read<float>(*backend, pick(state2)),
                                                         read<float>(*backend, pick(state3))};
    CHECK(state_after == state_before);

    // Without the guard the same step does update: the no-op above was the guard's doing.
    backend->sgd_step({.lr = 0.1}, pick(params), pick(grads), Tensor{}, Tensor{});
    CHECK(read<float>(*backend, pick(params)) != params_before);
  }
}

TEST_CASE("onednn: every loss counts non-finite samples like the reference") {
  Backends b;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Twin logits = b.twin(4, 1, DType::f32, std::vector<float>{0.5f, nan, -2.0f, nan});
  Twin labels = b.twin(4, 1, DType::i32, std::vector<std::int32_t>{1, 0, 0, 1});
  Twin targets = b.twin(4, 1, DType::f32, std::vector<float>{0.0f, 1.0f, 1e30f, 2.0f});
  for (const bool bce : {true, false}) {
    CAPTURE(bce);
    Twin metrics = fresh_metrics(b, 10);
    for (Backend* backend : {static_cast<Backend*>(&b.ref), static_cast<Backend*>(&b.cpu)}) {
      const bool cpu = backend == &b.cpu;
      const Tensor z = cpu ? logits.cpu : logits.ref, m = cpu ? metrics.cpu : metrics.ref;
      if (bce)
        backend->sigmoid_binary_cross_entropy(z, cpu ? labels.cpu : labels.ref, Tensor{}, m);
      else  // (-2 - 1e30)^2 overflows f32: a third non-finite sample
        backend->mean_squared_error(z, cpu ? targets.cpu : targets.ref, Tensor{}, m);
    }
    const auto ref_m = read<double>(b.ref, metrics.ref), cpu_m = read<double>(b.cpu, metrics.cpu);
    CHECK(cpu_m[kNonFinite] == (bce ? 2 : 3));
    CHECK(ref_m[kNonFinite] == cpu_m[kNonFinite]);
    CHECK(cpu_m[kFirstNonFinite] == 10);
    CHECK(ref_m[kFirstNonFinite] == 10);
  }
}
