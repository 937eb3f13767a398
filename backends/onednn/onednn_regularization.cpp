// oneDNN backend dropout (one Philox block per four elements, from core/util/dropout_mask.hpp)
// and global gradient-norm clipping with fixed-chunk partial sums: no allocation in steady state.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "backends/metrics_accumulator.hpp"
#include "backends/onednn/onednn_backend.hpp"
#include "backends/onednn/onednn_util.hpp"
#include "core/util/dropout_mask.hpp"

namespace nnrun {
using onednn::fail;
using onednn::kParallelGrain;
using onednn::kVectorAlign;
using onednn::parallel_chunks;
using onednn::parallel_even;
using onednn::require_f32;

namespace {
// Drawing a Philox block costs tens of cycles, so dropout pays for threads on smaller
// tensors than a memory-bound loop does: this many blocks (four elements each) per chunk.
constexpr std::int64_t kDropoutBlocksPerChunk = kParallelGrain / 16;
constexpr std::int64_t kBlocksPerGroup = 16;

// Dropout forward over mask blocks [begin, end) of an n-element tensor. Each block writes
// only its own four elements, so any thread may run any range. A group's bits are drawn
// first (GCC -O3 vectorizes the draws), then applied without a branch (random bits would
// mispredict it half the time): together about 2x faster than applying each block as it
// is drawn (1M elements, one thread).
void dropout_blocks(const DropoutParams p, const float* x, float* __restrict keep, float* y,
                    std::int64_t n, std::int64_t begin, std::int64_t end) {
  const std::uint64_t threshold = dropout_threshold(p.rate);
  const float scale = static_cast<float>(dropout_scale(p.rate));
  std::uint32_t bits[4 * kBlocksPerGroup];
  for (std::int64_t group = begin; group < end; group += kBlocksPerGroup) {
    const std::int64_t blocks = std::min(kBlocksPerGroup, end - group);
    for (std::int64_t j = 0; j < blocks; ++j) {
      const Philox::Block block =
          dropout_bits(p.seed, p.layer, p.step, static_cast<std::uint64_t>(group + j));
      for (int lane = 0; lane < 4; ++lane) bits[4 * j + lane] = block[lane];
    }
    const std::int64_t first = 4 * group, count = std::min(4 * blocks, n - first);
    for (std::int64_t k = 0; k < count; ++k) {
      // 0 or 1 times scale, exactly the reference's `kept ? scale : 0`, but without a
      // branch that mispredicts on random bits.
      const float value = static_cast<float>(dropout_keeps(bits[k], threshold)) * scale;
      keep[first + k] = value;
      y[first + k] = x[first + k] * value;
    }
  }
}

}  // namespace

void OneDnnBackend::dropout_forward(DropoutParams p, Tensor src, Tensor mask, Tensor dst) {
  note_written({mask, dst});
  constexpr const char* kOp = "dropout_forward";
  require_f32(kOp, {src, mask, dst});
  if (mask.size() != src.size() || dst.size() != src.size())
    fail(kOp, "size mismatch (src, mask, dst)", {src, mask, dst});
  if (!(p.rate >= 0 && p.rate < 1)) fail(kOp, "rate must be in [0, 1)", {src});
  const std::int64_t n = src.size();
  if (n == 0) return;
  const float* x = static_cast<const float*>(src.data);  // may alias dst
  float* y = static_cast<float*>(dst.data);
  float* __restrict keep = static_cast<float*>(mask.data);

  if (p.rate == 0) {  // what the general path gives (all kept, scale 1), without the draws
    std::fill(keep, keep + n, 1.0f);
    if (x != y) std::memcpy(y, x, src.bytes());
    return;
  }
  parallel_chunks((n + 3) / 4, kDropoutBlocksPerChunk, [=](std::int64_t begin, std::int64_t end) {
    dropout_blocks(p, x, keep, y, n, begin, end);
  });
}

void OneDnnBackend::dropout_backward(Tensor ddst, Tensor mask, Tensor dsrc) {
  note_written({dsrc});
  constexpr const char* kOp = "dropout_backward";
  require_f32(kOp, {ddst, mask, dsrc});
  if (mask.size() != ddst.size() || dsrc.size() != ddst.size())
    fail(kOp, "size mismatch (ddst, mask, dsrc)", {ddst, mask, dsrc});
  const float* dy = static_cast<const float*>(ddst.data);  // may alias dsrc
  const float* __restrict keep = static_cast<const float*>(mask.data);
  float* dx = static_cast<float*>(dsrc.data);
  parallel_even(ddst.size(), kParallelGrain, kVectorAlign,
                [=](std::int64_t begin, std::int64_t end) {
                  NNRUN_OMP("omp simd")
                  for (std::int64_t i = begin; i < end; ++i) dx[i] = dy[i] * keep[i];
                });
}

// Sums of squares per fixed chunk of kParallelGrain elements (in double, in a vector order
// fixed at compile time), then the chunk sums in chunk order: the norm is the same for every
// thread count and run. norm_partials_ grows to the largest arena once, then is reused.
void OneDnnBackend::clip_grad_norm(Tensor grads, double max_norm, Tensor metrics) {
  note_written({grads, metrics});
  constexpr const char* kOp = "clip_grad_norm";
  double* m = metrics_accumulator::values(kOp, metrics);
  require_f32(kOp, {grads});
  if (!(max_norm > 0)) fail(kOp, "max_norm must be > 0", {grads});
  const std::int64_t n = grads.size();
  const auto chunks = static_cast<std::size_t>((n + kParallelGrain - 1) / kParallelGrain);
  if (norm_partials_.size() < chunks) norm_partials_.resize(chunks);
  double* partials = norm_partials_.data();
  float* g = static_cast<float*>(grads.data);

  parallel_chunks(n, kParallelGrain, [=](std::int64_t begin, std::int64_t end) {
    double sum = 0;
    NNRUN_OMP("omp simd reduction(+ : sum)")
    for (std::int64_t i = begin; i < end; ++i)
      sum += static_cast<double>(g[i]) * static_cast<double>(g[i]);
    partials[begin / kParallelGrain] = sum;
  });
  double sum_of_squares = 0;
  for (std::size_t chunk = 0; chunk < chunks; ++chunk) sum_of_squares += partials[chunk];

  const double norm = std::sqrt(sum_of_squares);
  m[kGradNorm] = norm;
  if (!std::isfinite(norm)) return metrics_accumulator::add_non_finite(m, 1);
  const double coefficient = max_norm / (norm + 1e-6);
  if (coefficient >= 1) return;  // torch clamps the coefficient at 1
  const float factor = static_cast<float>(coefficient);
  parallel_chunks(n, kParallelGrain, [=](std::int64_t begin, std::int64_t end) {
    NNRUN_OMP("omp simd")
    for (std::int64_t i = begin; i < end; ++i) g[i] *= factor;
  });
}

}  // namespace nnrun
