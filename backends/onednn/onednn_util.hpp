// Internal to the oneDNN backend: argument checks with messages that name the op and shapes,
// and the fixed-chunk parallel loop used by the backend's own (non-oneDNN) kernels.
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>

#include "core/tensor.hpp"

// OpenMP pragmas that vanish (without -Wunknown-pragmas noise) when OpenMP is off.
#ifdef _OPENMP
#define NNRUN_OMP(directive) _Pragma(directive)
#else
#define NNRUN_OMP(directive)
#endif

namespace nnrun::onednn {

// Below this many elements a parallel region costs more than it saves.
constexpr std::int64_t kParallelGrain = std::int64_t{1} << 15;

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

}  // namespace nnrun::onednn
