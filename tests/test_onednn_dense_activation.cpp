// dense_activation_forward on the oneDNN backend (the activation fused into the matmul as a
// post-op) against the reference's unfused default, and the backward that follows it: with
// a fused forward the pre-activation buffer may hold anything, and the gradients must not
// depend on it.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "tests/backend_twins.hpp"

namespace {
using namespace nnrun;
using namespace nnrun::testing;

constexpr ActivationParams kActivations[] = {
    {Activation::none, 0},         {Activation::relu, 0},    {Activation::leaky_relu, 0.01},
    {Activation::leaky_relu, 0.2}, {Activation::elu, 1.0},   {Activation::elu, 0.5},
    {Activation::gelu, 0},         {Activation::sigmoid, 0}, {Activation::tanh, 0},
};

}  // namespace

TEST_CASE("onednn: dense_activation_forward and activation_backward match the reference") {
  Backends b;
  struct Shape {
    std::int64_t n, in, out;
  };
  for (const ActivationParams act : kActivations)
    for (const Shape s : {Shape{1, 3, 5}, Shape{7, 17, 64}, Shape{33, 64, 3}, Shape{128, 96, 32}}) {
      CAPTURE(static_cast<int>(act.kind));
      CAPTURE(act.alpha);
      CAPTURE(s.n);
      CAPTURE(s.in);
      CAPTURE(s.out);
      Twin src = b.twin_f32(s.n, s.in, 50, -2, 2);
      Twin weights = b.twin_f32(s.out, s.in, 51);
      Twin bias = b.twin_f32(1, s.out, 52);
      // The pre-activation buffer starts as NaN: whatever the backend leaves there must
      // not reach the gradients.
      const std::vector<float> nan(static_cast<std::size_t>(s.n * s.out),
                                   std::numeric_limits<float>::quiet_NaN());
      Twin linear = b.twin(s.n, s.out, DType::f32, nan);
      Twin dst = b.twin_f32(s.n, s.out, 53);
      b.ref.dense_activation_forward(act, src.ref, weights.ref, bias.ref, linear.ref, dst.ref);
      b.cpu.dense_activation_forward(act, src.cpu, weights.cpu, bias.cpu, linear.cpu, dst.cpu);
      check_twin(b, dst, "dst", kRtol, kAtol * static_cast<double>(s.in));

      Twin ddst = b.twin_f32(s.n, s.out, 54);
      Twin dlinear = b.twin_f32(s.n, s.out, 55);
      b.ref.activation_backward(act, linear.ref, dst.ref, ddst.ref, dlinear.ref);
      b.cpu.activation_backward(act, linear.cpu, dst.cpu, ddst.cpu, dlinear.cpu);
      check_twin(b, dlinear, "dlinear", kRtol, kAtol * static_cast<double>(s.in));
    }
}

TEST_CASE("onednn: dense_activation_backward matches the reference / with and without dsrc") {
  Backends b;
  for (const ActivationParams act : kActivations)
    for (const bool want_dsrc : {true, false}) {
      CAPTURE(static_cast<int>(act.kind));
      CAPTURE(act.alpha);
      CAPTURE(want_dsrc);
      const std::int64_t n = 37, in = 24, out = 40;
      Twin src = b.twin_f32(n, in, 70, -2, 2);
      Twin weights = b.twin_f32(out, in, 71), bias = b.twin_f32(1, out, 72);
      const std::vector<float> nan(static_cast<std::size_t>(n * out),
                                   std::numeric_limits<float>::quiet_NaN());
      Twin linear = b.twin(n, out, DType::f32, nan);
      Twin dst = b.twin_f32(n, out, 73);
      b.ref.dense_activation_forward(act, src.ref, weights.ref, bias.ref, linear.ref, dst.ref);
      b.cpu.dense_activation_forward(act, src.cpu, weights.cpu, bias.cpu, linear.cpu, dst.cpu);

      // Gradient buffers start as NaN: every one must be overwritten.
      Twin ddst = b.twin_f32(n, out, 74);
      Twin dlinear = b.twin(n, out, DType::f32, nan);
      Twin dsrc = b.twin(n, in, DType::f32,
                         std::vector<float>(static_cast<std::size_t>(n * in),
                                            std::numeric_limits<float>::quiet_NaN()));
      Twin dweights = b.twin(out, in, DType::f32,
                             std::vector<float>(static_cast<std::size_t>(out * in),
                                                std::numeric_limits<float>::quiet_NaN()));
      Twin dbias = b.twin(1, out, DType::f32, std::vector<float>(out, 1e30f));
      b.ref.dense_activation_backward(act, src.ref, weights.ref, linear.ref, dst.ref, ddst.ref,
                                      dlinear.ref, want_dsrc ? Tensor(dsrc.ref) : Tensor{},
                                      dweights.ref, dbias.ref);
      b.cpu.dense_activation_backward(act, src.cpu, weights.cpu, linear.cpu, dst.cpu, ddst.cpu,
                                      dlinear.cpu, want_dsrc ? Tensor(dsrc.cpu) : Tensor{},
                                      dweights.cpu, dbias.cpu);
      check_twin(b, dweights, "dweights", kRtol, kAtol * static_cast<double>(n));
      check_twin(b, dbias, "dbias", kRtol, kAtol * static_cast<double>(n));
      if (want_dsrc) check_twin(b, dsrc, "dsrc", kRtol, kAtol * static_cast<double>(out));
    }
}

TEST_CASE("onednn: a fused dense forward is one primitive per activation and shape") {
  Backends b;
  Twin src = b.twin_f32(16, 8, 60), weights = b.twin_f32(4, 8, 61), bias = b.twin_f32(1, 4, 62);
  Twin linear = b.twin_f32(16, 4, 63), dst = b.twin_f32(16, 4, 64);
  const auto forward = [&](ActivationParams act) {
    b.cpu.dense_activation_forward(act, src.cpu, weights.cpu, bias.cpu, linear.cpu, dst.cpu);
  };
  forward({Activation::relu, 0});
  CHECK(b.cpu.primitives_created() == 1);  // no separate eltwise primitive
  forward({Activation::relu, 0});
  CHECK(b.cpu.primitives_created() == 1);
  forward({Activation::tanh, 0});
  CHECK(b.cpu.primitives_created() == 2);
  b.cpu.dense_forward(src.cpu, weights.cpu, bias.cpu, dst.cpu);  // no post-op: its own entry
  CHECK(b.cpu.primitives_created() == 3);
  forward({Activation::gelu, 0});  // not fused: the plain product and an eltwise primitive
  CHECK(b.cpu.primitives_created() == 4);
}
