// oneDNN backend dense layer in bf16 (MatmulPrecision::bf16): each product rounds its f32
// operands to bfloat16 in scratch buffers, then runs a bf16 matmul that accumulates in f32
// and writes f32 (AMX or AVX512-BF16). The bias and the bias gradient stay f32.
#include <immintrin.h>

#include <algorithm>
#include <cstdlib>
#include <new>
#include <stdexcept>

#include "backends/onednn/onednn_backend.hpp"
#include "backends/onednn/onednn_matmul.hpp"
#include "backends/onednn/onednn_util.hpp"

namespace nnrun {
using onednn::dense_threads;
using onednn::matmul;
using onednn::matrix;
using onednn::OpKind;
using onednn::PrimitiveKey;

namespace onednn {
namespace {

#if defined(__x86_64__) && defined(__GNUC__)
// vcvtne2ps2bf16 rounds 32 floats to bfloat16 in one instruction (nearest, ties to even;
// NaN stays a quiet NaN). The bf16 mode only runs on CPUs that have it (OneDnnBackend
// refuses MatmulPrecision::bf16 elsewhere), so this function is only ever called there.
// It measured 5x faster than a portable integer-rounding loop (which GCC vectorizes only
// with 256-bit integer ops): 300k floats a step cost about 100 us that way.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16"))) void to_bf16_range(
    const float* src, std::uint16_t* dst, std::int64_t begin, std::int64_t end) {
  std::int64_t i = begin;
  for (; i + 32 <= end; i += 32) {
    const __m512 lo = _mm512_loadu_ps(src + i), hi = _mm512_loadu_ps(src + i + 16);
    _mm512_storeu_si512(dst + i, (__m512i)_mm512_cvtne2ps_pbh(hi, lo));
  }
  for (; i < end; i += 16) {  // the tail, 16 at a time under a mask
    const auto mask = static_cast<__mmask16>((1u << std::min<std::int64_t>(16, end - i)) - 1);
    const __m512 x = _mm512_maskz_loadu_ps(mask, src + i);
    _mm256_mask_storeu_epi16(dst + i, mask, (__m256i)_mm512_cvtneps_pbh(x));
  }
}
#else
[[noreturn]] void to_bf16_range(const float*, std::uint16_t*, std::int64_t, std::int64_t) {
  throw std::logic_error("to_bf16: bf16 needs an x86-64 build");
}
#endif

}  // namespace

void to_bf16(const float* src, std::uint16_t* dst, std::int64_t n) {
  parallel_chunks(n, kParallelGrain, [=](std::int64_t begin, std::int64_t end) {
    to_bf16_range(src, dst, begin, end);
  });
}

}  // namespace onednn

void OneDnnBackend::Bf16Scratch::Free::operator()(std::uint16_t* p) const noexcept {
  std::free(p);
}

std::uint16_t* OneDnnBackend::Bf16Scratch::get(std::int64_t elements) {
  if (elements > capacity_) {
    const std::size_t bytes = (static_cast<std::size_t>(elements) * 2 + 63) / 64 * 64;
    data_.reset(static_cast<std::uint16_t*>(std::aligned_alloc(64, bytes)));
    if (!data_) throw std::bad_alloc();
    capacity_ = elements;
  }
  return data_.get();
}

// dst[N,O] = post_op(bf16(src)[N,I] * bf16(weights)[O,I]^T + bias[1,O]), in f32.
void OneDnnBackend::dense_forward_bf16(Tensor src, Tensor weights, Tensor bias, Tensor dst,
                                       const onednn::EltwiseOp* post_op) {
  const std::int64_t n = src.rows, in = src.cols, out = weights.rows;
  std::uint16_t* src16 = bf16_src_.get(n * in);
  std::uint16_t* weights16 = bf16_weights_.get(out * in);
  onednn::to_bf16(static_cast<const float*>(src.data), src16, n * in);
  onednn::to_bf16(static_cast<const float*>(weights.data), weights16, out * in);

  const PrimitiveKey key{.op = OpKind::dense_forward,
                         .algorithm = post_op ? post_op->post_op_alg : dnnl::algorithm::undef,
                         .alpha = post_op ? post_op->alpha : 0.0f,
                         .dims = {n, in, out}};
  auto& entry = cache_->get(key, dense_threads(n, in, out), [&] {
    const auto bf16 = dnnl::memory::data_type::bf16;
    const dnnl::memory::desc bias_desc = matrix(1, out);
    return matmul(cache_->engine(), matrix(n, in, bf16), matrix(in, out, bf16, true),
                  matrix(n, out), &bias_desc, post_op);
  });
  cache_->execute(entry, {src16, weights16, bias.data, dst.data});
}

// dsrc[N,I] = bf16(ddst) * bf16(weights) (when asked for); dweights = bf16(ddst)^T * bf16(src).
// The bias gradient (f32 column sums) is done by dense_backward.
void OneDnnBackend::dense_backward_bf16(Tensor src, Tensor weights, Tensor ddst, Tensor dsrc,
                                        Tensor dweights) {
  const std::int64_t n = src.rows, in = src.cols, out = weights.rows;
  const auto bf16 = dnnl::memory::data_type::bf16;
  const onednn::Threads threads = dense_threads(n, in, out);
  std::uint16_t* ddst16 = bf16_ddst_.get(n * out);
  onednn::to_bf16(static_cast<const float*>(ddst.data), ddst16, n * out);

  if (!dsrc.empty()) {
    std::uint16_t* weights16 = bf16_weights_.get(out * in);
    onednn::to_bf16(static_cast<const float*>(weights.data), weights16, out * in);
    const PrimitiveKey key{.op = OpKind::dense_backward_data, .dims = {n, in, out}};
    auto& entry = cache_->get(key, threads, [&] {
      return matmul(cache_->engine(), matrix(n, out, bf16), matrix(out, in, bf16), matrix(n, in));
    });
    cache_->execute(entry, {ddst16, weights16, dsrc.data});
  }

  std::uint16_t* src16 = bf16_src_.get(n * in);
  onednn::to_bf16(static_cast<const float*>(src.data), src16, n * in);
  const PrimitiveKey key{.op = OpKind::dense_backward_weights, .dims = {n, in, out}};
  auto& entry = cache_->get(key, threads, [&] {
    return matmul(cache_->engine(), matrix(out, n, bf16, true), matrix(n, in, bf16),
                  matrix(out, in));
  });
  cache_->execute(entry, {ddst16, src16, dweights.data});
}

}  // namespace nnrun
