// Internal to the oneDNN backend: argument checks with messages that name the op and shapes,
// and the fixed-chunk parallel loop used by the backend's own (non-oneDNN) kernels.
#pragma once

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#endif

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>

#include "core/tensor.hpp"

#ifdef _OPENMP
#include <omp.h>
#endif

// OpenMP pragmas that vanish (without -Wunknown-pragmas noise) when OpenMP is off.
#ifdef _OPENMP
#define NNRUN_OMP(directive) _Pragma(directive)
#else
#define NNRUN_OMP(directive)
#endif

// Element-wise kernels that the backend writes itself (the Adam step, the bias-gradient sum)
// are compiled for AVX-512 and AVX2 as well as the baseline x86-64, and the loader picks the
// best one this CPU runs. The loops use only +, -, *, / and sqrt, which round identically at every
// vector width (-std=c++20 keeps -ffp-contract=off: no FMA), so every clone gives the same bits.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define NNRUN_VECTOR_CLONES __attribute__((target_clones("default", "avx2", "avx512f")))
#else
#define NNRUN_VECTOR_CLONES
#endif

namespace nnrun::onednn {

// Flush-to-zero and denormals-are-zero on the calling thread while it lives (MXCSR is per
// thread: construct it inside each parallel chunk). Why: where a gradient stays 0 (a dead
// ReLU unit, an always-black pixel) Adam's first moment decays by beta1 every step and
// reaches the denormal range after some 800 steps; every division and square root on a
// denormal then takes a microcode assist. bench/step_profile (batch 128): adam_step took
// 100 us a step over the first 300 steps and 600 us over 3,000. Only values below 1.2e-38
// change (to 0), the same way on every CPU and at every vector width.
class FlushDenormals {
 public:
#if defined(__SSE__) || defined(__x86_64__)
  FlushDenormals() : saved_(_mm_getcsr()) {
    _mm_setcsr(saved_ | kFlushToZero | kDenormalsAreZero);
  }
  ~FlushDenormals() {
    _mm_setcsr(saved_);
  }
#endif
  FlushDenormals(const FlushDenormals&) = delete;
  FlushDenormals& operator=(const FlushDenormals&) = delete;

 private:
#if defined(__SSE__) || defined(__x86_64__)
  static constexpr unsigned kFlushToZero = 0x8000, kDenormalsAreZero = 0x0040;
  unsigned saved_;
#endif
};

// The threads a parallel region started here would get (1 inside one, or without OpenMP).
inline int max_threads() {
#ifdef _OPENMP
  return omp_in_parallel() ? 1 : omp_get_max_threads();
#else
  return 1;
#endif
}

// Below this many elements a parallel region costs more than it saves.
constexpr std::int64_t kParallelGrain = std::int64_t{1} << 15;
// Elements in a 64-byte cache line of floats: where parallel_even may split f32 arrays.
constexpr std::int64_t kVectorAlign = 16;

// "7x5 f32"
inline std::string shape(const Tensor& t) {
  return std::to_string(t.rows) + "x" + std::to_string(t.cols) + " " +
         std::string(dtype_name(t.dtype));
}

// Throws std::invalid_argument "op: what (shapes...)".
[[noreturn]] inline void fail(const char* op, const char* what,
                              std::initializer_list<Tensor> tensors) {
  std::string message = std::string(op) + ": " + what + " (";
  bool first = true;
  for (const Tensor& t : tensors) {
    message += (first ? "" : ", ") + shape(t);
    first = false;
  }
  throw std::invalid_argument(message + ")");
}

// The compute primitives run in f32 only.
inline void require_f32(const char* op, std::initializer_list<Tensor> tensors) {
  for (const Tensor& t : tensors)
    if (t.dtype != DType::f32) fail(op, "only f32 is supported", tensors);
}

// Calls fn(begin, end) over [0, n) in chunks of at least `grain` items, in parallel only
// when there are several chunks. Chunks never share an output, so results do not depend
// on the thread count; fn must not throw (validate before calling).
template <typename Fn>
void parallel_chunks(std::int64_t n, std::int64_t grain, Fn&& fn) {
  grain = std::max<std::int64_t>(grain, 1);
  const std::int64_t chunks = (n + grain - 1) / grain;
  if (chunks <= 1) {
    if (n > 0) fn(std::int64_t{0}, n);
    return;
  }
  NNRUN_OMP("omp parallel for schedule(static)")
  for (std::int64_t chunk = 0; chunk < chunks; ++chunk)
    fn(chunk * grain, std::min(n, (chunk + 1) * grain));
}

// Calls fn(begin, end) over [0, n) in pieces of at most `grain` items, with the work split
// evenly between the threads: each thread takes one contiguous part, starting at a multiple
// of `align`, in pieces. Fixed chunks (parallel_chunks) split unevenly when they are few:
// a 128-row batch of 784 floats is 4 chunks of 41 rows, 82 rows for one thread and 46 for
// the other; the 235k parameters of the Fashion-MNIST MLP 8 chunks, 56 % for one thread.
// For element-wise work only, where the pieces' bounds cannot change a result (a sum over
// chunks needs parallel_chunks' fixed bounds).
template <typename Fn>
void parallel_even(std::int64_t n, std::int64_t grain, std::int64_t align, Fn&& fn) {
  grain = std::max<std::int64_t>(grain, 1);
  align = std::max<std::int64_t>(align, 1);
  const auto in_pieces = [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t piece = begin; piece < end; piece += grain)
      fn(piece, std::min(end, piece + grain));
  };
  const std::int64_t parts = std::min<std::int64_t>(max_threads(), (n + grain - 1) / grain);
  if (parts <= 1) {
    if (n > 0) in_pieces(0, n);
    return;
  }
  const std::int64_t part = ((n + parts - 1) / parts + align - 1) / align * align;
  NNRUN_OMP("omp parallel for schedule(static) num_threads(parts)")
  for (std::int64_t k = 0; k < parts; ++k)
    in_pieces(std::min(n, k * part), std::min(n, (k + 1) * part));
}

}  // namespace nnrun::onednn
