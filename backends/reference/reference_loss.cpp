// Reference fused losses: loss, gradient of the batch mean, and metric sums in one pass.
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "backends/metrics_accumulator.hpp"
#include "backends/reference/reference_backend.hpp"
#include "backends/reference/typed.hpp"

namespace nnrun {
using metrics_accumulator::add_batch;
using metrics_accumulator::BatchSums;
using reference::dispatch_float;
using reference::ptr;

namespace {
// Adds one sample's loss, counting it as non-finite when it is.
void add_sample_loss(BatchSums& sums, double loss) {
  sums.loss_sum += loss;
  if (!std::isfinite(loss)) sums.non_finite += 1;
}
}  // namespace

void ReferenceBackend::softmax_cross_entropy(Tensor logits, Tensor labels, Tensor dlogits,
                                             Tensor metrics) {
  double* m = metrics_accumulator::values("softmax_cross_entropy", metrics);
  const std::int64_t n = logits.rows, c = logits.cols;
  if (labels.size() != n) throw std::invalid_argument("softmax_cross_entropy: labels size");
  const auto* y = ptr<const std::int32_t>(labels);
  dispatch_float(logits.dtype, [&](auto zero) {
    using T = decltype(zero);
    const T* z = ptr<T>(logits);
    T* dz = dlogits.empty() ? nullptr : ptr<T>(dlogits);
    BatchSums sums;
    for (std::int64_t i = 0; i < n; ++i) {
      if (y[i] < 0 || y[i] >= c)
        throw std::out_of_range("softmax_cross_entropy: label " + std::to_string(y[i]) +
                                " outside [0, " + std::to_string(c) + ")");
      const T* row = z + i * c;
      std::int64_t argmax = 0;
      for (std::int64_t j = 1; j < c; ++j)
        if (row[j] > row[argmax]) argmax = j;
      const T max = row[argmax];
      T sum = 0;
      for (std::int64_t j = 0; j < c; ++j) sum += std::exp(row[j] - max);
      const T log_sum = std::log(sum);
      add_sample_loss(sums, static_cast<double>(log_sum + max - row[y[i]]));
      sums.correct += argmax == y[i] ? 1.0 : 0.0;
      if (dz) {
        for (std::int64_t j = 0; j < c; ++j) {
          const T p = std::exp(row[j] - max - log_sum);
          dz[i * c + j] = (p - (j == y[i] ? T(1) : T(0))) / T(n);
        }
      }
    }
    add_batch(m, sums, n);
  });
}

void ReferenceBackend::sigmoid_binary_cross_entropy(Tensor logits, Tensor labels, Tensor dlogits,
                                                    Tensor metrics) {
  double* m = metrics_accumulator::values("sigmoid_binary_cross_entropy", metrics);
  const std::int64_t n = logits.rows;
  if (logits.cols != 1 || labels.size() != n)
    throw std::invalid_argument("sigmoid_binary_cross_entropy: shape mismatch");
  const auto* y = ptr<const std::int32_t>(labels);
  dispatch_float(logits.dtype, [&](auto zero) {
    using T = decltype(zero);
    const T* z = ptr<T>(logits);
    T* dz = dlogits.empty() ? nullptr : ptr<T>(dlogits);
    BatchSums sums;
    for (std::int64_t i = 0; i < n; ++i) {
      if (y[i] != 0 && y[i] != 1)
        throw std::out_of_range("sigmoid_binary_cross_entropy: label " + std::to_string(y[i]) +
                                " is not 0 or 1");
      const T x = z[i], t = T(y[i]);
      // max(x, 0) - x t + log(1 + exp(-|x|)): stable for large |x|.
      add_sample_loss(sums, static_cast<double>(std::max(x, T(0)) - x * t +
                                                std::log1p(std::exp(-std::abs(x)))));
      sums.correct += (x > 0 ? 1 : 0) == y[i] ? 1.0 : 0.0;
      if (dz) dz[i] = (T(1) / (T(1) + std::exp(-x)) - t) / T(n);
    }
    add_batch(m, sums, n);
  });
}

void ReferenceBackend::mean_squared_error(Tensor pred, Tensor targets, Tensor dpred,
                                          Tensor metrics) {
  double* m = metrics_accumulator::values("mean_squared_error", metrics);
  const std::int64_t n = pred.rows, k = pred.cols;
  if (targets.rows != n || targets.cols != k || targets.dtype != pred.dtype ||
      (!dpred.empty() && dpred.size() != pred.size()))
    throw std::invalid_argument("mean_squared_error: shape mismatch");
  dispatch_float(pred.dtype, [&](auto zero) {
    using T = decltype(zero);
    const T *p = ptr<T>(pred), *t = ptr<T>(targets);
    T* dp = dpred.empty() ? nullptr : ptr<T>(dpred);
    BatchSums sums;
    for (std::int64_t i = 0; i < n; ++i) {
      T row_sum = 0;
      for (std::int64_t j = 0; j < k; ++j) {
        const T d = p[i * k + j] - t[i * k + j];
        row_sum += d * d;
        if (dp) dp[i * k + j] = T(2) * d / T(n * k);
      }
      add_sample_loss(sums, static_cast<double>(row_sum / T(k)));
    }
    add_batch(m, sums, n);  // sums.correct stays 0: kCorrect is left as it is
  });
}

}  // namespace nnrun
