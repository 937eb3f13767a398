// Model: builds layers from the config, owns the arenas, runs forward and backward.
#include "core/model/model.hpp"

#include <stdexcept>

#include "core/model/dense_layer.hpp"
#include "core/model/dropout_layer.hpp"
#include "core/tensor_io.hpp"

namespace nnrun {

Model::Model(Backend& backend, const ModelConfig& config, std::int64_t input_width, DType dtype)
    : backend_(backend), input_width_(input_width) {
  if (config.layers.empty()) throw std::invalid_argument("model: no layers");
  std::int64_t width = input_width;
  for (const LayerConfig& lc : config.layers) {
    const auto index = static_cast<std::uint32_t>(layers_.size());
    std::unique_ptr<Layer> layer;
    if (lc.type == "dropout")
      layer = std::make_unique<DropoutLayer>(width, lc.rate, index);
    else
      layer = std::make_unique<DenseLayer>(width, lc.units, lc.activation,
                                           lc.init.value_or(config.init));
    width = layer->output_width();
    layers_.push_back(std::move(layer));
  }
  std::int64_t total = 0;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    for (const ParamSpec& spec : layers_[i]->parameter_specs()) {
      layout_.push_back({"layers." + std::to_string(i) + "." + layers_[i]->kind() + "." + spec.name,
                         total, spec.rows, spec.cols});
      total += spec.size();
    }
  }
  params_ = DeviceBuffer(backend, 1, total, dtype);
  grads_ = DeviceBuffer(backend, 1, total, dtype);
  std::size_t next = 0;
  for (auto& layer : layers_) {
    std::vector<Tensor> p, g;
    for (std::size_t k = 0; k < layer->parameter_specs().size(); ++k, ++next) {
      const NamedParameter& np = layout_[next];
      p.push_back(params_.tensor().flat_view(np.offset, np.rows, np.cols));
      g.push_back(grads_.tensor().flat_view(np.offset, np.rows, np.cols));
    }
    layer->bind(std::move(p), std::move(g));
  }
}

std::int64_t Model::output_width() const {
  return layers_.back()->output_width();
}

void Model::initialize(std::uint64_t seed) {
  std::vector<double> all;
  all.reserve(static_cast<std::size_t>(parameter_count()));
  for (std::size_t i = 0; i < layers_.size(); ++i)
    for (const auto& values : layers_[i]->initial_values(seed, static_cast<std::uint32_t>(i)))
      all.insert(all.end(), values.begin(), values.end());
  upload_parameters(all);
}

void Model::prepare(std::int64_t max_batch) {
  if (max_batch <= prepared_batch_) return;
  for (auto& layer : layers_) layer->allocate(backend_, max_batch, dtype());
  prepared_batch_ = max_batch;
}

Tensor Model::forward(Tensor src, const ForwardPass& pass) {
  if (src.rows > prepared_batch_) throw std::logic_error("model: batch larger than prepared");
  Tensor x = src;
  for (auto& layer : layers_) x = layer->forward(backend_, x, pass);
  return x;
}

void Model::backward(Tensor doutput) {
  Tensor d = doutput;
  for (std::size_t i = layers_.size(); i-- > 0;) d = layers_[i]->backward(backend_, d, i > 0);
}

std::vector<double> Model::download_parameters() const {
  return download_values(backend_, params_);
}

void Model::upload_parameters(const std::vector<double>& values) {
  if (static_cast<std::int64_t>(values.size()) != parameter_count())
    throw std::invalid_argument("model: parameter count mismatch");
  upload_values(backend_, params_, values);
}

}  // namespace nnrun
