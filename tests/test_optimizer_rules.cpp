// Each optimizer's update rule on the reference backend in f64, against plain scalar code
// written from the PyTorch documentation's algorithm boxes, step by step over four steps.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "backends/reference/reference_backend.hpp"
#include "tests/gradient_check.hpp"

namespace nnrun {
namespace {
using testing::from_device;
using testing::to_device;

constexpr int kSteps = 4;
using Vec = std::array<double, 3>;
constexpr Vec kStart = {0.5, -1.5, 2.0};
// The gradient fed at each step (fixed, so that the rules alone decide the trajectory).
constexpr std::array<Vec, kSteps> kGrads = {{
    {0.1, -0.2, 0.3},
    {-0.4, 0.25, 0.05},
    {0.3, 0.3, -0.6},
    {0.02, -0.5, 0.1},
}};

// Parameters and three state buffers (zero-initialized) in f64 on the reference backend.
struct Arena {
  ReferenceBackend backend;
  DeviceBuffer params = to_device(backend, 1, 3, {kStart.begin(), kStart.end()});
  DeviceBuffer grads = to_device(backend, 1, 3, {0, 0, 0});
  DeviceBuffer state1 = to_device(backend, 1, 3, {0, 0, 0});
  DeviceBuffer state2 = to_device(backend, 1, 3, {0, 0, 0});
  DeviceBuffer state3 = to_device(backend, 1, 3, {0, 0, 0});
};

// Runs `step(arena, t)` for t = 1..kSteps and compares the parameters after every step with
// `by_hand(theta, t)`, the scalar formula applied to a host copy.
void check_rule(const std::function<void(Arena&, long)>& step,
                const std::function<void(Vec&, long)>& by_hand) {
  Arena arena;
  Vec theta = kStart;
  for (long t = 1; t <= kSteps; ++t) {
    arena.backend.upload(arena.grads, kGrads[t - 1].data());
    step(arena, t);
    by_hand(theta, t);
    const std::vector<double> got = from_device(arena.backend, arena.params);
    for (std::size_t i = 0; i < theta.size(); ++i) {
      CAPTURE(t);
      CAPTURE(i);
      CHECK(got[i] == doctest::Approx(theta[i]).epsilon(1e-12));
    }
  }
}

// torch.optim.SGD's box: g = grad + wd theta; if mu != 0: b = (t > 1) ? mu b + g : g, and
// g = nesterov ? g + mu b : b; theta -= lr g.
void check_sgd(const SgdParams& p) {
  Vec b{};
  check_rule([&](Arena& a, long) { a.backend.sgd_step(p, a.params, a.grads, a.state1, Tensor{}); },
             [&](Vec& theta, long t) {
               for (std::size_t i = 0; i < 3; ++i) {
                 double g = kGrads[t - 1][i] + p.weight_decay * theta[i];
                 if (p.momentum != 0) {
                   b[i] = t > 1 ? p.momentum * b[i] + g : g;
                   g = p.nesterov ? g + p.momentum * b[i] : b[i];
                 }
                 theta[i] -= p.lr * g;
               }
             });
}

// torch.optim.Adam / AdamW's boxes: AdamW first decays theta -= lr wd theta and uses the raw
// gradient; Adam adds wd theta to the gradient. Then m, v, bias corrections, update.
void check_adam(const AdamParams& params) {
  Vec m{}, v{};
  check_rule(
      [&](Arena& a, long t) {
        AdamParams p = params;
        p.step = t;
        a.backend.adam_step(p, a.params, a.grads, a.state1, a.state2, Tensor{});
      },
      [&](Vec& theta, long t) {
        const AdamParams& p = params;
        for (std::size_t i = 0; i < 3; ++i) {
          double g = kGrads[t - 1][i];
          if (p.decoupled_weight_decay)
            theta[i] = theta[i] - p.lr * p.weight_decay * theta[i];
          else
            g = g + p.weight_decay * theta[i];
          m[i] = p.beta1 * m[i] + (1 - p.beta1) * g;
          v[i] = p.beta2 * v[i] + (1 - p.beta2) * g * g;
          const double m_hat = m[i] / (1 - std::pow(p.beta1, t));
          const double v_hat = v[i] / (1 - std::pow(p.beta2, t));
          theta[i] = theta[i] - p.lr * m_hat / (std::sqrt(v_hat) + p.eps);
        }
      });
}

// torch.optim.RMSprop's box: g = grad + wd theta; v = alpha v + (1 - alpha) g^2; centered:
// g_ave = alpha g_ave + (1 - alpha) g, v~ = v - g_ave^2; mu > 0: b = mu b + g / (sqrt(v~) +
// eps), theta -= lr b; else theta -= lr g / (sqrt(v~) + eps).
void check_rmsprop(const RmspropParams& p) {
  Vec v{}, g_ave{}, b{};
  check_rule(
      [&](Arena& a, long) {
        a.backend.rmsprop_step(p, a.params, a.grads, a.state1, a.state2, a.state3, Tensor{});
      },
      [&](Vec& theta, long t) {
        for (std::size_t i = 0; i < 3; ++i) {
          const double g = kGrads[t - 1][i] + p.weight_decay * theta[i];
          v[i] = p.alpha * v[i] + (1 - p.alpha) * g * g;
          double v_tilde = v[i];
          if (p.centered) {
            g_ave[i] = p.alpha * g_ave[i] + (1 - p.alpha) * g;
            v_tilde = v_tilde - g_ave[i] * g_ave[i];
          }
          if (p.momentum > 0) {
            b[i] = p.momentum * b[i] + g / (std::sqrt(v_tilde) + p.eps);
            theta[i] -= p.lr * b[i];
          } else {
            theta[i] -= p.lr * g / (std::sqrt(v_tilde) + p.eps);
          }
        }
      });
}

TEST_CASE("optimizer rules: sgd") {
  check_sgd({.lr = 0.1});
  check_sgd({.lr = 0.1, .weight_decay = 0.01});
}

TEST_CASE("optimizer rules: sgd with momentum") {
  check_sgd({.lr = 0.1, .momentum = 0.9});
  check_sgd({.lr = 0.05, .momentum = 0.5, .weight_decay = 0.01});
}

TEST_CASE("optimizer rules: sgd with nesterov momentum") {
  check_sgd({.lr = 0.1, .momentum = 0.9, .nesterov = true});
  check_sgd({.lr = 0.05, .momentum = 0.5, .nesterov = true, .weight_decay = 0.01});
}

TEST_CASE("optimizer rules: adam") {
  check_adam({.lr = 0.01});
  check_adam({.lr = 0.01, .beta1 = 0.8, .beta2 = 0.99, .eps = 1e-6, .weight_decay = 0.1});
}

TEST_CASE("optimizer rules: adamw") {
  check_adam({.lr = 0.01, .weight_decay = 0.1, .decoupled_weight_decay = true});
  check_adam({.lr = 0.05, .beta1 = 0.8, .weight_decay = 0.5, .decoupled_weight_decay = true});
}

TEST_CASE("optimizer rules: rmsprop") {
  check_rmsprop({.lr = 0.01});
  check_rmsprop({.lr = 0.01, .alpha = 0.9, .eps = 1e-6, .weight_decay = 0.05});
}

TEST_CASE("optimizer rules: rmsprop centered with momentum") {
  check_rmsprop({.lr = 0.01, .alpha = 0.9, .momentum = 0.8, .centered = true});
  check_rmsprop(
      {.lr = 0.01, .alpha = 0.95, .weight_decay = 0.05, .momentum = 0.5, .centered = true});
  check_rmsprop({.lr = 0.01, .centered = true});
  check_rmsprop({.lr = 0.01, .momentum = 0.9});
}

// A few first steps as literal numbers, so the scalar code above is itself pinned down.
TEST_CASE("optimizer rules: first steps as literal numbers") {
  const auto first_step = [](const std::function<void(Arena&)>& step) {
    Arena a;
    a.backend.upload(a.grads, kGrads[0].data());
    step(a);
    return from_device(a.backend, a.params);
  };
  // SGD: theta - lr g = 0.5 - 0.1 * 0.1.
  CHECK(first_step([](Arena& a) {
          a.backend.sgd_step({.lr = 0.1}, a.params, a.grads, Tensor{}, Tensor{});
        })[0] == doctest::Approx(0.49).epsilon(1e-15));
  // Adam: m_hat = g, v_hat = g^2, so theta - lr g / (|g| + eps) = 0.5 - 0.01 * 0.1 / (0.1 + 1e-8)
  // = 0.5 - 0.0099999990000001.
  CHECK(first_step([](Arena& a) {
          a.backend.adam_step({.lr = 0.01}, a.params, a.grads, a.state1, a.state2, Tensor{});
        })[0] == doctest::Approx(0.4900000009999999).epsilon(1e-15));
  // AdamW, wd 0.1: theta = 0.5 - 0.01 * 0.1 * 0.5 = 0.4995, then 0.4995 - 0.0099999990000001.
  CHECK(first_step([](Arena& a) {
          a.backend.adam_step({.lr = 0.01, .weight_decay = 0.1, .decoupled_weight_decay = true},
                              a.params, a.grads, a.state1, a.state2, Tensor{});
        })[0] == doctest::Approx(0.4895000009999999).epsilon(1e-15));
  // RMSprop: v = 0.01 g^2, so theta - lr g / (0.1 |g| + eps) = 0.5 - 0.01 * 0.1 / (0.01 + 1e-8)
  // = 0.5 - 0.0999999000001.
  CHECK(first_step([](Arena& a) {
          a.backend.rmsprop_step({.lr = 0.01}, a.params, a.grads, a.state1, Tensor{}, Tensor{},
                                 Tensor{});
        })[0] == doctest::Approx(0.4000000999999).epsilon(1e-15));
}

}  // namespace
}  // namespace nnrun
