// oneDNN backend optimizer steps over a whole flat parameter arena (SGD, Adam/AdamW, RMSprop),
// with PyTorch's update rules exactly as the reference writes them; branch-free loops.
#include <algorithm>
#include <cmath>

#include "backends/metrics_accumulator.hpp"
#include "backends/onednn/onednn_backend.hpp"
#include "backends/onednn/onednn_matmul.hpp"
#include "backends/onednn/onednn_util.hpp"

namespace nnrun {
using metrics_accumulator::blocks_update;
using onednn::fail;
using onednn::FlushDenormals;
using onednn::kParallelGrain;
using onednn::kVectorAlign;
using onednn::parallel_even;
using onednn::require_f32;

namespace {

// RMSprop's hyper-parameters in f32, converted as the reference converts them (T(...)).
struct RmspropConstants {
  float lr, alpha, one_minus_alpha, eps, weight_decay, momentum;
};

// One RMSprop variant over [begin, end); the template flags keep the loop body branch-free.
template <bool kCentered, bool kMomentum>
void rmsprop_range(const RmspropConstants& c, float* __restrict w, const float* __restrict g,
                   float* __restrict square_avg, float* __restrict buf, float* __restrict grad_avg,
                   std::int64_t begin, std::int64_t end) {
  NNRUN_OMP("omp simd")
  for (std::int64_t i = begin; i < end; ++i) {
    const float d = g[i] + c.weight_decay * w[i];
    square_avg[i] = c.alpha * square_avg[i] + c.one_minus_alpha * d * d;
    float variance = square_avg[i];
    if constexpr (kCentered) {
      grad_avg[i] = c.alpha * grad_avg[i] + c.one_minus_alpha * d;
      variance = std::max(square_avg[i] - grad_avg[i] * grad_avg[i], 0.0f);
    }
    const float avg = std::sqrt(variance) + c.eps;
    if constexpr (kMomentum) {
      buf[i] = c.momentum * buf[i] + d / avg;
      w[i] -= c.lr * buf[i];
    } else {
      w[i] -= c.lr * d / avg;
    }
  }
}

// Adam's hyper-parameters in f32. The bias corrections are folded into two constants:
// lr / (1 - beta1^t) and 1 / (1 - beta2^t), leaving one division and one square root per
// element instead of three divisions (torch folds lr / (1 - beta1^t) the same way). The
// result differs from the reference's m_hat / v_hat form by rounding only.
struct AdamConstants {
  float keep, l2, beta1, one_minus_beta1, beta2, one_minus_beta2, step_size, inv_correction2, eps;
};

// Profiled at 235k parameters (the Fashion-MNIST MLP, bench/step_profile): the baseline
// SSE2 loop with three divisions took 350-600 us a step, a quarter of the step; this one
// takes 90 us on two free cores, 160 us on one. What is left is the divider (one division
// and one square root per element), not memory.
NNRUN_VECTOR_CLONES
void adam_range(const AdamConstants& c, float* __restrict w, const float* __restrict g,
                float* __restrict m, float* __restrict v, std::int64_t begin, std::int64_t end) {
  NNRUN_OMP("omp simd")
  for (std::int64_t i = begin; i < end; ++i) {
    const float wi = w[i] * c.keep;
    const float d = g[i] + c.l2 * wi;
    const float mi = c.beta1 * m[i] + c.one_minus_beta1 * d;
    const float vi = c.beta2 * v[i] + c.one_minus_beta2 * d * d;
    m[i] = mi;
    v[i] = vi;
    w[i] = wi - c.step_size * mi / (std::sqrt(vi * c.inv_correction2) + c.eps);
  }
}

// Elements per piece of an optimizer step. With a bf16 weight copy to write, pieces small
// enough (16 KB of weights) that the rounding after the update reads them back from L1:
// bench/step_profile, bf16, 6 alternating runs: adam_step 115 -> 109 us.
std::int64_t piece_for(const std::uint16_t* w16) {
  return w16 != nullptr ? 4096 : kParallelGrain;
}

}  // namespace

// Each element is updated independently, so chunks may run on any thread without changing
// a single bit of the result. The hyper-parameters are converted to f32 once, as the
// reference does inside its loop (T(p.lr) ...), so both compute the same expressions.
// The guard (the metrics accumulator) is read here, in the op: a non-finite loss or gradient
// earlier in the accumulation turns every step into a no-op without a host round trip.
void OneDnnBackend::sgd_step(const SgdParams& p, Tensor params, Tensor grads, Tensor velocity,
                             Tensor guard) {
  note_written({params, velocity});
  constexpr const char* kOp = "sgd_step";
  const bool momentum = p.momentum != 0;
  require_f32(kOp, {params, grads});
  if (grads.size() != params.size()) fail(kOp, "size mismatch", {params, grads});
  if (momentum) {
    require_f32(kOp, {velocity});
    if (velocity.size() != params.size()) fail(kOp, "size mismatch", {params, velocity});
  }
  if (blocks_update(kOp, guard)) return;
  float* __restrict w = static_cast<float*>(params.data);
  const float* __restrict g = static_cast<const float*>(grads.data);
  float* __restrict v = momentum ? static_cast<float*>(velocity.data) : nullptr;
  std::uint16_t* w16 = bf16_weight_copy_.begin_update(params, precision_ == MatmulPrecision::bf16);
  const float lr = static_cast<float>(p.lr), wd = static_cast<float>(p.weight_decay);
  const float mu = static_cast<float>(p.momentum);

  // One loop per variant keeps the branches out of the vector body.
  if (!momentum) {
    parallel_even(params.size(), piece_for(w16), kVectorAlign,
                  [=](std::int64_t begin, std::int64_t end) {
                    const FlushDenormals ftz;
                    NNRUN_OMP("omp simd")
                    for (std::int64_t i = begin; i < end; ++i) w[i] -= lr * (g[i] + wd * w[i]);
                    if (w16) onednn::round_to_bf16(w + begin, w16 + begin, end - begin);
                  });
  } else if (!p.nesterov) {
    parallel_even(params.size(), piece_for(w16), kVectorAlign,
                  [=](std::int64_t begin, std::int64_t end) {
                    const FlushDenormals ftz;
                    NNRUN_OMP("omp simd")
                    for (std::int64_t i = begin; i < end; ++i) {
                      v[i] = mu * v[i] + (g[i] + wd * w[i]);
                      w[i] -= lr * v[i];
                    }
                    if (w16) onednn::round_to_bf16(w + begin, w16 + begin, end - begin);
                  });
  } else {
    parallel_even(params.size(), piece_for(w16), kVectorAlign,
                  [=](std::int64_t begin, std::int64_t end) {
                    const FlushDenormals ftz;
                    NNRUN_OMP("omp simd")
                    for (std::int64_t i = begin; i < end; ++i) {
                      const float d = g[i] + wd * w[i];
                      v[i] = mu * v[i] + d;
                      w[i] -= lr * (d + mu * v[i]);
                    }
                    if (w16) onednn::round_to_bf16(w + begin, w16 + begin, end - begin);
                  });
  }
  bf16_weight_copy_.end_update();
}

// Adam (L2 weight decay added to the gradient) or AdamW (weights decayed by 1 - lr wd
// first), bias-corrected by the 1-based step number. Both run in one loop: for Adam the decay
// factor is exactly 1, for AdamW the L2 coefficient is 0, which leave every bit unchanged.
void OneDnnBackend::adam_step(const AdamParams& p, Tensor params, Tensor grads, Tensor m, Tensor v,
                              Tensor guard) {
  note_written({params, m, v});
  constexpr const char* kOp = "adam_step";
  require_f32(kOp, {params, grads, m, v});
  if (grads.size() != params.size() || m.size() != params.size() || v.size() != params.size())
    fail(kOp, "size mismatch (params, grads, m, v)", {params, grads, m, v});
  if (p.step < 1) fail(kOp, "step must be >= 1 (bias correction is 1-based)", {params});
  if (blocks_update(kOp, guard)) return;
  const double correction1 = 1.0 - std::pow(p.beta1, static_cast<double>(p.step));
  const double correction2 = 1.0 - std::pow(p.beta2, static_cast<double>(p.step));
  const bool decoupled = p.decoupled_weight_decay;
  const AdamConstants c{
      .keep = decoupled ? static_cast<float>(1.0 - p.lr * p.weight_decay) : 1.0f,
      .l2 = decoupled ? 0.0f : static_cast<float>(p.weight_decay),
      .beta1 = static_cast<float>(p.beta1),
      .one_minus_beta1 = static_cast<float>(1 - p.beta1),
      .beta2 = static_cast<float>(p.beta2),
      .one_minus_beta2 = static_cast<float>(1 - p.beta2),
      .step_size = static_cast<float>(p.lr / correction1),
      .inv_correction2 = static_cast<float>(1.0 / correction2),
      .eps = static_cast<float>(p.eps),
  };
  float* w = static_cast<float*>(params.data);
  const float* g = static_cast<const float*>(grads.data);
  float* mm = static_cast<float*>(m.data);
  float* vv = static_cast<float*>(v.data);
  std::uint16_t* w16 = bf16_weight_copy_.begin_update(params, precision_ == MatmulPrecision::bf16);
  parallel_even(params.size(), piece_for(w16), kVectorAlign,
                [=, &c](std::int64_t begin, std::int64_t end) {
                  const FlushDenormals ftz;
                  adam_range(c, w, g, mm, vv, begin, end);
                  if (w16) onednn::round_to_bf16(w + begin, w16 + begin, end - begin);
                });
  bf16_weight_copy_.end_update();
}

// torch.optim.RMSprop; momentum_buffer and grad_avg are read only by the variants that use them.
void OneDnnBackend::rmsprop_step(const RmspropParams& p, Tensor params, Tensor grads,
                                 Tensor square_avg, Tensor momentum_buffer, Tensor grad_avg,
                                 Tensor guard) {
  note_written({params, square_avg, momentum_buffer, grad_avg});
  constexpr const char* kOp = "rmsprop_step";
  const bool momentum = p.momentum > 0;
  require_f32(kOp, {params, grads, square_avg});
  if (grads.size() != params.size() || square_avg.size() != params.size())
    fail(kOp, "size mismatch (params, grads, square_avg)", {params, grads, square_avg});
  for (const auto& [used, state] : {std::pair{momentum, momentum_buffer}, {p.centered, grad_avg}})
    if (used) {
      require_f32(kOp, {state});
      if (state.size() != params.size()) fail(kOp, "state size mismatch", {params, state});
    }
  if (blocks_update(kOp, guard)) return;

  const RmspropConstants c{static_cast<float>(p.lr),           static_cast<float>(p.alpha),
                           static_cast<float>(1 - p.alpha),    static_cast<float>(p.eps),
                           static_cast<float>(p.weight_decay), static_cast<float>(p.momentum)};
  float* w = static_cast<float*>(params.data);
  const float* g = static_cast<const float*>(grads.data);
  float* sq = static_cast<float*>(square_avg.data);
  float* buf = momentum ? static_cast<float*>(momentum_buffer.data) : nullptr;
  float* ga = p.centered ? static_cast<float*>(grad_avg.data) : nullptr;
  const auto variant = p.centered
                           ? (momentum ? rmsprop_range<true, true> : rmsprop_range<true, false>)
                           : (momentum ? rmsprop_range<false, true> : rmsprop_range<false, false>);
  std::uint16_t* w16 = bf16_weight_copy_.begin_update(params, precision_ == MatmulPrecision::bf16);
  parallel_even(params.size(), piece_for(w16), kVectorAlign,
                [=](std::int64_t begin, std::int64_t end) {
                  const FlushDenormals ftz;
                  variant(c, w, g, sq, buf, ga, begin, end);
                  if (w16) onednn::round_to_bf16(w + begin, w16 + begin, end - begin);
                });
  bf16_weight_copy_.end_update();
}

}  // namespace nnrun
