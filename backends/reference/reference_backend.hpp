// The reference backend: straightforward loops over host memory, in f32 or f64.
// It is the oracle: every other backend is tested op by op against it, and the
// finite-difference gradient checks run on it in double precision.
#pragma once

#include "backends/backend.hpp"

namespace nnrun {

class ReferenceBackend final : public Backend {
 public:
  std::string name() const override { return "reference"; }
  std::string description() const override { return "reference (plain loops, 1 thread)"; }
  bool supports(DType dtype) const override { return dtype == DType::f32 || dtype == DType::f64; }

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
};

}  // namespace nnrun
