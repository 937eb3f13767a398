// Dropout: masks come from the backend's counter-based generator, keyed by (seed, step,
// layer), so runs are reproducible and resuming needs only the step counter.
#include "core/model/dropout_layer.hpp"

#include <cstdio>
#include <stdexcept>

namespace nnrun {

DropoutLayer::DropoutLayer(std::int64_t width, double rate, std::uint32_t layer_index)
    : width_(width), rate_(rate), layer_index_(layer_index) {
  if (!(rate >= 0.0 && rate < 1.0)) throw std::invalid_argument("dropout: rate must be in [0, 1)");
}

std::string DropoutLayer::describe() const {
  char buf[64];
  std::snprintf(buf, sizeof buf, "dropout %g", rate_);
  return buf;
}

void DropoutLayer::allocate(Backend& backend, std::int64_t max_batch, DType dtype) {
  mask_ = DeviceBuffer(backend, max_batch, width_, dtype);
  dst_ = DeviceBuffer(backend, max_batch, width_, dtype);
  dsrc_ = DeviceBuffer(backend, max_batch, width_, dtype);
}

Tensor DropoutLayer::forward(Backend& backend, Tensor src, const ForwardPass& pass) {
  last_was_training_ = pass.mode == Mode::train && rate_ > 0.0;
  if (!last_was_training_) return src;  // evaluation: the identity, no copy
  const std::int64_t n = src.rows;
  const Tensor dst = dst_.tensor().row_range(0, n);
  backend.dropout_forward({rate_, pass.seed, pass.step, layer_index_}, src,
                          mask_.tensor().row_range(0, n), dst);
  return dst;
}

Tensor DropoutLayer::backward(Backend& backend, Tensor ddst, bool need_dsrc) {
  if (!need_dsrc) return {};
  if (!last_was_training_) return ddst;  // identity: the gradient passes through
  const std::int64_t n = ddst.rows;
  const Tensor dsrc = dsrc_.tensor().row_range(0, n);
  backend.dropout_backward(ddst, mask_.tensor().row_range(0, n), dsrc);
  return dsrc;
}

}  // namespace nnrun
