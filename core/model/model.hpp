// Model: a sequence of layers over one flat parameter arena and one flat gradient arena.
// The optimizer steps over the arenas in one call; checkpoints store them by name.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/config/config.hpp"
#include "core/model/layer.hpp"

namespace nnrun {

struct NamedParameter {
  std::string name;  // "layers.0.dense.weight"
  std::int64_t offset = 0;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
};

class Model {
 public:
  // Builds the layers and lays out the arenas; parameters are not yet initialized.
  Model(Backend& backend, const ModelConfig& config, std::int64_t input_width, DType dtype);

  std::int64_t input_width() const { return input_width_; }
  std::int64_t output_width() const;
  std::int64_t parameter_count() const { return params_.tensor().size(); }
  DType dtype() const { return params_.tensor().dtype; }
  const std::vector<std::unique_ptr<Layer>>& layers() const { return layers_; }
  const std::vector<NamedParameter>& parameter_layout() const { return layout_; }
  Tensor parameters() const { return params_; }
  Tensor gradients() const { return grads_; }

  // Draws every parameter from the seeded initializers and uploads them.
  void initialize(std::uint64_t seed);
  // Allocates activation buffers for batches up to max_batch rows. Call before forward.
  void prepare(std::int64_t max_batch);

  // src[n, input_width] -> output[n, output_width]
  Tensor forward(Tensor src, const ForwardPass& pass);
  // Back-propagates the loss gradient w.r.t. the output; fills gradients().
  void backward(Tensor doutput);

  std::vector<double> download_parameters() const;
  void upload_parameters(const std::vector<double>& values);

 private:
  Backend& backend_;
  std::int64_t input_width_;
  std::vector<std::unique_ptr<Layer>> layers_;
  std::vector<NamedParameter> layout_;
  DeviceBuffer params_;
  DeviceBuffer grads_;
  std::int64_t prepared_batch_ = 0;
};

}  // namespace nnrun
