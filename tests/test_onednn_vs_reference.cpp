// Every OneDnnBackend op checked against the ReferenceBackend oracle on odd shapes, ragged
// batches and every activation/optimizer variant, plus the primitive cache's reuse (losses:
// test_onednn_losses.cpp).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "backends/onednn/onednn_backend.hpp"
#include "backends/reference/reference_backend.hpp"
#include "core/util/philox.hpp"
#include "tests/backend_twins.hpp"

namespace {
using namespace nnrun;
using namespace nnrun::testing;

constexpr std::int64_t kBatches[] = {1, 7, 33};
struct Width {
  std::int64_t in, out;
};
constexpr Width kWidths[] = {{3, 5}, {5, 17}, {17, 64}, {64, 3}, {1, 1}};

std::string shape_name(std::int64_t n, std::int64_t in, std::int64_t out) {
  return "N=" + std::to_string(n) + " I=" + std::to_string(in) + " O=" + std::to_string(out);
}

}  // namespace

TEST_CASE("onednn: identity / dtypes and errors") {
  OneDnnBackend cpu(0);
  CHECK(cpu.name() == "cpu");
  CHECK(cpu.description().rfind("oneDNN ", 0) == 0);
  CHECK(cpu.description().find("ISA ") != std::string::npos);
  CHECK(cpu.supports(DType::f32));
  CHECK_FALSE(cpu.supports(DType::f64));
  CHECK_FALSE(cpu.supports(DType::i32));
  CHECK_THROWS_AS(OneDnnBackend(-1), std::invalid_argument);

  DeviceBuffer x(cpu, 2, 3, DType::f64), w(cpu, 4, 3, DType::f64), bias(cpu, 1, 4, DType::f64),
      y(cpu, 2, 4, DType::f64);
  CHECK_THROWS_AS(cpu.dense_forward(x, w, bias, y), std::invalid_argument);
  DeviceBuffer xf(cpu, 2, 3, DType::f32), wf(cpu, 4, 5, DType::f32), bf(cpu, 1, 4, DType::f32),
      yf(cpu, 2, 4, DType::f32);
  try {
    cpu.dense_forward(xf, wf, bf, yf);
    FAIL("a shape mismatch must throw");
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what();
    CHECK(message.find("dense_forward") != std::string::npos);
    CHECK(message.find("4x5") != std::string::npos);
  }
}

TEST_CASE("onednn: explicit thread count keeps the description consistent") {
  // Ask for the count the runtime already uses, so other tests keep their environment.
  const std::string base = OneDnnBackend(0).description();
  const auto comma = base.find(", ");
  const int threads = std::atoi(base.c_str() + comma + 2);
  if (threads > 0) CHECK(OneDnnBackend(threads).description() == base);
}

TEST_CASE("onednn: allocate is 64-byte aligned / upload/download round trip / fill_zero") {
  Backends b;
  for (std::size_t bytes : {0, 1, 4, 63, 64, 65, 4097}) {
    void* p = b.cpu.allocate(bytes);
    CHECK(reinterpret_cast<std::uintptr_t>(p) % 64 == 0);
    b.cpu.release(p);
  }
  const std::vector<float> f = random_floats(7 * 17, 1);
  DeviceBuffer tf(b.cpu, 7, 17, DType::f32);
  b.cpu.upload(tf, f.data());
  CHECK(read<float>(b.cpu, tf) == f);
  const std::vector<double> d = {1.5, -2.25, 1e300, -0.0, 3.0, 7.0};
  DeviceBuffer td(b.cpu, 2, 3, DType::f64);
  b.cpu.upload(td, d.data());
  CHECK(read<double>(b.cpu, td) == d);
  const std::vector<std::int32_t> i = {3, -1, 2147483647, 0, 5};
  DeviceBuffer ti(b.cpu, 5, 1, DType::i32);
  b.cpu.upload(ti, i.data());
  CHECK(read<std::int32_t>(b.cpu, ti) == i);

  b.cpu.fill_zero(tf);
  CHECK(read<float>(b.cpu, tf) == std::vector<float>(f.size(), 0.0f));
  b.cpu.fill_zero(td);
  CHECK(read<double>(b.cpu, td) == std::vector<double>(d.size(), 0.0));
  b.cpu.fill_zero(ti);
  CHECK(read<std::int32_t>(b.cpu, ti) == std::vector<std::int32_t>(i.size(), 0));
}

TEST_CASE("onednn: gather_rows matches the reference for every dtype") {
  Backends b;
  struct Case {
    std::int64_t src_rows, cols, dst_rows;
  };
  // The last case is large enough to take the parallel path.
  for (const Case c : {Case{1, 3, 1}, Case{10, 5, 7}, Case{40, 17, 33}, Case{1000, 64, 700}}) {
    CAPTURE(c.src_rows);
    CAPTURE(c.dst_rows);
    const auto index = random_labels(c.dst_rows, static_cast<std::int32_t>(c.src_rows), 7);
    Twin idx = b.twin(c.dst_rows, 1, DType::i32, index);

    Twin src = b.twin_f32(c.src_rows, c.cols, 2);
    Twin dst = b.twin_f32(c.dst_rows, c.cols, 3);
    b.ref.gather_rows(src.ref, idx.ref, dst.ref);
    b.cpu.gather_rows(src.cpu, idx.cpu, dst.cpu);
    CHECK(read<float>(b.cpu, dst.cpu) == read<float>(b.ref, dst.ref));

    std::vector<std::int32_t> ints(c.src_rows * c.cols);
    for (std::size_t k = 0; k < ints.size(); ++k) ints[k] = static_cast<std::int32_t>(k * 7 - 3);
    Twin isrc = b.twin(c.src_rows, c.cols, DType::i32, ints);
    Twin idst =
        b.twin(c.dst_rows, c.cols, DType::i32, std::vector<std::int32_t>(c.dst_rows * c.cols));
    b.ref.gather_rows(isrc.ref, idx.ref, idst.ref);
    b.cpu.gather_rows(isrc.cpu, idx.cpu, idst.cpu);
    CHECK(read<std::int32_t>(b.cpu, idst.cpu) == read<std::int32_t>(b.ref, idst.ref));
  }
  DeviceBuffer src(b.cpu, 4, 2, DType::f64), dst(b.cpu, 2, 2, DType::f64),
      idx(b.cpu, 2, 1, DType::i32);
  const std::vector<double> values = {0, 1, 2, 3, 4, 5, 6, 7};
  const std::vector<std::int32_t> rows = {3, 1};
  b.cpu.upload(src, values.data());
  b.cpu.upload(idx, rows.data());
  b.cpu.gather_rows(src, idx, dst);
  CHECK(read<double>(b.cpu, dst) == std::vector<double>{6, 7, 2, 3});
  const std::vector<std::int32_t> bad = {0, 4};
  b.cpu.upload(idx, bad.data());
  CHECK_THROWS_AS(b.cpu.gather_rows(src, idx, dst), std::out_of_range);
}

TEST_CASE("onednn: dense_forward matches the reference") {
  Backends b;
  for (const std::int64_t n : kBatches)
    for (const Width w : kWidths) {
      CAPTURE(shape_name(n, w.in, w.out));
      Twin src = b.twin_f32(n, w.in, 10);
      Twin weights = b.twin_f32(w.out, w.in, 11);
      Twin bias = b.twin_f32(1, w.out, 12);
      Twin dst = b.twin_f32(n, w.out, 13);  // garbage that must be overwritten
      b.ref.dense_forward(src.ref, weights.ref, bias.ref, dst.ref);
      b.cpu.dense_forward(src.cpu, weights.cpu, bias.cpu, dst.cpu);
      check_twin(b, dst, "dst", kRtol, kAtol * static_cast<double>(w.in));
    }
}

TEST_CASE("onednn: dense_backward matches the reference / with and without dsrc") {
  Backends b;
  for (const bool with_dsrc : {true, false})
    for (const std::int64_t n : kBatches)
      for (const Width w : kWidths) {
        CAPTURE(with_dsrc);
        CAPTURE(shape_name(n, w.in, w.out));
        Twin src = b.twin_f32(n, w.in, 20);
        Twin weights = b.twin_f32(w.out, w.in, 21);
        Twin ddst = b.twin_f32(n, w.out, 22);
        Twin dsrc = b.twin_f32(n, w.in, 23);  // garbage: overwritten, or left alone
        Twin dweights = b.twin_f32(w.out, w.in, 24);
        Twin dbias = b.twin_f32(1, w.out, 25);
        const std::vector<float> dsrc_before = read<float>(b.cpu, dsrc.cpu);
        const Tensor ref_dsrc = with_dsrc ? dsrc.ref.tensor() : Tensor{};
        const Tensor cpu_dsrc = with_dsrc ? dsrc.cpu.tensor() : Tensor{};
        b.ref.dense_backward(src.ref, weights.ref, ddst.ref, ref_dsrc, dweights.ref, dbias.ref);
        b.cpu.dense_backward(src.cpu, weights.cpu, ddst.cpu, cpu_dsrc, dweights.cpu, dbias.cpu);
        if (with_dsrc)
          check_twin(b, dsrc, "dsrc", kRtol, kAtol * static_cast<double>(w.out));
        else
          CHECK(read<float>(b.cpu, dsrc.cpu) == dsrc_before);
        check_twin(b, dweights, "dweights", kRtol, kAtol * static_cast<double>(n));
        check_twin(b, dbias, "dbias", kRtol, kAtol * static_cast<double>(n));
      }
}

TEST_CASE("onednn: activations match the reference / forward and backward") {
  const ActivationParams acts[] = {
      {Activation::none, 0},         {Activation::relu, 0},    {Activation::leaky_relu, 0.01},
      {Activation::leaky_relu, 0.2}, {Activation::elu, 1.0},   {Activation::elu, 0.5},
      {Activation::gelu, 0},         {Activation::sigmoid, 0}, {Activation::tanh, 0},
  };
  Backends b;
  for (const ActivationParams act : acts)
    for (const std::int64_t n : kBatches)
      for (const std::int64_t cols : {3, 5, 17, 64}) {
        CAPTURE(static_cast<int>(act.kind));
        CAPTURE(act.alpha);
        CAPTURE(n);
        CAPTURE(cols);
        std::vector<float> x = random_floats(n * cols, 30, -4, 4);
        x[0] = 0.0f;  // the kink of relu/leaky_relu/elu: both sides take the x <= 0 branch
        Twin src = b.twin(n, cols, DType::f32, x);
        Twin dst = b.twin_f32(n, cols, 31);
        b.ref.activation_forward(act, src.ref, dst.ref);
        b.cpu.activation_forward(act, src.cpu, dst.cpu);
        check_twin(b, dst, "forward dst");

        // Backward from the same forward result on both sides (the reference's).
        const std::vector<float> y = read<float>(b.ref, dst.ref);
        Twin fwd = b.twin(n, cols, DType::f32, y);
        Twin ddst = b.twin_f32(n, cols, 32);
        Twin dsrc = b.twin_f32(n, cols, 33);
        b.ref.activation_backward(act, src.ref, fwd.ref, ddst.ref, dsrc.ref);
        b.cpu.activation_backward(act, src.cpu, fwd.cpu, ddst.cpu, dsrc.cpu);
        check_twin(b, dsrc, "backward dsrc");

        // In place, as a layer may call it: src == dst and ddst == dsrc.
        Twin inplace = b.twin(n, cols, DType::f32, x);
        b.cpu.activation_forward(act, inplace.cpu, inplace.cpu);
        check_close(read<float>(b.cpu, inplace.cpu), y, "in-place forward");
        b.cpu.activation_backward(act, src.cpu, fwd.cpu, ddst.cpu, ddst.cpu);
        check_close(read<float>(b.cpu, ddst.cpu), read<float>(b.ref, dsrc.ref),
                    "in-place backward");
      }
}

TEST_CASE("onednn: sgd_step matches the reference over several steps") {
  const SgdParams variants[] = {
      {0.1, 0.0, false, 0.0},  {0.05, 0.0, false, 0.01}, {0.1, 0.9, false, 0.0},
      {0.1, 0.9, false, 1e-3}, {0.1, 0.9, true, 0.0},    {0.02, 0.5, true, 0.01},
  };
  Backends b;
  for (const SgdParams& p : variants)
    for (const std::int64_t size : {1, 17, 1000, 100003}) {  // the last runs in parallel
      CAPTURE(p.momentum);
      CAPTURE(p.nesterov);
      CAPTURE(p.weight_decay);
      CAPTURE(size);
      Twin params = b.twin_f32(1, size, 70);
      Twin velocity = b.twin(1, size, DType::f32, std::vector<float>(size, 0.0f));
      for (std::uint32_t step = 0; step < 4; ++step) {
        Twin grads = b.twin_f32(1, size, 71 + step);
        b.ref.sgd_step(p, params.ref, grads.ref, velocity.ref, Tensor{});
        b.cpu.sgd_step(p, params.cpu, grads.cpu, velocity.cpu, Tensor{});
      }
      check_twin(b, params, "params");
      check_twin(b, velocity, "velocity");
    }
}

TEST_CASE("onednn: adam_step matches the reference over several steps") {
  Backends b;
  for (const double weight_decay : {0.0, 0.01})
    for (const std::int64_t size : {1, 17, 1000, 100003}) {
      CAPTURE(weight_decay);
      CAPTURE(size);
      Twin params = b.twin_f32(1, size, 80);
      Twin m = b.twin(1, size, DType::f32, std::vector<float>(size, 0.0f));
      Twin v = b.twin(1, size, DType::f32, std::vector<float>(size, 0.0f));
      AdamParams p;
      p.lr = 0.01;
      p.weight_decay = weight_decay;
      for (long step = 1; step <= 6; ++step) {
        p.step = step;
        Twin grads = b.twin_f32(1, size, 81 + static_cast<std::uint32_t>(step));
        b.ref.adam_step(p, params.ref, grads.ref, m.ref, v.ref, Tensor{});
        b.cpu.adam_step(p, params.cpu, grads.cpu, m.cpu, v.cpu, Tensor{});
      }
      check_twin(b, params, "params");
      check_twin(b, m, "m");
      check_twin(b, v, "v");
    }
}

TEST_CASE("onednn: primitives are cached per shape / a ragged batch adds one entry") {
  Backends b;
  const std::int64_t in = 17, out = 5;
  Twin weights = b.twin_f32(out, in, 90);
  Twin bias = b.twin_f32(1, out, 91);
  const auto forward = [&](std::int64_t n) {
    Twin src = b.twin_f32(n, in, 92);
    Twin dst = b.twin_f32(n, out, 93);
    b.cpu.dense_forward(src.cpu, weights.cpu, bias.cpu, dst.cpu);
    b.ref.dense_forward(src.ref, weights.ref, bias.ref, dst.ref);
    check_twin(b, dst, "dst", kRtol, kAtol * in);
  };
  CHECK(b.cpu.primitives_created() == 0);
  forward(32);
  CHECK(b.cpu.primitives_created() == 1);
  forward(32);  // same shape, new buffers: reused
  CHECK(b.cpu.primitives_created() == 1);
  forward(7);  // the ragged last batch
  CHECK(b.cpu.primitives_created() == 2);
  forward(7);
  forward(32);
  CHECK(b.cpu.primitives_created() == 2);

  // Activations: keyed by algorithm and alpha; `none` builds nothing.
  Twin x = b.twin_f32(32, out, 94);
  b.cpu.activation_forward({Activation::none, 0}, x.cpu, x.cpu);
  CHECK(b.cpu.primitives_created() == 2);
  b.cpu.activation_forward({Activation::leaky_relu, 0.01}, x.cpu, x.cpu);
  b.cpu.activation_forward({Activation::leaky_relu, 0.01}, x.cpu, x.cpu);
  CHECK(b.cpu.primitives_created() == 3);
  b.cpu.activation_forward({Activation::leaky_relu, 0.2}, x.cpu, x.cpu);
  CHECK(b.cpu.primitives_created() == 4);
}

TEST_CASE("onednn: same inputs on two backends give bit-identical results") {
  // The project promises same seed + same threads = same numbers.
  OneDnnBackend first(0), second(0);
  std::vector<std::vector<float>> weights;
  std::vector<std::vector<double>> metric_sums;
  for (OneDnnBackend* cpu : {&first, &second}) {
    const auto upload = [&](std::int64_t rows, std::int64_t cols, std::uint32_t sub) {
      DeviceBuffer buf(*cpu, rows, cols, DType::f32);
      cpu->upload(buf, random_floats(rows * cols, sub).data());
      return buf;
    };
    DeviceBuffer src = upload(33, 64, 1), w = upload(10, 64, 2), bias = upload(1, 10, 3);
    DeviceBuffer dst(*cpu, 33, 10, DType::f32), ddst(*cpu, 33, 10, DType::f32);
    DeviceBuffer dw(*cpu, 10, 64, DType::f32), db(*cpu, 1, 10, DType::f32);
    DeviceBuffer m(*cpu, 1, 640, DType::f32), v(*cpu, 1, 640, DType::f32);
    DeviceBuffer metrics(*cpu, 1, kMetricSlots, DType::f64), labels(*cpu, 33, 1, DType::i32);
    cpu->upload(labels, random_labels(33, 10, 4).data());
    for (DeviceBuffer* z : {&m, &v, &metrics}) cpu->fill_zero(*z);
    AdamParams p;
    for (long step = 1; step <= 3; ++step) {
      p.step = step;
      cpu->dense_forward(src, w, bias, dst);
      cpu->softmax_cross_entropy(dst, labels, ddst, metrics);
      cpu->dense_backward(src, w, ddst, Tensor{}, dw, db);
      cpu->adam_step(p, w.tensor().flat_view(0, 1, 640), dw.tensor().flat_view(0, 1, 640), m, v,
                     Tensor{});
    }
    weights.push_back(read<float>(*cpu, w));
    metric_sums.push_back(read<double>(*cpu, metrics));
  }
  CHECK(weights[0] == weights[1]);
  CHECK(metric_sums[0] == metric_sums[1]);
}

// With exactly two threads a backward large enough for both runs its two products side by
// side, one thread each (backends/onednn/onednn_dense.cpp): the same results as the reference
// and as one thread.
TEST_CASE("onednn: dense_backward with two threads / products side by side match the reference") {
  const std::int64_t n = 128, in = 96, out = 128;  // 1.5M multiply-adds: worth two threads
  Backends b;
  Twin src = b.twin_f32(n, in, 80), weights = b.twin_f32(out, in, 81);
  Twin ddst = b.twin_f32(n, out, 82);
  Twin dsrc = b.twin_f32(n, in, 83), dweights = b.twin_f32(out, in, 84);
  Twin dbias = b.twin_f32(1, out, 85);
  b.ref.dense_backward(src.ref, weights.ref, ddst.ref, dsrc.ref, dweights.ref, dbias.ref);

  OneDnnBackend two(2);
  two.dense_backward(src.cpu, weights.cpu, ddst.cpu, dsrc.cpu, dweights.cpu, dbias.cpu);
  check_twin(b, dsrc, "dsrc", kRtol, kAtol * static_cast<double>(out));
  check_twin(b, dweights, "dweights", kRtol, kAtol * static_cast<double>(n));
  const std::vector<float> dsrc_two = read<float>(b.cpu, dsrc.cpu);
  const std::vector<float> dweights_two = read<float>(b.cpu, dweights.cpu);

  OneDnnBackend single(1);
  single.dense_backward(src.cpu, weights.cpu, ddst.cpu, dsrc.cpu, dweights.cpu, dbias.cpu);
  CHECK(read<float>(b.cpu, dsrc.cpu) == dsrc_two);
  CHECK(read<float>(b.cpu, dweights.cpu) == dweights_two);
}
