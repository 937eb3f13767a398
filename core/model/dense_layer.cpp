// Dense layer: the backend does the products; this class wires buffers and views.
#include "core/model/dense_layer.hpp"

#include <stdexcept>

#include "core/model/initializer.hpp"
#include "core/names.hpp"

namespace nnrun {

DenseLayer::DenseLayer(std::int64_t input_width, std::int64_t units, ActivationParams activation,
                       InitSpec init)
    : in_(input_width), out_(units), activation_(activation), init_(init) {}

std::string DenseLayer::describe() const {
  return "dense " + std::to_string(in_) + " -> " + std::to_string(out_) + ", " +
         activation_name(activation_.kind);
}

std::vector<ParamSpec> DenseLayer::parameter_specs() const {
  return {{"weight", out_, in_}, {"bias", 1, out_}};
}

std::vector<std::vector<double>> DenseLayer::initial_values(std::uint64_t seed,
                                                            std::uint32_t layer_index) const {
  return {initial_weights(init_, in_, out_, seed, layer_index),
          std::vector<double>(static_cast<std::size_t>(out_), 0.0)};
}

void DenseLayer::bind(std::vector<Tensor> params, std::vector<Tensor> grads) {
  if (params.size() != 2 || grads.size() != 2) throw std::logic_error("dense: bind needs 2 views");
  weights_ = params[0];
  bias_ = params[1];
  dweights_ = grads[0];
  dbias_ = grads[1];
}

void DenseLayer::allocate(Backend& backend, std::int64_t max_batch, DType dtype) {
  linear_ = DeviceBuffer(backend, max_batch, out_, dtype);
  dlinear_ = DeviceBuffer(backend, max_batch, out_, dtype);
  dsrc_ = DeviceBuffer(backend, max_batch, in_, dtype);
  if (has_activation()) dst_ = DeviceBuffer(backend, max_batch, out_, dtype);
}

Tensor DenseLayer::forward(Backend& backend, Tensor src, const ForwardPass& /*pass*/) {
  const std::int64_t n = src.rows;
  src_ = src;
  const Tensor linear = linear_.tensor().row_range(0, n);
  if (!has_activation()) {
    backend.dense_forward(src, weights_, bias_, linear);
    return linear;
  }
  // One pass where the backend fuses the activation into the product; it may then leave
  // linear unwritten, as its activation_backward reads dst instead.
  const Tensor dst = dst_.tensor().row_range(0, n);
  backend.dense_activation_forward(activation_, src, weights_, bias_, linear, dst);
  return dst;
}

Tensor DenseLayer::backward(Backend& backend, Tensor ddst, bool need_dsrc) {
  const std::int64_t n = ddst.rows;
  const Tensor dsrc = need_dsrc ? dsrc_.tensor().row_range(0, n) : Tensor{};
  if (!has_activation()) {
    backend.dense_backward(src_, weights_, ddst, dsrc, dweights_, dbias_);
    return dsrc;
  }
  backend.dense_activation_backward(activation_, src_, weights_, linear_.tensor().row_range(0, n),
                                    dst_.tensor().row_range(0, n), ddst,
                                    dlinear_.tensor().row_range(0, n), dsrc, dweights_, dbias_);
  return dsrc;
}

}  // namespace nnrun
