// oneDNN backend optimizer steps over a whole flat parameter arena, with PyTorch's update
// rules exactly as the reference writes them; branch-free loops the compiler vectorizes.
#include <cmath>

#include "backends/onednn/onednn_backend.hpp"
#include "backends/onednn/onednn_util.hpp"

namespace nnrun {
using onednn::fail;
using onednn::kParallelGrain;
using onednn::parallel_chunks;
using onednn::require_f32;

// Each element is updated independently, so chunks may run on any thread without changing
// a single bit of the result. The hyper-parameters are converted to f32 once, as the
// reference does inside its loop (T(p.lr) ...), so both compute the same expressions.
void OneDnnBackend::sgd_step(const SgdParams& p, Tensor params, Tensor grads, Tensor velocity) {
  constexpr const char* kOp = "sgd_step";
  const bool momentum = p.momentum != 0;
  require_f32(kOp, {params, grads});
  if (grads.size() != params.size()) fail(kOp, "size mismatch", {params, grads});
  if (momentum) {
    require_f32(kOp, {velocity});
    if (velocity.size() != params.size()) fail(kOp, "size mismatch", {params, velocity});
  }
  float* __restrict w = static_cast<float*>(params.data);
  const float* __restrict g = static_cast<const float*>(grads.data);
  float* __restrict v = momentum ? static_cast<float*>(velocity.data) : nullptr;
  const float lr = static_cast<float>(p.lr), wd = static_cast<float>(p.weight_decay);
  const float mu = static_cast<float>(p.momentum);

  // One loop per variant keeps the branches out of the vector body.
  if (!momentum) {
    parallel_chunks(params.size(), kParallelGrain, [=](std::int64_t begin, std::int64_t end) {
      NNRUN_OMP("omp simd")
      for (std::int64_t i = begin; i < end; ++i) w[i] -= lr * (g[i] + wd * w[i]);
    });
  } else if (!p.nesterov) {
    parallel_chunks(params.size(), kParallelGrain, [=](std::int64_t begin, std::int64_t end) {
      NNRUN_OMP("omp simd")
      for (std::int64_t i = begin; i < end; ++i) {
        v[i] = mu * v[i] + (g[i] + wd * w[i]);
        w[i] -= lr * v[i];
      }
    });
  } else {
    parallel_chunks(params.size(), kParallelGrain, [=](std::int64_t begin, std::int64_t end) {
      NNRUN_OMP("omp simd")
      for (std::int64_t i = begin; i < end; ++i) {
        const float d = g[i] + wd * w[i];
        v[i] = mu * v[i] + d;
        w[i] -= lr * (d + mu * v[i]);
      }
    });
  }
}

// Adam with L2 weight decay added to the gradient (not AdamW), bias-corrected by the
// 1-based step number.
void OneDnnBackend::adam_step(const AdamParams& p, Tensor params, Tensor grads, Tensor m,
                              Tensor v) {
  constexpr const char* kOp = "adam_step";
  require_f32(kOp, {params, grads, m, v});
  if (grads.size() != params.size() || m.size() != params.size() || v.size() != params.size())
    fail(kOp, "size mismatch (params, grads, m, v)", {params, grads, m, v});
  if (p.step < 1) fail(kOp, "step must be >= 1 (bias correction is 1-based)", {params});
  const double correction1 = 1.0 - std::pow(p.beta1, static_cast<double>(p.step));
  const double correction2 = 1.0 - std::pow(p.beta2, static_cast<double>(p.step));

  float* __restrict w = static_cast<float*>(params.data);
  const float* __restrict g = static_cast<const float*>(grads.data);
  float* __restrict mm = static_cast<float*>(m.data);
  float* __restrict vv = static_cast<float*>(v.data);
  const float lr = static_cast<float>(p.lr), wd = static_cast<float>(p.weight_decay);
  const float beta1 = static_cast<float>(p.beta1), beta2 = static_cast<float>(p.beta2);
  const float one_minus_beta1 = static_cast<float>(1 - p.beta1);
  const float one_minus_beta2 = static_cast<float>(1 - p.beta2);
  const float c1 = static_cast<float>(correction1), c2 = static_cast<float>(correction2);
  const float eps = static_cast<float>(p.eps);

  parallel_chunks(params.size(), kParallelGrain, [=](std::int64_t begin, std::int64_t end) {
    NNRUN_OMP("omp simd")
    for (std::int64_t i = begin; i < end; ++i) {
      const float d = g[i] + wd * w[i];
      mm[i] = beta1 * mm[i] + one_minus_beta1 * d;
      vv[i] = beta2 * vv[i] + one_minus_beta2 * d * d;
      const float m_hat = mm[i] / c1;
      const float v_hat = vv[i] / c2;
      // The loop vectorizes once the target builds with -fno-math-errno; otherwise GCC keeps
      // a scalar errno branch around sqrt (never taken: v_hat >= 0).
      w[i] -= lr * m_hat / (std::sqrt(v_hat) + eps);
    }
  });
}

}  // namespace nnrun
