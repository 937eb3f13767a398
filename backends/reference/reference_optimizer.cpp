// Reference optimizer steps over a whole parameter arena (PyTorch's update rules).
#include <cmath>
#include <stdexcept>

#include "backends/reference/reference_backend.hpp"
#include "backends/reference/typed.hpp"

namespace nnrun {
using reference::dispatch_float;
using reference::ptr;

void ReferenceBackend::sgd_step(const SgdParams& p, Tensor params, Tensor grads, Tensor velocity) {
  if (grads.size() != params.size() || (p.momentum != 0 && velocity.size() != params.size()))
    throw std::invalid_argument("sgd_step: size mismatch");
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
                                 Tensor v) {
  if (grads.size() != params.size() || m.size() != params.size() || v.size() != params.size())
    throw std::invalid_argument("adam_step: size mismatch");
  const double correction1 = 1.0 - std::pow(p.beta1, static_cast<double>(p.step));
  const double correction2 = 1.0 - std::pow(p.beta2, static_cast<double>(p.step));
  dispatch_float(params.dtype, [&](auto zero) {
    using T = decltype(zero);
    T *w = ptr<T>(params), *g = ptr<T>(grads), *mm = ptr<T>(m), *vv = ptr<T>(v);
    for (std::int64_t i = 0; i < params.size(); ++i) {
      const T d = g[i] + T(p.weight_decay) * w[i];
      mm[i] = T(p.beta1) * mm[i] + T(1 - p.beta1) * d;
      vv[i] = T(p.beta2) * vv[i] + T(1 - p.beta2) * d * d;
      const T m_hat = mm[i] / T(correction1);
      const T v_hat = vv[i] / T(correction2);
      w[i] -= T(p.lr) * m_hat / (std::sqrt(v_hat) + T(p.eps));
    }
  });
}

}  // namespace nnrun
