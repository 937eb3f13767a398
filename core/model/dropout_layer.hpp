// Dropout layer (inverted dropout): while training, zero each unit with probability `rate`
// and scale the rest by 1 / (1 - rate); in evaluation, the identity.
#pragma once

#include "core/model/layer.hpp"

namespace nnrun {

class DropoutLayer final : public Layer {
 public:
  // layer_index keys the masks, so two dropout layers never share one.
  DropoutLayer(std::int64_t width, double rate, std::uint32_t layer_index);

  std::string kind() const override { return "dropout"; }
  std::string describe() const override;
  std::int64_t input_width() const override { return width_; }
  std::int64_t output_width() const override { return width_; }
  std::vector<ParamSpec> parameter_specs() const override { return {}; }
  std::vector<std::vector<double>> initial_values(std::uint64_t, std::uint32_t) const override {
    return {};
  }
  void bind(std::vector<Tensor>, std::vector<Tensor>) override {}
  void allocate(Backend& backend, std::int64_t max_batch, DType dtype) override;
  Tensor forward(Backend& backend, Tensor src, const ForwardPass& pass) override;
  Tensor backward(Backend& backend, Tensor ddst, bool need_dsrc) override;

 private:
  std::int64_t width_;
  double rate_;
  std::uint32_t layer_index_;
  DeviceBuffer mask_;  // [max_batch, width]: 1 / (1 - rate) or 0 per unit
  DeviceBuffer dst_;   // [max_batch, width]
  DeviceBuffer dsrc_;  // [max_batch, width]
  bool last_was_training_ = false;
};

}  // namespace nnrun
