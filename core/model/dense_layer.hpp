// Dense (fully-connected) layer with a fused activation: dst = act(src * W^T + b).
#pragma once

#include "core/config/config.hpp"
#include "core/model/layer.hpp"

namespace nnrun {

class DenseLayer final : public Layer {
 public:
  DenseLayer(std::int64_t input_width, std::int64_t units, ActivationParams activation,
             InitSpec init);

  std::string kind() const override { return "dense"; }
  std::string describe() const override;
  std::int64_t input_width() const override { return in_; }
  std::int64_t output_width() const override { return out_; }
  std::vector<ParamSpec> parameter_specs() const override;
  std::vector<std::vector<double>> initial_values(std::uint64_t seed,
                                                  std::uint32_t layer_index) const override;
  void bind(std::vector<Tensor> params, std::vector<Tensor> grads) override;
  void allocate(Backend& backend, std::int64_t max_batch, DType dtype) override;
  Tensor forward(Backend& backend, Tensor src, const ForwardPass& pass) override;
  Tensor backward(Backend& backend, Tensor ddst, bool need_dsrc) override;

  ActivationParams activation() const { return activation_; }

 private:
  bool has_activation() const { return activation_.kind != Activation::none; }

  std::int64_t in_, out_;
  ActivationParams activation_;
  InitSpec init_;
  Tensor weights_, bias_, dweights_, dbias_;  // arena views: [out, in], [1, out]
  DeviceBuffer linear_;                       // [max_batch, out] pre-activation (src * W^T + b)
  DeviceBuffer dst_;      // [max_batch, out] after the activation (unused without one)
  DeviceBuffer dlinear_;  // [max_batch, out] gradient w.r.t. the pre-activation
  DeviceBuffer dsrc_;     // [max_batch, in]
  Tensor src_;            // the last forward's input, kept for backward
};

}  // namespace nnrun
