// The oneDNN CPU backend: dense layers and activations run as oneDNN primitives built once
// per shape; losses, optimizers, dropout, clipping and row gathers are deterministic loops.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backends/backend.hpp"

namespace nnrun {

namespace onednn {
class PrimitiveCache;
}

// Compute primitives accept f32 only; memory primitives accept every dtype. Metrics are the
// f64 accumulator that Backend describes. Not thread-safe: one training loop drives it.
class OneDnnBackend final : public Backend {
 public:
  // threads: 0 = the runtime's default (all cores); > 0 sets the OpenMP thread count.
  explicit OneDnnBackend(int threads);
  ~OneDnnBackend() override;
  OneDnnBackend(const OneDnnBackend&) = delete;
  OneDnnBackend& operator=(const OneDnnBackend&) = delete;

  std::string name() const override { return "cpu"; }
  std::string description() const override;
  bool supports(DType dtype) const override { return dtype == DType::f32; }

  void* allocate(std::size_t bytes) override;
  void release(void* ptr) noexcept override;
  void upload(Tensor dst, const void* host_src) override;
  void download(Tensor src, void* host_dst) override;
  void fill_zero(Tensor dst) override;
  void gather_rows(Tensor src, Tensor index, Tensor dst) override;

  void dense_forward(Tensor src, Tensor weights, Tensor bias, Tensor dst) override;
  void dense_backward(Tensor src, Tensor weights, Tensor ddst, Tensor dsrc, Tensor dweights,
                      Tensor dbias) override;

  void activation_forward(ActivationParams act, Tensor src, Tensor dst) override;
  void activation_backward(ActivationParams act, Tensor src, Tensor dst, Tensor ddst,
                           Tensor dsrc) override;

  void softmax_cross_entropy(Tensor logits, Tensor labels, Tensor dlogits, Tensor metrics) override;
  void sigmoid_binary_cross_entropy(Tensor logits, Tensor labels, Tensor dlogits,
                                    Tensor metrics) override;
  void mean_squared_error(Tensor pred, Tensor targets, Tensor dpred, Tensor metrics) override;

  void dropout_forward(DropoutParams p, Tensor src, Tensor mask, Tensor dst) override;
  void dropout_backward(Tensor ddst, Tensor mask, Tensor dsrc) override;
  void clip_grad_norm(Tensor grads, double max_norm, Tensor metrics) override;

  void sgd_step(const SgdParams& p, Tensor params, Tensor grads, Tensor velocity,
                Tensor guard) override;
  void adam_step(const AdamParams& p, Tensor params, Tensor grads, Tensor m, Tensor v,
                 Tensor guard) override;
  void rmsprop_step(const RmspropParams& p, Tensor params, Tensor grads, Tensor square_avg,
                    Tensor momentum_buffer, Tensor grad_avg, Tensor guard) override;

  // How many oneDNN primitives have been built: one per (op, shape, activation), so tests
  // can check that repeated calls reuse them and a ragged last batch adds one entry.
  std::size_t primitives_created() const;

 private:
  // What softmax_cross_entropy keeps per row between its passes. Rows are processed in
  // parallel, then summed serially in row order, so the metrics do not depend on threads.
  struct SoftmaxRow {
    std::int64_t argmax = 0;  // first maximal logit
    float margin = 0;         // logits[argmax] - logits[label]
    double loss = 0;
  };

  std::unique_ptr<onednn::PrimitiveCache> cache_;
  // Grown to the largest batch seen, then reused: no allocation in a steady-state step.
  std::vector<SoftmaxRow> softmax_rows_;
  std::vector<float> softmax_scratch_;  // probabilities when the caller wants no gradient
  // clip_grad_norm's per-chunk sums of squares: fixed-size chunks, added in chunk order, so
  // the norm does not depend on the thread count.
  std::vector<double> norm_partials_;
};

}  // namespace nnrun
