// Reference optimizer steps over a whole parameter arena: PyTorch's SGD, Adam/AdamW and
// RMSprop update rules written out element by element (see the params structs).
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <stdexcept>
#include <string>

#include "backends/metrics_accumulator.hpp"
#include "backends/reference/reference_backend.hpp"
#include "backends/reference/typed.hpp"

namespace nnrun {
using metrics_accumulator::blocks_update;
using reference::dispatch_float;
using reference::ptr;

namespace {
// Optimizer state must match the arena element for element.
void require_sizes(const char* op, Tensor params, std::initializer_list<Tensor> others) {
  for (const Tensor& t : others)
    if (t.size() != params.size() || t.dtype != params.dtype)
      throw std::invalid_argument(std::string(op) + ": size or dtype mismatch");
}
}  // namespace

void ReferenceBackend::sgd_step(const SgdParams& p, Tensor params, Tensor grads, Tensor velocity,
                                Tensor guard) {
  require_sizes("sgd_step", params, {grads});
  if (p.momentum != 0) require_sizes("sgd_step", params, {velocity});
  if (blocks_update("sgd_step", guard)) return;
  dispatch_float(params.dtype, [&](auto zero) {
    using T = decltype(zero);
    T *w = ptr<T>(params), *g = ptr<T>(grads);
    T* v = p.momentum != 0 ? ptr<T>(velocity) : nullptr;
    for (std::int64_t i = 0; i < params.size(); ++i) {
      T d = g[i] + T(p.weight_decay) * w[i];
      if (v) {
        v[i] = T(p.momentum) * v[i] + d;
        d = p.nesterov ? d + T(p.momentum) * v[i] : v[i];
      }
      w[i] -= T(p.lr) * d;
    }
  });
}

void ReferenceBackend::adam_step(const AdamParams& p, Tensor params, Tensor grads, Tensor m,
                                 Tensor v, Tensor guard) {
  require_sizes("adam_step", params, {grads, m, v});
  if (p.step < 1) throw std::invalid_argument("adam_step: step must be >= 1");
  if (blocks_update("adam_step", guard)) return;
  const double correction1 = 1.0 - std::pow(p.beta1, static_cast<double>(p.step));
  const double correction2 = 1.0 - std::pow(p.beta2, static_cast<double>(p.step));
  // Adam adds the L2 term to the gradient; AdamW decays the weights directly instead, as
  // PyTorch does: p *= 1 - lr weight_decay.
  const bool decoupled = p.decoupled_weight_decay;
  const double l2 = decoupled ? 0.0 : p.weight_decay;
  const double keep = 1.0 - p.lr * p.weight_decay;
  dispatch_float(params.dtype, [&](auto zero) {
    using T = decltype(zero);
    T *w = ptr<T>(params), *g = ptr<T>(grads), *mm = ptr<T>(m), *vv = ptr<T>(v);
    for (std::int64_t i = 0; i < params.size(); ++i) {
      if (decoupled) w[i] *= T(keep);
      const T d = g[i] + T(l2) * w[i];
      mm[i] = T(p.beta1) * mm[i] + T(1 - p.beta1) * d;
      vv[i] = T(p.beta2) * vv[i] + T(1 - p.beta2) * d * d;
      const T m_hat = mm[i] / T(correction1);
      const T v_hat = vv[i] / T(correction2);
      w[i] -= T(p.lr) * m_hat / (std::sqrt(v_hat) + T(p.eps));
    }
  });
}

void ReferenceBackend::rmsprop_step(const RmspropParams& p, Tensor params, Tensor grads,
                                    Tensor square_avg, Tensor momentum_buffer, Tensor grad_avg,
                                    Tensor guard) {
  require_sizes("rmsprop_step", params, {grads, square_avg});
  if (p.momentum > 0) require_sizes("rmsprop_step", params, {momentum_buffer});
  if (p.centered) require_sizes("rmsprop_step", params, {grad_avg});
  if (blocks_update("rmsprop_step", guard)) return;
  dispatch_float(params.dtype, [&](auto zero) {
    using T = decltype(zero);
    T *w = ptr<T>(params), *g = ptr<T>(grads), *sq = ptr<T>(square_avg);
    T* buf = p.momentum > 0 ? ptr<T>(momentum_buffer) : nullptr;
    T* ga = p.centered ? ptr<T>(grad_avg) : nullptr;
    for (std::int64_t i = 0; i < params.size(); ++i) {
      const T d = g[i] + T(p.weight_decay) * w[i];
      sq[i] = T(p.alpha) * sq[i] + T(1 - p.alpha) * d * d;
      T variance = sq[i];
      if (ga) {
        ga[i] = T(p.alpha) * ga[i] + T(1 - p.alpha) * d;
        variance = std::max(sq[i] - ga[i] * ga[i], T(0));
      }
      const T avg = std::sqrt(variance) + T(p.eps);
      if (buf) {
        buf[i] = T(p.momentum) * buf[i] + d / avg;
        w[i] -= T(p.lr) * buf[i];
      } else {
        w[i] -= T(p.lr) * d / avg;
      }
    }
  });
}

}  // namespace nnrun
