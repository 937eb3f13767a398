// oneDNN backend dense layer in bf16 (MatmulPrecision::bf16): the products take their f32
// operands rounded to bfloat16 (weights from the optimizer's copy, a layer's input from its
// kept copy, the rest rounded into scratch buffers), then run a bf16 matmul that accumulates
// in f32 and writes f32 (AMX or AVX512-BF16). The bias and the bias gradient stay f32.
#include <immintrin.h>

#include <algorithm>
#include <cstdlib>
#include <new>
#include <span>
#include <stdexcept>

#include "backends/onednn/onednn_backend.hpp"
#include "backends/onednn/onednn_matmul.hpp"
#include "backends/onednn/onednn_util.hpp"

namespace nnrun {

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

void round_to_bf16(const float* src, std::uint16_t* dst, std::int64_t n) {
  to_bf16_range(src, dst, 0, n);
}

void to_bf16(std::initializer_list<Bf16Conversion> conversions) {
  to_bf16(conversions.begin(), conversions.size());
}

void to_bf16(const Bf16Conversion* list, std::size_t count) {
  const std::span<const Bf16Conversion> conversions(list, count);
  std::int64_t total = 0;
  for (const Bf16Conversion& c : conversions) total += c.n;
  if (total < 4 * kParallelGrain || max_threads() < 2) {  // small: no region to wake
    for (const Bf16Conversion& c : conversions) to_bf16_range(c.src, c.dst, 0, c.n);
    return;
  }
  // Fixed chunks of every array, numbered across the arrays; each goes to one thread.
  std::int64_t chunks = 0;
  for (const Bf16Conversion& c : conversions) chunks += (c.n + kParallelGrain - 1) / kParallelGrain;
  NNRUN_OMP("omp parallel for schedule(static)")
  for (std::int64_t chunk = 0; chunk < chunks; ++chunk) {
    std::int64_t first = 0;
    for (const Bf16Conversion& c : conversions) {
      const std::int64_t own = (c.n + kParallelGrain - 1) / kParallelGrain;
      if (chunk < first + own) {
        const std::int64_t begin = (chunk - first) * kParallelGrain;
        to_bf16_range(c.src, c.dst, begin, std::min(c.n, begin + kParallelGrain));
        break;
      }
      first += own;
    }
  }
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

std::uint16_t* OneDnnBackend::Bf16WeightCopy::begin_update(Tensor params, bool enabled) {
  valid_ = false;
  if (!enabled || params.size() == 0) return nullptr;
  base_ = static_cast<const char*>(params.data);
  size_ = params.size();
  copy_ = data_.get(size_);
  return copy_;
}

std::uint16_t* OneDnnBackend::Bf16WeightCopy::find(Tensor weights) const {
  if (!valid_ || weights.dtype != DType::f32) return nullptr;
  const auto* p = static_cast<const char*>(weights.data);
  const std::int64_t bytes = size_ * static_cast<std::int64_t>(sizeof(float));
  if (p < base_ || p + weights.bytes() > base_ + bytes) return nullptr;
  const std::int64_t offset = p - base_;
  if (offset % static_cast<std::int64_t>(sizeof(float)) != 0) return nullptr;
  return copy_ + offset / static_cast<std::int64_t>(sizeof(float));
}

void OneDnnBackend::Bf16WeightCopy::forget_if_overlaps(const void* ptr, std::size_t bytes) {
  if (!valid_) return;
  const auto* p = static_cast<const char*>(ptr);
  const char* end = base_ + size_ * static_cast<std::int64_t>(sizeof(float));
  if (p < end && p + std::max<std::size_t>(bytes, 1) > base_) valid_ = false;
}

const std::uint16_t* OneDnnBackend::Bf16InputCopies::find(const void* src,
                                                          std::int64_t elements) const {
  for (const Entry& e : entries_)
    if (e.valid && e.src == src && e.elements == elements) return e.data.peek();
  return nullptr;
}

std::uint16_t* OneDnnBackend::Bf16InputCopies::make(const void* src, std::int64_t elements) {
  Entry* slot = nullptr;
  for (Entry& e : entries_)  // the source's own entry first, then any unused one
    if (e.src == src) slot = &e;
  if (slot == nullptr)
    for (Entry& e : entries_)
      if (!e.valid) slot = &e;
  if (slot == nullptr && entries_.size() < kMaxEntries) slot = &entries_.emplace_back();
  if (slot == nullptr) slot = &entries_[next_evicted_++ % kMaxEntries];
  if (slot->valid) --valid_count_;
  slot->valid = false;
  std::uint16_t* data = slot->data.get(elements);  // may throw: the slot stays invalid
  slot->src = static_cast<const char*>(src);
  slot->elements = elements;
  slot->valid = true;
  ++valid_count_;
  return data;
}

void OneDnnBackend::Bf16InputCopies::forget_if_overlaps(const void* ptr, std::size_t bytes) {
  const auto* p = static_cast<const char*>(ptr);
  for (Entry& e : entries_) {
    const char* end = e.src + e.elements * static_cast<std::int64_t>(sizeof(float));
    if (e.valid && p < end && p + std::max<std::size_t>(bytes, 1) > e.src) {
      e.valid = false;
      --valid_count_;
    }
  }
}

bool OneDnnBackend::Bf16InputCopies::seen_before(const void* src, std::int64_t elements) {
  for (const auto& [seen, count] : seen_)
    if (seen == src && count == elements) return true;
  seen_[next_seen_++ % kMaxEntries] = {src, elements};
  return false;
}

bool OneDnnBackend::Bf16InputCopies::has_slot(const void* src, std::int64_t elements) const {
  for (const Entry& e : entries_)
    if (e.src == src && e.elements == elements) return true;
  return false;
}

void OneDnnBackend::Bf16InputCopies::forget_all() {
  for (Entry& e : entries_) e.valid = false;
  valid_count_ = 0;
}

const std::uint16_t* OneDnnBackend::bf16_input(Tensor src) {
  const std::int64_t elements = src.size();
  if (const std::uint16_t* kept = bf16_inputs_.find(src.data, elements)) return kept;
  // A layer's input buffer comes back every step: kept. A source met once (an evaluation
  // batch sliced from the data set) is rounded into scratch, so that it neither grows the
  // kept copies nor pushes a training layer's out.
  const bool keep =
      bf16_inputs_.has_slot(src.data, elements) || bf16_inputs_.seen_before(src.data, elements);
  std::uint16_t* copy = keep ? bf16_inputs_.make(src.data, elements) : bf16_src_.get(elements);
  onednn::to_bf16({{static_cast<const float*>(src.data), copy, elements}});
  return copy;
}

// dst[N,O] = post_op(bf16(src)[N,I] * bf16(weights)[O,I]^T + bias[1,O]), in f32.
void OneDnnBackend::dense_forward_bf16(Tensor src, Tensor weights, Tensor bias, Tensor dst,
                                       const onednn::EltwiseOp* post_op) {
  const std::int64_t n = src.rows, in = src.cols, out = weights.rows;
  const std::uint16_t* weights16 = bf16_weight_copy_.find(weights);
  if (weights16 == nullptr) {
    std::uint16_t* rounded = bf16_weights_.get(out * in);
    onednn::to_bf16({{static_cast<const float*>(weights.data), rounded, out * in}});
    weights16 = rounded;
  }
  const std::uint16_t* src16 = bf16_input(src);
  run_forward_product(true, n, in, out, post_op,
                      {const_cast<std::uint16_t*>(src16), const_cast<std::uint16_t*>(weights16),
                       bias.data, dst.data});
}

// dsrc[N,I] = bf16(ddst) * bf16(weights) (when asked for); dweights = bf16(ddst)^T * bf16(src).
// The bias gradient (f32 column sums) is done by the caller. All operands are rounded in one
// region, then the products run as in f32 (run_backward_products).
void OneDnnBackend::dense_backward_bf16(Tensor src, Tensor weights, Tensor ddst, Tensor dsrc,
                                        Tensor dweights) {
  const std::int64_t n = src.rows, in = src.cols, out = weights.rows;
  const bool want_dsrc = !dsrc.empty();
  std::uint16_t* ddst16 = bf16_ddst_.get(n * out);
  const auto* ddst32 = static_cast<const float*>(ddst.data);
  std::uint16_t* weights16 = want_dsrc ? bf16_weight_copy_.find(weights) : nullptr;
  // In one region: ddst always, the weights unless the optimizer's copy holds them, the
  // input unless its copy from the forward is still valid.
  onednn::Bf16Conversion conversions[3];
  std::size_t count = 0;
  conversions[count++] = {ddst32, ddst16, n * out};
  if (want_dsrc && weights16 == nullptr) {
    weights16 = bf16_weights_.get(out * in);
    conversions[count++] = {static_cast<const float*>(weights.data), weights16, out * in};
  }
  const std::uint16_t* src16 = bf16_inputs_.find(src.data, n * in);
  if (src16 == nullptr) {
    std::uint16_t* made = bf16_inputs_.make(src.data, n * in);
    conversions[count++] = {static_cast<const float*>(src.data), made, n * in};
    src16 = made;
  }
  onednn::to_bf16(conversions, count);

  run_backward_products(true, n, in, out,
                        {ddst16, weights16, const_cast<std::uint16_t*>(src16),
                         want_dsrc ? dsrc.data : nullptr, dweights.data});
}

}  // namespace nnrun
