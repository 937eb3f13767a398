// Reference dropout (keep decisions from core/util/dropout_mask.hpp, element by element) and
// global gradient-norm clipping, summed serially in double.
#include <cmath>
#include <stdexcept>

#include "backends/metrics_accumulator.hpp"
#include "backends/reference/reference_backend.hpp"
#include "backends/reference/typed.hpp"
#include "core/util/dropout_mask.hpp"

namespace nnrun {
using reference::dispatch_float;
using reference::ptr;

void ReferenceBackend::dropout_forward(DropoutParams p, Tensor src, Tensor mask, Tensor dst) {
  if (mask.size() != src.size() || dst.size() != src.size() || mask.dtype != src.dtype ||
      dst.dtype != src.dtype)
    throw std::invalid_argument("dropout_forward: size or dtype mismatch");
  if (!(p.rate >= 0 && p.rate < 1))
    throw std::invalid_argument("dropout_forward: rate must be in [0, 1)");
  dispatch_float(src.dtype, [&](auto zero) {
    using T = decltype(zero);
    const T* x = ptr<T>(src);
    T *keep = ptr<T>(mask), *y = ptr<T>(dst);
    const T scale = T(dropout_scale(p.rate));
    for (std::int64_t i = 0; i < src.size(); ++i) {
      const bool kept =
          dropout_keep(p.seed, p.layer, p.step, static_cast<std::uint64_t>(i), p.rate);
      keep[i] = kept ? scale : T(0);
      y[i] = x[i] * keep[i];
    }
  });
}

void ReferenceBackend::dropout_backward(Tensor ddst, Tensor mask, Tensor dsrc) {
  if (mask.size() != ddst.size() || dsrc.size() != ddst.size() || mask.dtype != ddst.dtype ||
      dsrc.dtype != ddst.dtype)
    throw std::invalid_argument("dropout_backward: size or dtype mismatch");
  dispatch_float(ddst.dtype, [&](auto zero) {
    using T = decltype(zero);
    const T *dy = ptr<T>(ddst), *keep = ptr<T>(mask);
    T* dx = ptr<T>(dsrc);
    for (std::int64_t i = 0; i < ddst.size(); ++i) dx[i] = dy[i] * keep[i];
  });
}

void ReferenceBackend::clip_grad_norm(Tensor grads, double max_norm, Tensor metrics) {
  double* m = metrics_accumulator::values("clip_grad_norm", metrics);
  if (!(max_norm > 0)) throw std::invalid_argument("clip_grad_norm: max_norm must be > 0");
  dispatch_float(grads.dtype, [&](auto zero) {
    using T = decltype(zero);
    T* g = ptr<T>(grads);
    double sum_of_squares = 0;
    for (std::int64_t i = 0; i < grads.size(); ++i)
      sum_of_squares += static_cast<double>(g[i]) * static_cast<double>(g[i]);
    const double norm = std::sqrt(sum_of_squares);
    m[kGradNorm] = norm;
    if (!std::isfinite(norm)) return metrics_accumulator::add_non_finite(m, 1);
    const double coefficient = max_norm / (norm + 1e-6);
    if (coefficient >= 1) return;  // torch clamps the coefficient at 1
    for (std::int64_t i = 0; i < grads.size(); ++i) g[i] *= T(coefficient);
  });
}

}  // namespace nnrun
