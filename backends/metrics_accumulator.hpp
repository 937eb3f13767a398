// How the CPU backends (reference and oneDNN) read and update the metrics accumulator on the
// host: batch sums from the losses, the non-finite bookkeeping, and the optimizer guard.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "backends/backend.hpp"

namespace nnrun::metrics_accumulator {

// The accumulator's values; throws std::invalid_argument naming `op` unless metrics is an
// f64 tensor of at least kMetricSlots values.
inline double* values(const char* op, Tensor metrics) {
  if (metrics.dtype != DType::f64 || metrics.size() < kMetricSlots || metrics.data == nullptr)
    throw std::invalid_argument(std::string(op) +
                                ": metrics must be an f64 tensor of kMetricSlots values");
  return static_cast<double*>(metrics.data);
}

// Counts `count` non-finite events; the first ones of an accumulation also record where
// they appeared: the current kSamples (a loss calls this before adding its batch).
inline void add_non_finite(double* m, double count) {
  if (count <= 0) return;
  if (m[kNonFinite] == 0) m[kFirstNonFinite] = m[kSamples];
  m[kNonFinite] += count;
}

// What one loss call adds: its batch's sums and sample count. Non-finite samples are
// recorded before kSamples moves past the batch.
struct BatchSums {
  double loss_sum = 0;
  double correct = 0;
  double non_finite = 0;  // samples whose loss is not finite
};
inline void add_batch(double* m, const BatchSums& sums, std::int64_t samples) {
  add_non_finite(m, sums.non_finite);
  m[kLossSum] += sums.loss_sum;
  m[kCorrect] += sums.correct;
  m[kSamples] += static_cast<double>(samples);
}

// True when an optimizer step must do nothing: guard is the accumulator and has seen a
// non-finite loss or gradient norm. An empty guard never blocks.
inline bool blocks_update(const char* op, Tensor guard) {
  if (guard.empty()) return false;
  return values(op, guard)[kNonFinite] > 0;
}

}  // namespace nnrun::metrics_accumulator
